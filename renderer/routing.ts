// Hash routes (they work from file:// in Electron and need nothing from the server):
// #/overview, #/details?series=1,2, #/traffic?target=acme/rocket, #/glance, #/settings, #/health.
import { useEffect, useState } from 'react';
import { confirmLeave } from './leave-guard.js';

export const VIEWS = ['overview', 'details', 'traffic', 'glance', 'settings', 'health'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  readonly view: View;
  readonly params: URLSearchParams;
}

export const DEFAULT_VIEW: View = 'overview';

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const question = text.indexOf('?');
  const name = (question === -1 ? text : text.slice(0, question)).replace(/\/+$/, '');
  const params = new URLSearchParams(question === -1 ? '' : text.slice(question + 1));
  const view = (VIEWS as readonly string[]).includes(name) ? (name as View) : DEFAULT_VIEW;
  return { view, params };
}

/** "#/details?series=1,2" — commas, colons and slashes ("acme/rocket") are kept readable in links. */
export function routeHref(view: View, params?: Readonly<Record<string, string | undefined>>): string {
  const entries = Object.entries(params ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  if (entries.length === 0) return `#/${view}`;
  const query = new URLSearchParams(entries).toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
  return `#/${view}?${query}`;
}

/** The current route, following hash changes. Going to another view with unsaved edits asks first; staying puts the address back. */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    let shown = window.location.hash;
    const onChange = () => {
      const next = window.location.hash;
      if (parseRoute(next).view !== parseRoute(shown).view && !confirmLeave()) {
        window.history.replaceState(window.history.state, '', shown || window.location.pathname + window.location.search);
        return;
      }
      shown = next;
      setHash(next);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

/** Changes the hash without adding a history entry (for view state such as the chart's range). */
export function replaceRoute(href: string): void {
  if (window.location.hash === href) return;
  window.history.replaceState(window.history.state, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
