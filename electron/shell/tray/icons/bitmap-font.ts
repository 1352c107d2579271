// Two hand-drawn bitmap fonts for numbers in tray icons (digits, ".", "+", "-", and the k/M/B/T
// suffixes of compact numbers). Glyphs are drawn pixel by pixel at whole-number scales, so the text
// stays sharp at 16 px where a vector font would blur.
import type { Raster, Rgba } from './raster.js';

export interface BitmapFont {
  readonly name: string;
  readonly height: number;
  /** Columns between two glyphs. */
  readonly spacing: number;
  /** Each glyph's rows, top to bottom; "#" is ink. All rows of a glyph have the same length (its width). */
  readonly glyphs: Readonly<Record<string, readonly string[]>>;
}

/** 3×5: fits four characters ("123k") into a 16-pixel icon. */
export const FONT_3X5: BitmapFont = {
  name: '3x5',
  height: 5,
  spacing: 1,
  glyphs: {
    '0': ['###', '#.#', '#.#', '#.#', '###'],
    '1': ['.#.', '##.', '.#.', '.#.', '###'],
    '2': ['###', '..#', '###', '#..', '###'],
    '3': ['###', '..#', '.##', '..#', '###'],
    '4': ['#.#', '#.#', '###', '..#', '..#'],
    '5': ['###', '#..', '###', '..#', '###'],
    '6': ['###', '#..', '###', '#.#', '###'],
    '7': ['###', '..#', '.#.', '.#.', '.#.'],
    '8': ['###', '#.#', '###', '#.#', '###'],
    '9': ['###', '#.#', '###', '..#', '###'],
    '.': ['.', '.', '.', '.', '#'],
    '+': ['...', '.#.', '###', '.#.', '...'],
    '-': ['...', '...', '###', '...', '...'],
    k: ['#..', '#.#', '##.', '#.#', '#.#'],
    M: ['#.#', '###', '###', '#.#', '#.#'],
    B: ['##.', '#.#', '##.', '#.#', '##.'],
    T: ['###', '.#.', '.#.', '.#.', '.#.'],
  },
};

/** 4×7: for 22 px and larger icons, where it reads better than a doubled 3×5. */
export const FONT_4X7: BitmapFont = {
  name: '4x7',
  height: 7,
  spacing: 1,
  glyphs: {
    '0': ['.##.', '#..#', '#..#', '#..#', '#..#', '#..#', '.##.'],
    '1': ['..#.', '.##.', '..#.', '..#.', '..#.', '..#.', '.###'],
    '2': ['.##.', '#..#', '...#', '..#.', '.#..', '#...', '####'],
    '3': ['###.', '...#', '...#', '.##.', '...#', '...#', '###.'],
    '4': ['..#.', '.##.', '#.#.', '#.#.', '####', '..#.', '..#.'],
    '5': ['####', '#...', '###.', '...#', '...#', '#..#', '.##.'],
    '6': ['.##.', '#...', '#...', '###.', '#..#', '#..#', '.##.'],
    '7': ['####', '...#', '..#.', '..#.', '.#..', '.#..', '.#..'],
    '8': ['.##.', '#..#', '#..#', '.##.', '#..#', '#..#', '.##.'],
    '9': ['.##.', '#..#', '#..#', '.###', '...#', '...#', '.##.'],
    '.': ['.', '.', '.', '.', '.', '.', '#'],
    '+': ['...', '...', '.#.', '###', '.#.', '...', '...'],
    '-': ['...', '...', '...', '###', '...', '...', '...'],
    k: ['#...', '#...', '#..#', '#.#.', '##..', '#.#.', '#..#'],
    M: ['#..#', '####', '####', '#..#', '#..#', '#..#', '#..#'],
    B: ['###.', '#..#', '#..#', '###.', '#..#', '#..#', '###.'],
    T: ['####', '.##.', '.##.', '.##.', '.##.', '.##.', '.##.'],
  },
};

export const FONTS: readonly BitmapFont[] = [FONT_3X5, FONT_4X7];

function glyph(font: BitmapFont, character: string): readonly string[] {
  const rows = font.glyphs[character];
  if (!rows) throw new Error(`bitmap font ${font.name} has no glyph for "${character}" — badge text may only hold digits, ".", "+", "-", k, M, B and T`);
  return rows;
}

/** Width and height in pixels of `text` drawn at `scale`. */
export function measureText(font: BitmapFont, text: string, scale = 1): { width: number; height: number } {
  const characters = [...text];
  const columns = characters.reduce((sum, character) => sum + glyph(font, character)[0]!.length, 0) + Math.max(0, characters.length - 1) * font.spacing;
  return { width: columns * scale, height: characters.length === 0 ? 0 : font.height * scale };
}

/** Draws `text` with its top-left corner at (x, y). */
export function drawText(raster: Raster, font: BitmapFont, text: string, x: number, y: number, scale: number, color: Rgba): void {
  let left = x;
  for (const character of text) {
    const rows = glyph(font, character);
    rows.forEach((row, rowIndex) => {
      [...row].forEach((cell, columnIndex) => {
        if (cell === '#') raster.fillRect(left + columnIndex * scale, y + rowIndex * scale, scale, scale, color);
      });
    });
    left += (rows[0]!.length + font.spacing) * scale;
  }
}

export interface TextFit {
  readonly font: BitmapFont;
  readonly scale: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The font and whole-number scale that draw `text` tallest within the box; on a tie the finer font
 * (more rows) wins. Null when even the smallest does not fit.
 */
export function fitText(text: string, box: { width: number; height: number }, fonts: readonly BitmapFont[] = FONTS): TextFit | null {
  let best: TextFit | null = null;
  for (const font of fonts) {
    for (let scale = 1; ; scale++) {
      const size = measureText(font, text, scale);
      if (size.width > box.width || size.height > box.height) break;
      if (!best || size.height > best.height || (size.height === best.height && font.height > best.font.height)) {
        best = { font, scale, width: size.width, height: size.height };
      }
    }
  }
  return best;
}
