// End-to-end tests, one Playwright project per target:
//   electron — the desktop app through Playwright's _electron (test/e2e/electron); skipped with a
//              SKIPPED line where the Electron binary is not installed.
//   web      — the dashboard in Debian's Chromium in front of a real `footprint serve` (test/e2e/web);
//              skipped with a SKIPPED line outside CI where /usr/bin/chromium is missing.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/e2e/web/support/browser.js';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: '.tmp/playwright',
  // The apps under test are whole processes with their own ports and folders: one worker keeps CI's two cores free.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  projects: [
    {
      name: 'electron',
      testDir: 'test/e2e/electron',
      testMatch: '**/*.spec.ts',
    },
    {
      name: 'web',
      testDir: 'test/e2e/web',
      testMatch: '**/*.spec.ts',
      use: {
        browserName: 'chromium',
        launchOptions: chromiumLaunchOptions,
        // Pinned so figures ("5.2K", "5,234") and times read the same on every machine.
        locale: 'en-US',
        timezoneId: 'UTC',
        viewport: { width: 1280, height: 800 },
      },
    },
  ],
});
