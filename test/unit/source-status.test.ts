// Issue 13: one status model (shared/source-status.ts) — a source with a failed target is never "up to
// date", nor is one the dashboard cannot reach.
import { describe, expect, it } from 'vitest';
import { SOURCE_STATUS_TEXT, sourceStatus, statusDetail, worstStatus } from '../../shared/source-status.js';
import { healthOf } from '../support/fake-api.js';

const NOW = 1_800_000_000_000;
const MINUTE = 60_000;
const at = { now: NOW, online: true };
const fresh = { lastRunAt: NOW - MINUTE, lastSuccessAt: NOW - MINUTE };

describe('sourceStatus', () => {
  it('is ok only when the last run collected every target, recently', () => {
    expect(sourceStatus(healthOf('github', fresh), at)).toBe('ok');
    expect(SOURCE_STATUS_TEXT.ok).toBe('up to date');
  });

  it('is partial when some targets failed in a run that collected others', () => {
    const health = healthOf('github', { ...fresh, failedTargets: [{ target: 'org:acme-typo', message: "organization 'acme-typo' not found — check github.orgs" }] });
    expect(sourceStatus(health, at)).toBe('partial');
    expect(statusDetail(health, 'partial')).toBe("1 target failed — org:acme-typo: organization 'acme-typo' not found — check github.orgs");
  });

  it('is failed when the last run failed, even with an older success, and says why', () => {
    const health = healthOf('ga4', {
      ...fresh,
      lastError: 'nothing could be collected — property:1: Google Analytics refused access to property 1',
      consecutiveFailures: 1,
      failedTargets: [{ target: 'property:1', message: 'Google Analytics refused access to property 1' }],
    });
    expect(sourceStatus(health, at)).toBe('failed');
    expect(statusDetail(health, 'failed')).toMatch(/refused access to property 1/);
    expect(sourceStatus(healthOf('ga4', { ...fresh, state: 'backoff' }), at)).toBe('failed');
  });

  it('is stale when the last success is older than two intervals', () => {
    expect(sourceStatus(healthOf('npm', { lastSuccessAt: NOW - 20 * MINUTE }), at)).toBe('ok');
    expect(sourceStatus(healthOf('npm', { lastSuccessAt: NOW - 21 * MINUTE }), at)).toBe('stale');
    expect(statusDetail(healthOf('npm', { lastSuccessAt: NOW - 21 * MINUTE }), 'stale')).toBe('no new data for over two polling intervals (20m)');
    // Never succeeded: waiting, unless polling started more than two intervals ago.
    expect(sourceStatus(healthOf('npm'), at)).toBe('waiting');
    expect(sourceStatus(healthOf('npm'), { ...at, startedAt: NOW - 25 * MINUTE })).toBe('stale');
  });

  it('is offline, whatever the source last said, while there is no connection', () => {
    expect(sourceStatus(healthOf('github', fresh), { ...at, online: false })).toBe('offline');
    expect(sourceStatus(healthOf('github', { ...fresh, lastError: 'x' }), { ...at, online: false })).toBe('offline');
  });

  it('leaves a paused source paused', () => {
    expect(sourceStatus(healthOf('github', { state: 'paused', lastError: 'x' }), at)).toBe('paused');
  });

  it('picks the most serious status of several', () => {
    expect(worstStatus(['ok', 'partial', 'stale'])).toBe('partial');
    expect(worstStatus(['ok', 'failed', 'partial'])).toBe('failed');
    expect(worstStatus(['failed', 'offline'])).toBe('offline');
    expect(worstStatus([])).toBe('ok');
  });
});
