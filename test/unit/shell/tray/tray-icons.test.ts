import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { FONTS, FONT_3X5, FONT_4X7, fitText, measureText } from '../../../../electron/shell/tray/icons/bitmap-font.js';
import { crc32, encodePng } from '../../../../electron/shell/tray/icons/png.js';
import { Raster } from '../../../../electron/shell/tray/icons/raster.js';
import {
  iconFiles, renderBadgeIcon, renderStateGlyph, representations, STATE_COLORS, templateIconFile, trayIconSize,
} from '../../../../electron/shell/tray/icons/tray-icons.js';
import { TRAY_STATES } from '../../../../electron/shell/tray/tray-state.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..', '..');

function decode(png: Buffer) {
  return PNG.sync.read(png);
}

describe('PNG encoder', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from(''))).toBe(0);
  });

  it('writes a PNG that a decoder reads back pixel for pixel', () => {
    const raster = new Raster(3, 2);
    raster.fillRect(0, 0, 1, 1, [255, 0, 0, 255]);
    raster.fillRect(2, 1, 1, 1, [0, 0, 255, 128]);
    const png = encodePng(raster.width, raster.height, raster.pixels);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const decoded = decode(png);
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    expect([...decoded.data]).toEqual([...raster.pixels]);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(/expected 16 bytes/);
  });
});

describe('bitmap fonts', () => {
  it('draw every glyph at the font height with rows of one width', () => {
    for (const font of FONTS) {
      for (const [character, rows] of Object.entries(font.glyphs)) {
        expect(rows, `${font.name} "${character}"`).toHaveLength(font.height);
        expect(new Set(rows.map((row) => row.length)).size, `${font.name} "${character}"`).toBe(1);
        expect(rows.join('')).toMatch(/^[#.]+$/);
      }
    }
  });

  it('cover every character a compact number can hold', () => {
    for (const font of FONTS) expect(() => measureText(font, '0123456789.+-kMBT')).not.toThrow();
    expect(() => measureText(FONT_3X5, 'x')).toThrow(/no glyph for "x"/);
  });

  it('fit "123k" into 16 px with the small font and prefer the finer font on a tie', () => {
    expect(measureText(FONT_3X5, '123k')).toEqual({ width: 15, height: 5 });
    expect(fitText('123k', { width: 16, height: 14 })).toMatchObject({ font: FONT_3X5, scale: 1, width: 15, height: 5 });
    expect(fitText('1.2k', { width: 30, height: 30 })).toMatchObject({ font: FONT_3X5, scale: 2, height: 10 });
    expect(fitText('7', { width: 8, height: 7 })).toMatchObject({ font: FONT_4X7, scale: 1 });
    expect(fitText('123k', { width: 10, height: 10 })).toBeNull();
  });
});

describe('tray badge icons (Windows 16/32 px, Linux 22/44 px)', () => {
  it.each([['win32', 16], ['linux', 22]] as const)('%s: a valid PNG at 1x and 2x', (platform, size) => {
    expect(trayIconSize(platform)).toBe(size);
    const reps = representations(size, (pixels) => renderBadgeIcon(1234, false, 'ok', pixels));
    expect(reps.map((rep) => rep.scaleFactor)).toEqual([1, 2]);
    reps.forEach((rep) => {
      const png = decode(rep.png);
      expect([png.width, png.height]).toEqual([size * rep.scaleFactor, size * rep.scaleFactor]);
    });
  });

  it('draws the number: two numbers give different pixels, the same number the same', () => {
    for (const pixels of [16, 32, 22, 44]) {
      const a = renderBadgeIcon(1234, false, 'ok', pixels);
      const b = renderBadgeIcon(5678, false, 'ok', pixels);
      expect(a.differsFrom(b), `${pixels} px`).toBe(true);
      expect(a.differsFrom(renderBadgeIcon(1234, false, 'ok', pixels)), `${pixels} px`).toBe(false);
    }
  });

  it('draws white text on the state colour', () => {
    const raster = renderBadgeIcon(42, false, 'error', 16);
    const colours = new Set<string>();
    for (let offset = 0; offset < raster.pixels.length; offset += 4) {
      if (raster.pixels[offset + 3] === 255) colours.add([...raster.pixels.subarray(offset, offset + 3)].join(','));
    }
    expect(colours).toContain('255,255,255');
    expect(colours).toContain(STATE_COLORS.error.slice(0, 3).join(','));
  });

  it('fits every compact number into the 16 px icon as text, not the fallback glyph', () => {
    for (const value of [0, 9, 999, 1234, 12_345, 123_456, 999_999, 1_234_567, 45_000_000_000]) {
      const text = renderBadgeIcon(value, false, 'ok', 16);
      expect(text.differsFrom(renderStateGlyph('ok', 16, 'color')), `${value}`).toBe(true);
    }
    // A signed change that cannot fit with its "+" drops the sign rather than the figure.
    expect(renderBadgeIcon(123_456, true, 'ok', 16).differsFrom(renderBadgeIcon(123_456, false, 'ok', 16))).toBe(false);
  });

  it('shows the coloured state glyph when the badge is off', () => {
    expect(renderBadgeIcon(null, false, 'stale', 16).differsFrom(renderStateGlyph('stale', 16, 'color'))).toBe(false);
  });

  it('gives each state its own glyph', () => {
    const glyphs = TRAY_STATES.map((state) => renderStateGlyph(state, 16, 'template'));
    for (let i = 0; i < glyphs.length; i++) for (let j = i + 1; j < glyphs.length; j++) expect(glyphs[i]!.differsFrom(glyphs[j]!)).toBe(true);
  });
});

describe('macOS template icons', () => {
  it('are black with alpha only, as template images must be', () => {
    for (const state of TRAY_STATES) {
      const raster = renderStateGlyph(state, 32, 'template');
      let ink = 0;
      for (let offset = 0; offset < raster.pixels.length; offset += 4) {
        if (raster.pixels[offset + 3] === 0) continue;
        ink++;
        expect([...raster.pixels.subarray(offset, offset + 3)]).toEqual([0, 0, 0]);
      }
      expect(ink, state).toBeGreaterThan(20);
    }
  });

  it('are named …Template.png and …Template@2x.png', () => {
    expect(templateIconFile('ok', 1)).toBe('trayOkTemplate.png');
    expect(templateIconFile('offline', 2)).toBe('trayOfflineTemplate@2x.png');
  });
});

describe('committed icon files', () => {
  it('match the drawing code (regenerate: node --import ./scripts/ts-register.mjs build/generate-icons.ts)', () => {
    const files = iconFiles();
    expect(files.map((entry) => entry.file)).toContain('tray/trayOkTemplate@2x.png');
    for (const { file, png } of files) {
      const committed = readFileSync(path.join(repoRoot, 'build', 'icons', file));
      expect(committed.equals(png), file).toBe(true);
    }
    const appIcon = decode(files.find((entry) => entry.file === 'icon.png')!.png);
    expect([appIcon.width, appIcon.height]).toEqual([1024, 1024]);
    const template = decode(files.find((entry) => entry.file === 'tray/trayOkTemplate@2x.png')!.png);
    expect([template.width, template.height]).toEqual([32, 32]);
  });
});
