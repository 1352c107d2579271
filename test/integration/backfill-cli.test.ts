// `footprint backfill` as a user runs it (a child process, with the test source registered beside
// the real ones): plain progress lines off a terminal and a bar on one, --dry-run's costs, --source
// and --target, Ctrl-C, and its exit codes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import { HistoryStore } from '../../electron/core/store/history-store.js';
import { startFakeHistory, type FakeHistory, type FakeHistoryOptions } from '../fakes/history/index.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { cleanEnv, repoRoot, runNodeOnTerminal, runScript } from '../support/footprint-process.js';
import { HISTORY_METRIC } from '../support/history-source.js';

const DAY = 86_400_000;
const FIRST_DAY = endOfUtcDay(Date.UTC(2024, 0, 1));
const cli = path.join(repoRoot, 'test', 'integration', 'support', 'backfill-cli.ts');
const A = Array.from({ length: 23 }, (_, day) => 50 + Math.floor(day / 3));
const B = Array.from({ length: 9 }, (_, day) => 5 + day);

const fakeHistory = closedAfterEach((options: FakeHistoryOptions) => startFakeHistory(options));

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-backfill-cli-'));
  // Keep every command away from the developer's own configuration and data.
  env = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), XDG_DATA_HOME: path.join(dir, 'xdg-data') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(fake: FakeHistory, extra: readonly string[] = []): string {
  const file = path.join(dir, 'footprint.yaml');
  writeFileSync(file, ['storage: { path: "./history.db" }', 'history:', `  apiUrl: "${fake.url}"`, ...extra].join('\n') + '\n');
  return file;
}

const backfill = (file: string, ...args: string[]) => runScript(cli, ['backfill', '--config', file, ...args], env);
const historyRequests = (fake: FakeHistory) => fake.requests.filter((request) => request.path === '/history');

function storedValues(target: string, days: number): (number | null)[] {
  const store = HistoryStore.open(path.join(dir, 'history.db'));
  try {
    const [series] = store.series({ metric: HISTORY_METRIC, labels: { target } });
    return Array.from({ length: days }, (_, day) => store.valueAt(series!.id, FIRST_DAY + day * DAY));
  } finally {
    store.close();
  }
}

describe('footprint backfill', () => {
  it('reads everything, printing plain lines when its output is no terminal, and a summary', async () => {
    const fake = await fakeHistory({ firstDay: FIRST_DAY, targets: { a: A, b: B }, unavailable: {} });
    const result = await backfill(config(fake));
    expect(result.stderr).not.toContain('\x1b[');
    expect(result.stderr).toContain('history: a stars: done (23 units)\n');
    expect(result.stderr).toContain('history: b stars: done (9 units)\n');
    expect(result.stderr).toMatch(/^history: 0\/2 tasks, 0\/32 units, running$/m);
    expect(result.stdout).toBe('history: 2 of 2 tasks done; 32 units read with 7 requests\n');
    expect(result.status).toBe(0);
    expect(storedValues('a', 23)).toEqual(A);
    expect(storedValues('b', 9)).toEqual(B);
    // Run again: nothing left to read, nothing read twice.
    const again = await backfill(config(fake));
    expect(again.status).toBe(0);
    expect(historyRequests(fake)).toHaveLength(7);
  });

  it('--dry-run lists the tasks and what they would cost, spending only what planning needs', async () => {
    const fake = await fakeHistory({ firstDay: FIRST_DAY, targets: { a: A, b: B } });
    const file = config(fake);
    const plan = await backfill(file, '--dry-run');
    expect(plan.status).toBe(0);
    expect(plan.stdout.split('\n').slice(0, 6)).toEqual([
      'SOURCE   TARGET  TASK     STATE  UNITS  REQUESTS',
      'history  a       a stars  new    0/23   5',
      'history  b       b stars  new    0/9    2',
      '',
      'Backfill would cost about 7 requests for 2 tasks (history: 7).',
      'Planning spent 1 requests; nothing else was spent. Run without --dry-run to backfill.',
    ]);
    expect(plan.stdout.split('\n')[6]).toMatch(/^history: 9,999 of 10,000 points budget left \(resets at .*\); backfill spends at most 50% of what is left\.$/);
    expect(fake.requests.map((request) => request.path)).toEqual(['/targets']);

    // --target reads one target only; the dry run then shows it done and costing nothing more.
    const one = await backfill(file, '--source', 'history', '--target', 'a');
    expect(one.status).toBe(0);
    expect(new Set(historyRequests(fake).map((request) => request.target))).toEqual(new Set(['a']));
    const after = await backfill(file, '--dry-run');
    expect(after.stdout.split('\n').slice(1, 3)).toEqual(['history  a       a stars  done     23/23  0', 'history  b       b stars  pending  0/9    2']);
  });

  it('says what could not be backfilled and why, and exits 1 when a task failed', async () => {
    const fake = await fakeHistory({ firstDay: FIRST_DAY, targets: { a: A, b: B, c: B }, unavailable: { c: 'the repository was archived' } });
    // b's second page fails twice: after its retry the command leaves it for the next run.
    fake.failNext({ match: /target=b&cursor=5/, status: 502, times: 2 });
    const result = await backfill(config(fake));
    expect(result.stderr).toContain('history: c stars: cannot be backfilled: the API keeps no history of c: the repository was archived\n');
    expect(result.stderr).toContain('history: b stars: failed: HTTP 502: the fake answers 502 as asked (tried again later)\n');
    expect(result.stdout).toBe([
      'history: 1 of 3 tasks done, 1 cannot be backfilled, 1 failed; 28 units read with 9 requests',
      '  b stars: failed: HTTP 502: the fake answers 502 as asked',
      '  c stars: cannot be backfilled: the API keeps no history of c: the repository was archived',
      '',
    ].join('\n'));
    expect(result.status).toBe(1);
    // The next run goes on from b's saved cursor and completes it.
    const next = await backfill(config(fake));
    expect(next.status).toBe(0);
    expect(next.stdout).toBe('history: 2 of 3 tasks done, 1 cannot be backfilled; 32 units read with 10 requests\n  c stars: cannot be backfilled: the API keeps no history of c: the repository was archived\n');
    expect(historyRequests(fake).filter((request) => request.target === 'b').map((request) => request.cursor)).toEqual([null, '5', '5', '5']);
  });

  it('exits 2 naming the fix for a source or target it cannot backfill, and 1 when the poll fails', async () => {
    const fake = await fakeHistory({ firstDay: FIRST_DAY, targets: { a: A } });
    const file = config(fake);
    writeFileSync(file, `${[`storage: { path: "./history.db" }`, 'history:', `  apiUrl: "${fake.url}"`, 'plain: {}'].join('\n')}\n`);
    const unknown = await backfill(file, '--source', 'nope');
    expect([unknown.status, unknown.stderr]).toEqual([2, 'footprint backfill: --source nope is not a configured source — configured: history, plain\n']);
    const plain = await backfill(file, '--source', 'plain');
    expect([plain.status, plain.stderr]).toEqual([2, 'footprint backfill: plain cannot read its past (its API keeps no history Footprint reads) — sources that can: history\n']);
    const target = await backfill(file, '--target', 'zzz', '--dry-run');
    expect([target.status, target.stderr]).toEqual([2, 'footprint backfill: --target zzz matches no task of history\n']);
    const typo = await backfill(file, '--dryrun');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/Unknown option '--dryrun'[\s\S]*footprint backfill \[--source S\]/);
    const help = await runScript(cli, ['backfill', '--help'], env);
    expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('--dry-run          list what would be read and the requests it would cost')]);
    const none = await runScript(cli, ['backfill'], env);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/has no source yet/);
    expect(existsSync(path.join(dir, 'xdg-data'))).toBe(false);

    fake.failNext({ match: /^\/targets/, status: 500 });
    const failedPoll = await backfill(file, '--source', 'history');
    expect(failedPoll.status).toBe(1);
    expect(failedPoll.stderr).toMatch(/^footprint backfill: history: the poll failed, so backfill did not start: the fake history API answered 500/m);
    expect(historyRequests(fake)).toEqual([]);
  });

  it('stops cleanly on Ctrl-C and goes on where it stopped next time', async () => {
    const fake = await fakeHistory({ firstDay: FIRST_DAY, targets: { a: A } });
    const file = config(fake);
    const held = fake.hold();
    const child = spawn(process.execPath, ['--import', path.join(repoRoot, 'scripts', 'ts-register.mjs'), cli, 'backfill', '--config', file], { env: { ...cleanEnv(), ...env } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await held.waiting;
    child.kill('SIGINT');
    const status = await exited;
    held.release();
    expect(status).toBe(1);
    expect(stderr).toContain('stopping: what is stored is kept — run "footprint backfill" again to go on');
    const next = await backfill(file);
    expect(next.status).toBe(0);
    expect(storedValues('a', 23)).toEqual(A);
    expect(historyRequests(fake).map((request) => request.cursor)).toEqual([null, null, '5', '10', '15', '20']);
  });

  it('draws a progress bar on a terminal', async () => {
    const fake = await fakeHistory({ firstDay: FIRST_DAY, targets: { a: A, b: B } });
    const terminal = await runNodeOnTerminal(['--import', path.join(repoRoot, 'scripts', 'ts-register.mjs'), cli, 'backfill', '--config', config(fake)], env, 'the terminal progress bar');
    if (terminal === null) return;
    expect(terminal.status).toBe(0);
    expect(terminal.output).toMatch(/history \[#{24}\] 100% 2\/2 tasks, 32\/32 units, done/);
    expect(terminal.output).toContain('\r\x1b[2K');
    expect(terminal.output).not.toContain('a stars: done');
  });
});
