// The browser every web e2e test and the UI benchmark use: Debian's Chromium, never a downloaded one
// (there is no network to download browsers from, and CI installs the distribution's package).
import { existsSync } from 'node:fs';
import type { LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** --no-sandbox: containers and CI runners have no user namespaces for Chromium's sandbox. */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
};

export const CHROMIUM_MISSING = 'chromium not installed (apt-get install chromium)';

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Whether to skip the browser tests: only outside CI, where a missing Chromium is a missing optional
 * tool (and the run says so). In CI nothing is skipped: requireChromium() fails the tests instead.
 */
export function skipWithoutChromium(): boolean {
  if (chromiumInstalled() || process.env.CI) return false;
  console.log(`SKIPPED: ${CHROMIUM_MISSING}`);
  return true;
}

/** Fails (in a hook, so the tests count as failed) when the browser is missing. */
export function requireChromium(): void {
  if (!chromiumInstalled()) throw new Error(`${CHROMIUM_MISSING}: CI must provide ${CHROMIUM_PATH}`);
}
