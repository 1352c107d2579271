// The history file's schema, as an ordered list of migrations. `PRAGMA user_version` holds the
// number of the last migration applied; each migration runs in its own transaction together with
// the version bump, so a crash leaves the file at the previous version, never half-migrated.
import type { DatabaseSync } from 'node:sqlite';
import type { Run } from './dated-merge.js';
import { allPointsViewSql, packChunks } from './point-chunks.js';

/** Marks a SQLite file as a Footprint history file (`PRAGMA application_id`, ASCII "FtPt"). */
export const APPLICATION_ID = 0x46745074;

export interface Migration {
  /** 1, 2, 3…: the user_version the file has once this migration is applied. */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
  /** Work SQL alone cannot do (re-encoding rows), run after `sql` in the same transaction. */
  readonly migrate?: (db: DatabaseSync) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'series, change points, newest point per series, source runs',
    sql: `
      -- One row per (source, metric, labels); labels are canonical JSON (keys sorted).
      CREATE TABLE series (
        id         INTEGER PRIMARY KEY,
        source     TEXT    NOT NULL,
        metric     TEXT    NOT NULL,
        labels     TEXT    NOT NULL,
        first_seen INTEGER NOT NULL,
        UNIQUE (source, metric, labels)
      ) STRICT;

      -- Superseded values: the series held \`value\` from t_first until it was last seen with it at t_last.
      CREATE TABLE points (
        series_id INTEGER NOT NULL REFERENCES series (id),
        t_first   INTEGER NOT NULL,
        t_last    INTEGER NOT NULL,
        value     REAL    NOT NULL,
        PRIMARY KEY (series_id, t_first)
      ) STRICT, WITHOUT ROWID;

      -- The newest point of each series, kept apart from \`points\`: every poll extends t_last of
      -- every unchanged series, and in this narrow table that rewrites a few pages per poll,
      -- where updating each series' tail inside \`points\` rewrote one page per series.
      CREATE TABLE heads (
        series_id INTEGER PRIMARY KEY REFERENCES series (id),
        t_first   INTEGER NOT NULL,
        t_last    INTEGER NOT NULL,
        value     REAL    NOT NULL
      ) STRICT;

      -- Every point of every series, the newest included, for ad-hoc inspection with sqlite3.
      CREATE VIEW all_points AS
        SELECT series_id, t_first, t_last, value FROM points
        UNION ALL
        SELECT series_id, t_first, t_last, value FROM heads;

      -- Per-source health, so it survives restarts.
      CREATE TABLE source_runs (
        source                TEXT PRIMARY KEY,
        last_attempt          INTEGER,
        last_success          INTEGER,
        last_complete_success INTEGER,
        last_error            TEXT
      ) STRICT;

      PRAGMA application_id = ${APPLICATION_ID};
    `,
  },
  {
    version: 2,
    description: 'dated samples (live_since), backfill tasks, chart markers',
    sql: `
      -- When a poll first stored the series. Dated samples (backfilled history) at or after it are
      -- not stored, so what polls saw is never overwritten; before it they merge into the same
      -- series. NULL for a series only dated samples write (daily downloads). Series a version-1
      -- file holds were all written by polls, from first_seen on.
      ALTER TABLE series ADD COLUMN live_since INTEGER;
      UPDATE series SET live_since = first_seen;

      -- What backfill has done, per source and task, so it resumes after a restart or a kill: the
      -- cursor is written in the same transaction as the samples of the step that reached it.
      -- state: pending (not started), running (started, has more), done, unavailable (final, see
      -- reason), failed (retried at retry_at). planned = 0: the latest plan no longer has it (kept, not run).
      CREATE TABLE backfill_tasks (
        source             TEXT    NOT NULL,
        task_key           TEXT    NOT NULL,
        title              TEXT    NOT NULL,
        target             TEXT    NOT NULL,
        state              TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'done', 'unavailable', 'failed')),
        cursor             TEXT,
        done_units         INTEGER NOT NULL DEFAULT 0,
        total_units        INTEGER,
        estimated_requests INTEGER NOT NULL DEFAULT 0,
        requests           INTEGER NOT NULL DEFAULT 0,
        reason             TEXT,
        failures           INTEGER NOT NULL DEFAULT 0,
        retry_at           INTEGER,
        planned            INTEGER NOT NULL DEFAULT 1,
        updated_at         INTEGER NOT NULL,
        PRIMARY KEY (source, task_key)
      ) STRICT;

      -- Events drawn on charts (a release on its repository's charts). One per source, kind, series
      -- labels and text: storing a marker again moves it to its latest time instead of adding one.
      CREATE TABLE markers (
        source TEXT    NOT NULL,
        kind   TEXT    NOT NULL,
        labels TEXT    NOT NULL,
        text   TEXT    NOT NULL,
        time   INTEGER NOT NULL,
        PRIMARY KEY (source, kind, labels, text)
      ) STRICT;
      CREATE INDEX markers_by_time ON markers (source, time);
    `,
  },
  {
    version: 3,
    description: 'the settings each source\'s backfill tasks were last tried with',
    sql: `
      -- A fingerprint (a hash) of a source's settings: when it changes (a token added, another
      -- account), tasks that were unavailable or failed with the old settings are tried again.
      CREATE TABLE backfill_settings (
        source      TEXT NOT NULL PRIMARY KEY,
        fingerprint TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    description: 'superseded points as delta-encoded chunks (point_chunks) instead of one row each',
    sql: `
      -- Up to CHUNK_POINTS consecutive superseded points of one series in one BLOB (format in
      -- point-chunks.ts): t_first is its first point's t_first, t_end its last point's, points how
      -- many it holds. The newest point of each series stays in \`heads\`.
      CREATE TABLE point_chunks (
        series_id INTEGER NOT NULL REFERENCES series (id),
        t_first   INTEGER NOT NULL,
        t_end     INTEGER NOT NULL,
        points    INTEGER NOT NULL,
        data      BLOB    NOT NULL,
        PRIMARY KEY (series_id, t_first)
      ) STRICT, WITHOUT ROWID;
    `,
    migrate: (db) => {
      const insert = db.prepare('INSERT INTO point_chunks (series_id, t_first, t_end, points, data) VALUES (?, ?, ?, ?, ?)');
      let seriesId: number | null = null;
      let runs: Run[] = [];
      const flush = () => {
        for (const chunk of packChunks(runs)) insert.run(seriesId, chunk.runs[0]!.tFirst, chunk.runs.at(-1)!.tFirst, chunk.runs.length, chunk.data);
        runs = [];
      };
      for (const row of db.prepare('SELECT series_id, t_first, t_last, value FROM points ORDER BY series_id, t_first').iterate() as Iterable<{ series_id: number; t_first: number; t_last: number; value: number }>) {
        if (row.series_id !== seriesId) {
          flush();
          seriesId = row.series_id;
        }
        runs.push({ tFirst: row.t_first, tLast: row.t_last, value: row.value });
      }
      flush();
      const copied = Number(db.prepare('SELECT coalesce(sum(points), 0) AS n FROM point_chunks').get()?.n);
      const before = Number(db.prepare('SELECT count(*) AS n FROM points').get()?.n);
      if (copied !== before) throw new Error(`${before} points to move into chunks, but ${copied} arrived`);
      // all_points keeps its columns; it now decodes the chunks (in SQL, see point-chunks.ts).
      db.exec('DROP VIEW all_points; DROP TABLE points;');
      db.exec(allPointsViewSql());
    },
  },
  {
    version: 5,
    description: 'how far each remote-write receiver has been sent',
    sql: `
      -- Per receiver url: every step up to sent_until (epoch ms) has been pushed (or dropped and
      -- counted). The queue is the history itself: while a receiver is down this stays, so the
      -- values it missed are sent from the store once it is back, after a restart too.
      CREATE TABLE remote_write_cursors (
        url        TEXT    NOT NULL PRIMARY KEY,
        sent_until INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a file from `fromVersion` up to the last migration of `migrations` (which must be numbered
 * 1, 2, 3… in order). Returns the versions applied.
 */
export function applyMigrations(db: DatabaseSync, fromVersion: number, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration list out of order: entry ${index} has version ${migration.version}, expected ${index + 1}`);
  });
  const applied: number[] = [];
  for (const migration of migrations.slice(fromVersion)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      migration.migrate?.(db);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw new Error(`schema migration ${migration.version} (${migration.description}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    applied.push(migration.version);
  }
  return applied;
}
