// Settings edits through the API (config-file.ts + edit-provenance.ts): a saved secret is only sent to
// the address it was saved with, ${VAR} expands only where the file already uses it, and an apiUrl
// never carries a password. Each refusal below is a save the code before these rules accepted.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_UNCHANGED, type SourceSettings } from '../../shared/api.js';
import { ConfigError, formatEffectiveConfig, parseConfig } from '../../electron/core/config/config.js';
import { readSourceSettings, saveSourceSettings, type ConfigFileContext } from '../../electron/core/config/config-file.js';
import { referencedVariables } from '../../electron/core/config/interpolate.js';
import { sourceModules } from '../../electron/core/sources/registry.js';
import { generateTestKeyPair, writeTestServiceAccount, type TestServiceAccount } from '../fakes/google/service-account.js';
import { fakeDockerHubToken, fakeGitHubToken } from '../support/test-tokens.js';

type Env = Record<string, string | undefined>;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-edits-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const TOKEN = fakeGitHubToken();
const DOCKER_TOKEN = fakeDockerHubToken();
const AUTH_TOKEN = randomBytes(24).toString('hex');
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const ELSEWHERE = 'http://127.0.0.1:9561';

function setup(text: string, env: Env = {}): { file: string; context: ConfigFileContext } {
  const file = path.join(dir, 'footprint.yaml');
  writeFileSync(file, text);
  const loaded = parseConfig(text, { file, env, dataDir: dir, homedir: dir });
  return { file, context: { loaded, env, dataDir: dir, homedir: dir } };
}

/** The section as Settings shows it (literal secrets masked), with changes. */
function shown(context: ConfigFileContext, source: string, changes: Record<string, unknown> = {}): SourceSettings {
  return { ...readSourceSettings(context.loaded, sourceModules)[source], ...changes };
}

function refused(result: ReturnType<typeof saveSourceSettings>, pathText: string, message: RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.issues).toContainEqual({ path: pathText, message: expect.stringMatching(message) });
  for (const issue of result.issues) for (const secret of [TOKEN, DOCKER_TOKEN, AUTH_TOKEN, CANARY]) expect(issue.message).not.toContain(secret);
}

const githubFile = (token = `"${TOKEN}"`, extra = '') => `server: { authToken: "${AUTH_TOKEN}" }\ngithub:\n  apiUrl: https://api.github.com/\n  token: ${token}\n  orgs: [acme]\n${extra}`;

describe('a saved secret is only sent to the address it was saved with', () => {
  it('refuses a changed apiUrl with the saved token kept as ***, and writes nothing', () => {
    const { file, context } = setup(githubFile());
    const before = readFileSync(file, 'utf8');
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: ELSEWHERE })), 'github.token', /^The API address changed: type the token again — a saved token is only sent to the address it was saved with$/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('keeps the saved token when the address is the same (a trailing slash or the default written out counts as the same)', () => {
    const { file, context } = setup(githubFile());
    expect(saveSourceSettings(context, 'github', shown(context, 'github', { orgs: ['acme', 'globex'] }))).toMatchObject({ ok: true });
    expect(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: 'https://api.github.com' }))).toMatchObject({ ok: true });
    const defaulted = setup(`github:\n  token: "${TOKEN}"\n  orgs: [acme]\n`);
    expect(saveSourceSettings(defaulted.context, 'github', shown(defaulted.context, 'github', { apiUrl: 'https://api.github.com/' }))).toMatchObject({ ok: true });
    expect(readFileSync(file, 'utf8')).toContain(TOKEN);
  });

  it('accepts a changed address with a token typed again — a new one, or the same one retyped (typing it proves the user knows it)', () => {
    const typedNew = fakeGitHubToken();
    const { file, context } = setup(githubFile());
    const saved = saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: ELSEWHERE, token: typedNew }));
    expect(saved).toMatchObject({ ok: true });
    expect(readFileSync(file, 'utf8')).toContain(typedNew);
    const again = setup(githubFile());
    expect(saveSourceSettings(again.context, 'github', shown(again.context, 'github', { apiUrl: ELSEWHERE, token: TOKEN }))).toMatchObject({ ok: true });
  });

  it('refuses a changed address that keeps an environment reference in the token', () => {
    const env = { GITHUB_TOKEN: TOKEN };
    const { context } = setup(githubFile('"${GITHUB_TOKEN}"'), env);
    expect(shown(context, 'github').token).toBe('${GITHUB_TOKEN}');
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: ELSEWHERE })), 'github.token', /^The API address changed: \$\{GITHUB_TOKEN\} is only sent to the address the configuration file uses with it — type the value itself, or make this change in .*footprint\.yaml by hand$/);
    // The same reference at the same address stays usable.
    expect(saveSourceSettings(context, 'github', shown(context, 'github', { orgs: ['acme', 'globex'] }))).toMatchObject({ ok: true });
  });

  it('refuses Docker Hub\'s saved token (sent in the login body) to a changed address', () => {
    const { context } = setup(`dockerhub:\n  apiUrl: https://hub.docker.com\n  username: acme-bot\n  token: "${DOCKER_TOKEN}"\n  namespaces: [acme]\n`);
    refused(saveSourceSettings(context, 'dockerhub', shown(context, 'dockerhub', { apiUrl: ELSEWHERE })), 'dockerhub.token', /^The API address changed: type the token again/);
    expect(saveSourceSettings(context, 'dockerhub', shown(context, 'dockerhub', { apiUrl: ELSEWHERE, token: fakeDockerHubToken() }))).toMatchObject({ ok: true });
  });

  it('refuses a secret Footprint keeps for another setting (server.authToken, another source\'s token) typed into a source', () => {
    const { context } = setup(`${githubFile()}dockerhub:\n  username: acme-bot\n  token: "${DOCKER_TOKEN}"\n  namespaces: [acme]\n`);
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: ELSEWHERE, token: AUTH_TOKEN })), 'github.token', /secret Footprint keeps for another setting/);
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { token: DOCKER_TOKEN })), 'github.token', /secret Footprint keeps for another setting/);
  });

  it('refuses a remoteWrite receiver\'s credentials typed into a source: they go to that receiver only', () => {
    const pushToken = randomBytes(20).toString('hex');
    const { context } = setup(`${githubFile()}remoteWrite:\n  - url: https://mimir.example.com/api/v1/push\n    authorization: { credentials: "${pushToken}" }\n`);
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: ELSEWHERE, token: pushToken })), 'github.token', /secret Footprint keeps for another setting/);
  });
});

describe('${VAR} in an edit expands only variables the file already uses for that field', () => {
  it('refuses a reference the saved section does not use there, naming the field and the way out', () => {
    const env = { GITHUB_TOKEN: TOKEN, FOOTPRINT_AUTH_TOKEN: AUTH_TOKEN, AWS_SECRET: CANARY };
    const { context } = setup(githubFile('"${GITHUB_TOKEN}"'), env);
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: `${ELSEWHERE}/\${FOOTPRINT_AUTH_TOKEN}` })), 'github.apiUrl',
      /^\$\{FOOTPRINT_AUTH_TOKEN\} is not used for github\.apiUrl in .*footprint\.yaml: Settings expands only the environment variables the configuration file already uses for a field — type the value itself, or write the reference into the file by hand$/);
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { token: '${AWS_SECRET}' })), 'github.token', /^\$\{AWS_SECRET\} is not used for github\.token .* type the token itself/);
    // A variable the file uses for the token is still not expanded in another field.
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { orgs: ['acme', '${GITHUB_TOKEN}'] })), 'github.orgs[1]', /\$\{GITHUB_TOKEN\} is not used for github\.orgs/);
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { orgs: ['${AWS_SECRET:-acme}'] })), 'github.orgs[0]', /\$\{AWS_SECRET\}/);
  });

  it('refuses references in a brand-new section: nothing saved uses them yet', () => {
    const { context } = setup('storage: { path: history.db }\n', { GITHUB_TOKEN: TOKEN });
    refused(saveSourceSettings(context, 'github', { orgs: ['acme'], token: '${GITHUB_TOKEN}' }), 'github.token', /\$\{GITHUB_TOKEN\} is not used for github\.token/);
    refused(saveSourceSettings(context, 'npm', { packages: ['left-pad'], apiUrl: 'http://127.0.0.1:1/${GITHUB_TOKEN}' }), 'npm.apiUrl', /\$\{GITHUB_TOKEN\} is not used for npm\.apiUrl/);
  });

  it('keeps a list field\'s references wherever they sit in the list, and $${ is text, not a reference', () => {
    const { file, context } = setup('npm:\n  packages: ["${MY_PACKAGE}"]\n', { MY_PACKAGE: 'left-pad' });
    expect(saveSourceSettings(context, 'npm', { packages: ['rocket-cli', '${MY_PACKAGE}'] })).toMatchObject({ ok: true });
    expect(readFileSync(file, 'utf8')).toContain('${MY_PACKAGE}');
    expect(referencedVariables('$${NOT_ONE} ${ONE} ${TWO:-x}')).toEqual(['ONE', 'TWO']);
  });
});

describe('GA4: the key file is the secret', () => {
  let account: TestServiceAccount;
  const ga4File = (extra = '') => `ga4:\n  credentialsFile: ./service-account.json\n  properties: ["123"]\n${extra}`;
  beforeEach(() => {
    account = writeTestServiceAccount({ dir, tokenUri: 'https://oauth2.googleapis.com/token' });
  });

  it('refuses a changed Data API address while the saved key would sign for it', () => {
    const { context } = setup(ga4File());
    refused(saveSourceSettings(context, 'ga4', shown(context, 'ga4', { apiUrl: ELSEWHERE })), 'ga4.apiUrl', /^The API address changed, but the secret is still the saved one, and a saved secret is only sent to the address it was saved with — use a new credential \(another key file\), or make this change in .* by hand$/);
  });

  it('refuses the saved key under another name with another token address, and accepts a new key with a new address', () => {
    const { context } = setup(ga4File());
    writeFileSync(path.join(dir, 'copy.json'), JSON.stringify({ ...account.json, token_uri: `${ELSEWHERE}/token` }));
    refused(saveSourceSettings(context, 'ga4', shown(context, 'ga4', { credentialsFile: './copy.json' })), 'ga4.credentialsFile', /ga4\.credentialsFile changed, but the secret is still the saved one/);
    writeTestServiceAccount({ dir, tokenUri: `${ELSEWHERE}/token`, fileName: 'other.json' });
    expect(saveSourceSettings(context, 'ga4', shown(context, 'ga4', { credentialsFile: './other.json', apiUrl: ELSEWHERE }))).toMatchObject({ ok: true });
  });

  it('never quotes a file named as key file', () => {
    const { context } = setup(ga4File());
    writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ type: CANARY, password: CANARY }));
    const result = saveSourceSettings(context, 'ga4', shown(context, 'ga4', { credentialsFile: './other.json' }));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(CANARY);
    expect(JSON.stringify(result)).toContain('is not a service-account key file');
  });
});

describe('GitHub: what a token file or an App key file holds is a saved secret', () => {
  const tokenFileConfig = (extra = '') => `github:\n  apiUrl: https://api.github.com/\n  tokenFile: ./github-token\n  orgs: [acme]\n${extra}`;
  const appConfig = `github:\n  app: { appId: 12, privateKeyFile: ./app.pem }\n  orgs: [acme]\n`;
  beforeEach(() => {
    writeFileSync(path.join(dir, 'github-token'), `${TOKEN}\n`);
    writeFileSync(path.join(dir, 'app.pem'), generateTestKeyPair().privateKeyPem);
  });

  it('refuses a changed apiUrl while a saved tokenFile or App key would be sent there, and keeps them at the same address', () => {
    for (const text of [tokenFileConfig(), appConfig]) {
      const { file, context } = setup(text);
      refused(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: ELSEWHERE })), 'github.apiUrl', /^The API address changed, but the secret is still the saved one, and a saved secret is only sent to the address it was saved with — use a new credential/);
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(saveSourceSettings(context, 'github', shown(context, 'github', { interval: '2h' }))).toMatchObject({ ok: true });
    }
  });

  it('refuses the saved token under another file name at another address, and accepts a new token file there', () => {
    const { context } = setup(tokenFileConfig());
    writeFileSync(path.join(dir, 'copy-token'), TOKEN);
    refused(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: ELSEWHERE, tokenFile: './copy-token' })), 'github.apiUrl', /the secret is still the saved one/);
    writeFileSync(path.join(dir, 'new-token'), fakeGitHubToken());
    expect(saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: ELSEWHERE, tokenFile: './new-token' }))).toMatchObject({ ok: true });
  });

  it('refuses another setting\'s key as the App key, and a file that holds no key or token, never quoting it', () => {
    const account = writeTestServiceAccount({ dir, tokenUri: 'https://oauth2.googleapis.com/token' });
    writeFileSync(path.join(dir, 'ga4.pem'), account.privateKeyPem);
    const { context } = setup(`${githubFile()}ga4:\n  credentialsFile: ./service-account.json\n  properties: ["123"]\n`);
    const asApp = (privateKeyFile: string) => shown(context, 'github', { token: '', app: { appId: 12, privateKeyFile } });
    refused(saveSourceSettings(context, 'github', asApp('./ga4.pem')), 'github.app.privateKeyFile', /this is a secret Footprint keeps for another setting/);
    const notKey = saveSourceSettings(context, 'github', asApp('./service-account.json'));
    refused(notKey, 'github.app.privateKeyFile', /service-account\.json is not a PEM private key/);
    expect(JSON.stringify(notKey)).not.toContain(account.clientEmail);
    const notToken = saveSourceSettings(context, 'github', shown(context, 'github', { token: '', tokenFile: './footprint.yaml' }));
    refused(notToken, 'github.tokenFile', /footprint\.yaml does not hold a GitHub token/);
  });
});

describe('an apiUrl with user:password@', () => {
  const password = `pw-${randomBytes(10).toString('hex')}`;

  it('is a configuration error naming the key, and the password is not in it', () => {
    for (const url of [`https://me:${password}@api.github.com`, `https://${password}@api.github.com`, `https://me:${password}@api.github.com/?q=1`]) {
      let error: unknown;
      try {
        parseConfig(`github:\n  apiUrl: "${url}"\n  orgs: [acme]\n`, { file: path.join(dir, 'f.yaml'), env: {}, dataDir: dir, homedir: dir });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([{ path: 'github.apiUrl', message: expect.stringMatching(/user name or password .* remove it from the address/) }]);
      expect((error as ConfigError).message).not.toContain(password);
    }
  });

  it('is masked in the "not a base URL" message as well', () => {
    const { context } = setup(githubFile());
    const result = saveSourceSettings(context, 'github', shown(context, 'github', { apiUrl: `ftp://me:${password}@host`, token: fakeGitHubToken() }));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(password);
    expect(formatEffectiveConfig(context.loaded)).not.toContain(password);
  });
});

describe('typed references of the desktop app', () => {
  it('a reference the vault wrote for a token typed this time is typed, not carried; the same reference from anyone else is refused', () => {
    const typedToken = fakeGitHubToken();
    const env: Env = { FOOTPRINT_SECRET_GITHUB_TOKEN: TOKEN };
    const { context } = setup(githubFile('"${FOOTPRINT_SECRET_GITHUB_TOKEN}"'), env);
    const moved = shown(context, 'github', { apiUrl: ELSEWHERE, token: '${FOOTPRINT_SECRET_GITHUB_TOKEN}' });
    refused(saveSourceSettings(context, 'github', moved), 'github.token', /The API address changed/);
    env.FOOTPRINT_SECRET_GITHUB_TOKEN = typedToken; // what SecretVault.protect does with the typed value
    expect(saveSourceSettings(context, 'github', moved, new Map([['github.token', 'FOOTPRINT_SECRET_GITHUB_TOKEN']]))).toMatchObject({ ok: true });
    // A vault reference for another field is not that field's typed value.
    refused(saveSourceSettings(context, 'github', { ...moved, orgs: ['${FOOTPRINT_SECRET_GITHUB_TOKEN}'] }, new Map([['github.token', 'FOOTPRINT_SECRET_GITHUB_TOKEN']])), 'github.orgs[0]', /is not used for github\.orgs/);
  });

  it('Settings still shows a stored secret as *** and a reference as written', () => {
    const { context } = setup(githubFile());
    expect(shown(context, 'github').token).toBe(SECRET_UNCHANGED);
  });
});

describe('the file a saved secret is written to', () => {
  it('is readable only by its owner (0600), as is its backup, whatever the modes before', () => {
    const { file, context } = setup(githubFile(), {});
    chmodSync(file, 0o644); // written by hand, with a token in it
    writeFileSync(`${file}.bak`, 'old backup\n', { mode: 0o644 });
    writeFileSync(`${file}.${process.pid}.tmp`, 'left over from a crash\n', { mode: 0o644 });
    const typed = fakeGitHubToken();
    expect(saveSourceSettings(context, 'github', shown(context, 'github', { token: typed }))).toMatchObject({ ok: true });
    expect(readFileSync(file, 'utf8')).toContain(typed);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${file}.bak`, 'utf8')).toContain(TOKEN);
    expect(statSync(`${file}.bak`).mode & 0o777).toBe(0o600);
  });
});
