// kill -9 at random moments while a child process ingests: the file must open cleanly after,
// pass SQLite's integrity check and hold every batch the child acknowledged.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../electron/core/store/history-store.js';
import { BATCH_BASE_TIME, BATCH_INTERVAL_MS, REPOS, starsAt } from './support/store-writer.js';

const ROUNDS = 6;
const writerScript = path.resolve('test/integration/support/store-writer.ts');
const tsRegister = path.resolve('scripts/ts-register.mjs');

interface Round {
  /** The batch the child found stored when it started (null if killed before it said so). */
  readyAt: number | null;
  acknowledged: number[];
}

/**
 * Starts the writer and SIGKILLs it `killAfterMs` after its first acknowledged batch, so every
 * round makes progress however loaded the machine is; with `early`, after spawn instead, which
 * may land while Node starts or the file is created.
 */
function runAndKill(file: string, killAfterMs: number, early: boolean): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsRegister, writerScript, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const round: Round = { readyAt: null, acknowledged: [] };
    let pending = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    if (early) timer = setTimeout(kill, killAfterMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const ready = /^ready (\d+)$/.exec(line);
        if (ready) {
          round.readyAt = Number(ready[1]);
        } else if (/^\d+$/.test(line)) {
          round.acknowledged.push(Number(line));
          if (!early && timer === undefined) timer = setTimeout(kill, killAfterMs);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}, signal ${signal}): ${stderr}`));
      else resolve(round);
    });
  });
}

describe('history store under kill -9', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged batch and opens cleanly after each kill', async () => {
    const file = path.join(dir, 'data', 'history.db');
    const acknowledged: number[] = [];
    let lastAcknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // The first round may die while Node starts or the file is being created.
      const early = round === 0;
      const killAfterMs = early ? 20 + Math.random() * 230 : Math.random() * 500;
      const result = await runAndKill(file, killAfterMs, early);
      if (result.readyAt !== null) expect(result.readyAt).toBeGreaterThanOrEqual(lastAcknowledged);
      acknowledged.push(...result.acknowledged);
      lastAcknowledged = acknowledged.at(-1) ?? lastAcknowledged;

      if (!fs.existsSync(file)) {
        expect(acknowledged).toEqual([]);
        continue;
      }
      // The killed writer's file must open as it was left (WAL not yet recovered by anyone else).
      const store = HistoryStore.open(file);
      try {
        const integrity = new DatabaseSync(file, { readOnly: true });
        try {
          expect(integrity.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
        } finally {
          integrity.close();
        }
        const batchSeries = store.series({ source: 'crash', metric: 'batch' });
        if (acknowledged.length === 0) continue;
        const batchId = batchSeries[0]!.id;
        for (const batch of acknowledged) expect(store.valueAt(batchId, BATCH_BASE_TIME + batch * BATCH_INTERVAL_MS)).toBe(batch);
        // At most the in-flight batch is stored beyond the last acknowledged one.
        const stored = store.latest({ source: 'crash', metric: 'batch' })[0]!.value;
        expect(stored - lastAcknowledged).toBeGreaterThanOrEqual(0);
        expect(stored - lastAcknowledged).toBeLessThanOrEqual(1);
        const at = BATCH_BASE_TIME + lastAcknowledged * BATCH_INTERVAL_MS;
        const stars = store.series({ source: 'crash', metric: 'stars' });
        expect(stars).toHaveLength(REPOS);
        for (const series of stars) expect(store.valueAt(series.id, at)).toBe(starsAt(Number(series.labels.repo!.slice(1)), lastAcknowledged));
        expect(store.sourceRuns()[0]!.lastCompleteSuccess).toBeGreaterThanOrEqual(at);
      } finally {
        store.close();
      }
    }
    // Every round after the first was killed only once it had acknowledged a batch.
    expect(acknowledged.length).toBeGreaterThanOrEqual(ROUNDS - 1);
  });
});
