// Screenshots of the views: always into the test's output folder (Playwright's test-results), and into
// docs/screenshots/<view>-<scheme>.png when UPDATE_SCREENSHOTS=1 (the README shows overview-light.png).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { repoRoot } from '../../../support/footprint-process.js';

export const COLOR_SCHEMES = ['light', 'dark'] as const;
export type ColorScheme = (typeof COLOR_SCHEMES)[number];

const docsFolder = path.join(repoRoot, 'docs', 'screenshots');

export function updatingDocs(): boolean {
  return process.env.UPDATE_SCREENSHOTS === '1';
}

export interface ScreenshotOptions {
  /** The window size to take it at (the Glance is a small tray window); the page's own is restored after. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Waits for whatever the view redraws after the colour scheme changed. */
  readonly ready?: (scheme: ColorScheme) => Promise<void>;
}

/** Relative luminance (0 black … 1 white) of the page's background as the browser paints it. */
export function pageBackgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const color = getComputedStyle(document.documentElement).backgroundColor;
    const [r, g, b] = (color.match(/[\d.]+/g) ?? ['255', '255', '255']).map(Number).map((channel) => {
      const c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  });
}

/**
 * Takes the whole page in each colour scheme. The page must already show the view; the scheme is
 * switched with emulateMedia, which the app follows without a reload (renderer/theme.ts and the
 * chart's theme watcher). Dark must really be dark, light really light.
 */
export async function screenshotView(page: Page, testInfo: TestInfo, view: string, options: ScreenshotOptions = {}): Promise<string[]> {
  const written: string[] = [];
  const viewport = page.viewportSize();
  // A window about the size of the content: the page grows to fit (fullPage) but never shows a sea of empty space.
  if (options.viewport) await page.setViewportSize(options.viewport);
  for (const scheme of COLOR_SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await options.ready?.(scheme);
    // The page follows the scheme on the media query's change event (renderer/theme.ts): wait for it.
    if (scheme === 'dark') await expect.poll(() => pageBackgroundLuminance(page), { message: `${view} in dark mode has a dark background` }).toBeLessThan(0.05);
    else await expect.poll(() => pageBackgroundLuminance(page), { message: `${view} in light mode has a light background` }).toBeGreaterThan(0.8);
    const file = testInfo.outputPath(`${view}-${scheme}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    await testInfo.attach(`${view}-${scheme}`, { path: file, contentType: 'image/png' });
    written.push(file);
    if (updatingDocs()) {
      mkdirSync(docsFolder, { recursive: true });
      copyFileSync(file, path.join(docsFolder, `${view}-${scheme}.png`));
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (options.viewport && viewport) await page.setViewportSize(viewport);
  return written;
}
