// kill -9 during `footprint backfill`, several times at random moments, then a run to the end: the
// history file passes SQLite's integrity check after every kill, holds exactly the days whose cursor
// was saved (no duplicate run, nothing missing, nothing beyond the cursor), and ends complete.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import { HistoryStore } from '../../electron/core/store/history-store.js';
import { startFakeHistory, type FakeHistory } from '../fakes/history/index.js';
import { cleanEnv, repoRoot, runScript } from '../support/footprint-process.js';
import { HISTORY_METRIC } from '../support/history-source.js';
import { seededRandom } from '../support/random.js';

const ROUNDS = 6;
const DAY = 86_400_000;
const PAGE = 5;
const FIRST_DAY = endOfUtcDay(Date.UTC(2024, 0, 1));
const cli = path.join(repoRoot, 'test', 'integration', 'support', 'backfill-cli.ts');

function starHistory(days: number, seed: number): number[] {
  const random = seededRandom(seed);
  let stars = 0;
  return Array.from({ length: days }, () => (stars += Math.floor(random() * 3)));
}

const TARGETS: Record<string, number[]> = { a: starHistory(150, 21), b: starHistory(120, 22), c: starHistory(95, 23) };

let dir: string;
let fake: FakeHistory;
let env: Record<string, string>;
let configFile: string;
const testStart = Date.now();

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-backfill-crash-'));
  env = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), XDG_DATA_HOME: path.join(dir, 'xdg-data') };
  // Each page takes a few milliseconds, so a kill lands in the middle of the backfill.
  fake = await startFakeHistory({ firstDay: FIRST_DAY, targets: TARGETS, pageSize: PAGE, latencyMs: 6 });
  configFile = path.join(dir, 'footprint.yaml');
  writeFileSync(configFile, ['storage: { path: "./data/history.db" }', 'history:', `  apiUrl: "${fake.url}"`, `  pageSize: ${PAGE}`].join('\n') + '\n');
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `footprint backfill` and SIGKILLs it `killAfterMs` after it says it is running (or after
 * spawn with `early`, which may land while Node starts, the file is created or the poll runs).
 */
function runAndKill(killAfterMs: number, early: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', path.join(repoRoot, 'scripts', 'ts-register.mjs'), cli, 'backfill', '--config', configFile], { env: { ...cleanEnv(), ...env } });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    if (early) timer = setTimeout(kill, killAfterMs);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!early && timer === undefined && /running/.test(stderr)) timer = setTimeout(kill, killAfterMs);
    });
    child.stdout.resume();
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Finishing before the kill is fine (a fast machine); failing is not.
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`backfill failed (code ${code}): ${stderr}`));
      else resolve();
    });
  });
}

/** What the file holds now: integrity, and per target the days stored against the saved cursor. */
function checkFile(file: string): Record<string, number> {
  const raw = new DatabaseSync(file, { readOnly: true });
  try {
    expect(raw.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
  } finally {
    raw.close();
  }
  const store = HistoryStore.open(file);
  const done: Record<string, number> = {};
  try {
    const tasks = new Map(store.backfillTasks('history').map((task) => [task.target, task]));
    for (const [target, values] of Object.entries(TARGETS)) {
      const stored = tasks.get(target)?.doneUnits ?? 0;
      done[target] = stored;
      const series = store.series({ metric: HISTORY_METRIC, labels: { target } });
      // The poll writes the series before backfill starts: at most one series per target.
      expect(series.length).toBeLessThanOrEqual(1);
      if (series.length === 0) {
        expect(stored).toBe(0);
        continue;
      }
      const id = series[0]!.id;
      // Nothing missing: every day up to the saved cursor has its value.
      for (let day = 0; day < stored; day++) expect(store.valueAt(id, FIRST_DAY + day * DAY)).toBe(values[day]);
      const runs = [...store.exportRows()].filter((row) => row.metric === HISTORY_METRIC && row.labels.target === target);
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.value).not.toBe(runs[i - 1]!.value);
      // No duplicate and nothing beyond the cursor: the runs before the polls are exactly the changes of the stored days.
      const dated = runs.filter((run) => run.since < testStart);
      const changes = values.slice(0, stored).filter((value, day) => day === 0 || value !== values[day - 1]).length;
      expect(dated).toHaveLength(changes);
      if (stored > 0) expect(dated.at(-1)!.since).toBeLessThanOrEqual(FIRST_DAY + (stored - 1) * DAY);
    }
  } finally {
    store.close();
  }
  return done;
}

describe('footprint backfill under kill -9', () => {
  it('keeps every stored step and nothing else across kills, then completes without duplicates', async () => {
    const file = path.join(dir, 'data', 'history.db');
    const progress: Record<string, number>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const early = round === 0;
      await runAndKill(early ? 20 + Math.random() * 400 : Math.random() * 250, early);
      if (!existsSync(file)) continue;
      const done = checkFile(file);
      // The saved cursors never go back.
      const previous = progress.at(-1);
      if (previous) for (const target of Object.keys(TARGETS)) expect(done[target]).toBeGreaterThanOrEqual(previous[target]!);
      progress.push(done);
    }
    const pagesBefore = fake.requests.filter((request) => request.path === '/history').length;
    const last = await runScript(cli, ['backfill', '--config', configFile], env);
    expect(last.stderr).not.toMatch(/failed/);
    expect(last.status).toBe(0);
    const done = checkFile(file);
    expect(done).toEqual(Object.fromEntries(Object.entries(TARGETS).map(([target, values]) => [target, values.length])));
    // Every page was read; the killed rounds read at most one page per target again each.
    const pages = Object.values(TARGETS).reduce((sum, values) => sum + Math.ceil(values.length / PAGE), 0);
    const history = fake.requests.filter((request) => request.path === '/history');
    expect(new Set(history.map((request) => `${request.target}:${request.cursor}`)).size).toBe(pages);
    expect(history.length).toBeLessThanOrEqual(pages + 2 * ROUNDS * Object.keys(TARGETS).length);
    expect(pagesBefore).toBeGreaterThan(0);
    const store = HistoryStore.open(file);
    try {
      expect(store.backfillTasks().every((task) => task.state === 'done')).toBe(true);
      expect(store.series({ metric: HISTORY_METRIC })).toHaveLength(3);
    } finally {
      store.close();
    }
  });
});
