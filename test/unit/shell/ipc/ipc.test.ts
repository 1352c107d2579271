import { describe, expect, it } from 'vitest';
import { ipcChannels, ipcEventChannel, type FootprintApi, type LiveEvent } from '../../../../shared/api.js';
import { registerSecrets } from '../../../../electron/core/secrets.js';
import { API_METHODS, forwardEvents, ipcHandlers, registerIpc } from '../../../../electron/shell/ipc/ipc.js';
import { isAppUrl, isTrustedSender, pageUrl, rendererLocation, type RendererLocation } from '../../../../electron/shell/security/renderer-location.js';
import { fakeGitHubToken } from '../../../support/test-tokens.js';

const location = rendererLocation({ packaged: true, appPath: '/opt/Footprint/resources/app.asar', platform: 'linux' });
const APP_PAGE = 'file:///opt/Footprint/resources/app.asar/dist/renderer/index.html#/overview';
/** A token-shaped value the handler's error leaks, to prove IPC errors are scrubbed. */
const LEAKED_TOKEN = fakeGitHubToken();

/** An API whose every method records its call. */
function recordingApi() {
  const calls: { method: string; args: unknown[] }[] = [];
  let listener: ((event: LiveEvent) => void) | null = null;
  const api = new Proxy({}, {
    get: (_target, method: string) => {
      if (method === 'subscribe') {
        return (onEvent: (event: LiveEvent) => void) => {
          listener = onEvent;
          return () => (listener = null);
        };
      }
      return async (...args: unknown[]) => {
        calls.push({ method, args });
        if (method === 'info') throw new Error(`token ${LEAKED_TOKEN} rejected`);
        return `${method}-result`;
      };
    },
  }) as FootprintApi;
  return { api, calls, emit: (event: LiveEvent) => listener?.(event) };
}

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as never;

describe('rendererLocation and isAppUrl', () => {
  it('is the built index.html in a packaged app, whatever the route', () => {
    expect(location).toEqual({ kind: 'file', indexFile: '/opt/Footprint/resources/app.asar/dist/renderer/index.html', caseInsensitive: false });
    expect(pageUrl(location, 'glance')).toBe('file:///opt/Footprint/resources/app.asar/dist/renderer/index.html#/glance');
    expect(isAppUrl(APP_PAGE, location)).toBe(true);
    expect(isAppUrl('file:///opt/Footprint/resources/app.asar/dist/renderer/index.html?x=1', location)).toBe(true);
  });

  it('refuses other files, other folders and other schemes', () => {
    for (const url of [
      'file:///opt/Footprint/resources/app.asar/dist/renderer/other.html',
      'file:///tmp/dist/renderer/index.html',
      'file:///opt/Footprint/resources/app.asar/dist/renderer/../renderer/index.html.evil',
      'file://evil.example/opt/Footprint/resources/app.asar/dist/renderer/index.html',
      'http://localhost:5173/',
      'https://github.com/',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      '',
    ]) expect(isAppUrl(url, location), url).toBe(false);
  });

  it('handles paths with spaces and Windows drive letters', () => {
    const spaced = rendererLocation({ packaged: true, appPath: '/Applications/My Apps/Footprint.app/Contents/Resources/app.asar', platform: 'darwin' });
    const url = pageUrl(spaced, 'overview');
    expect(url).toBe('file:///Applications/My%20Apps/Footprint.app/Contents/Resources/app.asar/dist/renderer/index.html#/overview');
    expect(isAppUrl(url, spaced)).toBe(true);
    const windows = rendererLocation({ packaged: true, appPath: 'C:\\Program Files\\Footprint\\resources\\app.asar', platform: 'win32' });
    const winUrl = pageUrl(windows, 'glance');
    expect(winUrl).toBe('file:///C:/Program%20Files/Footprint/resources/app.asar/dist/renderer/index.html#/glance');
    expect(isAppUrl('file:///c:/program%20files/footprint/resources/app.asar/dist/renderer/index.html#/glance', windows)).toBe(true);
  });

  it('uses a dev server only unpackaged, and only on this machine', () => {
    const dev = rendererLocation({ packaged: false, appPath: '/repo', devServerUrl: 'http://localhost:5173/', platform: 'linux' });
    expect(dev).toEqual({ kind: 'dev', origin: 'http://localhost:5173' });
    expect(isAppUrl('http://localhost:5173/#/glance', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/#/glance', dev)).toBe(false);
    expect(rendererLocation({ packaged: true, appPath: '/app', devServerUrl: 'http://localhost:5173', platform: 'linux' }).kind).toBe('file');
    expect(() => rendererLocation({ packaged: false, appPath: '/repo', devServerUrl: 'http://192.168.1.5:5173', platform: 'linux' })).toThrow(/on this machine/);
  });
});

describe('isTrustedSender', () => {
  it('trusts only the top frame of an app page', () => {
    expect(isTrustedSender({ url: APP_PAGE, parent: null }, location)).toBe(true);
    expect(isTrustedSender({ url: APP_PAGE, parent: {} }, location)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, location)).toBe(false);
    expect(isTrustedSender(null, location)).toBe(false);
  });
});

describe('ipcHandlers', () => {
  it('has one handler per FootprintApi method, on its shared channel', () => {
    const { api } = recordingApi();
    const handlers = ipcHandlers(api, location);
    expect([...handlers.keys()].sort()).toEqual(Object.values(ipcChannels).sort());
    expect(API_METHODS).not.toContain('subscribe');
  });

  it('answers the app\'s pages with the API\'s result', async () => {
    const { api, calls } = recordingApi();
    const handlers = ipcHandlers(api, location);
    await expect(handlers.get(ipcChannels.latest)!(frame(APP_PAGE), { source: 'github' })).resolves.toBe('latest-result');
    await expect(handlers.get(ipcChannels.saveSource)!(frame(APP_PAGE), 'github', { orgs: ['acme'] })).resolves.toBe('saveSource-result');
    expect(calls).toEqual([{ method: 'latest', args: [{ source: 'github' }] }, { method: 'saveSource', args: ['github', { orgs: ['acme'] }] }]);
  });

  it('refuses every channel to any other sender, without calling the API', async () => {
    const { api, calls } = recordingApi();
    const refused: string[] = [];
    const handlers = ipcHandlers(api, location, (channel, origin) => refused.push(`${channel} ${origin}`));
    for (const [channel, handler] of handlers) {
      await expect(handler(frame('https://evil.example/page?secret=1'), 'x')).rejects.toThrow(`${channel} refused`);
    }
    await expect(handlers.get(ipcChannels.info)!({ senderFrame: null } as never)).rejects.toThrow(/an unknown frame/);
    await expect(handlers.get(ipcChannels.info)!(frame(APP_PAGE, {}))).rejects.toThrow(/refused/);
    expect(calls).toEqual([]);
    expect(refused[0]).toBe('footprint:info https://evil.example');
  });

  it('passes errors on with secrets masked', async () => {
    registerSecrets([LEAKED_TOKEN]);
    const { api } = recordingApi();
    const error = await ipcHandlers(api, location).get(ipcChannels.info)!(frame(APP_PAGE)).catch((caught: Error) => caught);
    expect((error as Error).message).toBe('token *** rejected');
  });

  it('registers and removes every handler', () => {
    const { api } = recordingApi();
    const registered = new Set<string>();
    const unregister = registerIpc({ handle: (channel) => registered.add(channel), removeHandler: (channel) => registered.delete(channel) }, api, location);
    expect(registered.size).toBe(Object.keys(ipcChannels).length);
    unregister();
    expect(registered.size).toBe(0);
  });
});

describe('forwardEvents', () => {
  it('pushes live events to windows showing an app page only', () => {
    const { api, emit } = recordingApi();
    const sent: string[] = [];
    const target = (name: string, url: string, destroyed = false) => ({
      isDestroyed: () => destroyed,
      webContents: { getURL: () => url, send: (channel: string, event: LiveEvent) => sent.push(`${name} ${channel} ${event.type}`) },
    });
    const windows = [target('glance', APP_PAGE), target('navigated', 'https://evil.example/'), target('closed', APP_PAGE, true)];
    const stop = forwardEvents(api, () => windows, location as RendererLocation);
    emit({ type: 'config', sources: [] });
    expect(sent).toEqual([`glance ${ipcEventChannel} config`]);
    stop();
    emit({ type: 'config', sources: [] });
    expect(sent).toHaveLength(1);
  });
});
