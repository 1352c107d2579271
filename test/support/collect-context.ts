// The context a source's collect() or a Backfiller's steps get in tests: a logger whose lines are
// kept (debug and up) so a test can read what was logged, the HTTP statuses counted, and a signal.
import pino from 'pino';
import type { CollectContext } from '../../electron/core/source.js';

export interface TestCollectContext {
  readonly ctx: CollectContext;
  /** Every status countRequest was told, in order ('error' when no answer came). */
  readonly statuses: (number | 'error')[];
  /** The log lines written, as pino's JSON text. */
  readonly logLines: string[];
}

export function collectContext(signal: AbortSignal = new AbortController().signal): TestCollectContext {
  const statuses: (number | 'error')[] = [];
  const logLines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  return { ctx: { log, signal, countRequest: (status) => void statuses.push(status) }, statuses, logLines };
}
