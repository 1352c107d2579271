import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { app, fakeElectron, resetFakeElectron } from '../../../support/shell/fake-electron.js';
import { openAppCore, runAppCore } from '../../../../electron/shell/app-core/app-core.js';

vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

let dir: string;
beforeEach(() => {
  resetFakeElectron();
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-app-core-'));
  app.setPath('userData', path.join(dir, 'user-data'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(text: string): string {
  const file = path.join(dir, 'footprint.yaml');
  writeFileSync(file, text);
  return file;
}

describe('openAppCore and runAppCore (through the fake Electron)', () => {
  it('opens the core on the config file, serves /metrics as the settings say, and closes', async () => {
    const appCore = await openAppCore({ configFile: config('server: { listen: "127.0.0.1:0" }\nstorage: { path: "./history.db" }\nlog: { level: silent }\n'), platform: 'linux' });
    expect(appCore).not.toBeNull();
    const changes: number[] = []; // pause changes heard
    const stop = await runAppCore(appCore!, () => changes.push(1));
    try {
      expect(appCore!.endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${appCore!.endpoint.url}/metrics`)).status).toBe(200);
      expect((await appCore!.api.info()).metricsUrl).toBe(`${appCore!.endpoint.url}/metrics`);
      appCore!.pause.add('user');
      expect(changes).toEqual([1]);
    } finally {
      await stop();
    }
    expect(appCore!.endpoint.url).toBeNull();
  });

  it('shows what is wrong with the configuration in a dialog, naming secrets the keychain could not decrypt', async () => {
    const settingsFile = path.join(dir, 'user-data', 'settings.json');
    mkdirSync(path.dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify({ secrets: { FOOTPRINT_SECRET_GITHUB_TOKEN: { source: 'github', data: Buffer.from('other keychain').toString('base64') } } }));
    const appCore = await openAppCore({ configFile: config('github:\n  orgs: [acme]\n  token: ${FOOTPRINT_SECRET_GITHUB_TOKEN}\n'), platform: 'linux' });
    expect(appCore).toBeNull();
    expect(fakeElectron.dialogs).toHaveLength(1);
    expect(fakeElectron.dialogs[0]!.title).toBe('Footprint cannot start: the configuration has a problem');
    expect(fakeElectron.dialogs[0]!.content).toContain('The app could not decrypt FOOTPRINT_SECRET_GITHUB_TOKEN (the keychain changed?)');
  });
});
