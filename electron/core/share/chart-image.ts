// A star-history-style line chart as a small SVG: one series, its axis labels and its last value.
// No script, no external reference: it can be embedded with <img> anywhere.
import { compactNumber, fullNumber } from '../../../shared/compact-number.js';
import { escapeXml } from './badge.js';

export type ChartTheme = 'light' | 'dark';

const THEMES: Readonly<Record<ChartTheme, { background: string; text: string; muted: string; grid: string; line: string }>> = {
  light: { background: '#ffffff', text: '#1f2328', muted: '#656d76', grid: '#d0d7de', line: '#0969da' },
  dark: { background: '#0d1117', text: '#e6edf3', muted: '#8d96a0', grid: '#30363d', line: '#58a6ff' },
};

const WIDTH = 600;
const HEIGHT = 300;
const PLOT = { left: 56, right: 584, top: 40, bottom: 268 } as const;
/** Points drawn at most: a tiny file, and finer than a 528-pixel plot could show anyway. */
export const CHART_POINTS = 240;

export interface ChartContent {
  readonly title: string;
  readonly theme: ChartTheme;
  readonly times: readonly number[];
  /** null where the series had no value yet. */
  readonly values: readonly (number | null)[];
}

/** A round number at or above the maximum, so the top grid line has a readable label. */
function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= max)!;
  return step * magnitude;
}

const day = (time: number) => new Date(time).toISOString().slice(0, 10);
const coordinate = (value: number) => Math.round(value * 10) / 10;

export function renderChart({ title, theme, times, values }: ChartContent): string {
  const colors = THEMES[theme];
  const known = values.filter((value): value is number => value !== null);
  const last = known.at(-1);
  const top = niceCeiling(Math.max(0, ...known));
  const first = times[0] ?? 0;
  const span = Math.max(1, (times.at(-1) ?? first) - first);
  const x = (time: number) => coordinate(PLOT.left + ((time - first) / span) * (PLOT.right - PLOT.left));
  const y = (value: number) => coordinate(PLOT.bottom - (Math.max(0, value) / top) * (PLOT.bottom - PLOT.top));
  const points = values.flatMap((value, index) => (value === null ? [] : [`${x(times[index]!)},${y(value)}`]));
  const grid = [0, 0.5, 1].map((share) => {
    const level = y(top * share);
    return `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${level}" y2="${level}" stroke="${colors.grid}"/><text x="${PLOT.left - 6}" y="${level + 4}" text-anchor="end">${escapeXml(compactNumber(top * share))}</text>`;
  });
  const lastText = last === undefined ? 'no data yet' : fullNumber(last);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(`${title}: ${lastText}`)}">`,
    `<title>${escapeXml(`${title}: ${lastText}`)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" rx="6" fill="${colors.background}"/>`,
    `<g font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" fill="${colors.muted}">`,
    ...grid,
    `<text x="${PLOT.left}" y="${HEIGHT - 12}">${day(first)}</text>`,
    `<text x="${PLOT.right}" y="${HEIGHT - 12}" text-anchor="end">${day(times.at(-1) ?? first)}</text>`,
    '</g>',
    `<text x="${PLOT.left}" y="24" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="14" font-weight="bold" fill="${colors.text}">${escapeXml(title)}</text>`,
    `<text id="last-value" x="${PLOT.right}" y="24" text-anchor="end" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="14" font-weight="bold" fill="${colors.line}">${escapeXml(lastText)}</text>`,
    points.length > 0 ? `<polyline fill="none" stroke="${colors.line}" stroke-width="2" stroke-linejoin="round" points="${points.join(' ')}"/>` : '',
    '</svg>',
  ].join('');
}
