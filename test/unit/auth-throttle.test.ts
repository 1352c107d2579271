// Failed access-token attempts per client, on a test clock.
import { describe, expect, it } from 'vitest';
import { AuthThrottle, clientKey } from '../../electron/core/auth-throttle.js';

function throttleAt(start = 1_000_000, options: ConstructorParameters<typeof AuthThrottle>[0] = {}) {
  const clock = { now: start };
  const throttle = new AuthThrottle({ maxFailures: 3, windowMs: 60_000, blockMs: 60_000, maxBlockMs: 240_000, now: () => clock.now, ...options });
  return { throttle, clock };
}

describe('AuthThrottle', () => {
  it('blocks a client after maxFailures wrong tokens within the window, for blockMs', () => {
    const { throttle, clock } = throttleAt();
    throttle.recordFailure('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(0);
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(60_000);
    expect(throttle.retryAfterMs('10.0.0.2')).toBe(0); // another client is not held up
    clock.now += 59_999;
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(1);
    clock.now += 1;
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('forgets failures older than the window, and all of them after a right token', () => {
    const { throttle, clock } = throttleAt();
    throttle.recordFailure('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    clock.now += 60_000;
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(0);
    throttle.recordFailure('10.0.0.1');
    throttle.recordSuccess('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('doubles each further block of the same client, up to maxBlockMs', () => {
    const { throttle, clock } = throttleAt();
    const blocks: number[] = [];
    for (let block = 0; block < 5; block++) {
      for (let failure = 0; failure < 3; failure++) throttle.recordFailure('10.0.0.1');
      blocks.push(throttle.retryAfterMs('10.0.0.1'));
      clock.now += blocks.at(-1)!;
    }
    expect(blocks).toEqual([60_000, 120_000, 240_000, 240_000, 240_000]);
  });

  it('remembers at most maxClients, and does not lift a block to make room', () => {
    const { throttle, clock } = throttleAt(0, { maxClients: 100 });
    for (let failure = 0; failure < 3; failure++) throttle.recordFailure('192.0.2.1');
    for (let client = 0; client < 5_000; client++) {
      clock.now += 1;
      throttle.recordFailure(`10.0.${client >> 8}.${client & 255}`);
    }
    expect(throttle.size).toBe(100);
    expect(throttle.retryAfterMs('192.0.2.1')).toBe(60_000 - 5_000);
    // Once nobody is blocked and every failure is older than the window, the records go.
    clock.now += 3_600_000;
    throttle.recordFailure('10.9.9.9');
    expect(throttle.size).toBe(1);
    expect(throttle.retryAfterMs('192.0.2.1')).toBe(0);
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey(undefined)).toBe('unknown');
    const { throttle } = throttleAt();
    for (let host = 1; host <= 3; host++) throttle.recordFailure(`2001:db8:1:2::${host}`);
    expect(throttle.retryAfterMs('2001:db8:1:2:ffff::9')).toBe(60_000);
  });
});
