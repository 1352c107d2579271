// Repeated messages said once with a count (issue 13: 54 alike GraphQL errors were 54 warnings).
import { describe, expect, it } from 'vitest';
import { collapseRepeats, countRepeats, groupByMessage } from '../../shared/repeats.js';

describe('collapseRepeats', () => {
  it('says each distinct message once, in first-seen order, counting repeats', () => {
    const messages = [...Array.from({ length: 1_054 }, () => 'Cannot return null for non-nullable field Repository.forkCount.'), 'Something else'];
    expect(collapseRepeats(messages)).toBe('Cannot return null for non-nullable field Repository.forkCount. (× 1,054); Something else');
    expect(collapseRepeats(['b', 'a', 'b'], '\n')).toBe('b (× 2)\na');
    expect(collapseRepeats([])).toBe('');
    expect(countRepeats(['x', 'x'])).toEqual([{ message: 'x', count: 2 }]);
  });
});

describe('groupByMessage', () => {
  it('puts targets that failed for the same reason together', () => {
    expect(groupByMessage([
      { target: 'repo:a/x', message: '502' },
      { target: 'org:typo', message: 'not found' },
      { target: 'repo:a/y', message: '502' },
    ])).toEqual([{ message: '502', targets: ['repo:a/x', 'repo:a/y'] }, { message: 'not found', targets: ['org:typo'] }]);
  });
});
