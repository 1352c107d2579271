import { describe, expect, it } from 'vitest';
import type { RendererLocation } from '../../../../electron/shell/security/renderer-location.js';
import {
  contentSecurityPolicy, decideWindowOpen, externalLinkAllowed, guardContents, navigationAllowed, secureWebPreferences, type GuardedContents,
} from '../../../../electron/shell/security/window-security.js';

const fileLocation: RendererLocation = { kind: 'file', indexFile: '/opt/Footprint/resources/app.asar/dist/renderer/index.html', caseInsensitive: false };
const devLocation: RendererLocation = { kind: 'dev', origin: 'http://localhost:5173' };

function directives(policy: string): Map<string, string> {
  return new Map(policy.split('; ').map((directive) => {
    const [name, ...values] = directive.split(' ');
    return [name!, values.join(' ')];
  }));
}

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the page, without Node', () => {
    expect(secureWebPreferences('/app/dist/preload/preload.cjs')).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only the app\'s own scripts and styles, no eval, no inline, no connections out', () => {
    const policy = contentSecurityPolicy(fileLocation);
    expect(policy).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'; worker-src 'none'");
    expect(policy).not.toContain('unsafe');
  });

  it('adds the dev server, its socket and inline preamble only for a dev server', () => {
    const dev = directives(contentSecurityPolicy(devLocation));
    expect(dev.get('script-src')).toBe("'self' 'unsafe-inline' http://localhost:5173");
    expect(dev.get('connect-src')).toBe("'self' http://localhost:5173 ws://localhost:5173");
    expect(dev.get('script-src')).not.toContain('unsafe-eval');
  });
});

describe('external links', () => {
  it.each([
    'https://github.com/acme/rocket',
    'https://hub.docker.com/r/acme/app',
    'https://analytics.google.com/analytics/web/#/p123',
    'https://www.npmjs.com/package/@acme/sdk',
    'https://npmjs.com/package/x',
  ])('opens %s in the browser', (url) => {
    expect(externalLinkAllowed(url)).toBe(true);
    expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: url });
  });

  it.each([
    'http://github.com/acme',
    'https://github.com.evil.example/',
    'https://evil.example/?u=https://github.com',
    'https://user:pass@github.com/',
    'https://github.com:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    'https://gist.github.com/x',
  ])('never opens %s', (url) => {
    expect(externalLinkAllowed(url)).toBe(false);
    expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: null });
  });
});

describe('navigation', () => {
  it('stays on the app\'s page; anything else is stopped', () => {
    expect(navigationAllowed('file:///opt/Footprint/resources/app.asar/dist/renderer/index.html#/settings', fileLocation)).toBe(true);
    expect(navigationAllowed('file:///etc/passwd', fileLocation)).toBe(false);
    expect(navigationAllowed('https://github.com/', fileLocation)).toBe(false);
    expect(navigationAllowed('http://localhost:5173/#/overview', devLocation)).toBe(true);
    expect(navigationAllowed('http://localhost:5174/', devLocation)).toBe(false);
  });
});

describe('guardContents', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const contents = {
      setWindowOpenHandler: (handler: typeof openHandler) => {
        openHandler = handler;
      },
      on: (event: string, listener: (event: { preventDefault(): void }, url: string) => void) => {
        listeners.set(event, listener);
      },
    };
    return { contents: contents as unknown as GuardedContents, listeners, open: (url: string) => openHandler!({ url }) };
  }

  function navigate(listener: ((event: { preventDefault(): void }, url: string) => void) | undefined, url: string): boolean {
    let prevented = false;
    listener!({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  }

  it('denies every new window and sends only known links to the browser', () => {
    const { contents, open } = fakeContents();
    const opened: string[] = [];
    guardContents(contents, fileLocation, (url) => opened.push(url));
    expect(open('https://github.com/acme/rocket')).toEqual({ action: 'deny' });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/acme/rocket']);
  });

  it('stops navigation and redirects away from the app, and every webview', () => {
    const { contents, listeners } = fakeContents();
    const opened: string[] = [];
    guardContents(contents, fileLocation, (url) => opened.push(url));
    expect(navigate(listeners.get('will-navigate'), 'file:///opt/Footprint/resources/app.asar/dist/renderer/index.html#/health')).toBe(false);
    expect(navigate(listeners.get('will-navigate'), 'https://evil.example/')).toBe(true);
    expect(navigate(listeners.get('will-redirect'), 'https://evil.example/')).toBe(true);
    expect(navigate(listeners.get('will-navigate'), 'https://hub.docker.com/r/acme/app')).toBe(true);
    expect(opened).toEqual(['https://hub.docker.com/r/acme/app']);
    let prevented = false;
    (listeners.get('will-attach-webview') as unknown as (event: { preventDefault(): void }) => void)({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});
