// Tray and app icons, drawn in code (no image files to keep in sync, no native module):
//  - the state glyph: three rising bars; stale draws them hollow, error adds "!", offline cuts a slash;
//  - the badge (Windows/Linux, where the tray cannot show text): the number in white on a rounded
//    square in the state's colour.
// Sizes (logical pixels; each icon is also drawn at 2x for high-DPI screens):
//   macOS 16 (template image: black + alpha, macOS tints it), Windows 16, Linux 22 (the usual
//   StatusNotifierItem/AppIndicator panel size).
import { fitText, drawText } from './bitmap-font.js';
import { compactNumberVariants } from '../../../../shared/compact-number.js';
import { encodePng } from './png.js';
import { Raster, type Rgba } from './raster.js';
import type { TrayState } from '../tray-state.js';

export const SCALE_FACTORS = [1, 2] as const;

export function trayIconSize(platform: NodeJS.Platform): number {
  return platform === 'linux' ? 22 : 16;
}

export const STATE_COLORS: Readonly<Record<TrayState, Rgba>> = {
  ok: [31, 111, 235, 255],
  stale: [154, 103, 0, 255],
  error: [207, 34, 46, 255],
  offline: [110, 119, 129, 255],
};

const WHITE: Rgba = [255, 255, 255, 255];
const TEMPLATE_INK: Rgba = [0, 0, 0, 255];

/** Draws the state glyph into the square (x, y, size). */
function drawGlyph(raster: Raster, x: number, y: number, size: number, state: TrayState, ink: Rgba): void {
  const margin = Math.max(1, Math.round(size / 8));
  const gap = Math.max(1, Math.round(size / 16));
  const inner = size - 2 * margin;
  const barWidth = Math.max(1, Math.floor((inner - 2 * gap) / 3));
  const used = 3 * barWidth + 2 * gap;
  const left = x + margin + Math.floor((inner - used) / 2);
  const bottom = y + margin + inner;
  const stroke = Math.max(1, Math.round(size / 16));
  [0.45, 0.7, 1].forEach((fraction, index) => {
    const height = Math.max(stroke * 2, Math.round(inner * fraction));
    const barX = left + index * (barWidth + gap);
    const barY = bottom - height;
    raster.fillRect(barX, barY, barWidth, height, ink);
    if (state === 'stale' && barWidth > 2 * stroke) {
      for (let row = barY + stroke; row < bottom - stroke; row++) for (let column = barX + stroke; column < barX + barWidth - stroke; column++) raster.clear(column, row);
    }
  });
  if (state === 'error') {
    // "!" above the shortest bar, where the glyph has room.
    const markHeight = Math.round(inner * 0.5);
    const markTop = y + margin;
    raster.fillRect(left, markTop, barWidth, markHeight - 2 * stroke, ink);
    raster.fillRect(left, markTop + markHeight - stroke, barWidth, stroke, ink);
  }
  if (state === 'offline') {
    // A slash cut through the bars, top right to bottom left.
    const thickness = Math.max(1, Math.round(size / 10));
    for (let step = 0; step < size; step++) {
      for (let t = 0; t < thickness; t++) raster.clear(x + size - 1 - step, y + step + t - Math.floor(thickness / 2));
    }
  }
}

/** The state glyph alone: coloured (Windows/Linux without a number), or a macOS template (black + alpha). */
export function renderStateGlyph(state: TrayState, pixels: number, style: 'color' | 'template'): Raster {
  const raster = new Raster(pixels, pixels);
  drawGlyph(raster, 0, 0, pixels, state, style === 'template' ? TEMPLATE_INK : STATE_COLORS[state]);
  return raster;
}

/**
 * The badge icon: `value` in white on the state's colour. Uses the most precise compact form that
 * fits; falls back to the coloured state glyph when the badge is off (value null) or nothing fits.
 */
export function renderBadgeIcon(value: number | null, signed: boolean, state: TrayState, pixels: number): Raster {
  if (value === null) return renderStateGlyph(state, pixels, 'color');
  const padding = Math.max(1, Math.floor(pixels / 16));
  const variants = compactNumberVariants(value, { signed });
  // A margin left and right where the text allows; else it may run to the edges (it sits in the
  // middle rows, where the rounded corners cut nothing).
  for (const width of [pixels - 2 * padding, pixels]) {
    for (const text of variants) {
      const fit = fitText(text, { width, height: pixels - 2 * padding });
      if (!fit) continue;
      const raster = new Raster(pixels, pixels);
      raster.fillRoundedRect(0, 0, pixels, pixels, Math.max(2, Math.round(pixels / 5)), STATE_COLORS[state]);
      drawText(raster, fit.font, text, Math.floor((pixels - fit.width) / 2), Math.floor((pixels - fit.height) / 2), fit.scale, WHITE);
      return raster;
    }
  }
  return renderStateGlyph(state, pixels, 'color');
}

export interface IconRepresentation {
  readonly scaleFactor: number;
  readonly png: Buffer;
}

/** PNGs at 1x and 2x of a logical size, for nativeImage representations. */
export function representations(size: number, draw: (pixels: number) => Raster): IconRepresentation[] {
  return SCALE_FACTORS.map((scaleFactor) => {
    const raster = draw(size * scaleFactor);
    return { scaleFactor, png: encodePng(raster.width, raster.height, raster.pixels) };
  });
}

/** File names of the macOS template icons (macOS treats "…Template" images as template images). */
export function templateIconFile(state: TrayState, scaleFactor: number): string {
  const name = `tray${state[0]!.toUpperCase()}${state.slice(1)}Template`;
  return scaleFactor === 1 ? `${name}.png` : `${name}@${scaleFactor}x.png`;
}

/** The application icon (installers, window icon): white bars on a blue rounded square. */
export function renderAppIcon(pixels: number): Raster {
  const raster = new Raster(pixels, pixels);
  const inset = Math.round(pixels * 0.06);
  raster.fillRoundedRect(inset, inset, pixels - 2 * inset, pixels - 2 * inset, Math.round(pixels * 0.2), STATE_COLORS.ok);
  const glyphSize = Math.round(pixels * 0.6);
  drawGlyph(raster, Math.round((pixels - glyphSize) / 2), Math.round((pixels - glyphSize) / 2), glyphSize, 'ok', WHITE);
  return raster;
}

/** Size of the app icon file (electron-builder derives .icns/.ico and the Linux sizes from it). */
export const APP_ICON_PIXELS = 1024;

/**
 * The icon files shipped with the app, by path under build/icons: the app icon and the macOS tray
 * templates (16 pt at 1x and 2x for each state). build/generate-icons.ts writes them; a unit test
 * checks the committed files still match this code.
 */
export function iconFiles(): { file: string; png: Buffer }[] {
  const files = [{ file: 'icon.png', raster: renderAppIcon(APP_ICON_PIXELS) }];
  for (const state of ['ok', 'stale', 'error', 'offline'] as const) {
    for (const scaleFactor of SCALE_FACTORS) {
      files.push({ file: `tray/${templateIconFile(state, scaleFactor)}`, raster: renderStateGlyph(state, trayIconSize('darwin') * scaleFactor, 'template') });
    }
  }
  return files.map(({ file, raster }) => ({ file, png: encodePng(raster.width, raster.height, raster.pixels) }));
}
