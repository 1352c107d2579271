// What `footprint backfill` shows while it runs: on a terminal, one progress bar per source, redrawn
// in place, with the tasks that could not be read printed above it; otherwise (a pipe, a log file)
// plain lines: each task that finished or failed, and each change of what backfill is doing.
import type { BackfillProgress, BackfillState } from '../../../shared/api.js';
import type { TaskEvent } from '../backfill/runner.js';

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const BAR_WIDTH = 24;
const number = (n: number) => n.toLocaleString('en-US');

/** "3 min", "2 h 5 min", "less than a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

/** Done as a fraction: by units when their total is known, else by tasks. */
export function fractionDone(progress: BackfillProgress): number | null {
  const { units, tasks } = progress;
  if (units.total !== null && units.total > 0) return Math.min(1, units.done / units.total);
  const finished = tasks.done + tasks.unavailable;
  return tasks.total > 0 ? finished / tasks.total : null;
}

const STATE_WORDS: Readonly<Record<BackfillState, string>> = {
  'off': 'off',
  'waiting-for-poll': 'waiting for a poll',
  'planning': 'planning',
  'running': 'running',
  'waiting-for-budget': 'waiting for the API budget',
  'rate-limited': 'rate-limited',
  'retrying': 'retrying later',
  'paused': 'paused',
  'done': 'done',
};

/** One line of text about a source's progress (what the plain output prints, and the bar's tail). */
export function describeProgress(progress: BackfillProgress): string {
  const parts = [`${number(progress.tasks.done)}/${number(progress.tasks.total)} tasks`];
  parts.push(progress.units.total === null ? `${number(progress.units.done)} units` : `${number(progress.units.done)}/${number(progress.units.total)} units`);
  if (progress.etaMs !== null && progress.state !== 'done') parts.push(`about ${formatDuration(progress.etaMs)} left`);
  parts.push(STATE_WORDS[progress.state]);
  if (progress.message) parts.push(progress.message);
  return parts.join(', ');
}

export function progressBar(progress: BackfillProgress, columns: number): string {
  const fraction = fractionDone(progress);
  const filled = fraction === null ? 0 : Math.round(fraction * BAR_WIDTH);
  const percent = fraction === null ? '  ?%' : `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const line = `${progress.source} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent} ${describeProgress(progress)}`;
  return line.length > columns ? `${line.slice(0, Math.max(0, columns - 1))}…` : line;
}

export function describeTask(event: TaskEvent): string {
  switch (event.state) {
    case 'done': return `${event.source}: ${event.title}: done (${number(event.doneUnits)} units)`;
    case 'unavailable': return `${event.source}: ${event.title}: cannot be backfilled: ${event.reason ?? 'no reason given'}`;
    case 'failed': return `${event.source}: ${event.title}: failed: ${event.reason ?? 'no reason given'} (tried again later)`;
  }
}

export class BackfillProgressView {
  readonly #stream: ProgressStream;
  readonly #tty: boolean;
  readonly #latest = new Map<string, BackfillProgress>();
  /** Plain output: the last line printed per source, so an unchanged state is not repeated. */
  readonly #printed = new Map<string, string>();
  #drawnLines = 0;

  constructor(stream: ProgressStream) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
  }

  update(progress: BackfillProgress): void {
    this.#latest.set(progress.source, progress);
    if (this.#tty) {
      this.#redraw();
      return;
    }
    // A plain line when what backfill does changes, not at every step.
    const line = `${progress.source}: ${STATE_WORDS[progress.state]}${progress.message ? `: ${progress.message}` : ''}`;
    if (this.#printed.get(progress.source) === line) return;
    this.#printed.set(progress.source, line);
    this.#stream.write(`${progress.source}: ${describeProgress(progress)}\n`);
  }

  task(event: TaskEvent): void {
    if (this.#tty && event.state === 'done') return; // the bar counts them
    this.#clear();
    this.#stream.write(`${describeTask(event)}\n`);
    if (this.#tty) this.#redraw();
  }

  /** Leaves the bars as they are, on their own lines. */
  end(): void {
    if (this.#tty && this.#drawnLines > 0) this.#stream.write('\n');
    this.#drawnLines = 0;
  }

  #clear(): void {
    if (!this.#tty || this.#drawnLines === 0) return;
    this.#stream.write(`\r\x1b[2K${'\x1b[1A\x1b[2K'.repeat(this.#drawnLines - 1)}`);
    this.#drawnLines = 0;
  }

  #redraw(): void {
    this.#clear();
    // A terminal of unknown size (a pty nobody sized says 0 columns) gets 80.
    const columns = this.#stream.columns ? Math.max(20, this.#stream.columns) : 80;
    const lines = [...this.#latest.values()].map((progress) => progressBar(progress, columns));
    this.#stream.write(lines.join('\n'));
    this.#drawnLines = lines.length;
  }
}
