import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../electron/core/duration.js';

describe('parseDuration', () => {
  it('reads units and sums parts', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5d')).toBe(129_600_000);
  });

  it('refuses what is not a safe whole number of milliseconds, and overlong text', () => {
    expect(parseDuration(`1${'0'.repeat(400)}d`)).toBeNull(); // Number() makes this Infinity
    expect(parseDuration('9999999999999999d')).toBeNull();
    expect(parseDuration(`${'1s'.repeat(40)}`)).toBeNull();
    expect(parseDuration('')).toBeNull();
    expect(parseDuration('10 minutes')).toBeNull();
  });

  it('formats back to the largest whole unit', () => {
    expect(formatDuration(604_800_000)).toBe('7d');
    expect(formatDuration(1_500)).toBe('1500ms');
  });
});
