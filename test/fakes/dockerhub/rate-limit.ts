// Docker Hub's per-minute API limit: a fixed window, X-RateLimit-* headers on every answer.

export interface RateState {
  readonly limit: number;
  readonly remaining: number;
  /** Epoch seconds. */
  readonly reset: number;
}

function checkPositiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`FakeDockerHubOptions.rateLimit.${field} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

export class RateWindow {
  private readonly limit: number;
  private readonly windowMs: number;
  private used = 0;
  private endsAt = 0;

  constructor(options: { limit?: number; windowSeconds?: number } = {}) {
    this.limit = checkPositiveInteger('limit', options.limit, 180);
    this.windowMs = checkPositiveInteger('windowSeconds', options.windowSeconds, 60) * 1000;
  }

  private refresh(now: number): void {
    if (now >= this.endsAt) {
      this.used = 0;
      this.endsAt = now + this.windowMs;
    }
  }

  state(): RateState {
    this.refresh(Date.now());
    return { limit: this.limit, remaining: Math.max(0, this.limit - this.used), reset: Math.ceil(this.endsAt / 1000) };
  }

  /** Counts one request; false when the window has none left. */
  take(): boolean {
    this.refresh(Date.now());
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  /** Seconds until the window ends, at least 1. */
  secondsToReset(): number {
    this.refresh(Date.now());
    return Math.max(1, Math.ceil((this.endsAt - Date.now()) / 1000));
  }
}

export function rateHeaders(state: RateState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-reset': String(state.reset),
  };
}
