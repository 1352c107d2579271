// Primary rate limits: one hourly bucket per resource (core, graphql) and per client kind
// (anonymous, authenticated), as GitHub counts them separately.

export type Resource = 'core' | 'graphql';
export type ClientKind = 'anonymous' | 'authenticated';

const WINDOW_SECONDS = 3600;

export interface BucketState {
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  /** Epoch seconds. */
  readonly reset: number;
  readonly resource: Resource;
}

class Bucket {
  used = 0;
  reset: number;
  readonly limit: number;
  readonly resource: Resource;

  constructor(resource: Resource, limit: number, nowSeconds: number) {
    this.resource = resource;
    this.limit = limit;
    this.reset = nowSeconds + WINDOW_SECONDS;
  }

  /** A window that has passed starts afresh, as GitHub's does. */
  refresh(nowSeconds: number): void {
    if (nowSeconds >= this.reset) {
      this.used = 0;
      this.reset = nowSeconds + WINDOW_SECONDS;
    }
  }

  state(): BucketState {
    return {
      limit: this.limit,
      used: this.used,
      remaining: Math.max(0, this.limit - this.used),
      reset: this.reset,
      resource: this.resource,
    };
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function checkLimit(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`FakeGitHubOptions.rateLimit.${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

export class RateLimits {
  private readonly buckets: Record<ClientKind, Record<Resource, Bucket>>;

  constructor(limits: { core?: number; graphql?: number; anonymous?: number } = {}) {
    const now = nowSeconds();
    const anonymous = checkLimit('anonymous', limits.anonymous, 60);
    this.buckets = {
      anonymous: {
        core: new Bucket('core', anonymous, now),
        // GraphQL refuses anonymous clients, so this bucket is only ever reported.
        graphql: new Bucket('graphql', anonymous, now),
      },
      authenticated: {
        core: new Bucket('core', checkLimit('core', limits.core, 5000), now),
        graphql: new Bucket('graphql', checkLimit('graphql', limits.graphql, 5000), now),
      },
    };
  }

  private bucket(kind: ClientKind, resource: Resource): Bucket {
    const bucket = this.buckets[kind][resource];
    bucket.refresh(nowSeconds());
    return bucket;
  }

  state(kind: ClientKind, resource: Resource): BucketState {
    return this.bucket(kind, resource).state();
  }

  exhausted(kind: ClientKind, resource: Resource): boolean {
    return this.state(kind, resource).remaining === 0;
  }

  /** Counts one request (or `points`) against the bucket. */
  consume(kind: ClientKind, resource: Resource, points = 1): BucketState {
    const bucket = this.bucket(kind, resource);
    bucket.used = Math.min(bucket.limit, bucket.used + points);
    return bucket.state();
  }

  set(resource: Resource, remaining: number, resetEpochSeconds?: number): void {
    if (!Number.isInteger(remaining) || remaining < 0) {
      throw new Error(`setRemaining: remaining must be a non-negative integer, got ${JSON.stringify(remaining)}`);
    }
    if (resetEpochSeconds !== undefined && !Number.isInteger(resetEpochSeconds)) {
      throw new Error(`setRemaining: resetEpochSeconds must be an integer (epoch seconds), got ${JSON.stringify(resetEpochSeconds)}`);
    }
    for (const kind of ['authenticated', 'anonymous'] as const) {
      const bucket = this.bucket(kind, resource);
      bucket.used = bucket.limit - Math.min(remaining, bucket.limit);
      if (resetEpochSeconds !== undefined) bucket.reset = resetEpochSeconds;
    }
  }
}

export function rateLimitHeaders(state: BucketState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-reset': String(state.reset),
    'x-ratelimit-used': String(state.used),
    'x-ratelimit-resource': state.resource,
  };
}
