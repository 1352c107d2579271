// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECRET_UNCHANGED, type SourceSettings } from '../../../shared/api.js';
import { ApiError } from '../../../renderer/api/errors.js';
import { SettingsView } from '../../../renderer/views/settings.js';
import { FakeApi, sourceInfos } from '../../support/fake-api.js';
import { renderWith } from './render-helpers.js';

function api(): FakeApi {
  return new FakeApi({
    configured: ['github'],
    config: { sources: { github: { orgs: ['octo-org', 'other-org'], token: SECRET_UNCHANGED, interval: '10m' } } },
  });
}

function view(fake: FakeApi, params = '') {
  return renderWith(fake, <SettingsView params={new URLSearchParams(params)} />);
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Settings', () => {
  it('shows loading, then an error in words with a retry', async () => {
    const fake = api();
    const release = fake.hold('config');
    fake.fail('config', new ApiError('the configuration file is not valid YAML (line 3)'));
    view(fake);
    expect(screen.getByTestId('loading')).toBeTruthy();
    await act(async () => release());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the configuration file is not valid YAML (line 3)');
    fake.fail('config', null);
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('settings-github-orgs')).toBeTruthy();
  });

  it('lists a source’s targets and keeps a stored token masked', async () => {
    view(api());
    const orgs = await screen.findByTestId('settings-github-orgs');
    expect(within(orgs).getAllByTestId('list-item').map((input) => (input as HTMLInputElement).value)).toEqual(['octo-org', 'other-org']);
    const token = screen.getByTestId('settings-github-token') as HTMLInputElement;
    expect(token.type).toBe('password');
    expect(token.value).toBe(SECRET_UNCHANGED);
    expect(screen.getByText(/A token is stored: leave this as it is to keep it/)).toBeTruthy();
    expect(screen.getByLabelText('Token')).toBe(token);
  });

  it('shows a ${VAR} token reference as text', async () => {
    const fake = new FakeApi({ configured: ['github'], config: { sources: { github: { orgs: ['o'], token: '${GITHUB_TOKEN}' } } } });
    view(fake);
    const token = (await screen.findByTestId('settings-github-token')) as HTMLInputElement;
    expect(token.type).toBe('text');
    expect(token.value).toBe('${GITHUB_TOKEN}');
  });

  it('adds an organization and saves, keeping the stored token, and says it worked', async () => {
    const fake = api();
    view(fake);
    const orgs = await screen.findByTestId('settings-github-orgs');
    fireEvent.change(within(orgs).getByTestId('list-add-input'), { target: { value: 'new-org' } });
    fireEvent.click(within(orgs).getByRole('button', { name: 'Add organization' }));
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(screen.getByTestId('save-result').textContent).toBe('Saved. GitHub now polls with these settings.'));
    expect(fake.callsTo('saveSource')).toEqual([['github', { orgs: ['octo-org', 'other-org', 'new-org'], token: SECRET_UNCHANGED, interval: '10m' }]]);
    // The form shows the section as the core now has it.
    expect(fake.callsTo('config')).toHaveLength(2);
    expect(within(screen.getByTestId('settings-github-orgs')).getAllByTestId('list-item')).toHaveLength(3);
  });

  it('saves a user typed into the add-field without "Add user" being clicked', async () => {
    const fake = new FakeApi({ configured: [], config: { sources: {} } });
    view(fake, 'add=github');
    const users = await screen.findByTestId('settings-github-users');
    fireEvent.change(within(users).getByTestId('list-add-input'), { target: { value: 'acme-user' } });
    expect(screen.getByTestId('unsaved-mark').textContent).toBe('Not saved yet');
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(screen.getByTestId('save-result').textContent).toBe('Saved. GitHub now polls with these settings.'));
    expect(fake.callsTo('saveSource')).toEqual([['github', { users: ['acme-user'] }]]);
    expect(within(screen.getByTestId('settings-github-users')).getAllByTestId('list-item').map((input) => (input as HTMLInputElement).value)).toEqual(['acme-user']);
    expect((within(screen.getByTestId('settings-github-users')).getByTestId('list-add-input') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('unsaved-mark')).toBeNull();
  });

  it('names the configuration file a first save created, without a reload', async () => {
    const fake = new FakeApi({ configured: [], config: { sources: {} }, info: { configFile: null, defaultConfigFile: '/home/me/.config/footprint/footprint.yaml' } });
    const save = fake.onSave;
    fake.onSave = (source, settings) => {
      fake.infoValue = { ...fake.infoValue, configFile: '/home/me/.config/footprint/footprint.yaml' };
      return save(source, settings);
    };
    view(fake, 'add=npm');
    expect((await screen.findByTestId('config-file')).textContent).toBe('none yet; saving creates /home/me/.config/footprint/footprint.yaml');
    fireEvent.change(within(screen.getByTestId('settings-npm-packages')).getByTestId('list-add-input'), { target: { value: 'left-pad' } });
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(screen.getByTestId('config-file').textContent).toBe('/home/me/.config/footprint/footprint.yaml'));
  });

  it('says where a typed token is kept and suggests a ${VAR} reference', async () => {
    view(api());
    const hint = await screen.findByTestId('secret-hint');
    expect(hint.textContent).toContain('saved in the configuration file, readable only by you (mode 0600)');
    expect(hint.textContent).toContain('token: "${GITHUB_TOKEN}"');
    cleanup();
    const desktop = api();
    desktop.infoValue = { ...desktop.infoValue, secretStore: 'keychain' };
    view(desktop);
    expect((await screen.findByTestId('secret-hint')).textContent).toContain('kept in the system keychain, not in the configuration file');
  });

  it('speaks of the fields on screen, not configuration keys, in issues and connection tests', async () => {
    const fake = api();
    fake.onSave = () => ({ ok: false, issues: [{ path: 'github.token', message: 'GitHub rejected the token — put a valid token in github.token' }] });
    fake.onTest = () => ({ ok: false, message: 'GitHub knows no App with the ID 1 — set github.app.appId' });
    view(fake);
    await screen.findByTestId('settings-github-orgs');
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(screen.getByTestId('field-issue').textContent).toBe('GitHub rejected the token — put a valid token in “Token”'));
    fireEvent.click(screen.getByTestId('test-connection'));
    await waitFor(() => expect(screen.getByTestId('connection-result').textContent).toBe('✗ GitHub knows no App with the ID 1 — set “App ID”'));
  });

  it('uploads GA4’s key file from the browser and puts the stored file in the field; a refused file says why', async () => {
    const fake = new FakeApi({ configured: [], config: { sources: {} } });
    view(fake, 'add=ga4');
    const upload = (await screen.findByTestId('settings-ga4-credentialsFile-upload')) as HTMLInputElement;
    const key = '{"type":"service_account"}';
    fireEvent.change(upload, { target: { files: [new File([key], 'my-project-1234.json', { type: 'application/json' })] } });
    await waitFor(() => expect(screen.getByTestId('upload-result').textContent).toBe('Stored as ./ga4-service-account.json (reader@example.iam.gserviceaccount.com), readable only by you. Save to use it.'));
    expect(fake.callsTo('uploadKeyFile')).toEqual([['ga4', key]]);
    expect((screen.getByTestId('settings-ga4-credentialsFile') as HTMLInputElement).value).toBe('./ga4-service-account.json');
    // Typing a path stays possible.
    fireEvent.change(screen.getByTestId('settings-ga4-credentialsFile'), { target: { value: '/srv/keys/ga4.json' } });
    expect((screen.getByTestId('settings-ga4-credentialsFile') as HTMLInputElement).value).toBe('/srv/keys/ga4.json');

    fake.onUpload = () => ({ ok: false, issues: [{ path: 'ga4.credentialsFile', message: 'the uploaded file is not a service-account key file: it is not valid JSON' }] });
    fireEvent.change(upload, { target: { files: [new File(['not json'], 'notes.txt')] } });
    await waitFor(() => expect(screen.getByTestId('upload-result').textContent).toBe('the uploaded file is not a service-account key file: it is not valid JSON'));
    expect((screen.getByTestId('settings-ga4-credentialsFile') as HTMLInputElement).value).toBe('/srv/keys/ga4.json');
  });

  it('shows the core’s issues next to the fields and list entries they are about', async () => {
    const fake = api();
    fake.onSave = () => ({
      ok: false,
      issues: [
        { path: 'github.orgs[1]', message: '"a/b" is not a GitHub login: write the login only' },
        { path: 'github.interval', message: '"soon" is not a duration: write e.g. 10m' },
        { path: 'github', message: 'the file changed on disk: reload and try again' },
      ],
    });
    view(fake);
    const orgs = await screen.findByTestId('settings-github-orgs');
    fireEvent.change(within(orgs).getAllByTestId('list-item')[1]!, { target: { value: 'a/b' } });
    fireEvent.change(screen.getByTestId('settings-github-interval'), { target: { value: 'soon' } });
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(screen.getByTestId('save-result').textContent).toBe('Not saved: 3 problems to fix.'));
    const items = within(screen.getByTestId('settings-github-orgs')).getAllByRole('listitem');
    expect(within(items[1]!).getByTestId('field-issue').textContent).toBe('"a/b" is not a GitHub login: write the login only');
    expect(within(items[0]!).queryByTestId('field-issue')).toBeNull();
    expect(within(items[1]!).getByTestId('list-item').getAttribute('aria-invalid')).toBe('true');
    const interval = screen.getByTestId('settings-github-interval');
    expect(document.getElementById(interval.getAttribute('aria-describedby')!.split(' ').at(-1)!)!.textContent).toBe('"soon" is not a duration: write e.g. 10m');
    expect(screen.getByTestId('general-issues').textContent).toBe('the file changed on disk: reload and try again');
  });

  it('tests the connection with the form as it is and shows the plain-words answer', async () => {
    const fake = api();
    fake.onTest = (_id, settings) => ({ ok: false, message: `GitHub refused the token for ${((settings as Record<string, unknown>).orgs as string[]).length} organizations: create a new token with read:org` });
    view(fake);
    await screen.findByTestId('settings-github-orgs');
    fireEvent.click(screen.getByTestId('test-connection'));
    const result = screen.getByTestId('connection-result');
    await waitFor(() => expect(result.textContent).toBe('✗ GitHub refused the token for 2 organizations: create a new token with read:org'));
    expect(result.className).toContain('failed');
    fake.onTest = () => ({ ok: true, message: 'found 42 repositories' });
    fireEvent.click(screen.getByTestId('test-connection'));
    await waitFor(() => expect(result.textContent).toBe('✓ found 42 repositories'));
    expect(fake.callsTo('testConnection')[0]).toEqual(['github', { orgs: ['octo-org', 'other-org'], token: SECRET_UNCHANGED, interval: '10m' }]);
  });

  it('copies the /metrics address', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    view(api());
    expect((await screen.findByTestId('metrics-url')).textContent).toBe('http://127.0.0.1:9171/metrics');
    fireEvent.click(screen.getByTestId('copy-metrics-url'));
    await waitFor(() => expect(screen.getByTestId('copy-metrics-url-status').textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith('http://127.0.0.1:9171/metrics');
  });

  it('says why /metrics is not served (e.g. a busy port) instead of an address to copy', async () => {
    const fake = api();
    fake.infoValue = { ...fake.infoValue, metricsProblem: '127.0.0.1:9171 is already in use' };
    view(fake);
    expect((await screen.findByTestId('metrics-problem')).textContent).toBe('Not serving: 127.0.0.1:9171 is already in use');
    expect(screen.queryByTestId('copy-metrics-url')).toBeNull();
  });

  it('says when copying failed', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: () => Promise.reject(new Error('denied')) } });
    view(api());
    fireEvent.click(await screen.findByTestId('copy-metrics-url'));
    await waitFor(() => expect(screen.getByTestId('copy-metrics-url-status').textContent).toMatch(/Could not copy/));
  });

  it('adds a source that was not configured, from the first-run link too', async () => {
    const fake = api();
    view(fake, 'add=npm');
    const packages = await screen.findByTestId('settings-npm-packages');
    fireEvent.change(within(packages).getByTestId('list-add-input'), { target: { value: 'left-pad, @scope/pkg' } });
    fireEvent.keyDown(within(packages).getByTestId('list-add-input'), { key: 'Enter' });
    expect(within(packages).getAllByTestId('list-item').map((input) => (input as HTMLInputElement).value)).toEqual(['left-pad', '@scope/pkg']);
    fireEvent.click(within(screen.getByTestId('settings-npm')).getByTestId('save-source'));
    await waitFor(() => expect(fake.callsTo('saveSource')).toEqual([['npm', { packages: ['left-pad', '@scope/pkg'] }]]));
    expect(screen.getByTestId('add-source-dockerhub')).toBeTruthy();
  });

  it('removes a source after a confirmation', async () => {
    const fake = api();
    view(fake);
    await screen.findByTestId('settings-github-orgs');
    fireEvent.click(screen.getByTestId('remove-source'));
    fireEvent.click(screen.getByTestId('confirm-remove'));
    await waitFor(() => expect(fake.callsTo('saveSource')).toEqual([['github', null]]));
    await waitFor(() => expect(screen.queryByTestId('settings-github')).toBeNull());
    expect(screen.getByTestId('add-source-github')).toBeTruthy();
  });

  it('explains read-only settings and shows the secret-storage warning', async () => {
    const fake = api();
    fake.infoValue = { ...fake.infoValue, canEditConfig: false, configFile: '/etc/footprint.yaml', secretStorageWarning: 'No keyring found: tokens are stored unencrypted' };
    view(fake);
    expect((await screen.findByTestId('read-only-notice')).textContent).toContain('/etc/footprint.yaml');
    expect(screen.getByTestId('secret-warning').textContent).toBe('No keyring found: tokens are stored unencrypted');
    expect((screen.getByTestId('settings-github-token') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('save-source') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId('add-source-npm')).toBeNull();
  });

  it('shows a failed save call as a message, not a blank', async () => {
    const fake = api();
    fake.fail('saveSource', new ApiError('the configuration file is read-only: check its permissions'));
    view(fake);
    await screen.findByTestId('settings-github-orgs');
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(screen.getByTestId('save-result').textContent).toBe('Not saved: the configuration file is read-only: check its permissions'));
  });

  it('shows sections another window added when a config event arrives', async () => {
    const fake = api();
    view(fake);
    await screen.findByTestId('settings-github-orgs');
    const section: SourceSettings = { packages: ['x'] };
    fake.configValue = { sources: { ...fake.configValue.sources, npm: section } };
    fireEvent.change(screen.getByTestId('settings-github-interval'), { target: { value: '5m' } });
    act(() => fake.emit({ type: 'config', sources: sourceInfos(['github', 'npm']) }));
    const packages = await screen.findByTestId('settings-npm-packages');
    expect(within(packages).getAllByTestId('list-item').map((input) => (input as HTMLInputElement).value)).toEqual(['x']);
    expect(screen.queryByTestId('add-source-npm')).toBeNull();
    expect(fake.callsTo('config')).toHaveLength(2);
    // An unsaved edit of a section that did not change stays.
    expect((screen.getByTestId('settings-github-interval') as HTMLInputElement).value).toBe('5m');
  });
});
