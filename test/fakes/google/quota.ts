// Per-property quota buckets as the Data API reports them in `propertyQuota`: core reports and
// realtime reports draw on separate buckets; concurrent requests are counted while they run.
import { DAILY_EXHAUSTED, HOURLY_EXHAUSTED } from './errors.js';
import type { FakeQuota } from './types.js';

const DEFAULTS = { tokensPerDay: 200_000, tokensPerHour: 40_000, tokensPerProjectPerHour: 14_000, tokensPerRequest: 1 };
const CONCURRENT_LIMIT = 10;
export const CONCURRENT_EXHAUSTED = 'Exhausted concurrent requests quota.';

export type Bucket = 'core' | 'realtime';

interface BucketState {
  day: number;
  hour: number;
  projectHour: number;
}

interface PropertyQuotaState {
  buckets: Record<Bucket, BucketState>;
  cost: number;
  inFlight: number;
}

export interface QuotaStatus {
  consumed: number;
  remaining: number;
}

export class QuotaBook {
  readonly #defaults: FakeQuota;
  readonly #states = new Map<string, PropertyQuotaState>();

  constructor(defaults: FakeQuota = {}) {
    this.#defaults = defaults;
  }

  /** (Re)starts a property's buckets from its own quota, else the defaults. */
  reset(propertyId: string, quota: FakeQuota | undefined): void {
    const merged = { ...this.#defaults, ...quota };
    const fresh = (): BucketState => ({
      day: merged.tokensPerDay ?? DEFAULTS.tokensPerDay,
      hour: merged.tokensPerHour ?? DEFAULTS.tokensPerHour,
      projectHour: DEFAULTS.tokensPerProjectPerHour,
    });
    this.#states.set(propertyId, { buckets: { core: fresh(), realtime: fresh() }, cost: merged.tokensPerRequest ?? DEFAULTS.tokensPerRequest, inFlight: this.#states.get(propertyId)?.inFlight ?? 0 });
  }

  #state(propertyId: string): PropertyQuotaState {
    const state = this.#states.get(propertyId);
    if (!state) throw new Error(`Fake Google has no quota for property ${propertyId}`);
    return state;
  }

  begin(propertyId: string): void {
    this.#state(propertyId).inFlight++;
  }

  end(propertyId: string): void {
    this.#state(propertyId).inFlight--;
  }

  /** The 429 message when the bucket cannot pay for one more report, else null. */
  exhausted(propertyId: string, bucket: Bucket): string | null {
    const state = this.#state(propertyId);
    if (state.inFlight > CONCURRENT_LIMIT) return CONCURRENT_EXHAUSTED;
    const tokens = state.buckets[bucket];
    if (tokens.day < state.cost) return DAILY_EXHAUSTED;
    if (tokens.hour < state.cost) return HOURLY_EXHAUSTED;
    return null;
  }

  /** Charges one report and returns `propertyQuota` as the API reports it. */
  charge(propertyId: string, bucket: Bucket): Record<string, QuotaStatus> {
    const state = this.#state(propertyId);
    const tokens = state.buckets[bucket];
    const cost = state.cost;
    tokens.day -= cost;
    tokens.hour -= cost;
    tokens.projectHour = Math.max(0, tokens.projectHour - cost);
    return {
      tokensPerDay: { consumed: cost, remaining: tokens.day },
      tokensPerHour: { consumed: cost, remaining: tokens.hour },
      concurrentRequests: { consumed: 0, remaining: CONCURRENT_LIMIT },
      serverErrorsPerProjectPerHour: { consumed: 0, remaining: 10 },
      potentiallyThresholdedRequestsPerHour: { consumed: 0, remaining: 120 },
      tokensPerProjectPerHour: { consumed: cost, remaining: tokens.projectHour },
    };
  }

  remaining(propertyId: string): { tokensPerDay: number; tokensPerHour: number } {
    const core = this.#state(propertyId).buckets.core;
    return { tokensPerDay: core.day, tokensPerHour: core.hour };
  }
}
