// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthRequiredError } from '../../../renderer/api/errors.js';
import { App } from '../../../renderer/app.js';
import { FakeApi, healthOf, series } from '../../support/fake-api.js';
import { installCanvasStub } from './render-helpers.js';

const NOW = Date.now();

function api(): FakeApi {
  return new FakeApi({
    configured: ['github'],
    latest: [series('github', 'github_repo_stars', { repo: 'r', user: 'o' }, 10, NOW, 1)],
    health: [healthOf('github', { lastSuccessAt: NOW })],
    config: { sources: { github: { orgs: ['o'] } } },
  });
}

async function go(hash: string) {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}

let restoreCanvas: () => void;
beforeAll(() => {
  restoreCanvas = installCanvasStub();
});
afterAll(() => restoreCanvas());
beforeEach(() => {
  window.location.hash = '#/overview';
});
afterEach(cleanup);

describe('App', () => {
  it('navigates between views by hash, marking the current one', async () => {
    render(<App client={api()} />);
    expect(await screen.findByTestId('overview-card')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Views' });
    expect(within(nav).getAllByRole('link').map((link) => link.textContent)).toEqual(['Overview', 'Details', 'Traffic', 'Glance', 'Health', 'Settings']);
    expect(screen.getByTestId('nav-overview').getAttribute('aria-current')).toBe('page');
    await go('#/health');
    expect(await screen.findByTestId('health-row')).toBeTruthy();
    expect(screen.getByTestId('nav-health').getAttribute('aria-current')).toBe('page');
    expect(document.title).toBe('Health · Footprint');
    await go('#/settings');
    expect(await screen.findByTestId('settings-github-orgs')).toBeTruthy();
    await go('#/details?series=1');
    expect(await screen.findByTestId('series-picker')).toBeTruthy();
    await go('#/traffic');
    expect(await screen.findByTestId('traffic-empty')).toBeTruthy();
    expect(screen.getByTestId('nav-traffic').getAttribute('aria-current')).toBe('page');
    expect(document.title).toBe('Traffic · Footprint');
  });

  it('shows the glance view in a compact frame without the navigation bar', async () => {
    window.location.hash = '#/glance';
    render(<App client={api()} />);
    expect(await screen.findByTestId('glance-total')).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.getByTestId('live-indicator')).toBeTruthy();
  });

  it('shows live and reconnecting, and loads the view again once the channel is back', async () => {
    const fake = api();
    render(<App client={fake} />);
    await screen.findByTestId('overview-card');
    const indicator = screen.getByTestId('live-indicator');
    expect(indicator.getAttribute('data-state')).toBe('live');
    expect(indicator.textContent).toBe('Live');
    act(() => fake.setConnectionState('reconnecting'));
    expect(indicator.textContent).toBe('Reconnecting…');
    expect(fake.callsTo('latest')).toHaveLength(1);
    act(() => fake.setConnectionState('live'));
    expect(indicator.getAttribute('data-state')).toBe('live');
    // Events sent during the gap are lost: the view catches up once.
    await waitFor(() => expect(fake.callsTo('latest')).toHaveLength(2));
    expect(await screen.findByTestId('overview-card')).toBeTruthy();
  });

  it('keeps one live subscription open while views change', async () => {
    const fake = api();
    render(<App client={fake} />);
    await screen.findByTestId('overview-card');
    expect(fake.subscriberCount).toBe(2);
    await go('#/settings');
    await screen.findByTestId('settings-github-orgs');
    expect(fake.subscriberCount).toBe(2);
    cleanup();
    expect(fake.subscriberCount).toBe(0);
  });

  it('asks for an access token when the server wants one', async () => {
    const fake = api();
    fake.fail('sources', new AuthRequiredError('This Footprint needs an access token: use the link `footprint serve` printed'));
    render(<App client={fake} />);
    const form = await screen.findByTestId('token-form');
    expect(form.textContent).toContain('This Footprint needs an access token');
    fake.fail('sources', null);
    fireEvent.change(within(form).getByLabelText('Access token'), { target: { value: 'secret-token-1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    expect(fake.tokens.get()).toBe('secret-token-1');
    expect(await screen.findByTestId('overview-card')).toBeTruthy();
  });
});
