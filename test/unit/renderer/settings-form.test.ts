import { describe, expect, it } from 'vitest';
import { SECRET_UNCHANGED } from '../../../shared/api.js';
import { sourceModules } from '../../../electron/core/sources/registry.js';
import { compactForm, draftEntries, formFromSettings, hasUnsavedEdits, isFieldShown, isVariableReference, mapIssues, settingsFromForm, speakOfFields } from '../../../renderer/model/settings-form.js';

/** What each source module declares for its Settings form. */
const sourceForms = Object.fromEntries(sourceModules.map((module) => [module.id, module.ui!.form]));
const githubFields = sourceForms.github!.fields;

describe('settings forms', () => {
  it('edit only keys the sources’ config schemas accept', () => {
    for (const [id, form] of Object.entries(sourceForms)) {
      const module = sourceModules.find((item) => item.id === id)!;
      const shape = (module.configSchema as unknown as { def?: { shape?: object }; _zod?: { def?: { in?: { def?: { shape?: object } }; shape?: object } } });
      // The schemas are z.object(...).strict() (github/dockerhub/npm wrap it in a refinement); read the object's keys.
      if (form.fields.every((field) => field.kind === 'entries')) continue;
      const keys = Object.keys(objectShape(shape));
      // A 'choice' is form-only; a dotted key ("app.appId") edits inside its top-level key.
      // An 'entries' field edits the whole section, a list (http): its editor's keys are tested with it.
      for (const field of form.fields) if (field.kind !== 'choice' && field.kind !== 'entries') expect(keys, `${id}.${field.key}`).toContain(field.key.split('.')[0]);
    }
  });

  it('round-trips a section the form did not change, keeping unknown keys, numbers and ${VAR}', () => {
    const original = { orgs: ['a', 'b'], token: '${GITHUB_TOKEN}', interval: '10m', include: { forks: true }, somethingNew: 1 };
    const values = formFromSettings(githubFields, original);
    expect(settingsFromForm(githubFields, values, original)).toEqual(original);
    const ga4 = sourceForms.ga4!.fields;
    const ga4Original = { properties: [123456789], credentialsFile: './key.json' };
    expect(settingsFromForm(ga4, formFromSettings(ga4, ga4Original), ga4Original)).toEqual(ga4Original);
  });

  it('keeps a stored secret when it is saved unchanged, removes it when cleared', () => {
    const original = { orgs: ['a'], token: SECRET_UNCHANGED };
    const values = formFromSettings(githubFields, original);
    expect(values.token).toEqual({ kind: 'text', text: SECRET_UNCHANGED });
    expect(settingsFromForm(githubFields, values, original).token).toBe(SECRET_UNCHANGED);
    const cleared = { ...values, token: { kind: 'text' as const, text: '' } };
    expect(settingsFromForm(githubFields, cleared, original)).not.toHaveProperty('token');
  });

  it('writes edited lists trimmed, without empty entries, and drops emptied ones', () => {
    const original = { orgs: ['a'], users: ['u'] };
    const values = { ...formFromSettings(githubFields, original), orgs: { kind: 'list' as const, items: [' a ', '', 'b'] }, users: { kind: 'list' as const, items: [''] } };
    const saved = settingsFromForm(githubFields, values, original);
    expect(saved.orgs).toEqual(['a', 'b']);
    expect(saved).not.toHaveProperty('users');
    expect(compactForm(values).orgs).toEqual({ kind: 'list', items: ['a', 'b'] });
  });

  it('writes an include flag only when it differs from its default or was written before', () => {
    const fresh = formFromSettings(githubFields, null);
    // Forks are in by default, as github-exporter lists them.
    expect(fresh.include).toEqual({ kind: 'flags', flags: { forks: true, archived: true, private: true } });
    expect(settingsFromForm(githubFields, { ...fresh, orgs: { kind: 'list', items: ['a'] } }, null)).toEqual({ orgs: ['a'] });
    const withoutForks = { ...fresh, include: { kind: 'flags' as const, flags: { forks: false, archived: true, private: true } } };
    expect(settingsFromForm(githubFields, withoutForks, null).include).toEqual({ forks: false });
    const written = { orgs: ['a'], include: { archived: true } };
    const noArchived = { ...formFromSettings(githubFields, written), include: { kind: 'flags' as const, flags: { forks: true, archived: false, private: true } } };
    expect(settingsFromForm(githubFields, noArchived, written).include).toEqual({ archived: false });
  });

  it('shows ${VAR} references as text', () => {
    expect(isVariableReference('${GITHUB_TOKEN}')).toBe(true);
    expect(isVariableReference('${GITHUB_TOKEN:-}')).toBe(true);
    expect(isVariableReference('ghp_abcdef')).toBe(false);
    expect(isVariableReference(SECRET_UNCHANGED)).toBe(false);
  });
});

describe('text typed but not added or saved', () => {
  const typedUser = (values: ReturnType<typeof formFromSettings>) => ({ ...values, users: { kind: 'list' as const, items: [], draft: 'acme-user' } });

  it('saves the text left in an add-field ("Add user" not clicked) with the list', () => {
    const values = typedUser(formFromSettings(githubFields, null));
    expect(settingsFromForm(githubFields, values, null)).toMatchObject({ users: ['acme-user'] });
    expect(compactForm(values).users).toEqual({ kind: 'list', items: ['acme-user'] });
    const withOrgs = { ...formFromSettings(githubFields, { orgs: ['acme'] }), orgs: { kind: 'list' as const, items: ['acme'], draft: ' globex, acme  initech ' } };
    expect(settingsFromForm(githubFields, withOrgs, { orgs: ['acme'] }).orgs).toEqual(['acme', 'globex', 'initech']);
  });

  it('reads an add-field as entries split at spaces and commas, without repeats', () => {
    expect(draftEntries('a, b  c,,a', ['c'])).toEqual(['a', 'b']);
    expect(draftEntries('   ', [])).toEqual([]);
  });

  it('knows when the form holds edits that are not saved', () => {
    const saved = { orgs: ['acme'], token: SECRET_UNCHANGED, interval: '10m' };
    const untouched = formFromSettings(githubFields, saved);
    expect(hasUnsavedEdits(githubFields, untouched, saved)).toBe(false);
    expect(hasUnsavedEdits(githubFields, formFromSettings(githubFields, null), null)).toBe(false);
    expect(hasUnsavedEdits(githubFields, typedUser(untouched), saved)).toBe(true);
    expect(hasUnsavedEdits(githubFields, { ...untouched, interval: { kind: 'text', text: '5m' } }, saved)).toBe(true);
    expect(hasUnsavedEdits(githubFields, { ...untouched, auth: { kind: 'text', text: 'app' } }, saved)).toBe(true);
    // Whitespace the save would trim away is no edit.
    expect(hasUnsavedEdits(githubFields, { ...untouched, orgs: { kind: 'list', items: ['acme', ' '], draft: '  ' } }, saved)).toBe(false);
  });
});

describe('issues per field', () => {
  it('names the fields on screen, not configuration keys', () => {
    expect(speakOfFields('GitHub rejected the token — put a valid token in github.token (e.g. "${GITHUB_TOKEN}").', 'github', githubFields))
      .toBe('GitHub rejected the token — put a valid token in “Token” (e.g. "${GITHUB_TOKEN}").');
    expect(speakOfFields('set github.app.appId to the "App ID"; or set github.app.installationId', 'github', githubFields))
      .toBe('set “App ID” to the "App ID"; or set “Installation ID”');
    expect(speakOfFields('github.orgs[1] is not a login', 'github', githubFields)).toBe('“Organizations” (entry 2) is not a login');
    // Keys the form does not show, and other sources' keys, stay as the file writes them.
    expect(speakOfFields('github.app has no installationId; github.mystery; npm.token', 'github', githubFields)).toBe('github.app has no installationId; github.mystery; npm.token');
    const mapped = mapIssues('github', githubFields, [{ path: 'github.token', message: 'put a valid token in github.token' }]);
    expect(mapped.byField.get('token')).toEqual([{ message: 'put a valid token in “Token”', index: null }]);
  });

  it('puts each issue next to its field and list entry', () => {
    const mapped = mapIssues('github', githubFields, [
      { path: 'github.orgs[1]', message: '"a/b" is not a GitHub login' },
      { path: 'github.token', message: 'GitHub refused the token' },
      { path: 'github', message: 'github needs at least one target' },
      { path: 'github.include.forks', message: 'expected true or false' },
      { path: 'github.mystery', message: 'unknown key' },
      { path: '', message: 'the file is not writable' },
    ]);
    expect(mapped.byField.get('orgs')).toEqual([{ message: '"a/b" is not a GitHub login', index: 1 }]);
    expect(mapped.byField.get('token')).toEqual([{ message: 'GitHub refused the token', index: null }]);
    expect(mapped.byField.get('include')).toEqual([{ message: 'expected true or false', index: null }]);
    expect(mapped.general).toEqual(['github needs at least one target', 'github.mystery: unknown key', 'the file is not writable']);
  });
});

/** The keys of a zod object schema, through refinements/pipes. */
function objectShape(schema: unknown): object {
  let current = schema as { shape?: object; _zod?: { def?: { shape?: object; in?: unknown; schema?: unknown; innerType?: unknown } } };
  for (let depth = 0; depth < 5; depth++) {
    if (current.shape) return current.shape;
    const def = current._zod?.def;
    if (def?.shape) return def.shape;
    const inner = def?.in ?? def?.schema ?? def?.innerType;
    if (!inner) break;
    current = inner as typeof current;
  }
  throw new Error('not an object schema');
}

describe('GitHub sign-in choice (personal token, token file, GitHub App)', () => {
  const choose = (values: ReturnType<typeof formFromSettings>, auth: string, texts: Record<string, string>) => ({
    ...values,
    auth: { kind: 'text' as const, text: auth },
    ...Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, { kind: 'text' as const, text }])),
  });

  it('starts on the way the section signs in, and shows only that way\'s fields', () => {
    const app = formFromSettings(githubFields, { orgs: ['a'], app: { appId: 12, privateKeyFile: './app.pem' } });
    expect(app.auth).toEqual({ kind: 'text', text: 'app' });
    expect(app['app.appId']).toEqual({ kind: 'text', text: '12' });
    expect(githubFields.filter((field) => isFieldShown(field, app)).map((field) => field.key)).toEqual(expect.arrayContaining(['app.appId', 'app.privateKeyFile', 'app.installationId']));
    expect(githubFields.filter((field) => isFieldShown(field, app)).map((field) => field.key)).not.toContain('token');
    expect(formFromSettings(githubFields, { orgs: ['a'], tokenFile: '/run/secrets/t' }).auth).toEqual({ kind: 'text', text: 'tokenFile' });
    expect(formFromSettings(githubFields, { orgs: ['a'] }).auth).toEqual({ kind: 'text', text: 'token' });
  });

  it('saves the chosen way only: switching drops the other ways\' keys, and App fields go under app', () => {
    const original = { orgs: ['a'], token: SECRET_UNCHANGED };
    const toApp = choose(formFromSettings(githubFields, original), 'app', { 'app.appId': '12', 'app.privateKeyFile': './app.pem' });
    expect(settingsFromForm(githubFields, toApp, original)).toEqual({ orgs: ['a'], app: { appId: '12', privateKeyFile: './app.pem' } });
    const saved = { orgs: ['a'], app: { appId: 12, privateKeyFile: './app.pem', installationId: 7 } };
    expect(settingsFromForm(githubFields, formFromSettings(githubFields, saved), saved)).toEqual(saved);
    const toFile = choose(formFromSettings(githubFields, saved), 'tokenFile', { tokenFile: '/run/secrets/github-token' });
    expect(settingsFromForm(githubFields, toFile, saved)).toEqual({ orgs: ['a'], tokenFile: '/run/secrets/github-token' });
  });

  it('puts an issue about a key inside app on its field', () => {
    const mapped = mapIssues('github', githubFields, [{ path: 'github.app.privateKeyFile', message: 'not a PEM private key' }, { path: 'github.app', message: 'whole' }]);
    expect(mapped.byField.get('app.privateKeyFile')).toEqual([{ message: 'not a PEM private key', index: null }]);
    expect(mapped.general).toEqual(['github.app: whole']);
  });
});
