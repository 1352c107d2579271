// What makes a repository record from GitHub unusable: the checks both collectors (REST, GraphQL) share.
import { describe, expect, it } from 'vitest';
import { BadRecordError, checkRepositoryRecord } from '../../electron/core/sources/github/model.js';

function problemOf(owner: unknown, name: unknown, counts: Record<string, unknown>): string | null {
  try {
    checkRepositoryRecord(owner, name, counts);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRecordError);
    return (error as BadRecordError).message;
  }
}

describe('checkRepositoryRecord', () => {
  it('accepts names and counts as GitHub sends them', () => {
    expect(problemOf('acme', 'rocket.js', { stars: 0, forks: 12, size: Number.MAX_SAFE_INTEGER })).toBeNull();
  });

  it('refuses a count that is not one: NaN, Infinity, too large, negative, fractional, text, null', () => {
    const cases: [unknown, string][] = [
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [2 ** 60, String(2 ** 60)],
      [-1, '-1'],
      [1.5, '1.5'],
      ['12', '"12"'],
      [null, 'null'],
    ];
    for (const [value, shown] of cases) {
      expect(problemOf('acme', 'rocket', { stars: value })).toBe(`GitHub sent unusable data for repository 'acme/rocket' (stars is ${shown}, not a count); it is left out`);
    }
  });

  it('refuses a missing name or one with a lone surrogate, naming the repository printably', () => {
    expect(problemOf('acme', undefined, {})).toBe("GitHub sent unusable data for repository 'acme/?' (its name is undefined); it is left out");
    expect(problemOf('acme', '', {})).toBe('GitHub sent unusable data for repository \'acme/?\' (its name is ""); it is left out');
    expect(problemOf('ac\udc00me', 'rocket', {})).toBe("GitHub sent unusable data for repository 'ac\ufffdme/rocket' (its owner is not valid text: it holds a lone UTF-16 surrogate); it is left out");
    const error = (() => {
      try {
        checkRepositoryRecord('acme', 'bad\ud800', {});
      } catch (caught) {
        return caught as BadRecordError;
      }
      throw new Error('expected a BadRecordError');
    })();
    expect(error.target).toBe('repo:acme/bad\ufffd');
    expect(error.target.isWellFormed()).toBe(true);
  });
});
