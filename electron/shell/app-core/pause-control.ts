// Polling is paused while any reason holds: the user paused it, the machine sleeps, or it is
// offline (polls would only fail and push the sources into long back-off). When the last reason
// goes, polling resumes; after sleep or an outage it also catches up at once.

export const PAUSE_REASONS = ['user', 'suspend', 'offline'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export interface Pausable {
  pause(): void;
  resume(): void;
  refreshNow(): Promise<void>;
}

export class PauseControl {
  private readonly target: Pausable;
  private readonly held = new Set<PauseReason>();
  private readonly listeners: ((reasons: ReadonlySet<PauseReason>) => void)[] = [];
  private readonly onError: (error: unknown) => void;

  constructor(target: Pausable, options: { onError?: (error: unknown) => void } = {}) {
    this.target = target;
    this.onError = options.onError ?? (() => {});
  }

  /** Calls `listener` after every change of the reasons. */
  onChange(listener: (reasons: ReadonlySet<PauseReason>) => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    const reasons = this.reasons();
    for (const listener of this.listeners) listener(reasons);
  }

  get paused(): boolean {
    return this.held.size > 0;
  }

  has(reason: PauseReason): boolean {
    return this.held.has(reason);
  }

  reasons(): ReadonlySet<PauseReason> {
    return new Set(this.held);
  }

  add(reason: PauseReason): void {
    if (this.held.has(reason)) return;
    const wasPaused = this.paused;
    this.held.add(reason);
    if (!wasPaused) this.target.pause();
    this.changed();
  }

  remove(reason: PauseReason): void {
    if (!this.held.delete(reason)) return;
    if (!this.paused) {
      this.target.resume();
      // After sleep or an outage every figure is old: poll now rather than at the next due time.
      if (reason !== 'user') this.target.refreshNow().catch(this.onError);
    }
    this.changed();
  }
}
