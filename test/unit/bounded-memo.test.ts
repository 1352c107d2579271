import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../shared/bounded-memo.js';

describe('boundedMemo', () => {
  it('makes a value once per key, and starts afresh past its limit', () => {
    const made: string[] = [];
    const memo = boundedMemo<string>(2);
    const make = (key: string) => {
      made.push(key);
      return key.toUpperCase();
    };
    expect(memo.get('a', make)).toBe('A');
    expect(memo.get('a', make)).toBe('A');
    expect(memo.get('b', make)).toBe('B');
    expect(made).toEqual(['a', 'b']);
    expect(memo.get('c', make)).toBe('C'); // full: cleared, then c kept
    expect(memo.get('a', make)).toBe('A');
    expect(made).toEqual(['a', 'b', 'c', 'a']);
  });
});
