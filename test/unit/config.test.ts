import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { z } from 'zod';
import { durationSchema, MAX_INTERVAL_MS } from '../../electron/core/duration.js';
import type { SourceModule } from '../../electron/core/source.js';
import {
  ConfigError,
  defaultConfigFile,
  defaultDatabasePath,
  defaultDataDir,
  formatEffectiveConfig,
  loadConfig,
  maskConfig,
  parseConfig,
  parseListenAddress,
  resolveConfigFile,
  type LoadedConfig,
} from '../../electron/core/config/config.js';
import { MASK, redactSecrets } from '../../electron/core/secrets.js';
import { fakeGitHubToken } from '../support/test-tokens.js';

interface FakeConfig {
  token?: string | undefined;
  orgs: string[];
  interval: number;
  timeout: number;
  mode: 'fast' | 'slow';
  nested?: { depth?: number | undefined } | undefined;
}

// The default module list is the registry's: here it holds only the fake source below (the mock
// is created before this file's code runs, so the array is filled in afterwards).
const { registryModules } = vi.hoisted(() => ({ registryModules: [] as SourceModule<any>[] }));
vi.mock('../../electron/core/sources/registry.js', () => ({
  sourceModules: registryModules,
  findSourceModule: (id: string) => registryModules.find((module) => module.id === id),
}));

// A small source module standing in for the real ones, so these tests exercise the loader's
// generic behaviour (schema assembly, messages, secrets) and not any one source's schema.
const fakeSource: SourceModule<FakeConfig> = {
  id: 'fake',
  title: 'Fake',
  configSchema: z.strictObject({
    token: z.string().min(1).optional(),
    orgs: z.array(z.string().min(1)).min(1).meta({ examples: [['my-org']] }),
    interval: durationSchema(60_000, MAX_INTERVAL_MS).prefault('10m'),
    // .default takes the parsed value (milliseconds); the loader still shows it as "30s".
    timeout: durationSchema(1_000, 300_000).default(30_000),
    mode: z.enum(['fast', 'slow']).prefault('fast'),
    // A non-strict object on purpose: unknown keys under it must still be errors.
    nested: z.object({ depth: z.number().int().optional() }).optional(),
  }),
  metrics: [],
  secrets: (config) => (config.token === undefined ? [] : [config.token]),
  create: (config) => ({ id: 'fake', intervalMs: config.interval, timeoutMs: 20_000, collect: async () => ({ samples: [], errors: [], collected: 0 }) }),
};
const modules = [fakeSource];
registryModules.push(fakeSource);

let dir: string;
let home: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-'));
  home = path.join(dir, 'home');
  fs.mkdirSync(home);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Parses YAML text as if read from dir/footprint.yaml. */
function parse(text: string, env: NodeJS.ProcessEnv = {}, file = path.join(dir, 'footprint.yaml')): LoadedConfig {
  return parseConfig(text, { file, env, modules, dataDir: path.join(dir, 'data'), homedir: home });
}

/** The ConfigError a parse throws (fails the test when it does not throw one). */
function parseError(text: string, env: NodeJS.ProcessEnv = {}, file?: string): ConfigError {
  try {
    parse(text, env, file);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function issueAt(error: ConfigError, key: string): string {
  const found = error.issues.filter((issue) => issue.path === key);
  expect(found.map((issue) => issue.path), `issues: ${JSON.stringify(error.issues)}`).toEqual([key]);
  return found[0]!.message;
}

describe('default paths', () => {
  it('follows XDG on Linux, ignoring unset or relative variables', () => {
    expect(defaultConfigFile({ XDG_CONFIG_HOME: '/x/conf' }, 'linux', '/home/u')).toBe('/x/conf/footprint/footprint.yaml');
    expect(defaultConfigFile({}, 'linux', '/home/u')).toBe('/home/u/.config/footprint/footprint.yaml');
    expect(defaultConfigFile({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.config/footprint/footprint.yaml');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/u')).toBe('/x/data/footprint');
    expect(defaultDataDir({ XDG_DATA_HOME: '' }, 'freebsd', '/home/u')).toBe('/home/u/.local/share/footprint');
    expect(defaultDatabasePath({}, 'linux', '/home/u')).toBe('/home/u/.local/share/footprint/footprint.db');
  });

  it('uses Application Support on macOS', () => {
    expect(defaultConfigFile({ XDG_CONFIG_HOME: '/ignored' }, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Footprint/footprint.yaml');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Footprint');
  });

  it('uses APPDATA and LOCALAPPDATA on Windows, with the usual fallbacks', () => {
    const env = { APPDATA: 'C:\\Users\\u\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' };
    expect(defaultConfigFile(env, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Footprint\\footprint.yaml');
    expect(defaultDataDir(env, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Local\\Footprint');
    expect(defaultDatabasePath({}, 'win32', 'D:\\home')).toBe('D:\\home\\AppData\\Local\\Footprint\\footprint.db');
  });
});

describe('resolveConfigFile', () => {
  it('prefers --config, then FOOTPRINT_CONFIG, then an existing per-user file', () => {
    const env = { XDG_CONFIG_HOME: path.join(dir, 'conf'), FOOTPRINT_CONFIG: path.join(dir, 'from-env.yaml') };
    const defaultFile = path.join(dir, 'conf', 'footprint', 'footprint.yaml');
    expect(resolveConfigFile({ flag: path.join(dir, 'flag.yaml'), env, platform: 'linux', homedir: home })).toEqual({ file: path.join(dir, 'flag.yaml'), explicit: true, origin: 'flag', defaultFile });
    expect(resolveConfigFile({ env, platform: 'linux', homedir: home })).toEqual({ file: path.join(dir, 'from-env.yaml'), explicit: true, origin: 'env', defaultFile });
    const withoutEnv = { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, FOOTPRINT_CONFIG: '' };
    expect(resolveConfigFile({ env: withoutEnv, platform: 'linux', homedir: home })).toEqual({ file: null, explicit: false, origin: 'none', defaultFile });
    write('conf/footprint/footprint.yaml', '');
    expect(resolveConfigFile({ env: withoutEnv, platform: 'linux', homedir: home })).toEqual({ file: defaultFile, explicit: false, origin: 'default', defaultFile });
  });

  it('resolves a relative --config against the working directory', () => {
    expect(resolveConfigFile({ flag: 'conf/x.yaml', env: {}, platform: 'linux', homedir: home }).file).toBe(path.resolve('conf/x.yaml'));
  });
});

describe('loadConfig', () => {
  const env = (): NodeJS.ProcessEnv => ({ XDG_CONFIG_HOME: path.join(dir, 'conf'), XDG_DATA_HOME: path.join(dir, 'data') });

  it('runs on defaults when there is no config file', () => {
    const loaded = loadConfig({ env: env(), platform: 'linux', homedir: home, modules });
    expect(loaded).toMatchObject({
      file: null,
      defaultFile: path.join(dir, 'conf', 'footprint', 'footprint.yaml'),
      secrets: [],
      config: {
        server: { listen: { host: '127.0.0.1', port: 9171, text: '127.0.0.1:9171' } },
        storage: { path: path.join(dir, 'data', 'footprint', 'footprint.db'), retentionMs: null },
        log: { level: 'info' },
        sources: {},
      },
    });
  });

  it('loads the per-user file when it exists', () => {
    const file = write('conf/footprint/footprint.yaml', 'log: { level: debug }\n');
    const loaded = loadConfig({ env: env(), platform: 'linux', homedir: home, modules });
    expect(loaded.file).toBe(file);
    expect(loaded.config.log.level).toBe('debug');
  });

  it('validates against the source registry unless given modules', () => {
    const file = write('c.yaml', 'fake: { orgs: [a] }\n');
    expect(loadConfig({ flag: file, env: env(), platform: 'linux', homedir: home }).config.sources).toEqual({ fake: { orgs: ['a'], interval: 600_000, timeout: 30_000, mode: 'fast' } });
    expect(() => loadConfig({ flag: file, env: env(), platform: 'linux', homedir: home, modules: [] })).toThrow(/fake: unknown key/);
  });

  it('reports an explicit file that is missing, naming where the path came from', () => {
    const missing = path.join(dir, 'nope.yaml');
    expect(() => loadConfig({ flag: missing, env: env(), homedir: home, modules })).toThrow(`${missing}: config file not found — check the path given to --config, or create the file`);
    expect(() => loadConfig({ env: { ...env(), FOOTPRINT_CONFIG: missing }, homedir: home, modules })).toThrow(`${missing}: config file not found — check the path in FOOTPRINT_CONFIG, or create the file`);
    expect(() => loadConfig({ flag: dir, env: env(), homedir: home, modules })).toThrow(`${dir}: is a directory — check the path given to --config: it must name a YAML or JSON file`);
  });

  it('refuses a file over 1 MB before reading it, naming the file, its size and the limit', () => {
    const file = write('huge.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\nlog: { level: warn }\n`);
    expect(() => loadConfig({ flag: file, env: env(), homedir: home, modules })).toThrow(`${file}: is 2 MB; a configuration file is at most 1 MB — check the path given to --config: it must name Footprint's YAML or JSON configuration`);
    // Just under the limit still loads.
    const large = write('large.yaml', `# ${'x'.repeat(1024 * 1024 - 100)}\nlog: { level: warn }\n`);
    expect(loadConfig({ flag: large, env: env(), homedir: home, modules }).config.log.level).toBe('warn');
  });

  it.skipIf(process.platform === 'win32')('refuses a device instead of reading it as a configuration', () => {
    expect(() => loadConfig({ env: { ...env(), FOOTPRINT_CONFIG: '/dev/null' }, homedir: home, modules })).toThrow('/dev/null: is a character device — check the path in FOOTPRINT_CONFIG: it must name a YAML or JSON file');
  });

  it('registers the secrets it found, so they are masked everywhere from then on', () => {
    const token = `tok-${path.basename(dir)}`;
    const file = write('c.yaml', 'fake: { orgs: [a], token: "${FAKE_TOKEN}" }\n');
    expect(redactSecrets(`x ${token}`)).toBe(`x ${token}`);
    const loaded = loadConfig({ flag: file, env: { ...env(), FAKE_TOKEN: token }, homedir: home, modules });
    expect(loaded.secrets).toEqual([token]);
    expect(redactSecrets(`x ${token}`)).toBe(`x ${MASK}`);
  });
});

describe('parseConfig', () => {
  it('parses every section, fills defaults and resolves paths against the file', () => {
    const loaded = parse(`
server: { listen: "[::1]:9200" }
storage: { path: ./db/history.db, retention: 400d }
log: { level: warn }
fake:
  token: secret-token-1
  orgs: [a, b]
  interval: 1h30m
`);
    expect(loaded.file).toBe(path.join(dir, 'footprint.yaml'));
    expect(loaded.config).toEqual({
      server: { listen: { host: '::1', port: 9200, text: '[::1]:9200' }, authToken: null, metricsAuth: false, allowedHosts: [], public: [] },
      storage: { path: path.join(dir, 'db', 'history.db'), retentionMs: 400 * 86_400_000 },
      log: { level: 'warn' },
      backfill: { enabled: true, budgetShare: 0.5, replanIntervalMs: 86_400_000 },
      remoteWrite: [],
      sources: { fake: { token: 'secret-token-1', orgs: ['a', 'b'], interval: 5_400_000, timeout: 30_000, mode: 'fast' } },
    });
    expect(loaded.secrets).toEqual(['secret-token-1']);
  });

  it('treats an empty file and empty sections as defaults', () => {
    expect(parse('').config.sources).toEqual({});
    expect(parse('# only a comment\n').config.server.listen.port).toBe(9171);
    expect(parse('server:\nlog:\n').config.log.level).toBe('info');
    // An empty source section is present: its required keys are then reported.
    expect(issueAt(parseError('fake:\n'), 'fake.orgs')).toBe('missing required value — add "orgs:" with a list of names like [my-org]');
  });

  it('keeps absolute storage paths and expands ~/', () => {
    expect(parse('storage: { path: /var/lib/fp.db }').config.storage.path).toBe('/var/lib/fp.db');
    expect(parse('storage: { path: ~/fp/history.db }').config.storage.path).toBe(path.join(home, 'fp', 'history.db'));
  });

  it('reads JSON when the file name ends in .json', () => {
    const loaded = parse('{ "fake": { "orgs": ["a"] }, "log": { "level": "error" } }', {}, path.join(dir, 'c.JSON'));
    expect(loaded.config.log.level).toBe('error');
    expect(loaded.config.sources).toEqual({ fake: { orgs: ['a'], interval: 600_000, timeout: 30_000, mode: 'fast' } });
  });

  it('rejects a file that is not a mapping', () => {
    expect(parseError('- a\n- b\n').message).toBe(`${path.join(dir, 'footprint.yaml')}: the file holds a list — it must be a mapping of sections such as "server:", "storage:", "log:" and one per source`);
  });
});

describe('syntax errors', () => {
  it('gives the YAML line and column without quoting the file', () => {
    const error = parseError(`fake:\n  orgs: [a\n  token: "${fakeGitHubToken()}\n`);
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.issues[0]!.message).toMatch(/^YAML syntax error at line \d+, column \d+: .+ — fix the file there$/);
    expect(error.message).not.toContain('ghp_');
    expect(error.message).not.toContain('0123456789');
  });

  it('refuses alias bombs', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(parseError(bomb).issues[0]!.message).toMatch(/^YAML cannot be read: .+ — simplify the anchors and aliases$/);
  });

  it('reports a duplicate key with its line', () => {
    expect(parseError('log: { level: info }\nlog: { level: warn }\n').issues[0]!.message).toBe('YAML syntax error at line 2, column 1: Map keys must be unique — fix the file there');
  });

  it('gives the JSON line and column of the offending character', () => {
    const file = path.join(dir, 'c.json');
    const text = '{\n  "fake": {\n    "orgs": ["a"],,\n    "token": "hunter2-secret"\n  }\n}';
    expect(parseError(text, {}, file).message).toBe(`${file}: JSON syntax error at line 3, column 19: unexpected "," — fix the file there`);
    expect(parseError('{ "log": { "level": tru } }', {}, file).issues[0]!.message).toBe('JSON syntax error at line 1, column 24: unexpected space — fix the file there');
    expect(parseError('{ "log": {\n "level": "info"', {}, file).issues[0]!.message).toBe('JSON syntax error at line 2, column 17: the JSON ends early (an unclosed { [ or ") — fix the file there');
    expect(parseError(text, {}, file).message).not.toContain('hunter2');
  });
});

describe('${VAR} expansion', () => {
  it('expands variables and defaults inside string values', () => {
    const loaded = parse('fake:\n  orgs: ["${ORG}", "pre-${ORG}-post", "${MISSING:-fallback}", "${EMPTY:-x}", "a$b", "$${ORG}"]\n', { ORG: 'acme', EMPTY: '' });
    expect((loaded.config.sources.fake as FakeConfig).orgs).toEqual(['acme', 'pre-acme-post', 'fallback', 'x', 'a$b', '${ORG}']);
  });

  it('keeps environment content as data: it cannot add YAML structure', () => {
    const loaded = parse('fake: { orgs: ["${ORG}"], mode: fast }\n', { ORG: 'x"]\nmode: slow\ninjected: [1' });
    expect(loaded.config.sources.fake).toMatchObject({ orgs: ['x"]\nmode: slow\ninjected: [1'], mode: 'fast' });
  });

  it('does not expand keys', () => {
    expect(issueAt(parseError('fake: { orgs: [a], "${KEY}": 1 }\n', { KEY: 'mode' }), 'fake.${KEY}')).toMatch(/^unknown key — /);
  });

  it('treats a value that expands to nothing as absent (no token rather than an empty one)', () => {
    const loaded = parse('fake: { orgs: [a], token: "${FAKE_TOKEN:-}" }\n', {});
    expect(loaded.config.sources.fake).toEqual({ orgs: ['a'], interval: 600_000, timeout: 30_000, mode: 'fast' });
    expect(loaded.secrets).toEqual([]);
    expect(parse('server: { listen: "${LISTEN:-}" }\n').config.server.listen.text).toBe('127.0.0.1:9171');
  });

  it('names the key and the variable when a variable is unset or empty', () => {
    const error = parseError('fake:\n  orgs: [a]\n  token: ${FAKE_TOKEN}\n', {});
    expect(error.message).toBe(`${path.join(dir, 'footprint.yaml')}: fake.token: environment variable FAKE_TOKEN is not set — export it, or write \${FAKE_TOKEN:-} to run without it`);
    expect(issueAt(parseError('fake: { orgs: ["${ORG}"] }\n', { ORG: '' }), 'fake.orgs[0]')).toBe('environment variable ORG is empty — export it, or write ${ORG:-} to run without it');
  });

  it('refuses a value over 4 KB, written or from a variable, naming the key and never quoting the value', () => {
    const secret = `s3cr3t-${'k'.repeat(5 * 1024 * 1024)}`;
    const fromVariable = parseError('fake:\n  orgs: [a]\n  token: "${BIG_TOKEN}"\n', { BIG_TOKEN: secret });
    expect(issueAt(fromVariable, 'fake.token')).toBe('is 5 MB long; a token or other secret is at most 4 KB — check what the environment variable BIG_TOKEN holds');
    expect(fromVariable.message).not.toContain('s3cr3t');
    const prefixed = parseError('fake:\n  orgs: ["org-${ORG}"]\n', { ORG: 'o'.repeat(4096) });
    expect(issueAt(prefixed, 'fake.orgs[0]')).toBe('is 4 KB long; a value is at most 4 KB — check what the environment variable ORG holds');
    const written = parseError(`fake:\n  orgs: [a]\n  token: "${'w'.repeat(5000)}"\n`);
    expect(issueAt(written, 'fake.token')).toBe('is 4.9 KB long; a token or other secret is at most 4 KB — check what is written here');
    expect(written.message).not.toContain('wwww');
    expect(issueAt(parseError(`server: { authToken: "${'a'.repeat(5000)}" }\n`), 'server.authToken')).toMatch(/^is 4.9 KB long; a token or other secret is at most 4 KB/);
    // 4096 characters is still a value.
    expect((parse('fake:\n  orgs: ["${ORG}"]\n', { ORG: 'o'.repeat(4096) }).config.sources.fake as FakeConfig).orgs[0]).toHaveLength(4096);
  });

  it('refuses a key over 128 characters without quoting it', () => {
    const error = parseError(`fake:\n  orgs: [a]\n  ${'k'.repeat(500)}: 1\n`);
    expect(issueAt(error, 'fake')).toBe('holds a key of 500 characters; keys are names such as "orgs" or "interval", at most 128 characters — remove it');
    expect(error.message).not.toContain('kkkk');
  });

  it('rejects malformed references', () => {
    expect(issueAt(parseError('fake: { orgs: ["${ORG"] }\n'), 'fake.orgs[0]')).toBe('unterminated ${ — close the reference with }, or write $${ for a literal ${');
    expect(issueAt(parseError('fake: { orgs: ["${1X}"] }\n'), 'fake.orgs[0]')).toMatch(/^"\$\{1X\}" is not a valid reference — write \$\{NAME\}/);
  });
});

describe('validation messages', () => {
  it('suggests the key that was probably meant', () => {
    expect(issueAt(parseError('fak: { orgs: [a] }\n'), 'fak')).toBe('unknown key — did you mean "fake"?');
    expect(issueAt(parseError('fake: { orgs: [a], intervall: 10m }\n'), 'fake.intervall')).toBe('unknown key — did you mean "interval"?');
    expect(issueAt(parseError('server: { lisen: ":9000" }\n'), 'server.lisen')).toBe('unknown key — did you mean "listen"?');
    expect(issueAt(parseError('storage: { retnetion: 1d }\n'), 'storage.retnetion')).toBe('unknown key — did you mean "retention"?');
    expect(issueAt(parseError('zzz: 1\n'), 'zzz')).toBe('unknown key — remove it or use one of: server, storage, log, backfill, remoteWrite, fake');
  });

  it('rejects unknown keys under a non-strict object of a source schema too', () => {
    expect(issueAt(parseError('fake: { orgs: [a], nested: { dpeth: 2 } }\n'), 'fake.nested.dpeth')).toBe('unknown key — did you mean "depth"?');
  });

  it('explains a wrong type in plain words, with the fix', () => {
    expect(issueAt(parseError('fake: { orgs: my-org }\n'), 'fake.orgs')).toBe('expected a list of names like [my-org], got a string — write a list, e.g. [my-org], or one "- item" line per entry');
    expect(issueAt(parseError('fake: { orgs: [a], nested: { depth: "2" } }\n'), 'fake.nested.depth')).toBe('expected a number, got a string — write a plain number, without quotes');
    expect(issueAt(parseError('fake: { orgs: [a], nested: { depth: 2.5 } }\n'), 'fake.nested.depth')).toBe('expected a whole number, got the number 2.5 — write a whole number, without quotes');
    expect(issueAt(parseError('fake: [a]\n'), 'fake')).toBe('expected a section of "key: value" lines, got a list — write indented "key: value" lines under it');
    expect(issueAt(parseError('server: { listen: 9171 }\n'), 'server.listen')).toBe('expected text like "127.0.0.1:9171", got the number 9171 — put the value in quotes, e.g. "127.0.0.1:9171"');
    expect(issueAt(parseError('fake: { orgs: [a], interval: }\n'), 'fake.interval')).toBe('expected text like "10m", got an empty value — give it a value, or remove the key to use the default');
    expect(issueAt(parseError('fake: { orgs: [a], timeout: 5 }\n'), 'fake.timeout')).toBe('expected text like "30s", got the number 5 — put the value in quotes, e.g. "30s"');
  });

  it('explains missing values, empty values and wrong choices', () => {
    expect(issueAt(parseError('fake: { token: abcdefgh }\n'), 'fake.orgs')).toBe('missing required value — add "orgs:" with a list of names like [my-org]');
    expect(issueAt(parseError('fake: { orgs: [] }\n'), 'fake.orgs')).toBe('must list at least one entry — add one, e.g. [name]');
    expect(issueAt(parseError('fake: { orgs: [""] }\n'), 'fake.orgs[0]')).toBe('must not be empty — give it a value, or remove the key');
    expect(issueAt(parseError('fake: { orgs: [a], mode: fats }\n'), 'fake.mode')).toBe('expected one of "fast", "slow", got "fats" — did you mean "fast"?');
    expect(issueAt(parseError('log: { level: verbose }\n'), 'log.level')).toBe('expected one of "trace", "debug", "info", "warn", "error", "fatal", "silent", got "verbose" — use one of those');
  });

  it('explains bad durations', () => {
    expect(issueAt(parseError('storage: { retention: forever }\n'), 'storage.retention')).toBe('"forever" is not a duration: write a number with a unit, e.g. "30s", "10m", "6h", "1d"');
    expect(issueAt(parseError('fake: { orgs: [a], interval: 10s }\n'), 'fake.interval')).toBe('10s is too short: use at least 1m');
  });

  it('bounds durations: an interval of "1" and 400 zeros days (Infinity) or over a week, retention over a century', () => {
    const infinite = `1${'0'.repeat(400)}d`;
    expect(issueAt(parseError(`fake: { orgs: [a], interval: "${infinite}" }\n`), 'fake.interval')).toBe(`"${infinite.slice(0, 20)}…" is not a duration: write a number with a unit, e.g. "30s", "10m", "6h", "1d"`);
    expect(issueAt(parseError('fake: { orgs: [a], interval: 8d }\n'), 'fake.interval')).toBe('8d is too long: use at most 7d');
    expect(issueAt(parseError('storage: { retention: 36501d }\n'), 'storage.retention')).toBe('36501d is too long: use at most 36500d');
    expect(issueAt(parseError('storage: { retention: 99999999999999999999d }\n'), 'storage.retention')).toContain('is not a duration');
  });

  it('lists every problem, each as <file>: <key>: <problem> — <fix>', () => {
    const file = path.join(dir, 'footprint.yaml');
    const error = parseError('server: { listen: "localhost" }\nlog: { level: loud }\nfake: { orgs: a, extra: 1 }\n');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.file).toBe(file);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['fake.extra', 'fake.orgs', 'log.level', 'server.listen']);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(4);
    for (const [index, issue] of error.issues.entries()) expect(lines[index]).toBe(`${file}: ${issue.path}: ${issue.message}`);
    for (const line of lines) expect(line).toMatch(/^.+: [a-z.]+: .+ — .+$/);
  });

  it('masks secret-shaped text in messages', () => {
    const error = parseError(`fake: { orgs: [a], mode: ${fakeGitHubToken()} }\n`);
    expect(error.message).not.toContain('ghp_');
    expect(issueAt(error, 'fake.mode')).toContain(MASK);
  });
});

describe('server.listen', () => {
  it.each([
    ['127.0.0.1:9171', '127.0.0.1', 9171],
    ['localhost:80', 'localhost', 80],
    ['metrics.example.com:9000', 'metrics.example.com', 9000],
    ['[::1]:9171', '::1', 9171],
    ['[::]:0', '::', 0],
    [':9171', '', 9171],
    ['0.0.0.0:65535', '0.0.0.0', 65535],
  ])('accepts %s', (text, host, port) => {
    // Addresses other machines can reach need an auth token (see below).
    expect(parse(`server: { listen: "${text}", authToken: "0123456789abcdef0123" }`).config.server.listen).toEqual({ host, port, text });
  });

  it('requires server.authToken when listening beyond this machine, and keeps it secret', () => {
    for (const text of ['0.0.0.0:9171', ':9171', 'metrics.example.com:9000', '[::]:9171']) {
      expect(issueAt(parseError(`server: { listen: "${text}" }`), 'server.authToken')).toMatch(/required — set it .* or listen on 127\.0\.0\.1/);
    }
    for (const text of ['127.0.0.1:9171', '127.1.2.3:80', 'localhost:9171', '[::1]:9171']) expect(parse(`server: { listen: "${text}" }`).config.server.authToken).toBeNull();
    const token = `auth-${path.basename(dir)}-0123456789`;
    const loaded = parse('server: { listen: ":9171", authToken: "${AUTH}", metricsAuth: true }', { AUTH: token });
    expect(loaded.config.server).toMatchObject({ authToken: token, metricsAuth: true });
    expect(loaded.secrets).toContain(token);
    expect(formatEffectiveConfig(loaded)).not.toContain(token);
    expect(issueAt(parseError('server: { listen: ":9171", authToken: "short" }'), 'server.authToken')).toMatch(/16 characters/);
  });

  it.each([
    ['localhost', '"localhost" has no port — write HOST:PORT'],
    ['127.0.0.1:', 'port "" is not a whole number from 0 to 65535'],
    ['127.0.0.1:65536', 'port "65536" is not a whole number from 0 to 65535'],
    ['127.0.0.1:http', 'port "http" is not a whole number from 0 to 65535'],
    ['::1:9171', '"::1:9171": an IPv6 address needs brackets — write "[::1]:9171"'],
    ['[::1]9171', '"[::1]9171" has no port — write it after the brackets, e.g. "[::1]:9171"'],
    ['[nope]:1', '"nope" in brackets is not an IPv6 address'],
    ['300.1.1.1:80', '"300.1.1.1" is not a valid IPv4 address'],
    ['bad_host:80', '"bad_host" is not a valid host name'],
    ['', 'is empty — write HOST:PORT'],
  ])('rejects %j', (text, problem) => {
    expect(issueAt(parseError(`server: { listen: "${text}" }`), 'server.listen')).toContain(problem);
  });

  it('parses a --listen flag with the same rules, naming the flag', () => {
    expect(parseListenAddress(':8080', '--listen')).toEqual({ host: '', port: 8080, text: ':8080' });
    expect(() => parseListenAddress('nope', '--listen')).toThrow(/^--listen: "nope" has no port — /);
  });
});

describe('server.allowedHosts', () => {
  it('lists the names a reverse proxy forwards: lower case, each once, shown by check-config', () => {
    const loaded = parse('server: { allowedHosts: [Footprint.Example.org, footprint.local, "footprint.local", "[::1]", 10.0.0.5] }');
    expect(loaded.config.server.allowedHosts).toEqual(['footprint.example.org', 'footprint.local', '::1', '10.0.0.5']);
    expect(maskConfig(loaded).server).toMatchObject({ allowedHosts: ['footprint.example.org', 'footprint.local', '::1', '10.0.0.5'] });
    expect(YAML.parse(formatEffectiveConfig(loaded)).server.allowedHosts).toEqual(loaded.config.server.allowedHosts);
    expect(parse('').config.server.allowedHosts).toEqual([]);
  });

  it.each([
    ['footprint.local:8443', '"footprint.local:8443" has a port — write the host name alone (any port is allowed), e.g. "footprint.local"'],
    ['https://footprint.local', '"https://footprint.local" is a URL — write the host name alone'],
    ['*.example.org', 'wildcards are not supported'],
    ['bad_host', '"bad_host" is not a host name'],
  ])('rejects %j, naming the entry', (name, problem) => {
    expect(issueAt(parseError(`server: { allowedHosts: ["ok.example", "${name}"] }`), 'server.allowedHosts[1]')).toContain(problem);
  });

  it('is a list', () => {
    expect(issueAt(parseError('server: { allowedHosts: footprint.local }'), 'server.allowedHosts')).toMatch(/list/);
  });
});

describe('server.public', () => {
  it('lists badge paths anyone may load, lower case, each once, with or without /badge/ and .svg', () => {
    const loaded = parse('server: { public: [github/Acme/Widget/stars, "/badge/npm/@acme/kit/downloads.svg", "github/acme/widget/stars", crates/serde/downloads] }');
    expect(loaded.config.server.public).toEqual(['github/acme/widget/stars', 'npm/@acme/kit/downloads', 'crates/serde/downloads']);
    expect(maskConfig(loaded).server).toMatchObject({ public: loaded.config.server.public });
    expect(parse('').config.server.public).toEqual([]);
  });

  it.each([
    ['gitlab/acme/stars', '"gitlab" is not a source with badges'],
    ['github/acme/widget/forks', 'is not a github badge or chart path'],
    ['github/../widget/stars', '".." is not a name'],
  ])('rejects %j, naming the entry', (key, problem) => {
    expect(issueAt(parseError(`server: { public: ["npm/ok/downloads", "${key}"] }`), 'server.public[1]')).toContain(problem);
  });
});

describe('FOOTPRINT_LOG_LEVEL', () => {
  it('overrides log.level', () => {
    expect(parse('log: { level: warn }', { FOOTPRINT_LOG_LEVEL: 'debug' }).config.log.level).toBe('debug');
    expect(parse('log: { level: warn }', { FOOTPRINT_LOG_LEVEL: '' }).config.log.level).toBe('warn');
  });

  it('must be a level', () => {
    expect(issueAt(parseError('', { FOOTPRINT_LOG_LEVEL: 'loud' }), 'log.level')).toBe('FOOTPRINT_LOG_LEVEL is "loud", which is not a log level — set it to one of trace, debug, info, warn, error, fatal, silent');
    expect(() => loadConfig({ env: { FOOTPRINT_LOG_LEVEL: 'loud', XDG_CONFIG_HOME: dir }, homedir: home, modules })).toThrow(/^log\.level: FOOTPRINT_LOG_LEVEL is "loud"/);
  });
});

describe('maskConfig and formatEffectiveConfig', () => {
  const text = `
storage: { path: ./h.db, retention: 400d }
fake:
  token: "\${FAKE_TOKEN}"
  orgs: ["org-\${FAKE_TOKEN}"]
`;

  it('shows the effective configuration with durations as text and secrets masked', () => {
    const token = `tok-${path.basename(dir)}-mask`;
    const loaded = parse(text, { FAKE_TOKEN: token });
    expect(maskConfig(loaded)).toEqual({
      server: { listen: '127.0.0.1:9171', metricsAuth: false },
      storage: { path: path.join(dir, 'h.db'), retention: '400d' },
      log: { level: 'info' },
      fake: { token: MASK, orgs: [`org-${MASK}`], interval: '10m', timeout: '30s', mode: 'fast' },
    });
    const printed = formatEffectiveConfig(loaded);
    expect(printed).not.toContain(token);
    expect(printed).toMatch(/^# .*secrets are shown as \*\*\*/);
    expect(YAML.parse(printed)).toEqual(maskConfig(loaded));
  });

  it('prints a configuration that loads back to the same settings', () => {
    const loaded = parse('server: { listen: "127.0.0.1:9300" }\nstorage: { retention: 36h }\nfake: { orgs: [a, b], interval: 2h, mode: slow }\n');
    expect(parse(formatEffectiveConfig(loaded)).config).toEqual(loaded.config);
  });

  it('says when everything is kept', () => {
    const printed = formatEffectiveConfig(parse(''));
    expect(printed).toContain('retention: null # keep everything');
    expect(YAML.parse(printed)).toEqual({ server: { listen: '127.0.0.1:9171', metricsAuth: false }, storage: { path: path.join(dir, 'data', 'footprint.db'), retention: null }, log: { level: 'info' } });
  });
});

describe('schema assembly', () => {
  it('refuses a source module whose id clashes with a core section', () => {
    const clash = { ...fakeSource, id: 'storage' };
    expect(() => parseConfig('', { file: path.join(dir, 'c.yaml'), env: {}, modules: [clash], dataDir: dir })).toThrow('source module id "storage" clashes with another config section');
  });
});

describe('with the real source registry', () => {
  it('suggests a registered source for a misspelt section and checks its keys', async () => {
    const registry = await vi.importActual<typeof import('../../electron/core/sources/registry.js')>('../../electron/core/sources/registry.js');
    const real = (text: string) => parseConfig(text, { file: path.join(dir, 'c.yaml'), env: {}, modules: registry.sourceModules, dataDir: dir });
    expect(registry.sourceModules.map((module) => module.id)).toContain('github');
    const error = (() => {
      try {
        real('githb: {}\ngithub: { no_such_key_here: 1 }\n');
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toContainEqual({ path: 'githb', message: 'unknown key — did you mean "github"?' });
    expect(error.issues.map((issue) => issue.path)).toContain('github.no_such_key_here');
  });

  it('gives every source a request timeout: 20 s unless set, from 1 s to 5 m', async () => {
    const registry = await vi.importActual<typeof import('../../electron/core/sources/registry.js')>('../../electron/core/sources/registry.js');
    // http is a list: each entry has its own timeout.
    const httpEntry = { name: 'shop', url: 'https://shop.example/stats.json', metrics: [{ name: 'shop_orders', value: 'orders' }] };
    const minimal: Record<string, Record<string, unknown>> = {
      http: httpEntry,
      github: { orgs: ['acme'] },
      dockerhub: { namespaces: ['acme'] },
      ga4: { credentialsFile: './key.json', properties: ['123'] },
      npm: { packages: ['left-pad'] },
      pypi: { packages: ['requests'] },
      crates: { crates: ['serde'] },
    };
    expect(registry.sourceModules.map((module) => module.id).sort()).toEqual(Object.keys(minimal).sort());
    for (const module of registry.sourceModules) {
      const parse = (extra: Record<string, unknown>) => module.configSchema.safeParse(module.id === 'http' ? [{ ...httpEntry, ...extra }] : { ...minimal[module.id], ...extra });
      const timeout = (data: unknown) => (Array.isArray(data) ? data[0] : data as { timeout: number }).timeout;
      expect(timeout(parse({}).data), module.id).toBe(20_000);
      expect(timeout(parse({ timeout: '45s' }).data), module.id).toBe(45_000);
      expect(parse({ timeout: '500ms' }).error?.issues[0]?.message, module.id).toBe('500ms is too short: use at least 1s');
      expect(parse({ timeout: '6m' }).error?.issues[0]?.message, module.id).toBe('6m is too long: use at most 5m');
    }
  });
});

describe('source prepare() hook', () => {
  it('resolves against the config folder and turns SourceConfigError into a config error naming source.key', async () => {
    const { parseConfig } = await import('../../electron/core/config/config.js');
    const { SourceConfigError } = await import('../../electron/core/source.js');
    const { z } = await import('zod');
    const seen: string[] = [];
    const fileSource = {
      id: 'files', title: 'Files', metrics: [],
      configSchema: z.object({ keyFile: z.string() }).strict(),
      secrets: () => [],
      prepare(config: { keyFile: string }, context: { configDir: string }) {
        seen.push(context.configDir);
        if (config.keyFile === 'missing.json') throw new SourceConfigError('keyFile', 'missing.json does not exist — download the key and set files.keyFile');
        return { keyFile: `${context.configDir}/${config.keyFile}` };
      },
      create: () => { throw new Error('not used'); },
    };
    const ok = parseConfig('files: { keyFile: key.json }\n', { file: '/etc/footprint/f.yaml', env: {}, modules: [fileSource], dataDir: '/tmp/data' });
    expect(ok.config.sources.files).toEqual({ keyFile: '/etc/footprint/key.json' });
    expect(seen).toEqual(['/etc/footprint']);
    expect(() => parseConfig('files: { keyFile: missing.json }\n', { file: '/etc/footprint/f.yaml', env: {}, modules: [fileSource], dataDir: '/tmp/data' }))
      .toThrow(/files\.keyFile: missing\.json does not exist/);
  });
});
