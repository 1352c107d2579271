// electron/main.ts itself, run under plain Node with a fake `electron` module (support/fake-electron.ts):
// the wiring that the Electron binary would otherwise be needed for — single-instance lock, config
// errors, the tray, the hidden glance window, IPC with sender checks, the CSP header, /metrics, quitting.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcChannels } from '../../../shared/api.js';
import { repoRoot, runMain as runHarness } from '../../support/shell/run-main.js';

let dir: string;
const runMain = (configText: string, env: Record<string, string> = {}) => runHarness(dir, configText, env);

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-main-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const CONFIG = 'server: { listen: "127.0.0.1:0" }\nstorage: { path: "./history.db" }\n';

describe('electron/main.ts under a fake Electron', () => {
  it('starts the core, the tray, a hidden glance window and IPC; serves /metrics; quits cleanly', async () => {
    const result = await runMain(CONFIG);
    // Tray (Linux here: the badge drawn at 1x and 2x, the menu set on the tray).
    expect(result.tray.text).toBe('--');
    expect(result.tray.tooltip).toBe('Footprint — no GitHub stars yet\nNo source configured yet: open Settings');
    expect(result.tray.calls).toContain('setContextMenu');
    if (process.platform === 'linux') expect(result.tray.reps.map((rep: { scaleFactor: number }) => rep.scaleFactor)).toEqual([1, 2]);
    // One window at start: the glance, hidden, secured, on the built renderer.
    expect(result.windows).toEqual([{
      url: `file://${repoRoot}/dist/renderer/index.html#/glance`,
      visible: false,
      webPreferences: expect.objectContaining({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: path.join(repoRoot, 'dist', 'preload', 'preload.cjs') }),
      guarded: true,
    }]);
    // IPC: every channel, answered for the app's page only.
    expect(result.channels).toEqual(Object.values(ipcChannels).sort());
    expect(result.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.info.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(result.foreign).toBe('footprint:info refused: only Footprint\'s own pages may use the core (call from https://evil.example)');
    // The CSP header on the app's documents only; every permission refused.
    expect(result.cspForApp.responseHeaders['Content-Security-Policy'][0]).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(result.cspForApp.responseHeaders['x-other']).toEqual(['1']);
    expect(result.cspForOther).toEqual({});
    expect(result.permission).toBe(false);
    // /metrics, then switched off from the tray.
    expect(result.metricsStatus).toBe(200);
    expect(result.metricsAfterOff).toBeNull();
    expect(result.settingsMetricsEnabled).toBe(false);
    // Quit: IPC handlers removed, tray gone.
    expect(result).toMatchObject({ quit: true, trayDestroyed: true, handlersLeft: 0 });
  });

  it('shows a configuration error in a dialog and exits with code 2', async () => {
    const result = await runMain('github:\n  orgs: []\n');
    expect(result.exitCode).toBe(2);
    expect(result.dialogs).toHaveLength(1);
    expect(result.dialogs[0].title).toBe('Footprint cannot start: the configuration has a problem');
    expect(result.dialogs[0].content).toContain('github needs at least one target');
  });

  it('leaves at once when another instance runs', async () => {
    const result = await runMain(CONFIG, { FAKE_ELECTRON_LOCK: 'taken' });
    expect(result).toMatchObject({ quit: true, trays: 0, handlersLeft: 0 });
  });

  it('reports a busy /metrics port in AppInfo and the tray instead of crashing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runMain(`server: { listen: "127.0.0.1:${port}" }\nstorage: { path: "./history.db" }\n`);
      expect(result.info.metricsUrl).toBeNull();
      expect(result.info.metricsProblem).toBe(`server.listen: 127.0.0.1:${port} is already in use — stop the other program or choose another port, e.g. server: { listen: "127.0.0.1:9172" }`);
      expect(result.tray.menu).toContain(`/metrics not served: ${result.info.metricsProblem}`);
      expect(result.quit).toBe(true);
    } finally {
      blocker.close();
    }
  });
});
