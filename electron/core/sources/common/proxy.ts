// Corporate proxies: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), as curl and most tools read
// them. Node's fetch ignores them, so the shared HTTP client sends through undici's EnvHttpProxyAgent
// when a proxy is set. undici is loaded only then: without a proxy, nothing more is kept in memory.
import type { Dispatcher } from 'undici';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;
const NO_PROXY_VARIABLES = ['NO_PROXY', 'no_proxy'] as const;

/** The agent for the current settings; made again (the old one closed) when they change. */
let current: { readonly settings: string; readonly agent: Promise<Dispatcher | undefined> } | null = null;

/** Whether the environment names a proxy for HTTP or HTTPS. */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
}

/** The dispatcher that honours the proxy variables, or undefined (fetch's own) when none is set. */
export function environmentProxy(env: NodeJS.ProcessEnv = process.env): Promise<Dispatcher | undefined> {
  const settings = [...PROXY_VARIABLES, ...NO_PROXY_VARIABLES].map((name) => env[name] ?? '').join('\n');
  if (current?.settings === settings) return current.agent;
  const previous = current?.agent;
  const agent = proxyConfigured(env) ? import('undici').then(({ EnvHttpProxyAgent }) => new EnvHttpProxyAgent()) : Promise.resolve(undefined);
  current = { settings, agent };
  // Requests still in flight through the old agent finish first.
  void previous?.then((old) => old?.close());
  return agent;
}
