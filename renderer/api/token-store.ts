// The access token of a protected `footprint serve`: taken once from the page URL (?token=…), then
// kept in sessionStorage (gone when the tab closes) and removed from the address bar so it is not
// shared with a copied link or shown on screen.
import type { TokenStore } from './footprint-client.js';

export const TOKEN_STORAGE_KEY = 'footprint.token';

/** A token store over a Storage (sessionStorage in the page); a storage that throws (privacy modes) counts as empty. */
export function createTokenStore(storage: Storage | null): TokenStore {
  let memory: string | null = null;
  return {
    get() {
      try {
        return storage?.getItem(TOKEN_STORAGE_KEY) ?? memory;
      } catch {
        return memory;
      }
    },
    set(token) {
      memory = token;
      try {
        if (token === null) storage?.removeItem(TOKEN_STORAGE_KEY);
        else storage?.setItem(TOKEN_STORAGE_KEY, token);
      } catch {
        // Keeping it in memory is enough for this page's life.
      }
    },
  };
}

/**
 * Moves `?token=` from the page URL into the store and returns the URL without it (or null when the
 * URL had none), for history.replaceState.
 */
export function adoptTokenFromUrl(href: string, tokens: TokenStore): string | null {
  const url = new URL(href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  if (token.trim() !== '') tokens.set(token.trim());
  url.searchParams.delete('token');
  return url.toString();
}
