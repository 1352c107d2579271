// Pushes every series to one remote-write receiver. The queue is the history store itself: every
// `interval` (a "step", aligned to the epoch) each series' value at that time is read from the store,
// as a Prometheus scraping /metrics then would have seen it, and pushed. A cursor in the store
// (remote_write_cursors) says up to which step the receiver has everything; while the receiver is down
// it stays, so what it missed is sent from the store once it is back, across restarts too, at most
// `maxBacklog` of it (older steps are skipped, counted and logged: receivers refuse samples that far
// behind their newest). Failures are handled as Prometheus' own sender does: a 5xx, a 429 or no answer
// is retried with backoff (Retry-After obeyed) and nothing moves on meanwhile; a 4xx refusal (samples
// out of bounds or out of order) is final, so that push is dropped and counted instead of blocking the
// queue for ever. A refusal that says the configuration is wrong (401, 403, 404, a redirect) keeps the
// data and is retried like an outage, until the url or the credentials are fixed.
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { RemoteWriteTarget } from '../config/remote-write.js';
import { redactSecret, redactSecrets } from '../secrets.js';
import { backoffDelay } from '../sources/common/backoff.js';
import { oneLine } from '../sources/common/one-line.js';
import { environmentProxy } from '../sources/common/proxy.js';
import { attemptSignal } from '../sources/common/request-timeout.js';
import { retryAfterSeconds } from '../sources/common/retry-at.js';
import { sleep } from '../sources/common/sleep.js';
import { MAX_RANGE_POINTS, type HistoryStore, type LatestPoint } from '../store/history-store.js';
import type { SelfSample } from '../self-metrics.js';
import type { RemoteWriteHealth } from './health.js';
import type { WriteSample, WriteSeries } from './protocol.js';

/** Which stored series are sent: those of configured sources, and how long each source's values stay fresh. */
export interface SentSeries {
  /** Source id → how long after the last poll that saw a value it is still sent (a missed poll is not a gap). */
  readonly staleMsBySource: ReadonlyMap<string, number>;
  /** Metrics kept as stored history only (never on /metrics): not sent either. */
  readonly historyOnly: ReadonlySet<string>;
}

export interface SenderTuning {
  /** The first retry's wait; each further retry doubles it, up to retryMaxMs. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Milliseconds waited per second of a Retry-After (1000; tests shrink it). */
  readonly retryAfterUnitMs: number;
}

export const DEFAULT_SENDER_TUNING: SenderTuning = { retryBaseMs: 1_000, retryMaxMs: 5 * 60_000, retryAfterUnitMs: 1_000 };

/**
 * Samples read from the store at once (a few MB): a backlog is read this many samples at a time, so
 * each series' steps come from one range read instead of one read per step.
 */
const READ_WINDOW_SAMPLES = 200_000;

/** A series to push, with a key (to remember what a window has already delivered). */
interface OutgoingSeries extends WriteSeries {
  /** "store:<series id>" or "self:<name and labels>". */
  readonly key: string;
}

export interface RemoteWriteSenderOptions {
  readonly target: RemoteWriteTarget;
  readonly store: HistoryStore;
  readonly health: RemoteWriteHealth;
  readonly log: Logger;
  readonly now: () => number;
  readonly series: () => SentSeries;
  /** Footprint's own footprint_* series now: sent at the current step only (they are not kept in the history). */
  readonly selfSamples?: () => readonly SelfSample[];
  readonly userAgent: string;
  readonly tuning?: Partial<SenderTuning>;
  /** How connections are made; default: the environment's proxy (HTTPS_PROXY…), if any. */
  readonly dispatcher?: Dispatcher;
}

type PushResult =
  | { readonly kind: 'sent' }
  | { readonly kind: 'rejected'; readonly message: string }
  | { readonly kind: 'retry'; readonly message: string; readonly afterMs: number | null };

/** Why a push failed and whether sending it again can help. */
function pushProblem(status: number, body: string): { final: boolean; message: string } {
  const said = oneLine(body);
  const answer = `the receiver answered ${status}${said === '' ? '' : ` (${said})`}`;
  if (status === 401 || status === 403) return { final: false, message: `${answer} — check the credentials (authorization or basicAuth); the values wait in the history store meanwhile` };
  if (status === 404 || status === 405) return { final: false, message: `${answer} — check url: it must be the receiver's push address (Prometheus: /api/v1/write, Mimir: /api/v1/push)` };
  if (status >= 300 && status < 400) return { final: false, message: `${answer}, a redirect, which pushes do not follow — put the address it names in url` };
  if (status === 429 || status >= 500) return { final: false, message: answer };
  return { final: true, message: `${answer}: these samples were refused and are not sent again` };
}

export class RemoteWriteSender {
  readonly #options: RemoteWriteSenderOptions;
  readonly #target: RemoteWriteTarget;
  readonly #tuning: SenderTuning;
  readonly #log: Logger;
  readonly #stop = new AbortController();
  #loop: Promise<void> | null = null;
  #failures = 0;
  /**
   * Per series, the newest sample the receiver has of the window being sent (the cursor has not moved
   * past it yet). A retried window sends only what is newer: receivers refuse a sample older than the
   * newest they hold ("out of order"), so re-sending a delivered part would be refused.
   */
  readonly #sentThrough = new Map<string, number>();
  /** The protobuf and Snappy code, loaded at the first push: only a configured receiver pays for it (serve's memory). */
  #protocol: typeof import('./protocol.js') | null = null;

  constructor(options: RemoteWriteSenderOptions) {
    this.#options = options;
    this.#target = options.target;
    this.#tuning = { ...DEFAULT_SENDER_TUNING, ...options.tuning };
    this.#log = options.log.child({ remoteWrite: options.target.name });
    options.health.register(options.target.name, options.target.url);
  }

  get name(): string {
    return this.#target.name;
  }

  start(): void {
    this.#loop ??= this.#run(this.#stop.signal).catch((error: unknown) => {
      if (!this.#stop.signal.aborted) this.#log.error({ err: error }, 'remote write stopped');
    });
  }

  async stop(): Promise<void> {
    this.#stop.abort(new Error('stopped'));
    await this.#loop;
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let waitMs: number;
      try {
        waitMs = await this.sendDue(signal);
      } catch (error) {
        if (signal.aborted) return;
        // The store could not be read or written (a full disk, say): the cursor stayed, nothing was lost.
        this.#log.error({ err: error }, 'remote write could not prepare a push; trying again in one interval');
        waitMs = this.#target.intervalMs;
      }
      await sleep(Math.max(0, waitMs), signal).catch(() => undefined);
    }
  }

  /** The step at or before `time`. */
  #stepAtOrBefore(time: number): number {
    return Math.floor(time / this.#target.intervalMs) * this.#target.intervalMs;
  }

  /**
   * Sends every step that is due and returns how long to wait before the next call: until the next
   * step, or the retry's backoff after a failed push (the cursor then stays where it was).
   */
  async sendDue(signal: AbortSignal): Promise<number> {
    const { store, health, now } = this.#options;
    const { url, name, intervalMs, maxBacklogMs } = this.#target;
    this.#protocol ??= await import('./protocol.js');
    let cursor = store.remoteWriteCursor(url);
    const due = this.#stepAtOrBefore(now());
    if (cursor === null) {
      // A receiver new to this history gets values from now on (older history: footprint export + promtool).
      cursor = due - intervalMs;
      store.setRemoteWriteCursor(url, cursor, now());
    }
    const oldest = this.#stepAtOrBefore(now() - maxBacklogMs);
    if (cursor < oldest - intervalMs) {
      const skippedMs = oldest - intervalMs - cursor;
      health.countSkipped(name, skippedMs);
      this.#log.warn({ from: new Date(cursor + intervalMs).toISOString(), to: new Date(oldest - intervalMs).toISOString() }, `the receiver was not reached for longer than maxBacklog: ${Math.round(skippedMs / 1000)} s of values are not sent to it`);
      cursor = oldest - intervalMs;
      store.setRemoteWriteCursor(url, cursor, now());
    }
    health.update(name, { sentUntil: cursor }, now());
    while (cursor < due) {
      const batch = this.#readBatch(cursor + intervalMs, due);
      for (const chunk of this.#chunks(batch.series)) {
        const result = await this.#push(chunk.series, signal);
        if (result.kind === 'retry') {
          this.#failures += 1;
          health.countSamples(name, 'retried', chunk.samples);
          const backoff = Math.min(this.#tuning.retryMaxMs, backoffDelay(this.#failures, this.#tuning.retryBaseMs));
          const waitMs = Math.max(backoff, result.afterMs ?? 0);
          health.update(name, { lastError: result.message, retryAt: now() + waitMs }, now());
          this.#log.warn({ samples: chunk.samples, retryInMs: waitMs, failures: this.#failures }, `push failed, retrying: ${result.message}`);
          return waitMs;
        }
        // Delivered or refused for good: either way not sent again in this window.
        for (const item of chunk.series) this.#sentThrough.set(item.key, item.samples.at(-1)!.timestamp);
        if (result.kind === 'rejected') {
          health.countSamples(name, 'rejected', chunk.samples);
          health.update(name, { lastError: result.message, retryAt: null }, now());
          this.#log.warn({ samples: chunk.samples }, result.message);
        } else {
          this.#failures = 0;
          health.countSamples(name, 'sent', chunk.samples);
          health.update(name, { lastSuccessAt: now(), lastError: null, retryAt: null }, now());
        }
      }
      cursor = batch.until;
      store.setRemoteWriteCursor(url, cursor, now());
      this.#sentThrough.clear();
      health.update(name, { sentUntil: cursor }, now());
    }
    return due + intervalMs - now();
  }

  /** Series to send and their values at the steps from `first` on (as many steps as one read window holds), and the last step read. */
  #readBatch(first: number, due: number): { series: OutgoingSeries[]; until: number } {
    const { store } = this.#options;
    const { intervalMs, maxSamplesPerSend, labels } = this.#target;
    const { staleMsBySource, historyOnly } = this.#options.series();
    const longestStale = Math.max(0, ...staleMsBySource.values());
    const candidates = store.latest({ polled: true, seenSince: first - longestStale }).filter((point) => staleMsBySource.has(point.source) && !historyOnly.has(point.metric));
    // At most maxSamplesPerSend steps, so one series' samples always fit one push.
    const steps = Math.max(1, Math.min(MAX_RANGE_POINTS, maxSamplesPerSend, Math.floor(READ_WINDOW_SAMPLES / Math.max(1, candidates.length)), Math.floor((due - first) / intervalMs) + 1));
    const last = first + (steps - 1) * intervalMs;
    const series: OutgoingSeries[] = [];
    const add = (key: string, make: () => Omit<OutgoingSeries, 'key'>) => {
      const sentThrough = this.#sentThrough.get(key) ?? -Infinity;
      const item = make();
      const samples = item.samples.filter((sample) => sample.timestamp > sentThrough);
      if (samples.length > 0) series.push({ key, labels: item.labels, samples });
    };
    for (const point of candidates) {
      add(`store:${point.id}`, () => ({ labels: this.#labels(point.metric, point.labels, labels), samples: this.#values(point, first, last, staleMsBySource.get(point.source)!) }));
    }
    // The window that reaches the current step carries Footprint's own metrics at it, as a scrape would.
    if (last === due) {
      for (const self of this.#options.selfSamples?.() ?? []) {
        const own = this.#labels(self.name, self.labels, labels);
        add(`self:${own.map((label) => `${label.name}=${label.value}`).join(',')}`, () => ({ labels: own, samples: [{ value: self.value, timestamp: last }] }));
      }
    }
    return { series, until: last };
  }

  /** The series' value at each step from `first` to `last`, left out where it was stale (not seen for staleMs). */
  #values(point: LatestPoint, first: number, last: number, staleMs: number): WriteSample[] {
    const { intervalMs } = this.#target;
    const samples: WriteSample[] = [];
    if (point.since <= first) {
      // The newest value already held at the first step (nearly every series, nearly always): no read.
      for (let time = first; time <= last; time += intervalMs) if (time - point.lastSeen <= staleMs) samples.push({ value: point.value, timestamp: time });
      return samples;
    }
    const [range] = this.#options.store.range([point.id], { start: first, end: last, step: intervalMs, staleMs });
    range!.values.forEach((value, index) => {
      if (value !== null) samples.push({ value, timestamp: range!.times[index]! });
    });
    return samples;
  }

  #labels(metric: string, own: Readonly<Record<string, string>>, identity: Readonly<Record<string, string>>) {
    return this.#protocol!.seriesLabels(metric, own, identity);
  }

  /** Pushes of at most maxSamplesPerSend samples (a series is never split: its samples stay in time order). */
  *#chunks(series: readonly OutgoingSeries[]): Generator<{ series: OutgoingSeries[]; samples: number }> {
    let chunk: OutgoingSeries[] = [];
    let samples = 0;
    for (const item of series) {
      if (samples > 0 && samples + item.samples.length > this.#target.maxSamplesPerSend) {
        yield { series: chunk, samples };
        chunk = [];
        samples = 0;
      }
      chunk.push(item);
      samples += item.samples.length;
    }
    if (samples > 0) yield { series: chunk, samples };
  }

  async #push(series: readonly WriteSeries[], signal: AbortSignal): Promise<PushResult> {
    const { health, userAgent } = this.#options;
    const { url, name, timeoutMs, authorization } = this.#target;
    const protocol = this.#protocol!;
    const attempt = attemptSignal(signal, timeoutMs);
    const init: RequestInit & { dispatcher?: Dispatcher } = {
      method: 'POST',
      body: protocol.encodeWriteRequest(series),
      headers: { ...protocol.REMOTE_WRITE_HEADERS, 'User-Agent': userAgent, ...(authorization === null ? {} : { Authorization: authorization }) },
      signal: attempt.signal,
      redirect: 'manual',
    };
    const via = this.#options.dispatcher ?? (await environmentProxy());
    if (via) init.dispatcher = via;
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, init);
      body = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      health.countRequest(name, 'error');
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = attempt.timedOut() ? `no answer within ${timeoutMs / 1000} s (timeout)` : `${cause?.code ?? cause?.message ?? (error as Error).message}`;
      return { kind: 'retry', message: this.#scrub(`the receiver could not be reached: ${why}`), afterMs: null };
    }
    health.countRequest(name, response.status);
    if (response.ok) return { kind: 'sent' };
    const problem = pushProblem(response.status, body);
    const message = this.#scrub(problem.message);
    if (problem.final) return { kind: 'rejected', message };
    const seconds = retryAfterSeconds(response.headers.get('retry-after'), this.#options.now());
    return { kind: 'retry', message, afterMs: seconds === null ? null : seconds * this.#tuning.retryAfterUnitMs };
  }

  /** The receiver's words may echo a header: keep this receiver's credentials (and any registered secret) out. */
  #scrub(text: string): string {
    return redactSecrets(this.#target.secrets.reduce((result, secret) => redactSecret(result, secret), text));
  }
}
