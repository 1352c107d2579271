import { describe, expect, it } from 'vitest';
import { durationSchema } from '../../electron/core/duration.js';
import { formatDuration, formatSeconds, parseDuration } from '../../shared/duration.js';

describe('parseDuration', () => {
  it('reads units and sums parts', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5d')).toBe(129_600_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
  });

  it('refuses what is not a safe whole number of milliseconds, and overlong text', () => {
    expect(parseDuration(`1${'0'.repeat(400)}d`)).toBeNull(); // Number() makes this Infinity
    expect(parseDuration('9999999999999999d')).toBeNull();
    expect(parseDuration(`${'1s'.repeat(40)}`)).toBeNull();
    expect(parseDuration('')).toBeNull();
    expect(parseDuration('10 minutes')).toBeNull();
  });
});

describe('formatDuration (one notation for the core and the renderer)', () => {
  it('writes every unit the span holds, largest first, as the config does', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(86_400_000 + 1_000)).toBe('1d1s');
    expect(formatDuration(604_800_000)).toBe('7d');
    expect(formatDuration(1_500)).toBe('1s500ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it('is read back to the same milliseconds', () => {
    for (const ms of [1, 999, 1_000, 61_000, 5_400_000, 90_061_001, 604_800_000, 31_536_000_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('refuses a negative or non-finite span', () => {
    expect(() => formatDuration(-1)).toThrow(/non-negative number of milliseconds, not -1/);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });

  it('gives the bounds in config errors in the same notation', () => {
    expect(durationSchema(1_000, 5_400_000).safeParse('2h').error?.issues[0]?.message).toBe('2h is too long: use at most 1h30m');
    expect(durationSchema(1_000, 5_400_000).safeParse('10ms').error?.issues[0]?.message).toBe('10ms is too short: use at least 1s');
    expect(durationSchema(1_000, 5_400_000).safeParse('soon').error?.issues[0]?.message).toBe('"soon" is not a duration: write a number with a unit, e.g. "30s", "10m", "6h", "1d"');
  });

  it('says seconds in messages', () => {
    expect(formatSeconds(20_000)).toBe('20 s');
    expect(formatSeconds(1_500)).toBe('1.5 s');
  });
});
