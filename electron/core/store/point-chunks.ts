// Superseded change points stored as chunks: each row of `point_chunks` holds a run of up to
// CHUNK_POINTS consecutive points of one series, delta-encoded in a BLOB. A point costs about 3
// bytes there instead of a ~25-byte row, which is what makes a year of history small (issue 15).
// The newest point of each series stays in `heads` (plain columns), so a poll that changes nothing
// only touches that table, and a change appends one point to its series' last chunk.
//
// Chunk format (all varints are unsigned LEB128 over whole numbers up to 2^53):
//   byte 0       format version (1)
//   varint       time unit u: the greatest common divisor of the time deltas below (polls every
//                5 minutes make it 300000, so each delta is a small count of polls); 0 while
//                every delta is 0 (a single point seen once)
//   varint       zigzag(t_first of the first point)
//   then per point, to the end of the BLOB (the row's `points` column counts them):
//                   [gap = (t_first - previous t_last) / u, except the first point]
//                   varint (t_last - t_first) / u
//                   value: varint 2·zigzag(value - previous value) when that delta is a whole
//                   number the sum gives back exactly (counts going up); else varint 1 followed
//                   by the value as a little-endian float64 (fractions, -0, huge values).
// A point whose deltas are multiples of the chunk's unit is appended as bytes (SQL `data || ?`),
// without decoding the chunk; otherwise the chunk is encoded again with the new unit.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Run } from './dated-merge.js';

const FORMAT = 1;
/** Bytes that always hold a chunk's first point: five varints of at most 10 bytes, or a float's 8 after its flag. */
const FIRST_POINT_BYTES = 64;
/** Most points per chunk: appending re-encodes the series' last chunk, so it stays short. */
export const CHUNK_POINTS = 240;
/** Largest chunk BLOB: a WITHOUT ROWID row longer than ~1,000 bytes spills into overflow pages. */
export const CHUNK_MAX_BYTES = 900;
/** 2·zigzag(delta) must stay a safe integer. */
const MAX_INTEGER_DELTA = 2 ** 50;

class ByteWriter {
  bytes = new Uint8Array(64);
  length = 0;

  #room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  varint(value: number): void {
    this.#room(8);
    let rest = value;
    while (rest >= 128) {
      this.bytes[this.length++] = (rest % 128) | 128;
      rest = Math.floor(rest / 128);
    }
    this.bytes[this.length++] = rest;
  }

  float64(value: number): void {
    this.#room(8);
    new DataView(this.bytes.buffer, this.bytes.byteOffset + this.length, 8).setFloat64(0, value, true);
    this.length += 8;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

const zigzag = (value: number): number => (value >= 0 ? value * 2 : -value * 2 - 1);
const unzigzag = (value: number): number => (value % 2 === 0 ? value / 2 : -(value + 1) / 2);

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** The time unit of a chunk holding these points: the common divisor of its time deltas. */
function unitOf(runs: readonly Run[]): number {
  let unit = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    if (i > 0) {
      const gap = run.tFirst - runs[i - 1]!.tLast;
      // 0 happens: a second poll at the time a value was last seen starts the next point there.
      if (!(gap >= 0)) throw new Error(`encodeChunk: points overlap or are out of order at ${run.tFirst}`);
      unit = gcd(unit, gap);
    }
    unit = gcd(unit, run.tLast - run.tFirst);
  }
  return unit;
}

/** One point's bytes after the chunk header: gap (unless first) and duration in units, then the value. */
function writePoint(out: ByteWriter, unit: number, gap: number | null, run: Run, previousValue: number): void {
  if (gap !== null) out.varint(unit === 0 ? 0 : gap / unit);
  out.varint(unit === 0 ? 0 : (run.tLast - run.tFirst) / unit);
  const value = run.value;
  const delta = value - previousValue;
  if (Number.isInteger(delta) && Math.abs(delta) <= MAX_INTEGER_DELTA && previousValue + delta === value && !Object.is(value, -0)) {
    out.varint(zigzag(delta) * 2);
  } else {
    out.varint(1);
    out.float64(value);
  }
}

/** Encodes points (ordered by t_first, disjoint, whole-millisecond times) into one chunk BLOB. */
export function encodeChunk(runs: readonly Run[]): Uint8Array {
  if (runs.length === 0) throw new Error('encodeChunk: a chunk holds at least one point');
  const unit = unitOf(runs);
  const out = new ByteWriter();
  out.varint(FORMAT);
  out.varint(unit);
  out.varint(zigzag(runs[0]!.tFirst));
  for (let i = 0; i < runs.length; i++) {
    writePoint(out, unit, i === 0 ? null : runs[i]!.tFirst - runs[i - 1]!.tLast, runs[i]!, i === 0 ? 0 : runs[i - 1]!.value);
  }
  return out.result();
}

/** Decodes a chunk BLOB back into its points. */
export function decodeChunk(data: Uint8Array): Run[] {
  const runs: Run[] = [];
  forEachPoint(data, (tFirst, tLast, value) => {
    runs.push({ tFirst, tLast, value });
  });
  return runs;
}

/**
 * Samples a series at ascending `times` (the value of the newest point started at or before each,
 * null before the first or, with staleMs, once last seen more than staleMs before it) into
 * `values`, from its chunks as PointChunks.chunksFrom reads them (the one current at times[0]
 * through the last time, oldest first), then the head. No object per point: a year of 105k points
 * answers in a few ms.
 */
export function sampleRuns(chunks: readonly Uint8Array[], head: Run, times: readonly number[], staleMs: number | null, values: (number | null)[]): void {
  const count = times.length;
  let next = 0;
  let has = false;
  let currentLast = 0;
  let currentValue = 0;
  const visit = (tFirst: number, tLast: number, value: number): void => {
    while (next < count && times[next]! < tFirst) {
      values[next] = !has || (staleMs !== null && times[next]! - currentLast > staleMs) ? null : currentValue;
      next++;
    }
    has = true;
    currentLast = tLast;
    currentValue = value;
  };
  if (count > 0 && head.tFirst > times[0]!) {
    for (const data of chunks) forEachPoint(data, visit);
  }
  visit(head.tFirst, head.tLast, head.value);
  visit(Number.POSITIVE_INFINITY, 0, 0);
}

/** The value of a chunk's newest point that started at or before `time`, or null; allocates nothing per point. */
export function valueInChunk(data: Uint8Array, time: number): number | null {
  let found: number | null = null;
  forEachPoint(data, (tFirst, _tLast, value) => {
    if (tFirst > time) return STOP; // points are oldest first: none after this one started in time
    found = value;
    return undefined;
  });
  return found;
}

/** What a forEachPoint visitor returns to read no further. */
export const STOP = true;

/**
 * Calls `point` for each point of a chunk BLOB, oldest first, allocating nothing per point (range
 * queries), until it returns STOP.
 */
export function forEachPoint(data: Uint8Array, point: (tFirst: number, tLast: number, value: number) => typeof STOP | undefined | void): void {
  const length = data.length;
  // Varints of one byte (most deltas) are read inline, three times below; longer ones by
  // readVarint, which leaves the value in varintValue. Measured: the same loop calling a helper
  // per varint decodes a year of 105k points in 6-15 ms instead of 1.5 ms.
  let offset = readVarint(data, 0);
  if (varintValue !== FORMAT) throw new Error(`decodeChunk: chunk format ${varintValue} is unknown (written by a newer Footprint?)`);
  offset = readVarint(data, offset);
  const unit = varintValue;
  offset = readVarint(data, offset);
  let tFirst = unzigzag(varintValue);
  let tLast = 0;
  let value = 0;
  let view: DataView | null = null;
  let first = true;
  while (offset < length) {
    let byte: number;
    if (!first) {
      byte = data[offset]!;
      if (byte < 128) {
        offset++;
      } else {
        offset = readVarint(data, offset);
        byte = varintValue;
      }
      tFirst = tLast + byte * unit;
    }
    first = false;
    if (offset >= length) throw new Error(DAMAGED);
    byte = data[offset]!;
    if (byte < 128) {
      offset++;
    } else {
      offset = readVarint(data, offset);
      byte = varintValue;
    }
    tLast = tFirst + byte * unit;
    if (offset >= length) throw new Error(DAMAGED);
    byte = data[offset]!;
    if (byte < 128) {
      offset++;
    } else {
      offset = readVarint(data, offset);
      byte = varintValue;
    }
    if (byte === 1) {
      if (offset + 8 > length) throw new Error(DAMAGED);
      view ??= new DataView(data.buffer, data.byteOffset, data.byteLength);
      value = view.getFloat64(offset, true);
      offset += 8;
    } else {
      value += unzigzag(byte / 2);
    }
    if (point(tFirst, tLast, value) === STOP) return;
  }
}

const DAMAGED = 'decodeChunk: the chunk ends in the middle of a number (damaged file?)';
/** The value readVarint read last. */
let varintValue = 0;

/** Reads the varint at `offset` into varintValue; returns the offset after it. */
function readVarint(data: Uint8Array, offset: number): number {
  let result = 0;
  let scale = 1;
  let at = offset;
  for (;;) {
    if (at >= data.length) throw new Error(DAMAGED);
    const byte = data[at++]!;
    result += (byte & 127) * scale;
    if (byte < 128) {
      varintValue = result;
      return at;
    }
    scale *= 128;
  }
}

/** Splits ordered points into chunk BLOBs of at most CHUNK_POINTS points and CHUNK_MAX_BYTES bytes. */
export function packChunks(runs: readonly Run[]): { runs: Run[]; data: Uint8Array }[] {
  const chunks: { runs: Run[]; data: Uint8Array }[] = [];
  let index = 0;
  while (index < runs.length) {
    let count = Math.min(CHUNK_POINTS, runs.length - index);
    let slice = runs.slice(index, index + count);
    let data = encodeChunk(slice);
    while (data.length > CHUNK_MAX_BYTES && count > 1) {
      count = Math.ceil(count / 2);
      slice = runs.slice(index, index + count);
      data = encodeChunk(slice);
    }
    chunks.push({ runs: slice, data });
    index += count;
  }
  return chunks;
}

// The chunk decoder again, in SQL, for the all_points view: anyone can read every point with
// sqlite3, no Footprint needed. A recursive walk goes over each chunk's bytes (as hex) one varint
// byte per step; fields: 0 format, 2 unit, 3 first t_first, then per point 4 gap, 5 duration,
// 6 value code (a float64's 8 bytes are read in one step), to the end of the BLOB.
const HEX = "'0123456789ABCDEF'";
/** The byte at 1-based position `at` of the chunk, from its hex text h. */
const byteAt = (at: string) => `((instr(${HEX}, substr(h, 2 * (${at}) - 1, 1)) - 1) * 16 + instr(${HEX}, substr(h, 2 * (${at}), 1)) - 1)`;
const unzigzagSql = (x: string) => `(CASE WHEN (${x}) % 2 = 0 THEN (${x}) / 2 ELSE -((${x}) + 1) / 2 END)`;
/** The little-endian float64 at 1-based byte `at`: sign, exponent and mantissa put together exactly. */
const float64At = (at: string) => {
  const b = (k: number) => byteAt(`${at} + ${k}`);
  const exponent = `(((${b(7)} & 127) << 4) | (${b(6)} >> 4))`;
  const mantissa = `(((${b(6)} & 15) << 48) | (${b(5)} << 40) | (${b(4)} << 32) | (${b(3)} << 24) | (${b(2)} << 16) | (${b(1)} << 8) | ${b(0)})`;
  return `((1 - 2 * (${b(7)} >> 7)) * CASE WHEN ${exponent} = 0 THEN ${mantissa} * power(2, -1074) ELSE (${mantissa} + 4503599627370496) * power(2, ${exponent} - 1075) END)`;
};

/** CREATE VIEW all_points: every point of every series (chunks decoded, heads as they are). */
export function allPointsViewSql(): string {
  const done = `(${byteAt('p')} < 128)`;
  const whole = `(acc + (${byteAt('p')} & 127) * scale)`;
  return `
    CREATE VIEW all_points AS
    WITH RECURSIVE walk (series_id, h, p, field, acc, scale, unit, t_first, t_last, value, emit) AS (
      SELECT series_id, hex(data), 1, 0, 0, 1, 0, 0, 0, 0, 0 FROM point_chunks
      UNION ALL
      SELECT series_id, h,
        CASE WHEN ${done} AND field = 6 AND ${whole} = 1 THEN p + 9 ELSE p + 1 END,
        CASE WHEN NOT ${done} THEN field WHEN field = 0 THEN 2 WHEN field = 3 THEN 5 WHEN field = 6 THEN 4 ELSE field + 1 END,
        CASE WHEN ${done} THEN 0 ELSE ${whole} END,
        CASE WHEN ${done} THEN 1 ELSE scale * 128 END,
        CASE WHEN ${done} AND field = 2 THEN ${whole} ELSE unit END,
        CASE WHEN ${done} AND field = 3 THEN ${unzigzagSql(whole)} WHEN ${done} AND field = 4 THEN t_last + ${whole} * unit ELSE t_first END,
        CASE WHEN ${done} AND field = 5 THEN t_first + ${whole} * unit ELSE t_last END,
        CASE WHEN ${done} AND field = 6 THEN (CASE WHEN ${whole} = 1 THEN ${float64At('p + 1')} ELSE value + ${unzigzagSql(`${whole} / 2`)} END) ELSE value END,
        ${done} AND field = 6
      FROM walk WHERE 2 * p <= length(h)
    )
    SELECT series_id, t_first, t_last, CAST(value AS REAL) AS value FROM walk WHERE emit
    UNION ALL
    SELECT series_id, t_first, t_last, value FROM heads;
  `;
}

interface ChunkRow {
  t_first: number;
  data: Uint8Array;
}

const NO_TIME_BEFORE = Number.MIN_SAFE_INTEGER;
const NO_TIME_AFTER = Number.MAX_SAFE_INTEGER;

/** What appending to a series' last chunk needs to know of it, kept between polls. */
interface Tail {
  /** The chunk's key. */
  tFirst: number;
  unit: number;
  points: number;
  bytes: number;
  last: Run;
}

/** The superseded points of every series (the `point_chunks` table), read and written as runs. */
export class PointChunks {
  readonly #statements: ReturnType<typeof prepare>;
  /** Last chunk per series, as far as appends need it; dropped whenever a chunk is rewritten otherwise. */
  readonly #tails = new Map<number, Tail | null>();

  constructor(db: DatabaseSync) {
    this.#statements = prepare(db);
  }

  /** Forgets what is known of the last chunks: after a rollback, or when another connection wrote. */
  forgetTails(): void {
    this.#tails.clear();
  }

  #tail(seriesId: number): Tail | null {
    let tail = this.#tails.get(seriesId);
    if (tail === undefined) {
      const row = this.#statements.lastChunk.get(seriesId) as unknown as (ChunkRow & { points: number }) | undefined;
      if (row === undefined) {
        tail = null;
      } else {
        const runs = decodeChunk(row.data);
        tail = { tFirst: row.t_first, unit: unitOf(runs), points: row.points, bytes: row.data.length, last: runs.at(-1)! };
      }
      this.#tails.set(seriesId, tail);
    }
    return tail;
  }

  /** Adds a point after every stored one of the series (the head it replaces, at each change). */
  append(seriesId: number, run: Run): void {
    const statements = this.#statements;
    const tail = this.#tail(seriesId);
    if (tail !== null && tail.points < CHUNK_POINTS) {
      const gap = run.tFirst - tail.last.tLast;
      if (!(gap >= 0)) throw new Error(`append: point at ${run.tFirst} is not after the stored ones (last seen ${tail.last.tLast})`);
      if (tail.unit > 0 && gap % tail.unit === 0 && (run.tLast - run.tFirst) % tail.unit === 0) {
        const out = new ByteWriter();
        writePoint(out, tail.unit, gap, run, tail.last.value);
        if (tail.bytes + out.length <= CHUNK_MAX_BYTES) {
          statements.appendToChunk.run(seriesId, tail.tFirst, run.tFirst, out.result());
          Object.assign(tail, { points: tail.points + 1, bytes: tail.bytes + out.length, last: run });
          return;
        }
      } else {
        // Another time unit: encode the chunk again.
        const row = statements.lastChunk.get(seriesId) as unknown as ChunkRow;
        const runs = decodeChunk(row.data);
        runs.push(run);
        const data = encodeChunk(runs);
        if (data.length <= CHUNK_MAX_BYTES) {
          statements.updateChunk.run(seriesId, tail.tFirst, run.tFirst, runs.length, data);
          Object.assign(tail, { unit: unitOf(runs), points: runs.length, bytes: data.length, last: run });
          return;
        }
      }
    }
    const data = encodeChunk([run]);
    statements.insertChunk.run(seriesId, run.tFirst, run.tFirst, 1, data);
    this.#tails.set(seriesId, { tFirst: run.tFirst, unit: unitOf([run]), points: 1, bytes: data.length, last: run });
  }

  /** The points whose t_first is in [from, to], oldest first. */
  between(seriesId: number, from: number, to: number): Run[] {
    const found: Run[] = [];
    for (const row of this.#statements.chunksFrom.iterate({ id: seriesId, from, to }) as Iterable<ChunkRow>) {
      for (const run of decodeChunk(row.data)) if (run.tFirst >= from && run.tFirst <= to) found.push(run);
    }
    return found;
  }

  /** The newest point that started at or before `time`, or undefined. */
  atOrBefore(seriesId: number, time: number): Run | undefined {
    const row = this.#statements.chunkAtOrBefore.get(seriesId, time) as unknown as ChunkRow | undefined;
    if (row === undefined) return undefined;
    let found: Run | undefined;
    forEachPoint(row.data, (tFirst, tLast, value) => {
      if (tFirst <= time) found = { tFirst, tLast, value };
    });
    return found;
  }

  /**
   * Calls `visit` with each series' chunk holding the point current at `time` (the newest chunk
   * starting at or before it), in one query, as the rows come: nothing is kept. At 10,000 series a
   * query per series costs ~7 µs each in node:sqlite's calls alone, ten times what SQLite spends
   * finding the rows; a map of every row made garbage the Overview's composing paid for in GC.
   */
  eachChunkAtOrBefore(seriesIds: readonly number[], time: number, visit: (seriesId: number, tFirst: number, data: Uint8Array) => void): void {
    if (seriesIds.length === 0) return;
    for (const [seriesId, tFirst, data] of this.#statements.chunksAtOrBeforeMany.iterate(JSON.stringify(seriesIds), time) as Iterable<SeriesChunkRow>) {
      visit(seriesId, tFirst, data);
    }
  }

  /** Calls `visit` with the oldest stored point of each series that has one, in one query. */
  eachOldest(seriesIds: readonly number[], visit: (seriesId: number, tFirst: number, value: number) => void): void {
    if (seriesIds.length === 0) return;
    for (const [seriesId, , head] of this.#statements.firstPointsMany.iterate(JSON.stringify(seriesIds)) as Iterable<SeriesChunkRow>) {
      forEachPoint(head, (tFirst, _tLast, value) => {
        visit(seriesId, tFirst, value);
        return STOP;
      });
    }
  }

  /** The first point that started after `time`, or undefined. */
  after(seriesId: number, time: number): Run | undefined {
    if (time >= NO_TIME_AFTER) return undefined;
    return this.between(seriesId, time + 1, NO_TIME_AFTER).at(0);
  }

  /**
   * Replaces the points whose t_first is in [from, to] by `runs` (each of which must start in
   * [from, to]): the chunks those points are in are decoded, merged and written again.
   */
  replace(seriesId: number, from: number, to: number, runs: readonly Run[]): void {
    const statements = this.#statements;
    this.#tails.delete(seriesId);
    const kept: Run[] = [];
    for (const row of statements.chunksFrom.all({ id: seriesId, from, to }) as unknown as ChunkRow[]) {
      for (const run of decodeChunk(row.data)) if (run.tFirst < from || run.tFirst > to) kept.push(run);
      statements.deleteChunk.run(seriesId, row.t_first);
    }
    this.#insert(seriesId, [...kept, ...runs].sort((a, b) => a.tFirst - b.tFirst));
  }

  /** Stores points of a series that has none stored between them (a new series' history). */
  insert(seriesId: number, runs: readonly Run[]): void {
    if (runs.length === 0) return;
    this.replace(seriesId, runs[0]!.tFirst, runs.at(-1)!.tFirst, runs);
  }

  #insert(seriesId: number, runs: readonly Run[]): void {
    for (const chunk of packChunks(runs)) {
      this.#statements.insertChunk.run(seriesId, chunk.runs[0]!.tFirst, chunk.runs.at(-1)!.tFirst, chunk.runs.length, chunk.data);
    }
  }

  /** Deletes the points that started at or after `time`. */
  deleteFrom(seriesId: number, time: number): void {
    this.replace(seriesId, time, NO_TIME_AFTER, []);
  }

  /** Deletes the points that started before `time`; returns how many. */
  deleteBefore(seriesId: number, time: number): number {
    const statements = this.#statements;
    this.#tails.delete(seriesId);
    const whole = Number(statements.countWholeChunksBefore.get(seriesId, time)?.n ?? 0);
    statements.deleteWholeChunksBefore.run(seriesId, time);
    const partial = statements.chunkAtOrBefore.get(seriesId, time - 1) as unknown as ChunkRow | undefined;
    if (partial === undefined) return whole;
    const runs = decodeChunk(partial.data);
    const rest = runs.filter((run) => run.tFirst >= time);
    if (rest.length === runs.length) return whole;
    statements.deleteChunk.run(seriesId, partial.t_first);
    this.#insert(seriesId, rest);
    return whole + runs.length - rest.length;
  }

  /**
   * For each series, the chunks holding points that started in [from, to] and the one holding the
   * point current at `from`, oldest first, in one query (chunk BLOBs, decoded by sampleRuns).
   */
  chunksFrom(seriesIds: readonly number[], from: number, to: number): Map<number, Uint8Array[]> {
    const chunks = new Map<number, Uint8Array[]>();
    if (seriesIds.length === 0) return chunks;
    for (const [seriesId, , data] of this.#statements.chunksFromMany.iterate({ ids: JSON.stringify(seriesIds), from, to }) as Iterable<SeriesChunkRow>) {
      const list = chunks.get(seriesId);
      if (list) list.push(data);
      else chunks.set(seriesId, [data]);
    }
    return chunks;
  }

  /** Every point of a series, oldest first, a chunk at a time. */
  *all(seriesId: number, from = NO_TIME_BEFORE): Generator<Run> {
    for (const row of this.#statements.chunksFrom.iterate({ id: seriesId, from, to: NO_TIME_AFTER }) as Iterable<ChunkRow>) {
      yield* decodeChunk(row.data);
    }
  }

  count(): number {
    return Number(this.#statements.countPoints.get()?.n ?? 0);
  }
}

/**
 * A statement whose rows come as arrays (in the order of its columns): node:sqlite makes each row
 * object in dictionary mode, several times the size of an array, and the reads of many series at
 * once (the Overview's, at every poll) made most of their garbage from them.
 */
export function returningArrays(statement: StatementSync): StatementSync {
  statement.setReturnArrays(true);
  return statement;
}

/** A row of the many-series chunk reads: series id, the chunk's first time, its BLOB. */
type SeriesChunkRow = [seriesId: number, tFirst: number, data: Uint8Array];

function prepare(db: DatabaseSync) {
  return {
    lastChunk: db.prepare('SELECT t_first, points, data FROM point_chunks WHERE series_id = ? ORDER BY t_first DESC LIMIT 1'),
    chunksFromMany: returningArrays(db.prepare(`
      SELECT c.series_id, c.t_first, c.data FROM json_each(:ids) j
      JOIN point_chunks c ON c.series_id = j.value
      WHERE c.t_first <= :to AND c.t_first >= coalesce(
        (SELECT max(t_first) FROM point_chunks WHERE series_id = j.value AND t_first <= :from), ${NO_TIME_BEFORE})
      ORDER BY c.series_id, c.t_first`)),
    chunksAtOrBeforeMany: returningArrays(db.prepare(`
      SELECT c.series_id, c.t_first, c.data FROM json_each(?1) j
      JOIN point_chunks c ON c.series_id = j.value
        AND c.t_first = (SELECT max(t_first) FROM point_chunks WHERE series_id = j.value AND t_first <= ?2)`)),
    // Only the first point is read (format, unit, time, last time and value: under 48 bytes).
    firstPointsMany: returningArrays(db.prepare(`
      SELECT c.series_id, c.t_first, substr(c.data, 1, ${FIRST_POINT_BYTES}) FROM json_each(?1) j
      JOIN point_chunks c ON c.series_id = j.value
        AND c.t_first = (SELECT min(t_first) FROM point_chunks WHERE series_id = j.value)`)),
    chunkAtOrBefore: db.prepare('SELECT t_first, data FROM point_chunks WHERE series_id = ? AND t_first <= ? ORDER BY t_first DESC LIMIT 1'),
    // The chunks holding points that started in [from, to], and the one holding the point current at `from`.
    chunksFrom: db.prepare(`
      SELECT t_first, data FROM point_chunks
      WHERE series_id = :id AND t_first <= :to AND t_first >= coalesce(
        (SELECT max(t_first) FROM point_chunks WHERE series_id = :id AND t_first <= :from), ${NO_TIME_BEFORE})
      ORDER BY t_first`),
    appendToChunk: db.prepare('UPDATE point_chunks SET t_end = ?3, points = points + 1, data = CAST(data || ?4 AS BLOB) WHERE series_id = ?1 AND t_first = ?2'),
    updateChunk: db.prepare('UPDATE point_chunks SET t_end = ?3, points = ?4, data = ?5 WHERE series_id = ?1 AND t_first = ?2'),
    insertChunk: db.prepare('INSERT INTO point_chunks (series_id, t_first, t_end, points, data) VALUES (?, ?, ?, ?, ?)'),
    deleteChunk: db.prepare('DELETE FROM point_chunks WHERE series_id = ? AND t_first = ?'),
    countWholeChunksBefore: db.prepare('SELECT coalesce(sum(points), 0) AS n FROM point_chunks WHERE series_id = ?1 AND t_end < ?2'),
    deleteWholeChunksBefore: db.prepare('DELETE FROM point_chunks WHERE series_id = ?1 AND t_end < ?2'),
    countPoints: db.prepare('SELECT coalesce(sum(points), 0) AS n FROM point_chunks'),
  } satisfies Record<string, StatementSync>;
}
