// What `footprint serve` printed, attached to a test that failed: the first thing to read when a
// browser test fails is usually the server's side of the story.
import { test } from '@playwright/test';
import type { ServeProcess } from '../../../support/footprint-process.js';

/** Registers an afterEach that attaches the serve process's output to every failed test of the file. */
export function attachServeOutputOnFailure(serve: () => ServeProcess | undefined): void {
  // eslint-disable-next-line no-empty-pattern -- Playwright wants the fixtures argument destructured
  test.afterEach(async ({}, testInfo) => {
    const running = serve();
    if (testInfo.status === testInfo.expectedStatus || !running) return;
    const { stdout, stderr } = running.output();
    await testInfo.attach('footprint serve output', { body: `stdout:\n${stdout}\nstderr:\n${stderr}`, contentType: 'text/plain' });
  });
}
