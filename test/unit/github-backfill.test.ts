// The GitHub backfill's pure parts: counting by UTC day across pages, task keys, cursors, the plan's
// tasks and the GraphQL documents (valid against GitHub's schema).
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import { absorbTimes, closeCount, EMPTY_COUNT } from '../../electron/core/sources/github/daily-count.js';
import type { DailyCount, DayPoint } from '../../electron/core/sources/github/daily-count.js';
import {
  decodeCursor,
  encodeCursor,
  parseTaskKey,
  planTasks,
  restStarCapReason,
  startCursor,
} from '../../electron/core/sources/github/backfill-tasks.js';
import type { ListedRepository } from '../../electron/core/sources/github/backfill-tasks.js';
import { HISTORY_TASKS_PER_QUERY, historyPagesQuery, ownerListingQuery, repositoryListingQuery } from '../../electron/core/sources/github/backfill-queries.js';
import { githubSchema } from '../fakes/github/graphql-schema.js';

const DAY = 86_400_000;
const D1 = Date.UTC(2024, 2, 1);
const TODAY = Date.UTC(2024, 2, 10);

function at(day: number, hour: number): number {
  return D1 + day * DAY + hour * 3_600_000;
}

/** Feeds the times page by page, as the steps do, and returns every point written. */
function countInPages(times: readonly number[], pageSize: number, today = TODAY): DayPoint[] {
  let state: DailyCount = EMPTY_COUNT;
  const points: DayPoint[] = [];
  for (let start = 0; start < times.length; start += pageSize) {
    const absorbed = absorbTimes(state, times.slice(start, start + pageSize), today);
    points.push(...absorbed.points);
    state = absorbed.state;
    if (absorbed.reachedToday) break;
  }
  return [...points, ...closeCount(state)];
}

describe('counting by UTC day', () => {
  const times = [at(0, 1), at(0, 5), at(0, 23), at(2, 0), at(2, 12), at(5, 9), at(9, 1), at(9, 2)];

  it('writes the count at the end of each day on which it changed, whatever the page size', () => {
    const expected = [
      { time: endOfUtcDay(at(0, 0)), value: 3 },
      { time: endOfUtcDay(at(2, 0)), value: 5 },
      { time: endOfUtcDay(at(5, 0)), value: 6 },
      { time: endOfUtcDay(at(9, 0)), value: 8 },
    ];
    for (const pageSize of [1, 2, 3, 100]) expect(countInPages(times, pageSize, Date.UTC(2024, 2, 20))).toEqual(expected);
  });

  it('leaves today (and later) to the live poll', () => {
    expect(countInPages(times, 3, at(9, 0))).toEqual([
      { time: endOfUtcDay(at(0, 0)), value: 3 },
      { time: endOfUtcDay(at(2, 0)), value: 5 },
      { time: endOfUtcDay(at(5, 0)), value: 6 },
    ]);
    const absorbed = absorbTimes(EMPTY_COUNT, [at(9, 0)], at(9, 0));
    expect(absorbed).toEqual({ state: EMPTY_COUNT, points: [], reachedToday: true });
  });

  it('keeps a day open across pages until a later day shows up', () => {
    const first = absorbTimes(EMPTY_COUNT, [at(0, 1), at(0, 2)], TODAY);
    expect(first.points).toEqual([]);
    expect(first.state).toEqual({ count: 2, openDay: D1 });
    const second = absorbTimes(first.state, [at(0, 3), at(1, 0)], TODAY);
    expect(second.points).toEqual([{ time: endOfUtcDay(D1), value: 3 }]);
  });

  it('counts a time earlier than the open day on the open day, so no day is written twice', () => {
    expect(countInPages([at(0, 1), at(3, 1), at(1, 1), at(4, 1)], 100)).toEqual([
      { time: endOfUtcDay(at(0, 0)), value: 1 },
      { time: endOfUtcDay(at(3, 0)), value: 3 },
      { time: endOfUtcDay(at(4, 0)), value: 4 },
    ]);
  });

  it('writes nothing for an empty list', () => {
    expect(countInPages([], 100)).toEqual([]);
  });
});

describe('task keys and cursors', () => {
  it('parses the keys the plan makes, and refuses others', () => {
    expect(parseTaskKey('stars:acme/rocket.js')).toEqual({ kind: 'stars', owner: 'acme', name: 'rocket.js' });
    expect(parseTaskKey('forks:a/b')).toEqual({ kind: 'forks', owner: 'a', name: 'b' });
    expect(parseTaskKey('releases:a/b')).toEqual({ kind: 'releases', owner: 'a', name: 'b' });
    expect(parseTaskKey('downloads:org:acme')).toEqual({ kind: 'downloads', target: 'org:acme' });
    for (const bad of ['stars', 'stars:', 'stars:acme', 'stars:/x', 'stars:x/', 'watchers:a/b', 'nonsense']) expect(parseTaskKey(bad)).toBeNull();
  });

  it('round-trips a cursor, and reads one saved for the other API (or garbage) as none', () => {
    const graphql = { api: 'graphql', after: 'Y3Vyc29yOjEwMA==', count: 100, openDay: D1 } as const;
    const rest = { api: 'rest', page: 7, count: 600, openDay: null } as const;
    expect(decodeCursor(encodeCursor(graphql), 'graphql')).toEqual(graphql);
    expect(decodeCursor(encodeCursor(rest), 'rest')).toEqual(rest);
    expect(decodeCursor(encodeCursor(rest), 'graphql')).toBeNull();
    expect(decodeCursor(encodeCursor(graphql), 'rest')).toBeNull();
    for (const bad of ['', 'null', '[]', '{"api":"rest","page":0,"count":0,"openDay":null}', '{"api":"graphql","after":3,"count":0,"openDay":null}', '{"api":"graphql","after":null,"count":-1,"openDay":null}', '{"api":"graphql","after":null,"count":1,"openDay":"x"}']) {
      expect(decodeCursor(bad, bad.includes('rest') ? 'rest' : 'graphql')).toBeNull();
    }
    expect(startCursor('rest')).toEqual({ api: 'rest', page: 1, count: 0, openDay: null });
  });

  it('names the day the history without a token reached', () => {
    expect(restStarCapReason(Date.UTC(2021, 4, 6))).toBe(
      'star history without a token stops at 40,000 stars (history up to 2021-05-06 is stored): add a token in github.token to read the rest',
    );
  });
});

describe('the plan', () => {
  const identity = (owner: string, name: string) => ({ owner, name, isPrivate: false, isFork: false, isArchived: false, license: '', language: '' });
  const listed: ListedRepository[] = [
    { target: 'org:acme', identity: identity('acme', 'big'), stars: 45_001, forks: 120, releases: 3 },
    { target: 'org:acme', identity: identity('acme', 'quiet'), stars: 0, forks: 0, releases: 0 },
    // Reached again through github.repos: planned once, under the first target.
    { target: 'repo:ACME/big', identity: identity('acme', 'big'), stars: 45_001, forks: 120, releases: 3 },
    { target: 'user:solo', identity: identity('solo', 'tool'), stars: 5, forks: 0, releases: null },
  ];

  it('makes a task per history a repository has, sized in pages of 100, and a downloads note per target with releases', () => {
    expect(planTasks(listed, 'graphql')).toEqual([
      { key: 'stars:acme/big', title: 'acme/big stars', target: 'org:acme', totalUnits: 45_001, estimatedRequests: 451 },
      { key: 'forks:acme/big', title: 'acme/big forks', target: 'org:acme', totalUnits: 120, estimatedRequests: 2 },
      { key: 'releases:acme/big', title: 'acme/big releases', target: 'org:acme', totalUnits: 3, estimatedRequests: 1 },
      { key: 'stars:solo/tool', title: 'solo/tool stars', target: 'user:solo', totalUnits: 5, estimatedRequests: 1 },
      { key: 'releases:solo/tool', title: 'solo/tool releases', target: 'user:solo', totalUnits: null, estimatedRequests: 1 },
      { key: 'downloads:org:acme', title: 'acme release downloads', target: 'org:acme', totalUnits: null, estimatedRequests: 0 },
      { key: 'downloads:user:solo', title: 'solo release downloads', target: 'user:solo', totalUnits: null, estimatedRequests: 0 },
    ]);
  });

  it('estimates REST stars to the 422 after page 400', () => {
    expect(planTasks(listed, 'rest')[0]).toMatchObject({ key: 'stars:acme/big', estimatedRequests: 401 });
  });
});

describe('backfill GraphQL documents', () => {
  const schemaErrors = (query: string) => validate(githubSchema(), parse(query)).map((error) => error.message);

  it('validate against GitHub’s public schema', () => {
    for (const forks of [true, false]) {
      for (const archived of [true, false]) {
        for (const privateRepos of [true, false]) expect(schemaErrors(ownerListingQuery({ forks, archived, private: privateRepos }))).toEqual([]);
      }
    }
    expect(schemaErrors(repositoryListingQuery([{ owner: 'a', name: 'b' }, { owner: 'c', name: 'd' }]).query)).toEqual([]);
    const kinds = ['stars', 'forks', 'releases'] as const;
    const full = historyPagesQuery(Array.from({ length: HISTORY_TASKS_PER_QUERY }, (_, index) => ({ kind: kinds[index % 3]!, owner: 'o', name: `r${index}`, after: index % 2 ? 'Y3Vyc29y' : null })));
    expect(schemaErrors(full.query)).toEqual([]);
    expect(full.variables).toMatchObject({ o0: 'o', n0: 'r0', c0: null, c1: 'Y3Vyc29y' });
  });

  it('read oldest first, 100 per page', () => {
    const { query } = historyPagesQuery([
      { kind: 'stars', owner: 'o', name: 'a', after: null },
      { kind: 'forks', owner: 'o', name: 'b', after: null },
    ]);
    expect(query).toContain('stargazers(first: 100, after: $c0, orderBy: {field: STARRED_AT, direction: ASC})');
    expect(query).toContain('forks(first: 100, after: $c1, orderBy: {field: CREATED_AT, direction: ASC})');
    expect(query).toContain('rateLimit { limit remaining resetAt cost }');
  });
});
