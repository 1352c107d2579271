// `footprint` start-up as a user meets it when something is wrong: every failure ends the command
// with a status and one clear message (2 and the key for configuration problems), never a hang, a
// half-started server, a stack trace or a secret; and a reader that leaves early (`| head`) ends
// the output quietly.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startServing } from '../../electron/core/cli/main.js';
import { parseConfig } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import type { SourceModule } from '../../electron/core/source.js';
import { HistoryStore } from '../../electron/core/store/history-store.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import { cleanEnv, repoRoot, runFootprint, runFootprintIntoClosingReader, type CommandResult } from '../support/footprint-process.js';

const token = `ghp_${randomBytes(18).toString('hex')}`;
let fake: FakeGitHub;
let dir: string;
let home: Record<string, string>;

function config(name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const storageConfig = (name: string, storagePath: string) => config(name, [`storage: { path: ${JSON.stringify(storagePath)} }`]);

/** No stack frame, no Node crash banner: one message, as a user should see it. */
function expectNoCrash(result: CommandResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/Node\.js v\d+|Unhandled 'error' event/);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-cli-startup-'));
  home = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), XDG_DATA_HOME: path.join(dir, 'xdg-data') };
  fake = await startFakeGitHub({ token, repos: [{ owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 }] });
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('configuration problems: check-config and serve exit 2 naming the key', () => {
  it('an interval of "1" and 400 zeros days (Infinity), as first reported', async () => {
    const file = config('infinity.yaml', ['github:', '  orgs: [acme]', `  interval: "1${'0'.repeat(400)}d"`]);
    for (const args of [['check-config'], ['serve', '--listen', '127.0.0.1:0']]) {
      const result = await runFootprint([...args, '--config', file], home);
      expect(result.status, `${args[0]}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`${file}: github.interval: `);
      expect(result.stdout).not.toContain('is serving');
      expectNoCrash(result);
    }
  });

  it('a storage.path that is a directory, in every command', async () => {
    const folder = path.join(dir, 'history-folder');
    mkdirSync(folder);
    const file = storageConfig('dir.yaml', folder);
    for (const args of [['check-config'], ['serve', '--listen', '127.0.0.1:0'], ['collect', '--once'], ['export']]) {
      const result = await runFootprint([...args, '--config', file], home);
      expect(result.status, `${args[0]}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim()).toBe(`${file}: storage.path: ${folder} is a directory — name a file, e.g. ${path.join(folder, 'footprint.db')}`);
    }
  });

  it.skipIf(process.platform !== 'linux')('a storage.path under /proc', async () => {
    const file = storageConfig('proc.yaml', '/proc/footprint/history.db');
    for (const args of [['check-config'], ['serve', '--listen', '127.0.0.1:0']]) {
      const result = await runFootprint([...args, '--config', file], home);
      expect(result.status, `${args[0]}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim()).toBe(`${file}: storage.path: /proc/footprint/history.db is on the kernel's proc filesystem, which cannot hold files — name a file on a disk`);
    }
  });

  it.skipIf(process.platform === 'win32')('a storage.path that is a named pipe, which SQLite would wait on for ever', async () => {
    const fifo = path.join(dir, 'history-pipe');
    execFileSync('mkfifo', [fifo]);
    const result = await runFootprint(['serve', '--listen', '127.0.0.1:0', '--config', storageConfig('fifo.yaml', fifo)], home);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`storage.path: ${fifo} is a named pipe (FIFO), not a file`);
  });

  it('a configuration file over 1 MB, refused without reading it', async () => {
    const file = path.join(dir, 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(3 * 1024 * 1024)}\n`);
    for (const args of [['check-config'], ['serve', '--listen', '127.0.0.1:0']]) {
      const result = await runFootprint([...args, '--config', file], home);
      expect(result.status, `${args[0]}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim()).toBe(`${file}: is 3 MB; a configuration file is at most 1 MB — check the path given to --config: it must name Footprint's YAML or JSON configuration`);
    }
  });

  it.skipIf(process.platform === 'win32')('FOOTPRINT_CONFIG naming a device or a named pipe, which would never end or never start', async () => {
    const fifo = path.join(dir, 'config-pipe');
    execFileSync('mkfifo', [fifo]);
    for (const [named, kind] of [['/dev/zero', 'a character device'], [fifo, 'a named pipe (FIFO)']] as const) {
      const result = await runFootprint(['check-config'], { ...home, FOOTPRINT_CONFIG: named });
      expect(result.status, `${named}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim()).toBe(`${named}: is ${kind} — check the path in FOOTPRINT_CONFIG: it must name a YAML or JSON file`);
    }
  });

  it('a 100 KB token: a clear error naming the key and the variable, the token never printed', async () => {
    // A Linux environment variable holds at most 128 KB; a literal in the file is refused the same way.
    const secret = `ghp_${randomBytes(50 * 1024).toString('hex')}`;
    const file = config('big-token.yaml', ['github:', '  orgs: [acme]', '  token: "${GITHUB_TOKEN}"']);
    for (const args of [['check-config'], ['serve', '--listen', '127.0.0.1:0']]) {
      const result = await runFootprint([...args, '--config', file], { ...home, GITHUB_TOKEN: secret });
      expect(result.status, `${args[0]}: ${result.stderr.slice(0, 500)}`).toBe(2);
      expect(result.stderr.trim()).toBe(`${file}: github.token: is 100 KB long; a token or other secret is at most 4 KB — check what the environment variable GITHUB_TOKEN holds`);
      expect(result.stdout + result.stderr).not.toContain(secret.slice(4, 40));
      expectNoCrash(result);
    }
  });
});

describe('serve start-up is all or nothing', () => {
  it('closes the listening server and the core again when polling cannot start', async () => {
    const dataDir = mkdtempSync(path.join(dir, 'serving-'));
    // A source whose interval the scheduler refuses: core.start() throws after the server listens.
    const unschedulable: SourceModule<Record<string, never>> = {
      id: 'demo',
      title: 'Demo',
      configSchema: z.strictObject({}),
      metrics: [],
      secrets: () => [],
      create: () => ({ id: 'demo', intervalMs: Number.NaN, timeoutMs: 20_000, collect: async () => ({ samples: [], errors: [], collected: 0 }) }),
    };
    const loaded = parseConfig('storage: { path: history.db }\ndemo: {}\n', { file: path.join(dataDir, 'footprint.yaml'), env: {}, modules: [unschedulable], dataDir });
    const core = new FootprintCore({ loaded, log: silentLogger(), modules: [unschedulable] });
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    await expect(startServing(core, { listen: { host: '127.0.0.1', port, text: `127.0.0.1:${port}` } }, silentLogger())).rejects.toThrow(/intervalMs must be a positive number/);
    // Nothing is left running: the port is free again and the history file is closed.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(() => core.store.exportRows()).toThrow(/is closed/);
  });
});

describe('a reader that goes away (footprint … | head)', () => {
  let exportConfig: string;

  beforeAll(() => {
    // Enough history that the export is still writing when the reader leaves.
    const store = HistoryStore.open(path.join(dir, 'export.db'));
    for (let poll = 1; poll <= 200; poll++) {
      store.ingest('github', Array.from({ length: 100 }, (_, repo) => ({ metric: 'github_repo_stars', labels: { owner: 'acme', repo: `r${repo}` }, value: poll * 1000 + repo })), Date.UTC(2026, 0, 1) + poll * 60_000);
    }
    store.close();
    exportConfig = config('export.yaml', ['storage: { path: ./export.db }']);
  });

  it.each(['csv', 'json', 'openmetrics'])('export --format %s exits 0 after the first lines, without a stack trace', async (format) => {
    const result = await runFootprintIntoClosingReader(['export', '--format', format, '--config', exportConfig], home, 200);
    expect(result.stdout.length).toBeGreaterThanOrEqual(200);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('every command exits quietly when the reader is gone before it writes', async () => {
    const collectConfig = config('collect.yaml', ['storage: { path: ./collect.db }', 'github:', `  apiUrl: "${fake.url}"`, '  token: "${GITHUB_TOKEN}"', '  orgs: [acme]']);
    for (const args of [['export', '--config', exportConfig], ['export', '--format', 'json', '--config', exportConfig], ['check-config', '--config', exportConfig], ['collect', '--once', '--config', collectConfig], ['--help']]) {
      const result = await runFootprintIntoClosingReader(args, { ...home, GITHUB_TOKEN: token, FOOTPRINT_LOG_LEVEL: 'warn' }, 0);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.status, args.join(' ')).toBe(0);
    }
  });
});

describe('the Node.js version check', () => {
  /** Runs bin/footprint.js --version in a Node that reports `version` (process.versions.node, set before the check runs). */
  function versionAs(version: string) {
    const pretend = `data:text/javascript,Object.defineProperty(process.versions, 'node', { value: '${version}' })`;
    return spawnSync(process.execPath, ['--import', pretend, path.join(repoRoot, 'bin', 'footprint.js'), '--version'], { encoding: 'utf8', env: cleanEnv() });
  }

  it('refuses what package.json "engines" refuses, saying what is required', () => {
    const engines = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('>=24.15');
    for (const version of ['22.18.0', '23.11.0', '24.14.1']) {
      const result = versionAs(version);
      expect(result.status, version).toBe(1);
      expect(result.stderr).toContain(`Footprint needs Node.js 24.15 or newer; this is Node.js ${version}.`);
      expect(result.stdout).toBe('');
    }
    for (const version of ['24.15.0', '25.1.0']) expect(versionAs(version).status, version).toBe(0);
  });
});
