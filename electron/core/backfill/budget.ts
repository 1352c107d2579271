// How backfill keeps to its share of an API's budget. Per budget (resource) a source reports, the
// budget left when backfill first sees a rate-limit window is the base; backfill may spend at most
// `share` of it, and never the last LOW_BUDGET_SHARE of the limit, which stay for polls. A step is
// started only when the budget left after it (by the costliest step seen in the window) stays at or
// above that floor; otherwise backfill waits for the window to reset. Whatever polls spend in the
// window counts against the share too, so backfill never takes more than its share.
import type { ApiBudget } from './contract.js';

/** Below this share of the limit the budget is low: backfill waits for the reset whatever its share. */
export const LOW_BUDGET_SHARE = 0.05;

interface Window {
  limit: number;
  remaining: number;
  resetAt: number;
  /** The budget left when backfill first saw this window. */
  base: number;
  /** The most one step (or plan) has cost in this window; 1 until seen. */
  stepCost: number;
}

export interface BudgetWait {
  readonly resource: string;
  /** When the budget refills. */
  readonly until: number;
  readonly message: string;
}

function isBudget(value: unknown): value is ApiBudget {
  const budget = value as ApiBudget | null;
  return typeof budget?.resource === 'string' && budget.resource !== ''
    && [budget.limit, budget.remaining, budget.resetAt].every((n) => typeof n === 'number' && Number.isFinite(n))
    && budget.limit > 0 && budget.remaining >= 0;
}

export class BudgetGuard {
  readonly #share: number;
  readonly #windows = new Map<string, Window>();

  constructor(share: number) {
    if (!(share > 0 && share <= 1)) throw new Error(`budget share must be above 0 and at most 1 (got ${share})`);
    this.#share = share;
  }

  /**
   * Takes in the budget a plan or step reported after spending `spent` requests; a malformed one is
   * ignored. A new window's base is what was left before that plan or step.
   */
  observe(budget: unknown, now: number, spent: number): void {
    if (!isBudget(budget)) return;
    const known = this.#windows.get(budget.resource);
    // A new window: the first report, a reset that passed, or a budget that grew (refilled early).
    if (known === undefined || now >= known.resetAt || budget.remaining > known.remaining) {
      const base = Math.min(budget.limit, budget.remaining + spent);
      this.#windows.set(budget.resource, { limit: budget.limit, remaining: budget.remaining, resetAt: budget.resetAt, base, stepCost: Math.max(1, spent) });
      return;
    }
    known.stepCost = Math.max(known.stepCost, known.remaining - budget.remaining);
    known.remaining = budget.remaining;
    known.limit = budget.limit;
    known.resetAt = budget.resetAt;
  }

  /** The budget backfill must wait for, or null when it may start a step now. */
  wait(now: number): BudgetWait | null {
    let longest: BudgetWait | null = null;
    for (const [resource, window] of this.#windows) {
      if (now >= window.resetAt) {
        // Refilled: the next report opens a new window.
        this.#windows.delete(resource);
        continue;
      }
      const floor = Math.max(window.base * (1 - this.#share), window.limit * LOW_BUDGET_SHARE);
      if (window.remaining - window.stepCost >= floor) continue;
      if (longest !== null && longest.until >= window.resetAt) continue;
      const low = window.remaining <= window.limit * LOW_BUDGET_SHARE;
      const count = (n: number) => n.toLocaleString('en-US');
      const why = low
        ? `the ${resource} budget is low (${count(window.remaining)} of ${count(window.limit)} left)`
        : `backfill used its share of the ${resource} budget (${Math.round(this.#share * 100)}% of the ${count(window.base)} left; ${count(window.remaining)} remain for polls)`;
      longest = { resource, until: window.resetAt, message: `${why}: waiting for the reset at ${new Date(window.resetAt).toISOString()}` };
    }
    return longest;
  }

  /** The budgets seen, as last reported (for progress and --dry-run). */
  budgets(): ApiBudget[] {
    return [...this.#windows].map(([resource, window]) => ({ resource, limit: window.limit, remaining: window.remaining, resetAt: window.resetAt }));
  }

  clear(): void {
    this.#windows.clear();
  }
}
