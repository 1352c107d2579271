// The one client the renderer uses: the Electron bridge when the preload exposed `window.footprint`,
// else HTTP to the `footprint serve` that served this page.
import type { FootprintApi } from '../../shared/api.js';
import type { FootprintClient } from './footprint-client.js';
import { createHttpClient } from './http-client.js';
import { createIpcClient } from './ipc-client.js';
import { adoptTokenFromUrl, createTokenStore } from './token-store.js';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a plain browser. */
    footprint?: FootprintApi;
  }
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function createClient(): FootprintClient {
  if (window.footprint) return createIpcClient(window.footprint);
  const tokens = createTokenStore(sessionStorageOrNull());
  const cleaned = adoptTokenFromUrl(window.location.href, tokens);
  if (cleaned !== null) window.history.replaceState(window.history.state, '', cleaned);
  // Routes resolve against the page's folder, so a reverse proxy may serve Footprint under a path.
  return createHttpClient({ baseUrl: new URL('.', window.location.href).href, tokens });
}
