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

  it('asks before leaving Settings with unsaved edits, and stays when told to', async () => {
    window.location.hash = '#/settings';
    const questions: string[] = [];
    let answer = false;
    const confirm = window.confirm;
    window.confirm = (question?: string) => {
      questions.push(String(question));
      return answer;
    };
    try {
      render(<App client={api()} />);
      const interval = await screen.findByTestId('settings-github-interval');
      // Nothing typed: leaving asks nothing.
      await go('#/health');
      expect(await screen.findByTestId('health-row')).toBeTruthy();
      expect(questions).toEqual([]);
      await go('#/settings');
      fireEvent.change(await screen.findByTestId('settings-github-interval'), { target: { value: '5m' } });
      expect(interval).toBeTruthy();
      // Typed, not saved: the hash change is asked about; "Cancel" keeps Settings, the edit and the address.
      const unload = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(unload);
      expect(unload.defaultPrevented).toBe(true);
      await go('#/overview');
      expect(questions).toEqual(['Settings has changes that are not saved. Leave and discard them?']);
      expect((screen.getByTestId('settings-github-interval') as HTMLInputElement).value).toBe('5m');
      expect(window.location.hash).toBe('#/settings');
      expect(screen.getByTestId('nav-settings').getAttribute('aria-current')).toBe('page');
      // "OK" leaves; the question is not asked again once Settings is gone.
      answer = true;
      await go('#/overview');
      expect(await screen.findByTestId('overview-card')).toBeTruthy();
      const after = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(after);
      expect(after.defaultPrevented).toBe(false);
      await go('#/health');
      expect(questions).toHaveLength(2);
    } finally {
      window.confirm = confirm;
    }
  });

  it('offers the views behind one menu button and a light/dark switch that is remembered', async () => {
    render(<App client={api()} />);
    await screen.findByTestId('overview-card');
    const toggle = screen.getByTestId('nav-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.textContent).toContain('Overview');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('navigation', { name: 'Views' }).className).toBe('nav-open');
    await go('#/health');
    expect(screen.getByTestId('nav-toggle').getAttribute('aria-expanded')).toBe('false');
    const theme = screen.getByTestId('theme-switch') as HTMLSelectElement;
    expect(theme.value).toBe('system');
    fireEvent.change(theme, { target: { value: 'dark' } });
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(window.localStorage.getItem('footprint.theme')).toBe('dark');
    fireEvent.change(theme, { target: { value: 'system' } });
    expect(window.localStorage.getItem('footprint.theme')).toBeNull();
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
    expect(fake.callsTo('overview')).toHaveLength(1);
    act(() => fake.setConnectionState('live'));
    expect(indicator.getAttribute('data-state')).toBe('live');
    // Events sent during the gap are lost: the view catches up once.
    await waitFor(() => expect(fake.callsTo('overview')).toHaveLength(2));
    expect(await screen.findByTestId('overview-card')).toBeTruthy();
  });

  it('keeps what was typed into Settings when the live channel comes back, and reads the sections again', async () => {
    window.location.hash = '#/settings';
    const fake = api();
    render(<App client={fake} />);
    fireEvent.change(await screen.findByTestId('settings-github-interval'), { target: { value: '5m' } });
    expect(fake.callsTo('config')).toHaveLength(1);
    act(() => fake.setConnectionState('reconnecting'));
    act(() => fake.setConnectionState('live'));
    await waitFor(() => expect(fake.callsTo('config')).toHaveLength(2));
    expect((screen.getByTestId('settings-github-interval') as HTMLInputElement).value).toBe('5m');
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
