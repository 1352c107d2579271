// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
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
    expect(within(github!).getByTestId('health-budget').textContent).toBe('4.3K of 5K · resets in 30 min.');
    expect(within(github!).getByTestId('health-failed-targets').textContent).toContain('gone-org: GitHub has no organization "gone-org": check the name');
    expect(within(github!).getByTestId('health-badge').getAttribute('data-status')).toBe('ok');
    expect(within(npm!).getByTestId('health-error').textContent).toContain('npm answered 503 five times: polling again in 4 min');
    expect(within(npm!).getByTestId('health-failures').textContent).toBe('5');
    expect(within(npm!).getByTestId('health-state').textContent).toBe('backing off after failures');
    expect(within(npm!).getByTestId('health-budget').textContent).toBe('not reported');
    expect(within(npm!).getByText('every 6h')).toBeTruthy();
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
