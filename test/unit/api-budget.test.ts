import { describe, expect, it } from 'vitest';
import { apiBudgetOf, cleanIntervalAtLeast, pollBudgetMessage, pollBudgetShortfalls } from '../../electron/core/api-budget.js';

const names = { limit: 'github_rate_limit', remaining: 'github_rate_remaining', resetSeconds: 'github_rate_reset' };
const point = (metric: string, resource: string, value: number) => ({ metric, labels: { resource }, value });

describe('the API budget shown in Health', () => {
  it('shows the scarcest of several resources, with its own reset', () => {
    const points = [
      point('github_rate_limit', 'graphql', 5000),
      point('github_rate_remaining', 'graphql', 4900),
      point('github_rate_reset', 'graphql', 1_800_000_000),
      point('github_rate_limit', 'core', 5000),
      point('github_rate_remaining', 'core', 1200),
      point('github_rate_reset', 'core', 1_800_000_600),
      { metric: 'github_repo_stars', labels: { repo: 'r', user: 'u' }, value: 1 },
    ];
    expect(apiBudgetOf(points, names)).toEqual({ limit: 5000, remaining: 1200, resetAt: 1_800_000_600_000 });
  });

  it('reads an unlabelled budget as before, and nothing without a limit and a remaining', () => {
    expect(apiBudgetOf([{ metric: 'github_rate_limit', labels: {}, value: 60 }, { metric: 'github_rate_remaining', labels: {}, value: 58 }], names)).toEqual({ limit: 60, remaining: 58, resetAt: null });
    expect(apiBudgetOf([point('github_rate_limit', 'core', 60)], names)).toBeNull();
  });
});

describe('whether the budget covers the interval', () => {
  const withSpending = { ...names, spentPerPoll: 'github_rate_spent_per_poll' };
  const MINUTE = 60_000;
  // Issue 15: 10,000 repositories are 100 owner pages; at GitHub's pricing each costs about 31 points.
  /** A resource's limit, remaining and last poll's spending, as the GitHub source reports them. */
  const resource = (name: string, limit: number, remaining: number, spent: number) =>
    (['limit', 'remaining', 'spent_per_poll'] as const).map((field, index) => point(`github_rate_${field}`, name, [limit, remaining, spent][index]!));
  const bigOrg = [...resource('graphql', 5_000, 1_000, 3_100), ...resource('core', 5_000, 4_900, 100)];

  it('rounds up to an interval a person would write', () => {
    expect(cleanIntervalAtLeast(0)).toBe(MINUTE);
    expect(cleanIntervalAtLeast(MINUTE)).toBe(MINUTE);
    expect(cleanIntervalAtLeast(MINUTE + 1)).toBe(2 * MINUTE);
    expect(cleanIntervalAtLeast(37.2 * MINUTE)).toBe(45 * MINUTE);
    expect(cleanIntervalAtLeast(61 * MINUTE)).toBe(90 * MINUTE);
    expect(cleanIntervalAtLeast(13 * 3_600_000)).toBe(86_400_000);
    expect(cleanIntervalAtLeast(52 * 3_600_000)).toBe(3 * 86_400_000);
    expect(() => cleanIntervalAtLeast(Number.NaN)).toThrow(/non-negative number of milliseconds/);
  });

  it('10,000 repositories every 10 minutes overspend GraphQL points: the interval that fits is named', () => {
    const [shortfall, ...others] = pollBudgetShortfalls(bigOrg, withSpending, 10 * MINUTE);
    expect(others).toEqual([]);
    // 3,100 points × 6 polls an hour = 18,600 > 5,000; 3,100 / 5,000 of an hour = 37.2 min → 45m.
    expect(shortfall).toEqual({ budget: '"graphql"', spentPerPoll: 3_100, limitPerHour: 5_000, neededPerHour: 18_600, intervalMs: 10 * MINUTE, fittingIntervalMs: 45 * MINUTE });
    expect(pollBudgetMessage('github', shortfall!)).toBe(
      'github: a poll spends 3,100 of the "graphql" API budget, so polling every 10m needs 18,600 an hour, more than the 5,000 the API allows — ' +
      'the budget runs out before the hour ends; an interval of 45m fits: set github.interval: 45m');
  });

  it('says nothing when the interval fits, exactly at the limit too, or when no poll\'s spending is known', () => {
    expect(pollBudgetShortfalls(bigOrg, withSpending, 45 * MINUTE)).toEqual([]);
    expect(pollBudgetShortfalls([point('github_rate_limit', 'graphql', 5_000), point('github_rate_spent_per_poll', 'graphql', 2_500)], withSpending, 30 * MINUTE)).toEqual([]);
    expect(pollBudgetShortfalls(bigOrg.filter((item) => item.metric !== 'github_rate_spent_per_poll'), withSpending, MINUTE)).toEqual([]);
    // A source that declares no spending metric is never judged.
    expect(pollBudgetShortfalls(bigOrg, names, MINUTE)).toEqual([]);
  });

  it('judges each budget on its own: anonymous REST (60 an hour) names a whole number of days', () => {
    const anonymous = [point('github_rate_limit', 'core', 60), point('github_rate_spent_per_poll', 'core', 3_110)];
    const [shortfall] = pollBudgetShortfalls(anonymous, withSpending, 3_600_000);
    // 3,110 requests at 60 an hour take 51.8 hours.
    expect(shortfall).toMatchObject({ budget: '"core"', neededPerHour: 3_110, fittingIntervalMs: 3 * 86_400_000 });
    expect(pollBudgetMessage('github', shortfall!)).toContain('an interval of 3d fits: set github.interval: 3d');
    const hopeless = pollBudgetShortfalls([point('github_rate_limit', 'core', 60), point('github_rate_spent_per_poll', 'core', 31_100)], withSpending, 3_600_000);
    expect(pollBudgetMessage('github', hopeless[0]!)).toContain('only an interval of 22d would fit, longer than the longest allowed (7d): poll fewer targets, or give the source credentials with a larger budget');
  });
});
