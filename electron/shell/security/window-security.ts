// One place for the security settings of every window: web preferences, the Content Security
// Policy, what a page may navigate to and which links open in the user's browser.
import type { WebContents, WebPreferences } from 'electron';
import { isAppUrl, type RendererLocation } from './renderer-location.js';

/** The web preferences of every window the shell creates. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/**
 * The renderer may run only its own scripts and styles and connect nowhere (it talks to the core over
 * IPC); React and uPlot set element styles through the CSSOM, which style-src does not restrict. A dev
 * server adds Vite's hot-reload socket, its inline React-refresh preamble and injected styles —
 * development only. The built index.html carries the same rules in a meta tag (vite.config.ts).
 */
export function contentSecurityPolicy(location: RendererLocation): string {
  const dev = location.kind === 'dev';
  const devSocket = dev ? location.origin.replace(/^http/, 'ws') : '';
  const directives: [string, string][] = [
    ['default-src', "'none'"],
    ['script-src', dev ? `'self' 'unsafe-inline' ${location.origin}` : "'self'"],
    ['style-src', dev ? "'self' 'unsafe-inline'" : "'self'"],
    ['img-src', "'self' data:"],
    ['font-src', "'self'"],
    ['connect-src', dev ? `'self' ${location.origin} ${devSocket}` : "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
    ['worker-src', "'none'"],
  ];
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** Hosts whose https links the app opens in the user's browser (repositories, images, packages, Analytics). */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com', 'hub.docker.com', 'analytics.google.com', 'npmjs.com', 'www.npmjs.com'];

/** Whether a link may be handed to the user's browser: https, a known host, default port, no credentials. */
export function externalLinkAllowed(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' && parsed.port === '' && parsed.username === '' && parsed.password === '' && EXTERNAL_LINK_HOSTS.includes(parsed.hostname);
}

export type OpenDecision = { readonly action: 'deny'; readonly openExternally: string | null };

/** window.open and target=_blank: never a new app window; known https links go to the browser. */
export function decideWindowOpen(url: string): OpenDecision {
  return { action: 'deny', openExternally: externalLinkAllowed(url) ? new URL(url).href : null };
}

/** A page may move between the app's own routes; anything else is stopped (links go to the browser). */
export function navigationAllowed(url: string, location: RendererLocation): boolean {
  return isAppUrl(url, location);
}

/** The part of Electron's WebContents the guards use. */
export type GuardedContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/** Applies the navigation and window-open rules to one window's contents. */
export function guardContents(contents: GuardedContents, location: RendererLocation, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) openExternal(decision.openExternally);
    return { action: 'deny' };
  });
  const stopForeign = (event: Electron.Event, url: string) => {
    if (navigationAllowed(url, location)) return;
    event.preventDefault();
    const decision = decideWindowOpen(url);
    if (decision.openExternally) openExternal(decision.openExternally);
  };
  contents.on('will-navigate', stopForeign);
  contents.on('will-redirect', stopForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
