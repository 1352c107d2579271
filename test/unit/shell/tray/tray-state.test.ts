import { describe, expect, it } from 'vitest';
import type { SourceHealth } from '../../../../shared/api.js';
import { isStale, staleAfterMs, trayState } from '../../../../electron/shell/tray/tray-state.js';
import { agoText, MAX_TOOLTIP_LENGTH, tooltipText } from '../../../../electron/shell/tray/tray-tooltip.js';

const MINUTE = 60_000;
const now = 1_000 * MINUTE;

function health(overrides: Partial<SourceHealth> = {}): SourceHealth {
  return {
    id: 'github', title: 'GitHub', state: 'idle', intervalMs: 10 * MINUTE, lastRunAt: now - MINUTE, lastSuccessAt: now - MINUTE,
    nextRunAt: now + 9 * MINUTE, lastError: null, consecutiveFailures: 0, failedTargets: [], apiBudget: null, ...overrides,
  };
}

describe('trayState', () => {
  const startedAt = now - 60 * MINUTE;

  it('is ok when every source ran recently, and with nothing configured', () => {
    expect(trayState({ online: true, sources: [health()], now, startedAt })).toBe('ok');
    expect(trayState({ online: true, sources: [], now, startedAt })).toBe('ok');
  });

  // Issue 13: stale means no success for two intervals (shared/source-status.ts), so these sources' last success is as old as their last run.
  it('is stale when a source has not run for more than two intervals', () => {
    expect(staleAfterMs(10 * MINUTE)).toBe(20 * MINUTE);
    expect(trayState({ online: true, sources: [health({ lastRunAt: now - 20 * MINUTE, lastSuccessAt: now - 20 * MINUTE })], now, startedAt })).toBe('ok');
    expect(trayState({ online: true, sources: [health({ lastRunAt: now - 21 * MINUTE, lastSuccessAt: now - 21 * MINUTE })], now, startedAt })).toBe('stale');
  });

  it('counts a source that never ran from the start of polling', () => {
    expect(isStale(health({ lastRunAt: null, lastSuccessAt: null }), now, now - 5 * MINUTE)).toBe(false);
    expect(isStale(health({ lastRunAt: null, lastSuccessAt: null }), now, now - 25 * MINUTE)).toBe(true);
  });

  it('is error when some targets of a source failed (partial), not ok', () => {
    const partial = health({ failedTargets: [{ target: 'org:acme-typo', message: "organization 'acme-typo' not found — check github.orgs" }] });
    expect(trayState({ online: true, sources: [partial], now, startedAt })).toBe('error');
    expect(tooltipText({ figure: '', state: 'error', paused: false, sources: [partial], now, startedAt })).toContain("GitHub: 1 target failed — org:acme-typo: organization 'acme-typo' not found");
  });

  it('does not call a paused source stale: the user chose that', () => {
    expect(trayState({ online: true, sources: [health({ state: 'paused', lastRunAt: now - 300 * MINUTE })], now, startedAt })).toBe('ok');
  });

  it('is error while a source fails, whatever its age', () => {
    expect(trayState({ online: true, sources: [health(), health({ id: 'npm', consecutiveFailures: 1, lastRunAt: now - 300 * MINUTE })], now, startedAt })).toBe('error');
  });

  it('is offline before anything else', () => {
    expect(trayState({ online: false, sources: [health({ consecutiveFailures: 3 })], now, startedAt })).toBe('offline');
  });
});

describe('tooltipText', () => {
  const base = { figure: '1,244 GitHub stars', state: 'ok' as const, paused: false, sources: [health()], now, startedAt: now - 60 * MINUTE };

  it('gives the figure and how fresh it is', () => {
    expect(tooltipText(base)).toBe('Footprint — 1,244 GitHub stars\nUpdated 1 min ago');
  });

  it('names a failing source and its error', () => {
    const text = tooltipText({ ...base, state: 'error', sources: [health({ title: 'Docker Hub', consecutiveFailures: 2, lastError: 'rate limited until 14:00' })] });
    expect(text).toBe('Footprint — 1,244 GitHub stars\nDocker Hub is failing: rate limited until 14:00');
  });

  it('says when polling waits or nothing is set up', () => {
    expect(tooltipText({ ...base, state: 'offline' })).toContain('Offline: polling resumes when the network is back');
    expect(tooltipText({ ...base, paused: true })).toContain('Polling paused');
    expect(tooltipText({ ...base, figure: '', sources: [] })).toBe('Footprint\nNo source configured yet: open Settings');
    expect(tooltipText({ ...base, state: 'stale', sources: [health({ lastRunAt: now - 180 * MINUTE, lastSuccessAt: now - 180 * MINUTE })] })).toContain('GitHub has not updated since 3 h ago');
  });

  it('stays within the 127 characters Windows shows', () => {
    const text = tooltipText({ ...base, state: 'error', sources: [health({ consecutiveFailures: 1, lastError: 'x'.repeat(300) })] });
    expect(text.length).toBe(MAX_TOOLTIP_LENGTH);
    expect(text.endsWith('…')).toBe(true);
  });

  it('writes ages in plain words', () => {
    expect(agoText(10_000)).toBe('just now');
    expect(agoText(5 * MINUTE)).toBe('5 min ago');
    expect(agoText(3 * 60 * MINUTE)).toBe('3 h ago');
    expect(agoText(72 * 60 * MINUTE)).toBe('3 days ago');
  });
});
