import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointPlan } from '../../../../electron/shell/app-core/metrics-endpoint.js';
import { DEFAULT_SETTINGS, type ShellSettings } from '../../../../electron/shell/settings/settings.js';
import { watchSettingsFile } from '../../../../electron/shell/settings/watch-settings-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-watch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('watchSettingsFile', () => {
  it('reads the file again after a hand edit, logs a problem, and moves the endpoint to the new plan', async () => {
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, '{}');
    let current: ShellSettings = DEFAULT_SETTINGS;
    const plans: EndpointPlan[] = [];
    const warnings: unknown[] = [];
    let applied!: () => void;
    const appliedOnce = new Promise<void>((resolve) => (applied = resolve));
    const stop = watchSettingsFile({
      settings: {
        path: file,
        get: () => current,
        reload: () => {
          current = { ...current, metrics: { enabled: false, listen: null } };
          return `${file} could not be read (test); the previous settings stay in force`;
        },
      },
      endpoint: { apply: async (plan) => void plans.push(plan) },
      log: { warn: (message: unknown) => warnings.push(message), error: () => {} },
      planEndpoint: (settings) => ({ enabled: settings.metrics.enabled } as unknown as EndpointPlan),
    }, () => applied(), 20);
    // watchFile compares with its first look at the file, taken some time after it starts: edit until it notices.
    let edits = 0;
    const editing = setInterval(() => writeFileSync(file, JSON.stringify({ metrics: { enabled: false }, edits: ++edits })), 30);
    try {
      await appliedOnce;
    } finally {
      clearInterval(editing);
      stop();
    }
    expect(plans[0]).toEqual({ enabled: false });
    expect(warnings[0]).toMatch(/could not be read/);
  });
});
