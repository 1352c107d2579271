// `is_automated` is only in a single repository's answer, never in a namespace list: reading it for every
// listed repository on every run would cost one request per repository against a per-minute limit.
// It rarely changes (Docker retired automated builds from free plans), so it is re-read once a day.

export const DEFAULT_AUTOMATED_TTL_MS = 24 * 3_600_000;

export class AutomatedFlags {
  private readonly ttlMs: number;
  private readonly flags = new Map<string, { readonly value: boolean; readonly readAt: number }>();

  constructor(ttlMs: number) {
    this.ttlMs = ttlMs;
  }

  /** The flag read less than a TTL ago, or undefined. */
  get(key: string, now: number): boolean | undefined {
    const entry = this.flags.get(key);
    return entry !== undefined && now - entry.readAt < this.ttlMs ? entry.value : undefined;
  }

  /** Records a flag Docker Hub has just sent. */
  set(key: string, value: boolean, now: number): void {
    this.flags.set(key, { value, readAt: now });
  }

  /** Drops repositories no longer collected, so the map cannot grow without bound. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.flags.keys()) if (!keys.has(key)) this.flags.delete(key);
  }
}
