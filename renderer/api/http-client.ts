// The FootprintApi over HTTP, for the browser in front of `footprint serve` (shared/api.ts httpRoutes):
// GET methods send their argument as `?q=<url-encoded JSON>`, POST methods send `{ "args": [...] }`
// (the method's argument list); answers are JSON; an error is a non-2xx status with `{ error }`.
// Live events come from one EventSource shared by every subscriber, re-opened after it drops.
import { eventsPath, httpRoutes } from '../../shared/api.js';
import type { FootprintApi, LiveEvent } from '../../shared/api.js';
import { ApiError, AuthRequiredError, errorMessage } from './errors.js';
import { changesInBatches, rangeInBatches, rangeSumsInBatches } from './read-batches.js';
import type { ConnectionState, FootprintClient, TokenStore } from './footprint-client.js';

/** The part of the browser's EventSource the client uses (so tests can drive it). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

/** EventSource.CLOSED: the browser gave up (e.g. an HTTP error status) and will not retry by itself. */
const EVENT_SOURCE_CLOSED = 2;

export interface HttpClientOptions {
  /** The folder the API lives under, e.g. "http://127.0.0.1:9171/"; routes are resolved against it. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  readonly openEvents?: EventSourceFactory;
  readonly tokens?: TokenStore;
  /** How long to wait before re-opening a closed live channel; attempt counts from 1. */
  readonly reconnectDelayMs?: (attempt: number) => number;
}

type Method = keyof typeof httpRoutes;
type Args<K extends Method> = Parameters<FootprintApi[K]>;
type Result<K extends Method> = Awaited<ReturnType<FootprintApi[K]>>;

export function defaultReconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}

function browserEventSource(url: string): EventSourceLike {
  if (typeof EventSource === 'undefined') throw new Error('This browser has no EventSource: live updates need a current browser');
  return new EventSource(url);
}

/** A light shape check: the UI ignores anything that is not one of the event kinds. */
export function isLiveEvent(value: unknown): value is LiveEvent {
  if (value === null || typeof value !== 'object') return false;
  const event = value as { type?: unknown; latest?: unknown; health?: unknown; sources?: unknown; progress?: unknown; source?: unknown; series?: unknown; status?: unknown };
  switch (event.type) {
    case 'samples': return Array.isArray(event.latest);
    case 'health': return event.health !== null && typeof event.health === 'object';
    case 'config': return Array.isArray(event.sources);
    case 'backfill': return event.progress !== null && typeof event.progress === 'object';
    case 'history': return typeof event.source === 'string' && Array.isArray(event.series);
    case 'remoteWrite': return event.status !== null && typeof event.status === 'object';
    default: return false;
  }
}

/** Drops trailing undefined arguments: JSON would turn them into null, which means something else. */
function trimArgs(args: readonly unknown[]): unknown[] {
  const list = [...args];
  while (list.length > 0 && list[list.length - 1] === undefined) list.pop();
  return list;
}

export function createHttpClient(options: HttpClientOptions): FootprintClient {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const openEvents = options.openEvents ?? browserEventSource;
  const tokens = options.tokens ?? null;
  const reconnectDelayMs = options.reconnectDelayMs ?? defaultReconnectDelayMs;

  const urlOf = (path: string) => new URL(path.replace(/^\//, ''), base);

  function headers(extra: Record<string, string>): Record<string, string> {
    const token = tokens?.get();
    return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
  }

  async function call<K extends Method>(method: K, args: Args<K>): Promise<Result<K>> {
    const route = httpRoutes[method];
    const list = trimArgs(args);
    const url = urlOf(route.path);
    let init: RequestInit;
    if (route.method === 'GET') {
      if (list.length > 1) throw new Error(`${method}: a GET route carries one argument, got ${list.length}`);
      if (list.length === 1) url.searchParams.set('q', JSON.stringify(list[0]));
      init = { method: 'GET', headers: headers({ accept: 'application/json' }) };
    } else {
      init = {
        method: 'POST',
        headers: headers({ accept: 'application/json', 'content-type': 'application/json' }),
        body: JSON.stringify({ args: list }),
      };
    }
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (error) {
      throw new ApiError(`Footprint did not answer (${errorMessage(error)}): check that it is still running`);
    }
    const text = await response.text();
    if (!response.ok) {
      const explained = errorFromBody(text);
      if (response.status === 401) {
        throw new AuthRequiredError(explained ?? 'This Footprint server needs an access token');
      }
      throw new ApiError(explained ?? `${method} failed: HTTP ${response.status} ${response.statusText}`.trim(), response.status);
    }
    if (text.trim() === '') return undefined as Result<K>;
    try {
      return JSON.parse(text) as Result<K>;
    } catch {
      throw new ApiError(`${method}: the server answered with something that is not JSON`, response.status);
    }
  }

  // The live channel: one EventSource for all subscribers, opened with the first, closed with the last.
  const eventListeners = new Set<(event: LiveEvent) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let source: EventSourceLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  }

  function open(): void {
    const token = tokens?.get();
    // EventSource cannot send headers: the token travels in the query string instead.
    const url = urlOf(eventsPath);
    if (token) url.searchParams.set('token', token);
    let channel: EventSourceLike;
    try {
      channel = openEvents(url.toString());
    } catch {
      setState('reconnecting');
      scheduleReopen();
      return;
    }
    source = channel;
    channel.onopen = () => {
      if (source !== channel) return;
      attempt = 0;
      setState('live');
    };
    channel.onmessage = (message) => {
      if (source !== channel) return;
      let event: unknown;
      try {
        event = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (!isLiveEvent(event)) return;
      for (const listener of [...eventListeners]) listener(event);
    };
    channel.onerror = () => {
      if (source !== channel) return;
      setState('reconnecting');
      // While CONNECTING the browser retries by itself; once CLOSED it is up to us.
      if (channel.readyState === EVENT_SOURCE_CLOSED) {
        channel.close();
        source = null;
        scheduleReopen();
      }
    };
  }

  function scheduleReopen(): void {
    attempt += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (eventListeners.size > 0) open();
    }, reconnectDelayMs(attempt));
  }

  function closeChannel(): void {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    source?.close();
    source = null;
    attempt = 0;
    setState('connecting');
  }

  return {
    tokens,
    info: () => call('info', []),
    sources: () => call('sources', []),
    latest: (filter) => call('latest', [filter]),
    range: (request) => rangeInBatches((batch) => call('range', [batch]), request),
    changes: (series, windowsMs) => changesInBatches((ids, windows) => call('changes', [ids, windows]), series, windowsMs),
    rangeSums: (request) => rangeSumsInBatches((batch) => call('rangeSums', [batch]), request),
    overview: () => call('overview', []),
    health: () => call('health', []),
    remoteWrite: () => call('remoteWrite', []),
    config: () => call('config', []),
    saveSource: (id, settings) => call('saveSource', [id, settings]),
    testConnection: (id, settings) => call('testConnection', [id, settings]),
    uploadKeyFile: (id, text) => call('uploadKeyFile', [id, text]),
    refresh: (id) => call('refresh', [id]),
    pause: (id) => call('pause', [id]),
    resume: (id) => call('resume', [id]),
    backfill: () => call('backfill', []),
    pauseBackfill: (id) => call('pauseBackfill', [id]),
    resumeBackfill: (id) => call('resumeBackfill', [id]),
    rerunBackfill: (id) => call('rerunBackfill', [id]),
    markers: (request) => call('markers', [request]),
    subscribe(onEvent) {
      eventListeners.add(onEvent);
      if (source === null && retryTimer === null) open();
      return () => {
        if (!eventListeners.delete(onEvent)) return;
        if (eventListeners.size === 0) closeChannel();
      };
    },
    connectionState: () => state,
    onConnectionChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}

function errorFromBody(text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body?.error === 'string' && body.error.trim() !== '') return body.error;
  } catch {
    // Not JSON (a proxy's error page): fall back to the status line.
  }
  return null;
}
