// Slows down access-token guessing. A client (its remote address; IPv6 by /64, which one machine can
// hold whole) that sends a wrong token `maxFailures` times within `windowMs` is refused for `blockMs`,
// whatever it sends, and each further block of the same client lasts twice as long, up to
// `maxBlockMs`. A right token forgets the client's failures. At most `maxClients` clients are
// remembered: when full, one that is not blocked is forgotten first.
import net from 'node:net';

export interface AuthThrottleOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  readonly blockMs?: number;
  readonly maxBlockMs?: number;
  readonly maxClients?: number;
  /** Epoch milliseconds now; tests pass their own clock. */
  readonly now?: () => number;
}

interface ClientRecord {
  windowStart: number;
  failures: number;
  blockedUntil: number;
  /** Blocks so far, for the doubling. */
  blocks: number;
  lastFailure: number;
}

/** The key a client is counted under: its IPv4 address, or the /64 network of its IPv6 address. */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (net.isIPv6(address)) {
    const [head = '', tail = ''] = address.split('%')[0]!.toLowerCase().split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === '' ? [] : tail.split(':');
    const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
    return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
  }
  return address;
}

export class AuthThrottle {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #blockMs: number;
  readonly #maxBlockMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;
  /** In order of last failure, oldest first (a record is re-inserted on each failure). */
  readonly #clients = new Map<string, ClientRecord>();

  constructor(options: AuthThrottleOptions = {}) {
    this.#maxFailures = options.maxFailures ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#blockMs = options.blockMs ?? 60_000;
    this.#maxBlockMs = options.maxBlockMs ?? 3_600_000;
    this.#maxClients = options.maxClients ?? 4_096;
    this.#now = options.now ?? Date.now;
  }

  /** How long (ms) the client must wait before it may present a token again; 0 when it may now. */
  retryAfterMs(address: string | undefined): number {
    const record = this.#clients.get(clientKey(address));
    return record ? Math.max(0, record.blockedUntil - this.#now()) : 0;
  }

  /** A wrong token from this client; may start a block. */
  recordFailure(address: string | undefined): void {
    const key = clientKey(address);
    const now = this.#now();
    let record = this.#clients.get(key);
    if (record && this.#forgettable(record, now)) record = undefined;
    if (!record) {
      this.#makeRoom(now);
      record = { windowStart: now, failures: 0, blockedUntil: 0, blocks: 0, lastFailure: now };
    }
    if (now - record.windowStart >= this.#windowMs) {
      record.windowStart = now;
      record.failures = 0;
    }
    record.failures++;
    record.lastFailure = now;
    if (record.failures >= this.#maxFailures) {
      record.blockedUntil = now + Math.min(this.#maxBlockMs, this.#blockMs * 2 ** record.blocks);
      record.blocks++;
      record.failures = 0;
      record.windowStart = now;
    }
    this.#clients.delete(key);
    this.#clients.set(key, record);
  }

  /** A right token: the client's failures are forgotten. */
  recordSuccess(address: string | undefined): void {
    this.#clients.delete(clientKey(address));
  }

  /** Clients remembered (for tests: the memory stays bounded). */
  get size(): number {
    return this.#clients.size;
  }

  /** Its failures are outside the window, and it was not blocked within the longest block: nothing worth remembering. */
  #forgettable(record: ClientRecord, now: number): boolean {
    const blockRemembered = record.blocks > 0 ? record.blockedUntil + this.#maxBlockMs : 0;
    return now >= Math.max(record.lastFailure + this.#windowMs, blockRemembered);
  }

  #makeRoom(now: number): void {
    if (this.#clients.size < this.#maxClients) return;
    let oldestUnblocked: string | null = null;
    for (const [key, record] of this.#clients) {
      if (this.#forgettable(record, now)) this.#clients.delete(key);
      else if (oldestUnblocked === null && record.blockedUntil <= now) oldestUnblocked = key;
    }
    if (this.#clients.size < this.#maxClients) return;
    // Still full: forget a client that is not blocked (so spraying failures from many addresses does
    // not lift a block), else the one whose last failure is oldest.
    this.#clients.delete(oldestUnblocked ?? this.#clients.keys().next().value!);
  }
}
