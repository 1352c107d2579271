// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackfillProgress } from '../../../shared/api.js';
import { ApiError } from '../../../renderer/api/errors.js';
import { formatDateTime } from '../../../renderer/format.js';
import { HealthView } from '../../../renderer/views/health.js';
import { FakeApi, healthOf } from '../../support/fake-api.js';
import { renderWith } from './render-helpers.js';

const NOW = Date.now();

function api(): FakeApi {
  return new FakeApi({
    configured: ['github', 'npm'],
    health: [
      healthOf('github', {
        lastSuccessAt: NOW - 3 * 60_000 - 5_000,
        lastRunAt: NOW - 60_000,
        nextRunAt: NOW + 7 * 60_000 + 5_000,
        lastError: null,
        failedTargets: [{ target: 'gone-org', message: 'GitHub has no organization "gone-org": check the name' }],
        apiBudget: { limit: 5000, remaining: 4321, resetAt: NOW + 30 * 60_000 + 5_000 },
      }),
      healthOf('npm', { state: 'backoff', lastError: 'npm answered 503 five times: polling again in 4 min', consecutiveFailures: 5, intervalMs: 21_600_000 }),
    ],
  });
}

afterEach(cleanup);

describe('Health', () => {
  it('shows loading, then one row per source with its facts in words', async () => {
    const fake = api();
    const release = fake.hold('health');
    renderWith(fake, <HealthView />);
    expect(screen.getByTestId('loading')).toBeTruthy();
    await act(async () => release());
    const [github, npm] = await screen.findAllByTestId('health-row');
    const lastSuccess = within(github!).getByTestId('health-last-success').querySelector('time')!;
    expect(lastSuccess.textContent).toBe('3 min. ago');
    expect(lastSuccess.getAttribute('title')).toBe(formatDateTime(NOW - 3 * 60_000 - 5_000));
    expect(within(github!).getByText('in 7 min.')).toBeTruthy();
    // Issue 13: the budget in exact numbers, not "4.3K of 5K".
    expect(within(github!).getByTestId('health-budget').textContent).toBe('4,321 of 5,000 · resets in 30 min.');
    expect(within(github!).getByTestId('health-failed-targets').textContent).toContain('gone-org: GitHub has no organization "gone-org": check the name');
    // Issue 13: a source with a failed target is partly failing, never "up to date".
    expect(within(github!).getByTestId('health-badge').getAttribute('data-status')).toBe('partial');
    expect(within(github!).getByTestId('health-badge').textContent).not.toContain('up to date');
    expect(within(npm!).getByTestId('health-error').textContent).toContain('npm answered 503 five times: polling again in 4 min');
    expect(within(npm!).getByTestId('health-failures').textContent).toBe('5');
    expect(within(npm!).getByTestId('health-state').textContent).toBe('backing off after failures');
    expect(within(npm!).getByTestId('health-budget').textContent).toBe('not reported');
    expect(within(npm!).getByText('every 6h')).toBeTruthy();
  });

  it('lists a source’s notes (data a target cannot give) apart from its failures', async () => {
    const note = { target: 'repo:acme/widget', message: 'traffic needs push access to this repository (GitHub: Must have push access to repository)' };
    const fake = new FakeApi({ configured: ['github'], health: [healthOf('github', { lastSuccessAt: NOW - 60_000, lastRunAt: NOW - 60_000, notes: [note], moreNotes: 2 })] });
    renderWith(fake, <HealthView />);
    const [github] = await screen.findAllByTestId('health-row');
    const notes = within(github!).getByTestId('health-notes');
    expect(notes.textContent).toContain('repo:acme/widget: traffic needs push access to this repository');
    expect(notes.textContent).toContain('and 2 more');
    expect(within(github!).getByText('3 notes (not failures)')).toBeTruthy();
    expect(within(github!).queryByTestId('health-failed-targets')).toBeNull();
    expect(within(github!).getByTestId('health-badge').getAttribute('data-status')).toBe('ok');
  });

  it('says when the API budget cannot cover the interval, with the interval that fits (issue 15)', async () => {
    const warning = 'github: a poll spends 3,100 of the "graphql" API budget, so polling every 10m needs 18,600 an hour, more than the 5,000 the API allows — the budget runs out before the hour ends; an interval of 45m fits: set github.interval: 45m';
    const fake = new FakeApi({ configured: ['github', 'npm'], health: [healthOf('github', { lastSuccessAt: NOW - 60_000, lastRunAt: NOW - 60_000, budgetWarning: warning }), healthOf('npm', { lastSuccessAt: NOW - 60_000, lastRunAt: NOW - 60_000 })] });
    renderWith(fake, <HealthView />);
    const [github, npm] = await screen.findAllByTestId('health-row');
    expect(within(github!).getByTestId('health-budget-warning').textContent).toBe(warning);
    expect(within(npm!).queryByTestId('health-budget-warning')).toBeNull();
  });

  it('says targets that failed for the same reason once, counted (× 54), not 54 lines (issue 13)', async () => {
    const failedTargets = Array.from({ length: 54 }, (_, index) => ({ target: `repo:acme/r${index}`, message: 'GitHub answered 502: try again later' }));
    const fake = new FakeApi({ configured: ['github'], health: [healthOf('github', { lastSuccessAt: NOW, failedTargets: [...failedTargets, { target: 'org:acme-typo', message: 'not found' }] })] });
    renderWith(fake, <HealthView />);
    const [github] = await screen.findAllByTestId('health-row');
    const items = within(within(github!).getByTestId('health-failed-targets')).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual(['repo:acme/r0, repo:acme/r1, repo:acme/r2 and 51 more (× 54): GitHub answered 502: try again later', 'org:acme-typo: not found']);
    expect(within(github!).getByText('55 targets failed')).toBeTruthy();
  });

  it('pauses, resumes and refreshes a source; the health event shows the result', async () => {
    const fake = api();
    renderWith(fake, <HealthView />);
    const [github] = await screen.findAllByTestId('health-row');
    fireEvent.click(within(github!).getByTestId('pause-source'));
    await waitFor(() => expect(fake.callsTo('pause')).toEqual([['github']]));
    act(() => fake.emit({ type: 'health', health: { ...fake.healthValue[0]!, state: 'paused' } }));
    const row = screen.getAllByTestId('health-row')[0]!;
    expect(row.getAttribute('data-state')).toBe('paused');
    expect((within(row).getByTestId('refresh-source') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(row).getByTestId('resume-source'));
    await waitFor(() => expect(fake.callsTo('resume')).toEqual([['github']]));
    act(() => fake.emit({ type: 'health', health: { ...fake.healthValue[0]!, state: 'idle' } }));
    fireEvent.click(within(screen.getAllByTestId('health-row')[0]!).getByTestId('refresh-source'));
    await waitFor(() => expect(fake.callsTo('refresh')).toEqual([['github']]));
    expect(fake.callsTo('health')).toHaveLength(1);
  });

  it('shows why an action failed', async () => {
    const fake = api();
    fake.fail('refresh', new ApiError('npm is backing off until 14:05: wait or resume it'));
    renderWith(fake, <HealthView />);
    const rows = await screen.findAllByTestId('health-row');
    fireEvent.click(within(rows[1]!).getByTestId('refresh-source'));
    expect(await within(rows[1]!).findByText('npm is backing off until 14:05: wait or resume it')).toBeTruthy();
  });

  it('shows an error, and an empty state without sources', async () => {
    const fake = api();
    fake.fail('health', new ApiError('the scheduler is not running'));
    renderWith(fake, <HealthView />);
    expect((await screen.findByRole('alert')).textContent).toContain('the scheduler is not running');
    cleanup();
    renderWith(new FakeApi(), <HealthView />);
    expect((await screen.findByTestId('health-empty')).textContent).toContain('No source is configured');
  });
});

function progressOf(source: string, overrides: Partial<BackfillProgress> = {}): BackfillProgress {
  return {
    source,
    title: source,
    state: 'running',
    paused: false,
    message: null,
    resumeAt: null,
    tasks: { total: 4, done: 1, unavailable: 1, failed: 0 },
    units: { done: 1200, total: 4800 },
    requests: 37,
    etaMs: 12 * 60_000 + 5_000,
    problems: [
      {
        task: 'stars:acme/secret',
        title: 'Star history of acme/secret',
        target: 'acme',
        state: 'unavailable',
        reason: 'star history needs admin or collaborator access to this repository',
        retryAt: null,
      },
    ],
    moreProblems: 0,
    ...overrides,
  };
}

function historyApi(): FakeApi {
  return new FakeApi({
    configured: ['github', 'dockerhub'],
    health: [healthOf('github'), healthOf('dockerhub')],
    backfill: [progressOf('github')],
  });
}

describe('Health: history and backfill', () => {
  it('shows each source’s backfill progress, what could not be read and why, and its history note', async () => {
    renderWith(historyApi(), <HealthView />);
    const [github, docker] = await screen.findAllByTestId('health-row');
    const backfill = await within(github!).findByTestId('backfill');
    expect(backfill.getAttribute('data-state')).toBe('running');
    expect(within(backfill).getByTestId('backfill-state').textContent).toBe('reading history');
    expect(within(backfill).getByTestId('backfill-tasks').textContent).toBe('1 of 4 done · 1 unavailable');
    expect(within(backfill).getByTestId('backfill-units').textContent).toBe('1.2K of 4.8K');
    expect(within(backfill).getByTestId('backfill-eta').textContent).toBe('about 12 min.');
    expect(within(backfill).getByTestId('backfill-requests').textContent).toBe('37');
    expect(within(backfill).getByTestId('backfill-problems').textContent).toContain(
      'Star history of acme/secret: star history needs admin or collaborator access to this repository',
    );
    expect(within(backfill).getByTestId('history-note').textContent).toMatch(/^Stars and forks are read back/);
    // Docker Hub reads no past: only its note, no progress and no buttons.
    const dockerHistory = within(docker!).getByTestId('backfill');
    expect(within(dockerHistory).getByTestId('history-note').textContent).toContain('start at Footprint’s first poll');
    expect(within(dockerHistory).queryByTestId('backfill-tasks')).toBeNull();
    expect(within(dockerHistory).queryByTestId('pause-backfill')).toBeNull();
  });

  it('follows backfill events: progress, pause and completion', async () => {
    const fake = historyApi();
    renderWith(fake, <HealthView />);
    const github = (await screen.findAllByTestId('health-row'))[0]!;
    await within(github).findByTestId('backfill-tasks');
    act(() =>
      fake.emit({
        type: 'backfill',
        progress: progressOf('github', { state: 'waiting-for-budget', resumeAt: NOW + 20 * 60_000 + 5_000, requests: 90, tasks: { total: 4, done: 2, unavailable: 1, failed: 1 } }),
      }),
    );
    expect(within(github).getByTestId('backfill-state').textContent).toBe('waiting for API budget · goes on in 20 min.');
    expect(within(github).getByTestId('backfill-tasks').textContent).toBe('2 of 4 done · 1 unavailable · 1 failed');
    expect(within(github).getByTestId('backfill-requests').textContent).toBe('90');
    act(() => fake.emit({ type: 'backfill', progress: progressOf('github', { state: 'paused', paused: true, etaMs: null }) }));
    expect(within(github).getByTestId('backfill-state').textContent).toBe('paused');
    expect(within(github).getByTestId('backfill-eta').textContent).toBe('not known yet');
    expect(within(github).getByTestId('resume-backfill')).toBeTruthy();
    act(() =>
      fake.emit({
        type: 'backfill',
        progress: progressOf('github', { state: 'done', tasks: { total: 4, done: 4, unavailable: 0, failed: 0 }, units: { done: 4800, total: 4800 }, etaMs: null, problems: [] }),
      }),
    );
    expect(within(github).getByTestId('backfill').getAttribute('data-state')).toBe('done');
    expect(within(github).getByTestId('backfill-state').textContent).toBe('completed');
    expect(within(github).getByTestId('backfill-eta').textContent).toBe('none');
    expect(within(github).queryByTestId('backfill-problems')).toBeNull();
  });

  it('before the first successful poll: nothing planned, so no time left is told and the state is said once', async () => {
    const fake = new FakeApi({
      configured: ['github'],
      health: [healthOf('github')],
      backfill: [progressOf('github', { state: 'waiting-for-poll', message: 'starts after the first successful poll', tasks: { total: 0, done: 0, unavailable: 0, failed: 0 }, units: { done: 0, total: 0 }, requests: 0, etaMs: 0, problems: [] })],
    });
    renderWith(fake, <HealthView />);
    const github = (await screen.findAllByTestId('health-row'))[0]!;
    expect((await within(github).findByTestId('backfill-state')).textContent).toBe('starts after the next successful poll');
    expect(within(github).getByTestId('backfill-eta').textContent).toBe('not known yet');
    expect(within(github).queryByTestId('backfill-message')).toBeNull();
  });

  it('a backfill that completes before the live channel opens is shown completed once it opens (no event is left to say so)', async () => {
    const fake = historyApi();
    fake.setConnectionState('connecting');
    renderWith(fake, <HealthView />);
    const github = (await screen.findAllByTestId('health-row'))[0]!;
    await within(github).findByTestId('backfill-tasks');
    expect(within(github).getByTestId('backfill').getAttribute('data-state')).toBe('running');
    // Completed meanwhile: the core's 'done' event went out before this page was listening.
    fake.backfillValue = [progressOf('github', { state: 'done', tasks: { total: 4, done: 4, unavailable: 0, failed: 0 }, etaMs: null, problems: [] })];
    act(() => fake.setConnectionState('live'));
    await waitFor(() => expect(within(github).getByTestId('backfill').getAttribute('data-state')).toBe('done'));
    expect(within(github).getByTestId('backfill-state').textContent).toBe('completed');
  });

  it('a backfill event while Health loads is not lost: the progress is read again once it is in', async () => {
    const fake = historyApi();
    const done = progressOf('github', { state: 'done', tasks: { total: 4, done: 4, unavailable: 0, failed: 0 }, etaMs: null, problems: [] });
    // The core's answers in turn: the first was read before the backfill completed, the next after.
    const answers = [[progressOf('github')], [done]];
    const answer = fake.backfill.bind(fake);
    fake.backfill = () => {
      fake.backfillValue = answers.shift() ?? [done];
      return answer();
    };
    const release = fake.hold('backfill');
    renderWith(fake, <HealthView />);
    act(() => fake.emit({ type: 'backfill', progress: done })); // nothing loaded yet to apply it to
    await act(async () => release());
    const github = (await screen.findAllByTestId('health-row'))[0]!;
    await waitFor(() => expect(within(github).getByTestId('backfill').getAttribute('data-state')).toBe('done'));
    expect(fake.callsTo('backfill').length).toBe(2);
  });

  it('pauses, resumes and re-runs a source’s backfill, and says why an action failed', async () => {
    const fake = historyApi();
    renderWith(fake, <HealthView />);
    const github = (await screen.findAllByTestId('health-row'))[0]!;
    fireEvent.click(await within(github).findByTestId('pause-backfill'));
    await waitFor(() => expect(fake.callsTo('pauseBackfill')).toEqual([['github']]));
    act(() => fake.emit({ type: 'backfill', progress: progressOf('github', { state: 'paused', paused: true }) }));
    fireEvent.click(within(github).getByTestId('resume-backfill'));
    await waitFor(() => expect(fake.callsTo('resumeBackfill')).toEqual([['github']]));
    fireEvent.click(within(github).getByTestId('rerun-backfill'));
    await waitFor(() => expect(fake.callsTo('rerunBackfill')).toEqual([['github']]));
    fake.fail('rerunBackfill', new ApiError('github is not configured: add it in Settings'));
    fireEvent.click(within(github).getByTestId('rerun-backfill'));
    expect(await within(github).findByText('github is not configured: add it in Settings')).toBeTruthy();
    // Polling's own controls are untouched.
    expect(fake.callsTo('pause')).toEqual([]);
  });

  it('shows each remote-write receiver, how far it has been sent and why it waits, and follows remoteWrite events', async () => {
    const receiver = { name: 'mimir', url: 'https://mimir.example.com/api/v1/push', lastSuccessAt: NOW - 2 * 60_000 - 5_000, sentUntil: NOW - 2 * 60_000 - 5_000, lastError: 'the receiver answered 503 (ingester unavailable)', retryAt: NOW + 60_000 + 5_000 };
    const fake = new FakeApi({ configured: ['github'], health: [healthOf('github')], remoteWrite: [receiver] });
    renderWith(fake, <HealthView />);
    const row = await screen.findByTestId('remote-write-row');
    expect(row.getAttribute('data-remote')).toBe('mimir');
    expect(within(row).getByText('https://mimir.example.com/api/v1/push')).toBeTruthy();
    expect(within(row).getByTestId('remote-write-sent-until').textContent).toBe('2 min. ago');
    expect(within(row).getByTestId('remote-write-error').textContent).toBe('the receiver answered 503 (ingester unavailable) (tried again in 1 min.; the values wait in the history)');
    act(() => fake.emit({ type: 'remoteWrite', status: { ...receiver, lastSuccessAt: NOW, sentUntil: NOW, lastError: null, retryAt: null } }));
    await waitFor(() => expect(within(screen.getByTestId('remote-write-row')).queryByTestId('remote-write-error')).toBeNull());
    expect(within(screen.getByTestId('remote-write-row')).getByTestId('remote-write-last-success').textContent).not.toContain('min.');
  });

  it('shows no remote-write part when no receiver is configured', async () => {
    renderWith(new FakeApi({ configured: ['github'], health: [healthOf('github')] }), <HealthView />);
    await screen.findAllByTestId('health-row');
    expect(screen.queryByText('Remote write')).toBeNull();
  });
});
