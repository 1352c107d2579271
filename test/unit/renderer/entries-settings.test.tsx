// @vitest-environment happy-dom
// The Settings editor of the user-defined JSON sources (`http:`, a list section): entries, their
// headers (secrets kept masked) and metrics edited, added and removed; the core's issues on their entry.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_UNCHANGED, type SectionSettings } from '../../../shared/api.js';
import { httpConfigSchema } from '../../../electron/core/sources/http/index.js';
import { entriesFromSettings, parseLabels, settingsFromEntries } from '../../../renderer/model/entries-form.js';
import { SettingsView } from '../../../renderer/views/settings.js';
import { FakeApi } from '../../support/fake-api.js';
import { renderWith } from './render-helpers.js';

const saved = [
  {
    name: 'homebrew',
    url: 'https://formulae.brew.sh/api/formula/wget.json',
    headers: { Authorization: SECRET_UNCHANGED },
    interval: '1d',
    timeout: '30s',
    metrics: [{ name: 'homebrew_installs_30d', value: 'analytics.install."30d".wget', labels: { formula: 'wget' }, type: 'gauge' }],
  },
];

function view(fake: FakeApi) {
  return renderWith(fake, <SettingsView params={new URLSearchParams()} />);
}

/** Every section the view saves, in order (each save accepted). */
function capturedSaves(fake: FakeApi): (SectionSettings | null)[] {
  const saves: (SectionSettings | null)[] = [];
  fake.onSave = (_source, settings) => {
    saves.push(settings);
    return { ok: true };
  };
  return saves;
}

function type(testId: string, text: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value: text } });
}

afterEach(() => cleanup());

describe('entries form model', () => {
  it('round-trips a section it did not change, keeping keys it does not show and stored secrets', () => {
    expect(settingsFromEntries(entriesFromSettings(saved))).toEqual(saved);
  });

  it('writes what the http schema accepts', () => {
    const [entry] = entriesFromSettings([{ name: 'hf', url: 'https://huggingface.co/api/models/a/b', metrics: [{ name: 'hf_downloads', value: 'downloads' }] }]);
    const written = settingsFromEntries([{ ...entry!, metrics: [...entry!.metrics, { name: 'hf_likes', value: 'likes', help: '', labels: 'model=a/b, org = a', rest: {} }] }]);
    expect(httpConfigSchema.safeParse(written).success).toBe(true);
    expect(parseLabels('model=a/b, org = a,')).toEqual({ model: 'a/b', org: 'a' });
  });
});

describe('Settings: JSON APIs', () => {
  it('edits an entry, adds a metric and a second entry, and saves the list with the stored header kept', async () => {
    const fake = new FakeApi({ configured: ['http'], config: { sources: { http: saved } } });
    const saves = capturedSaves(fake);
    view(fake);
    const entry = await screen.findByTestId('settings-http-entries-0');
    const header = within(entry).getByTestId('settings-http-entries-0-header-0-value') as HTMLInputElement;
    expect(header.type).toBe('password');
    expect(header.value).toBe(SECRET_UNCHANGED);
    expect((within(entry).getByTestId('settings-http-entries-0-metric-0-labels') as HTMLInputElement).value).toBe('formula=wget');

    type('settings-http-entries-0-interval', '12h');
    fireEvent.click(screen.getByTestId('settings-http-entries-0-add-metric'));
    type('settings-http-entries-0-metric-1-name', 'homebrew_installs_90d');
    type('settings-http-entries-0-metric-1-value', 'analytics.install."90d".wget');
    fireEvent.click(screen.getByTestId('settings-http-entries-add'));
    type('settings-http-entries-1-name', 'gpt2');
    type('settings-http-entries-1-url', 'https://huggingface.co/api/models/openai-community/gpt2');
    type('settings-http-entries-1-metric-0-name', 'huggingface_model_downloads');
    type('settings-http-entries-1-metric-0-value', 'downloads');
    expect(screen.getByTestId('unsaved-mark')).toBeTruthy();
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(saves).toHaveLength(1));
    expect(saves[0]).toEqual([
      { ...saved[0], interval: '12h', metrics: [...saved[0]!.metrics, { name: 'homebrew_installs_90d', value: 'analytics.install."90d".wget' }] },
      { name: 'gpt2', url: 'https://huggingface.co/api/models/openai-community/gpt2', metrics: [{ name: 'huggingface_model_downloads', value: 'downloads' }] },
    ]);
  });

  it('removes a metric, a header and an entry', async () => {
    const two = [...saved, { name: 'gpt2', url: 'https://huggingface.co/api/models/openai-community/gpt2', metrics: [{ name: 'hf_downloads', value: 'downloads' }, { name: 'hf_likes', value: 'likes' }] }];
    const fake = new FakeApi({ configured: ['http'], config: { sources: { http: two } } });
    const saves = capturedSaves(fake);
    view(fake);
    await screen.findByTestId('settings-http-entries-1');
    fireEvent.click(screen.getByTestId('settings-http-entries-1-metric-0-remove'));
    fireEvent.click(screen.getByTestId('settings-http-entries-0-header-0-remove'));
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(saves).toHaveLength(1));
    const { headers: _headers, ...withoutHeaders } = saved[0]!;
    expect(saves[0]).toEqual([withoutHeaders, { ...two[1], metrics: [{ name: 'hf_likes', value: 'likes' }] }]);
    fireEvent.click(screen.getByTestId('settings-http-entries-0-remove'));
    fireEvent.click(screen.getByTestId('save-source'));
    await waitFor(() => expect(saves).toHaveLength(2));
    expect((saves[1] as { name: string }[]).map((entry) => entry.name)).toEqual(['gpt2']);
  });

  it('shows the core\'s issues on the entry they are about, with the key inside it', async () => {
    const fake = new FakeApi({ configured: ['http'], config: { sources: { http: saved } } });
    fake.onSave = () => ({ ok: false, issues: [{ path: 'http[0].metrics[0].value', message: '"x[" is not a JMESPath expression — fix it' }] });
    view(fake);
    await screen.findByTestId('settings-http-entries-0');
    type('settings-http-entries-0-metric-0-value', 'x[');
    fireEvent.click(screen.getByTestId('save-source'));
    const issues = await screen.findByTestId('settings-http-entries-0-issues');
    expect(issues.textContent).toBe('metrics[0].value: "x[" is not a JMESPath expression — fix it');
  });
});
