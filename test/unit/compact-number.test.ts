import { describe, expect, it } from 'vitest';
import { compactNumber, compactNumberVariants, fullNumber } from '../../shared/compact-number.js';

describe('compactNumber', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1k'],
    [1234, '1.2k'],
    [1999, '1.9k'],
    [9999, '9.9k'],
    [12_345, '12k'],
    [123_456, '123k'],
    [999_999, '999k'],
    [1_000_000, '1M'],
    [1_250_000, '1.2M'],
    [45_600_000, '45M'],
    [2_500_000_000, '2.5B'],
    [1e12, '1T'],
    [3.5e15, '3500T'],
  ])('%d → %s (three significant digits at most, cut not rounded)', (value, text) => {
    expect(compactNumber(value)).toBe(text);
  });

  it('never rounds up to a figure not reached yet', () => {
    expect(compactNumber(1099)).toBe('1k');
    expect(compactNumber(99_999)).toBe('99k');
    expect(compactNumber(999.9)).toBe('999');
  });

  it('signs changes: "+" only when asked, "-" always', () => {
    expect(compactNumber(42, { signed: true })).toBe('+42');
    expect(compactNumber(1234, { signed: true })).toBe('+1.2k');
    expect(compactNumber(0, { signed: true })).toBe('0');
    expect(compactNumber(-1234)).toBe('-1.2k');
    expect(compactNumber(-5, { signed: true })).toBe('-5');
    expect(compactNumber(-0.4)).toBe('0');
  });

  it('shows "--" for a value that is not a number', () => {
    expect(compactNumber(Number.NaN)).toBe('--');
    expect(compactNumber(Number.POSITIVE_INFINITY)).toBe('--');
  });
});

describe('compactNumberVariants', () => {
  it('offers shorter forms for tight places, most precise first', () => {
    expect(compactNumberVariants(1234)).toEqual(['1.2k', '1k']);
    expect(compactNumberVariants(1234, { signed: true })).toEqual(['+1.2k', '+1k', '1.2k', '1k']);
    expect(compactNumberVariants(123_456, { signed: true })).toEqual(['+123k', '123k']);
    expect(compactNumberVariants(999)).toEqual(['999']);
  });

  it('never drops a minus sign', () => {
    expect(compactNumberVariants(-1234, { signed: true })).toEqual(['-1.2k', '-1k']);
  });
});

describe('fullNumber', () => {
  it('groups thousands', () => {
    expect(fullNumber(1_234_567)).toBe('1,234,567');
    expect(fullNumber(-1200.7)).toBe('-1,200');
  });
});
