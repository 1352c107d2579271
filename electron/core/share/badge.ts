// Shields-style flat badges (label | value) as SVG. Text widths come from a table of Verdana 11px
// advance widths, so no font is loaded and the same text always gives the same image.

/** Advance widths (px, Verdana 11px) of printable ASCII from space (32) to tilde (126). */
const ASCII_WIDTHS = [
  3.9, 4.3, 5.1, 9.0, 7.0, 12.3, 8.0, 3.0, 5.0, 5.0, 7.0, 9.0, 4.0, 5.0, 4.0, 5.0, // space ! " # $ % & ' ( ) * + , - . /
  7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 5.0, 5.0, 9.0, 9.0, 9.0, 6.0, // 0-9 : ; < = > ?
  11.0, 7.5, 7.5, 7.7, 8.5, 7.0, 6.3, 8.5, 8.3, 4.6, 5.0, 7.6, 6.1, 9.3, 8.2, 8.7, // @ A-O
  6.6, 8.7, 7.7, 7.5, 6.8, 8.1, 7.5, 10.9, 7.5, 6.8, 7.5, 5.0, 5.0, 5.0, 9.0, 7.0, // P-Z [ \ ] ^ _
  7.0, 6.6, 6.8, 5.7, 6.8, 6.6, 3.9, 6.8, 7.0, 3.0, 3.8, 6.5, 3.0, 10.7, 7.0, 6.6, // ` a-o
  6.8, 6.8, 4.7, 5.7, 4.3, 7.0, 6.5, 9.0, 6.5, 6.5, 5.8, 7.0, 5.0, 7.0, 9.0, // p-z { | } ~
];
/** Anything outside the table (accents, CJK) is counted as a wide letter: a badge a little wide beats clipped text. */
const OTHER_WIDTH = 10.0;
const PADDING = 6;
const HEIGHT = 20;

export const BADGE_COLORS = { value: '#007ec6', missing: '#9f9f9f', label: '#555' } as const;

/** The estimated width of the text in Verdana 11px, in pixels. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    width += code >= 32 && code <= 126 ? ASCII_WIDTHS[code - 32]! : OTHER_WIDTH;
  }
  return Math.round(width * 10) / 10;
}

/** Text for an XML text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface BadgeContent {
  readonly label: string;
  readonly value: string;
  /** Right-hand colour; default blue, grey for "not found". */
  readonly color?: string;
}

export function renderBadge({ label, value, color = BADGE_COLORS.value }: BadgeContent): string {
  const labelWidth = Math.ceil(textWidth(label) + 2 * PADDING);
  const valueWidth = Math.ceil(textWidth(value) + 2 * PADDING);
  const width = labelWidth + valueWidth;
  const title = escapeXml(`${label}: ${value}`);
  const text = (x: number, content: string) => `<text x="${x}" y="14">${escapeXml(content)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<clipPath id="r"><rect width="${width}" height="${HEIGHT}" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${labelWidth}" height="${HEIGHT}" fill="${BADGE_COLORS.label}"/><rect x="${labelWidth}" width="${valueWidth}" height="${HEIGHT}" fill="${color}"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`,
    text(labelWidth / 2, label),
    text(labelWidth + valueWidth / 2, value),
    '</g></svg>',
  ].join('');
}
