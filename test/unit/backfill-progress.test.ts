// What `footprint backfill` shows: a progress bar redrawn in place on a terminal, plain lines
// otherwise, and the progress summary (units, tasks, problems, time left) behind both.
import { describe, expect, it } from 'vitest';
import type { BackfillProgress } from '../../shared/api.js';
import { RateTracker, summarizeProgress } from '../../electron/core/backfill/progress.js';
import { BackfillProgressView, formatDuration, progressBar } from '../../electron/core/cli/backfill-progress.js';
import type { StoredBackfillTask } from '../../electron/core/store/history-store.js';

function task(key: string, overrides: Partial<StoredBackfillTask> = {}): StoredBackfillTask {
  return {
    source: 'github', key, title: `${key} stars`, target: 'acme', state: 'pending', cursor: null, doneUnits: 0, totalUnits: 100,
    estimatedRequests: 1, requests: 0, reason: null, failures: 0, retryAt: null, planned: true, updatedAt: 0, ...overrides,
  };
}

const status = { source: 'github', title: 'GitHub', state: 'running' as const, paused: false, message: null, resumeAt: null };

function progress(overrides: Partial<BackfillProgress> = {}): BackfillProgress {
  return {
    ...status, tasks: { total: 4, done: 1, unavailable: 0, failed: 0 }, units: { done: 250, total: 1_000 }, requests: 12, etaMs: 180_000,
    problems: [], moreProblems: 0, ...overrides,
  };
}

class Capture {
  text = '';
  readonly isTTY: boolean;
  readonly columns: number;
  constructor(isTTY: boolean, columns = 100) {
    this.isTTY = isTTY;
    this.columns = columns;
  }

  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

describe('backfill progress', () => {
  it('sums planned tasks: units, problems, requests, and the time left at the recent rate', () => {
    const rate = new RateTracker();
    rate.record(0, 100);
    rate.record(60_000, 400);
    const tasks = [
      task('a', { state: 'done', doneUnits: 100, requests: 3 }),
      task('b', { state: 'running', doneUnits: 300, totalUnits: 500, requests: 4, cursor: 'x' }),
      task('c', { state: 'unavailable', reason: 'archived', doneUnits: 0, totalUnits: 200, requests: 1 }),
      task('d', { state: 'failed', reason: 'HTTP 502', retryAt: 5, failures: 2 }),
      task('e', { planned: false, requests: 9, doneUnits: 50 }),
    ];
    const summary = summarizeProgress(status, tasks, rate);
    expect(summary).toMatchObject({ tasks: { total: 4, done: 1, unavailable: 1, failed: 1 }, units: { done: 400, total: 700 }, requests: 17 });
    // 300 units left at 300 units a minute.
    expect(summary.etaMs).toBe(60_000);
    expect(summary.problems).toEqual([
      { task: 'c', title: 'c stars', target: 'acme', state: 'unavailable', reason: 'archived', retryAt: null },
      { task: 'd', title: 'd stars', target: 'acme', state: 'failed', reason: 'HTTP 502', retryAt: 5 },
    ]);
    // A task of unknown size leaves the total and the time left unknown.
    expect(summarizeProgress(status, [task('x', { totalUnits: null })], rate)).toMatchObject({ units: { done: 0, total: null }, etaMs: null });
    const many = Array.from({ length: 60 }, (_, index) => task(`t${index}`, { state: 'unavailable', reason: 'gone' }));
    expect(summarizeProgress(status, many, rate)).toMatchObject({ moreProblems: 10 });
    expect(summarizeProgress(status, many, rate).problems).toHaveLength(50);
  });

  it('starts the rate over when fewer units are done (a re-run)', () => {
    const rate = new RateTracker();
    rate.record(0, 0);
    rate.record(1_000, 500);
    rate.record(2_000, 0);
    expect(rate.timeFor(100)).toBeNull();
    rate.record(3_000, 100);
    expect(rate.timeFor(100)).toBe(1_000);
  });

  it('draws a bar per source on a terminal, redrawn in place, with problems printed above it', () => {
    const stream = new Capture(true, 120);
    const view = new BackfillProgressView(stream);
    view.update(progress());
    expect(stream.text).toBe(`github [######------------------]  25% 1/4 tasks, 250/1,000 units, about 3 min left, running`);
    view.update(progress({ source: 'npm', units: { done: 0, total: null }, tasks: { total: 0, done: 0, unavailable: 0, failed: 0 }, state: 'planning', etaMs: null }));
    view.task({ source: 'github', key: 'b', title: 'acme/b stars', target: 'acme', state: 'unavailable', reason: 'archived', doneUnits: 0 });
    view.task({ source: 'github', key: 'c', title: 'acme/c stars', target: 'acme', state: 'done', reason: null, doneUnits: 10 });
    view.end();
    expect(stream.text.split('\r\x1b[2K')).toHaveLength(3);
    expect(stream.text).toContain('\x1b[1A\x1b[2Kgithub: acme/b stars: cannot be backfilled: archived\n');
    expect(stream.text).not.toContain('acme/c stars');
    expect(stream.text.endsWith('npm [------------------------]   ?% 0/0 tasks, 0 units, planning\n')).toBe(true);
    // A narrow terminal cuts the line instead of wrapping it.
    expect(progressBar(progress({ message: 'x'.repeat(200) }), 60)).toHaveLength(60);
  });

  it('prints plain lines elsewhere: each task that ended and each change of what backfill does', () => {
    const stream = new Capture(false);
    const view = new BackfillProgressView(stream);
    view.update(progress({ state: 'planning', units: { done: 0, total: null }, etaMs: null }));
    view.update(progress());
    view.update(progress({ units: { done: 300, total: 1_000 } }));
    view.task({ source: 'github', key: 'a', title: 'acme/a stars', target: 'acme', state: 'done', reason: null, doneUnits: 1_200 });
    view.update(progress({ state: 'waiting-for-budget', message: 'waiting for the reset at 2026-01-01T01:00:00.000Z', resumeAt: 1 }));
    view.end();
    expect(stream.text).not.toContain('\x1b');
    expect(stream.text.split('\n')).toEqual([
      'github: 1/4 tasks, 0 units, planning',
      'github: 1/4 tasks, 250/1,000 units, about 3 min left, running',
      'github: acme/a stars: done (1,200 units)',
      'github: 1/4 tasks, 250/1,000 units, about 3 min left, waiting for the API budget, waiting for the reset at 2026-01-01T01:00:00.000Z',
      '',
    ]);
  });

  it('says how long in words', () => {
    expect([10_000, 180_000, 3_600_000, 5_400_000, 5 * 86_400_000].map(formatDuration)).toEqual(['less than a minute', '3 min', '1 h', '1 h 30 min', '5 days']);
  });
});
