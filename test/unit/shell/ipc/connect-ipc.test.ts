import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels, ipcEventChannel, type FootprintApi, type LiveEvent } from '../../../../shared/api.js';
import { fakeElectron, FakeBrowserWindow, resetFakeElectron } from '../../../support/shell/fake-electron.js';
import { connectIpc } from '../../../../electron/shell/ipc/connect-ipc.js';
import type { RendererLocation } from '../../../../electron/shell/security/renderer-location.js';

vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

const location: RendererLocation = { kind: 'file', indexFile: '/app/dist/renderer/index.html', caseInsensitive: false };
const appPage = 'file:///app/dist/renderer/index.html#/glance';

describe('connectIpc (through the fake Electron)', () => {
  beforeEach(() => resetFakeElectron());

  it('answers the app\'s pages on every channel, logs a refused caller, pushes events, and stops', async () => {
    let listener: ((event: LiveEvent) => void) | null = null;
    const api = {
      info: async () => ({ version: '1' }),
      subscribe: (next: (event: LiveEvent) => void) => {
        listener = next;
        return () => (listener = null);
      },
    } as unknown as FootprintApi;
    const refused: unknown[] = [];
    const window = new FakeBrowserWindow({});
    await window.loadURL(appPage);
    const stop = connectIpc(api, { openWindows: () => [window] }, location, { warn: (details: unknown) => refused.push(details) });

    expect([...fakeElectron.handlers.keys()].sort()).toEqual(Object.values(ipcChannels).sort());
    const info = fakeElectron.handlers.get(ipcChannels.info)!;
    expect(await info({ senderFrame: { url: appPage, parent: null } })).toEqual({ version: '1' });
    await expect(info({ senderFrame: { url: 'https://evil.example/x?token=1', parent: null } })).rejects.toThrow(/refused/);
    expect(refused).toEqual([{ channel: ipcChannels.info, origin: 'https://evil.example' }]);

    listener!({ type: 'samples' } as LiveEvent);
    expect(window.webContents.sent).toEqual([{ channel: ipcEventChannel, payload: { type: 'samples' } }]);

    stop();
    expect(fakeElectron.handlers.size).toBe(0);
    expect(listener).toBeNull();
  });
});
