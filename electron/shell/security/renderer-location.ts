// Where the app's own pages come from: the built renderer (file://…/dist/renderer/index.html) or,
// in development only, a Vite dev server on this machine. Everything that decides "is this our page?"
// (IPC sender checks, navigation guards, the CSP) asks here.
import path from 'node:path';

export type RendererLocation =
  | { readonly kind: 'file'; readonly indexFile: string; readonly caseInsensitive: boolean }
  | { readonly kind: 'dev'; readonly origin: string };

export interface LocationOptions {
  /** app.isPackaged: a packaged app never loads a dev server. */
  readonly packaged: boolean;
  /** app.getAppPath(): the folder (or asar archive) holding package.json and dist/. */
  readonly appPath: string;
  /** FOOTPRINT_RENDERER_URL, e.g. http://localhost:5173 (development only). */
  readonly devServerUrl?: string | undefined;
  readonly platform: NodeJS.Platform;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function rendererLocation(options: LocationOptions): RendererLocation {
  const devUrl = options.devServerUrl;
  if (!options.packaged && devUrl) {
    const url = URL.canParse(devUrl) ? new URL(devUrl) : null;
    if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
      throw new Error(`FOOTPRINT_RENDERER_URL must be a Vite dev server on this machine, e.g. http://localhost:5173 — got "${devUrl}"`);
    }
    return { kind: 'dev', origin: url.origin };
  }
  const paths = options.platform === 'win32' ? path.win32 : path.posix;
  return { kind: 'file', indexFile: paths.join(options.appPath, 'dist', 'renderer', 'index.html'), caseInsensitive: options.platform === 'win32' || options.platform === 'darwin' };
}

/** The index file as a file URL's decoded path: forward slashes, a leading "/" (also before a drive letter). */
function indexUrlPath(indexFile: string): string {
  if (/^[A-Za-z]:[\\/]/.test(indexFile)) return `/${indexFile.replace(/\\/g, '/')}`;
  return path.posix.normalize(indexFile);
}

/** The address of one view, e.g. route "glance" → …/index.html#/glance. */
export function pageUrl(location: RendererLocation, route: string): string {
  const hash = `#/${route.replace(/^[#/]+/, '')}`;
  if (location.kind === 'dev') return `${location.origin}/${hash}`;
  const url = new URL('file:///');
  url.pathname = indexUrlPath(location.indexFile); // percent-encodes spaces and the like
  return `${url.href}${hash}`;
}

/** Whether `url` is one of the app's own pages (any hash route of the renderer; nothing else). */
export function isAppUrl(url: string, location: RendererLocation): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (location.kind === 'dev') return parsed.origin === location.origin;
  if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
  let actual: string;
  try {
    actual = decodeURIComponent(parsed.pathname);
  } catch {
    return false;
  }
  const expected = indexUrlPath(location.indexFile);
  return location.caseInsensitive ? actual.toLowerCase() === expected.toLowerCase() : actual === expected;
}

/** The frame an IPC message came from, as much of Electron's WebFrameMain as the check needs. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** IPC is answered only for the top frame of one of the app's own pages. */
export function isTrustedSender(frame: SenderFrame | null | undefined, location: RendererLocation): boolean {
  if (!frame) return false; // the frame navigated away or was destroyed before the message was handled
  if (frame.parent !== null && frame.parent !== undefined) return false;
  return isAppUrl(frame.url, location);
}
