import { describe, expect, it } from 'vitest';
import { apiBudgetOf } from '../../electron/core/api-budget.js';

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
