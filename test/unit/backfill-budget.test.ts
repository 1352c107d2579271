// How backfill keeps to its share of an API budget: the floor it never goes under, low budgets,
// resets and refills, and the costliest step it has seen.
import { describe, expect, it } from 'vitest';
import { BudgetGuard, LOW_BUDGET_SHARE } from '../../electron/core/backfill/budget.js';

const T0 = Date.UTC(2026, 0, 1);
const RESET = T0 + 3_600_000;
const budget = (remaining: number, resetAt = RESET, limit = 5_000) => ({ resource: 'graphql', limit, remaining, resetAt });

describe('BudgetGuard', () => {
  it('lets backfill spend its share of what was left when it began, counting the step that reported it', () => {
    const guard = new BudgetGuard(0.5);
    expect(guard.wait(T0)).toBeNull();
    // The plan cost 10 of the 4,010 left: the base is 4,010, the floor 2,005.
    guard.observe(budget(4_000), T0, 10);
    let remaining = 4_000;
    let spent = 10;
    while (guard.wait(T0) === null) {
      remaining -= 25;
      spent += 25;
      guard.observe(budget(remaining), T0, 25);
    }
    expect(spent).toBeLessThanOrEqual(4_010 / 2);
    expect(spent).toBeGreaterThan(4_010 / 2 - 25);
    expect(guard.wait(T0)).toMatchObject({ resource: 'graphql', until: RESET, message: expect.stringMatching(/^backfill used its share of the graphql budget \(50% of the 4,010 left; 2,025 remain for polls\): waiting for the reset at 2026-01-01T01:00:00.000Z$/) });
  });

  it('counts what polls spend in the window against the share, through the costliest step seen', () => {
    const guard = new BudgetGuard(0.5);
    guard.observe(budget(1_000), T0, 1);
    guard.observe(budget(990), T0, 10);
    // A poll between two steps spent 400: the next step report shows it as a costly step.
    guard.observe(budget(580), T0, 10);
    expect(guard.wait(T0)).not.toBeNull();
  });

  it('waits whenever the budget is low, whatever the share, and goes on after the reset', () => {
    const guard = new BudgetGuard(1);
    guard.observe(budget(5_000 * LOW_BUDGET_SHARE), T0, 1);
    expect(guard.wait(T0)).toMatchObject({ until: RESET, message: expect.stringContaining('the graphql budget is low (250 of 5,000 left)') });
    expect(guard.wait(RESET)).toBeNull();
    // After the reset a new window starts from what is left then.
    guard.observe(budget(4_999, RESET + 3_600_000), RESET, 1);
    expect(guard.wait(RESET)).toBeNull();
  });

  it('starts a new window when the budget refills early, and ignores malformed budgets', () => {
    const guard = new BudgetGuard(0.5);
    guard.observe(budget(100, RESET, 100), T0, 1);
    guard.observe(budget(40, RESET, 100), T0, 1);
    expect(guard.wait(T0)).not.toBeNull();
    guard.observe(budget(100, RESET + 60_000, 100), T0 + 1, 1);
    expect(guard.wait(T0 + 1)).toBeNull();
    for (const bad of [null, { resource: 'x', limit: Number.NaN, remaining: 1, resetAt: RESET }, { resource: '', limit: 1, remaining: 1, resetAt: RESET }, { resource: 'x', limit: 0, remaining: 0, resetAt: RESET }]) {
      guard.observe(bad, T0, 1);
    }
    expect(guard.budgets().map((item) => item.resource)).toEqual(['graphql']);
  });

  it('keeps to the tightest of several budgets and refuses a share outside (0, 1]', () => {
    const guard = new BudgetGuard(0.5);
    guard.observe({ resource: 'core', limit: 5_000, remaining: 5_000, resetAt: RESET }, T0, 1);
    guard.observe({ resource: 'search', limit: 30, remaining: 10, resetAt: T0 + 60_000 }, T0, 20);
    expect(guard.wait(T0)).toMatchObject({ resource: 'search', until: T0 + 60_000 });
    expect(() => new BudgetGuard(0)).toThrow(/above 0 and at most 1/);
    expect(() => new BudgetGuard(1.5)).toThrow(/above 0 and at most 1/);
  });
});
