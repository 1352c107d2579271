// footprint_remote_write_*: how pushing to each receiver goes, on /metrics (labelled by the receiver's
// name, never its credentials), and as plain data for the Health view.
import type { RemoteWriteStatus } from '../../../shared/api.js';
import { SelfCounter, SelfGauge, type SelfMetric } from '../self-metrics.js';

/** Where pushing to one receiver stands (every step up to sentUntil has been sent, or dropped and counted). */
export type RemoteWriteState = RemoteWriteStatus;

export const REMOTE_WRITE_METRICS = {
  samples: { name: 'footprint_remote_write_samples_total', help: 'Samples pushed to the remote-write receiver, by outcome: sent (accepted), retried (a push that failed with a 5xx, a 429 or no answer, sent again later), rejected (refused with a 4xx, not sent again).', type: 'counter', labels: ['remote', 'outcome'] },
  requests: { name: 'footprint_remote_write_requests_total', help: 'Pushes to the remote-write receiver, by HTTP status ("error" when no answer came).', type: 'counter', labels: ['remote', 'status'] },
  lastSuccess: { name: 'footprint_remote_write_last_success_timestamp_seconds', help: 'Unix time of the last push the remote-write receiver accepted.', type: 'gauge', labels: ['remote'] },
  behind: { name: 'footprint_remote_write_behind_seconds', help: 'How far the remote-write receiver is behind: seconds from the newest step sent to now (the backlog waiting in the history store).', type: 'gauge', labels: ['remote'] },
  skipped: { name: 'footprint_remote_write_skipped_seconds_total', help: 'Seconds of history never sent to the remote-write receiver because it was down longer than maxBacklog.', type: 'counter', labels: ['remote'] },
} as const;

export type RemoteWriteOutcome = 'sent' | 'retried' | 'rejected';

/** The health series of every configured receiver; `changed` tells the exporter its cached text is stale. */
export class RemoteWriteHealth {
  readonly #samples = new SelfCounter(REMOTE_WRITE_METRICS.samples);
  readonly #requests = new SelfCounter(REMOTE_WRITE_METRICS.requests);
  readonly #lastSuccess = new SelfGauge(REMOTE_WRITE_METRICS.lastSuccess);
  readonly #behind = new SelfGauge(REMOTE_WRITE_METRICS.behind);
  readonly #skipped = new SelfCounter(REMOTE_WRITE_METRICS.skipped);
  readonly #states = new Map<string, RemoteWriteState>();
  readonly #statuses = new Map<string, Set<string>>();
  readonly #changed: () => void;
  #onState: ((state: RemoteWriteState) => void) | null = null;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** Called with a receiver's state each time it changes (the core turns it into a live event). */
  onState(listener: (state: RemoteWriteState) => void): void {
    this.#onState = listener;
  }

  get metrics(): readonly SelfMetric[] {
    return [this.#samples, this.#requests, this.#lastSuccess, this.#behind, this.#skipped];
  }

  /** A receiver's series exist (counters at 0) from start, so rate() and absent() work before the first push. */
  register(remote: string, url: string): void {
    for (const outcome of ['sent', 'retried', 'rejected'] as const) this.#samples.inc({ remote, outcome }, 0);
    this.#skipped.inc({ remote }, 0);
    this.#states.set(remote, { name: remote, url, lastSuccessAt: null, sentUntil: null, lastError: null, retryAt: null });
    this.#changed();
  }

  unregister(remote: string): void {
    for (const outcome of ['sent', 'retried', 'rejected'] as const) this.#samples.remove({ remote, outcome });
    for (const status of this.#statuses.get(remote) ?? []) this.#requests.remove({ remote, status });
    for (const metric of [this.#lastSuccess, this.#behind, this.#skipped]) metric.remove({ remote });
    this.#statuses.delete(remote);
    this.#states.delete(remote);
    this.#changed();
  }

  countSamples(remote: string, outcome: RemoteWriteOutcome, count: number): void {
    this.#samples.inc({ remote, outcome }, count);
    this.#changed();
  }

  countRequest(remote: string, status: number | 'error'): void {
    this.#requests.inc({ remote, status: String(status) });
    let statuses = this.#statuses.get(remote);
    if (!statuses) this.#statuses.set(remote, (statuses = new Set()));
    statuses.add(String(status));
    this.#changed();
  }

  countSkipped(remote: string, ms: number): void {
    this.#skipped.inc({ remote }, ms / 1000);
    this.#changed();
  }

  /** After each push or wait: where the receiver stands. Times in epoch ms. */
  update(remote: string, change: Partial<Omit<RemoteWriteState, 'name' | 'url'>>, now: number): void {
    const state = this.#states.get(remote);
    if (!state) return;
    const next = { ...state, ...change };
    this.#states.set(remote, next);
    if (next.lastSuccessAt !== null) this.#lastSuccess.set({ remote }, next.lastSuccessAt / 1000);
    if (next.sentUntil !== null) this.#behind.set({ remote }, Math.max(0, now - next.sentUntil) / 1000);
    this.#changed();
    this.#onState?.(next);
  }

  states(): RemoteWriteState[] {
    return [...this.#states.values()];
  }
}
