// The `footprint` commands as a user runs them: check-config, collect --once, export, --help, bad input.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprintVersion } from '../../electron/core/version.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import { runFootprint, runFootprintOnTerminal, startServe } from '../support/footprint-process.js';

const token = `ghp_${randomBytes(18).toString('hex')}`;
let fake: FakeGitHub;
let dir: string;
let home: Record<string, string>;

function config(name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function githubConfig(name: string, orgs: string, extra: readonly string[] = []): string {
  return config(name, ['storage: { path: "./history.db" }', 'github:', `  apiUrl: "${fake.url}"`, '  token: "${GITHUB_TOKEN}"', `  orgs: ${orgs}`, ...extra]);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-cli-'));
  // Keep every command away from the developer's own configuration and data.
  home = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), XDG_DATA_HOME: path.join(dir, 'xdg-data') };
  fake = await startFakeGitHub({
    token,
    repos: [
      { owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200, license: 'mit', language: 'Go' },
      { owner: 'acme', name: 'engine', stars: 10, forks: 1, watchers: 2, openIssues: 0, openPulls: 0, sizeKb: 50 },
    ],
  });
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('footprint check-config', () => {
  it('prints the effective configuration with the token masked', async () => {
    const file = githubConfig('ok.yaml', '[acme]');
    const result = await runFootprint(['check-config', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(file);
    expect(result.stdout).toContain('***');
    expect(result.stdout).toMatch(/interval: 10m/);
    expect(result.stdout).not.toContain(token);
  });

  it('rejects an unknown key with exit code 2, naming the key and a likely fix', async () => {
    const file = config('typo.yaml', ['githb:', '  orgs: [acme]']);
    const result = await runFootprint(['check-config', '--config', file], home);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('githb');
    expect(result.stderr).toContain('github');
  });

  it('rejects a bad interval, naming github.interval', async () => {
    const file = githubConfig('interval.yaml', '[acme]', ['  interval: soon']);
    const result = await runFootprint(['check-config', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('github.interval');
    expect(result.stderr).toMatch(/10m/);
  });

  it('names an unset environment variable and the key that uses it', async () => {
    const file = githubConfig('env.yaml', '[acme]');
    const result = await runFootprint(['check-config', '--config', file], home);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('github.token');
    expect(result.stderr).toContain('GITHUB_TOKEN');
  });

  it('says so when the --config file does not exist', async () => {
    const result = await runFootprint(['check-config', '--config', path.join(dir, 'missing.yaml')], home);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('missing.yaml');
  });

  it('with no file at all shows the defaults and where a file goes', async () => {
    const result = await runFootprint(['check-config'], home);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(path.join(dir, 'xdg-config', 'footprint', 'footprint.yaml'));
    expect(result.stdout).toContain('127.0.0.1:9171');
  });
});

describe('footprint collect --once and export', () => {
  it('polls once, prints a table and stores the values', async () => {
    const file = githubConfig('collect.yaml', '[acme]');
    const result = await runFootprint(['collect', '--once', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^SOURCE\s+STATUS/m);
    expect(result.stdout).toMatch(/github\s+ok\s+\d+/);
    expect(result.stdout).toMatch(/github_repo_stars\s+.*repo=rocket.*\s42$/m);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('exports the stored history as CSV and JSON, with --since', async () => {
    const file = githubConfig('collect.yaml', '[acme]');
    const csv = await runFootprint(['export', '--format', 'csv', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(csv.status).toBe(0);
    const [header, ...lines] = csv.stdout.trim().split('\n').map((line) => line.split(','));
    // source, metric, each label in its own column (names sorted), then the times and the value.
    const labelColumns = header!.slice(2, -3);
    expect([...header!.slice(0, 2), ...header!.slice(-3)]).toEqual(['source', 'metric', 'since', 'last_seen', 'value']);
    expect(labelColumns).toEqual([...labelColumns].sort());
    expect(labelColumns).toEqual(expect.arrayContaining(['repo', 'user']));
    const column = (name: string) => header!.indexOf(name);
    const stars = lines.find((line) => line[1] === 'github_repo_stars' && line[column('repo')] === 'rocket');
    expect([stars?.[0], stars?.[column('user')], stars?.[column('value')]]).toEqual(['github', 'acme', '42']);

    const json = await runFootprint(['export', '--format', 'json', '--since', '1d', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(json.status).toBe(0);
    const rows = JSON.parse(json.stdout) as { metric: string; labels: Record<string, string>; value: number }[];
    expect(rows.find((row) => row.metric === 'github_repo_stars' && row.labels.repo === 'engine')?.value).toBe(10);

    const future = await runFootprint(['export', '--format', 'json', '--since', '2999-01-01', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(JSON.parse(future.stdout)).toEqual([]);

    const bad = await runFootprint(['export', '--since', 'yesterday-ish', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--since');
  });

  it('exits 1 and says why when a target fails, while the others are still collected', async () => {
    const file = githubConfig('partial.yaml', '[acme, no-such-org]');
    const result = await runFootprint(['collect', '--once', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/github\s+PARTIAL/);
    expect(result.stdout).toContain('no-such-org');
    expect(result.stdout).toMatch(/github_repo_stars\s+.*repo=rocket.*\s42$/m);
  });

  it('exits 1 with a plain reason when the token is refused, without printing it', async () => {
    const file = githubConfig('badtoken.yaml', '[acme]');
    const wrong = `ghp_${randomBytes(18).toString('hex')}`;
    const result = await runFootprint(['collect', '--once', '--config', file], { ...home, GITHUB_TOKEN: wrong });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/github\s+FAILED/);
    expect(result.stdout).toMatch(/token/i);
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });
});

describe('footprint usage', () => {
  it.each(['serve', 'collect', 'export', 'check-config'])('%s --help prints its usage', async (command) => {
    const result = await runFootprint([command, '--help'], home);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`footprint ${command}`);
  });

  it('--help and serve --help name the dashboard URL', async () => {
    expect((await runFootprint(['--help'], home)).stdout).toContain('open the dashboard at http://127.0.0.1:9171/');
    expect((await runFootprint(['serve', '--help'], home)).stdout).toMatch(/serves the dashboard at http:\/\/HOST:PORT\/ \(by default\s+http:\/\/127\.0\.0\.1:9171\/\)/);
  });

  it('lists the commands and rejects unknown ones and options with exit code 2', async () => {
    expect((await runFootprint(['--help'], home)).stdout).toMatch(/serve[\s\S]*collect[\s\S]*export[\s\S]*check-config/);
    expect((await runFootprint(['fly'], home)).status).toBe(2);
    const option = await runFootprint(['serve', '--colour'], home);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain('--colour');
    expect((await runFootprint(['collect'], home)).status).toBe(2);
  });

  it('says a bare --listen port has no host and what to write instead', async () => {
    const result = await runFootprint(['serve', '--listen', '9172'], home);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--listen: "9172" is a port with no host — write "127.0.0.1:9172" (this machine only) or ":9172" (all interfaces)');
  });

  it('reports a busy port as a clear error, not a crash', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const result = await runFootprint(['serve', '--listen', `127.0.0.1:${port}`], home);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('already in use');
      // Both ways out: the flag for this run, the key for every run.
      expect(result.stderr).toContain(`footprint serve --listen 127.0.0.1:${port + 1} for this run`);
      expect(result.stderr).toContain(`server: { listen: "127.0.0.1:${port + 1}" } in the configuration file`);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      blocker.close();
    }
  });
});

/** Pretty lines: "[12:00:00] INFO: message …", as pino-pretty writes them for a person. */
const PRETTY_LINE = /^\[\d{2}:\d{2}:\d{2}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL): /;

describe('footprint logs: stderr, pretty for a person, JSON for a machine', () => {
  it('are JSON lines when stderr is no terminal, and readable lines with --log-format pretty; never the token', async () => {
    const file = githubConfig('logs.yaml', '[acme, no-such-org]');
    const json = await runFootprint(['collect', '--once', '--config', file], { ...home, GITHUB_TOKEN: token });
    const jsonLines = json.stderr.trim().split('\n');
    expect(jsonLines.length).toBeGreaterThan(0);
    for (const line of jsonLines) expect(JSON.parse(line)).toHaveProperty('level');

    const pretty = await runFootprint(['collect', '--once', '--log-format', 'pretty', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(pretty.stdout).toMatch(/^SOURCE\s+STATUS/m);
    const prettyLines = pretty.stderr.trim().split('\n').filter((line) => !line.startsWith(' '));
    expect(prettyLines.length).toBeGreaterThan(0);
    for (const line of prettyLines) expect(line).toMatch(PRETTY_LINE);
    expect(pretty.stderr).toContain("WARN: organization 'no-such-org' not found — check github.orgs");
    expect(pretty.stderr).not.toContain('\x1b['); // forced pretty into a pipe: no colour codes
    expect(pretty.stdout + pretty.stderr).not.toContain(token);

    const forcedJson = await runFootprint(['collect', '--once', '--log-format', 'json', '--config', file], { ...home, GITHUB_TOKEN: token });
    for (const line of forcedJson.stderr.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('level');

    const bad = await runFootprint(['collect', '--once', '--log-format', 'xml', '--config', file], { ...home, GITHUB_TOKEN: token });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('footprint collect: --log-format must be json or pretty, not "xml"');
  });

  it('are readable lines on a terminal, and JSON there with --log-format json', async () => {
    const file = githubConfig('logs-terminal.yaml', '[acme, no-such-org]');
    const terminal = await runFootprintOnTerminal(['collect', '--once', '--config', file], { ...home, GITHUB_TOKEN: token }, 'pretty logs on a terminal');
    if (terminal === null) return;
    const shown = stripVTControlCharacters(terminal.output).split(/\r?\n/);
    expect(shown.filter((line) => PRETTY_LINE.test(line)).length).toBeGreaterThan(0);
    expect(shown.filter((line) => line.startsWith('{'))).toEqual([]);
    expect(terminal.output).toContain('\x1b['); // in colour, on a terminal
    expect(terminal.output).not.toContain(token);

    const json = await runFootprintOnTerminal(['collect', '--once', '--log-format', 'json', '--config', file], { ...home, GITHUB_TOKEN: token }, 'JSON logs on a terminal');
    expect(json!.output.split(/\r?\n/).filter((line) => line.startsWith('{"level":')).length).toBeGreaterThan(0);
    expect(json!.output.split(/\r?\n/).filter((line) => PRETTY_LINE.test(line))).toEqual([]);
  });

  it('serve: stdout has the lines for the user, naming the dashboard; stderr only log lines', async () => {
    const file = config('serve-empty.yaml', ['storage: { path: "./serve-empty.db" }', 'server: { listen: "127.0.0.1:0" }']);
    const server = await startServe(['--config', file], home);
    let output: { stdout: string; stderr: string };
    try {
      await fetch(`${server.url}/healthz`);
    } finally {
      await server.stop();
      output = server.output();
    }
    const [startUp] = output.stdout.split('\n');
    expect(startUp).toBe(`Footprint ${footprintVersion()} is serving ${server.url}/metrics and the dashboard at ${server.url}/ (history: ${path.join(dir, 'serve-empty.db')})`);
    expect(output.stdout.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
    const logLines = output.stderr.trim().split('\n');
    expect(logLines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['serving', 'stopping']);
  });
});
