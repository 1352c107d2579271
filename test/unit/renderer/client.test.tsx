// @vitest-environment happy-dom
// createClient picks the transport: the Electron bridge when the preload exposed one, else HTTP.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../../renderer/api/client.js';
import { TOKEN_STORAGE_KEY } from '../../../renderer/api/token-store.js';
import { FakeApi } from '../../support/fake-api.js';

afterEach(() => {
  delete window.footprint;
  sessionStorage.clear();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('createClient', () => {
  it('uses the Electron bridge when window.footprint exists', async () => {
    const bridge = new FakeApi({ configured: ['npm'] });
    window.footprint = bridge;
    const client = createClient();
    expect(client.tokens).toBeNull();
    await client.health();
    expect(bridge.callsTo('health')).toHaveLength(1);
  });

  it('uses HTTP to the page’s server otherwise, taking a ?token= from the address', async () => {
    window.history.replaceState(null, '', '/dashboard/?token=t0k3n-value#/overview');
    const fetchMock = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response('{"version":"1"}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const client = createClient();
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('t0k3n-value');
    // The token leaves the address bar.
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#/overview');
    await client.info();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(String(url)).toBe(`${window.location.origin}/dashboard/api/info`);
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer t0k3n-value');
  });
});
