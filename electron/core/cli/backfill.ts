// `footprint backfill [--source S] [--target T] [--dry-run]`: the background backfill's runner, in the
// foreground until every task is done. It polls the sources once first (backfill meets the series
// polls write, and starts after a successful poll), shows progress on stderr (backfill-progress.ts)
// and prints a summary on stdout. Ctrl-C stops it cleanly: each step is stored whole or not at all,
// so the next run goes on from the saved cursors.
import type { BackfillProgress } from '../../../shared/api.js';
import type { DryRun } from '../backfill/runner.js';
import type { LoadedConfig } from '../config/config.js';
import { FootprintCore } from '../core.js';
import { createLogger, type LogLevel } from '../log.js';
import type { SourceModule } from '../source.js';
import { BackfillProgressView, type ProgressStream } from './backfill-progress.js';
import { table } from './collect-report.js';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './exit.js';
import type { LogOutput } from './log-format.js';
import type { CommandOutput } from './output.js';

/** A task that failed this often in one run is left for the next run (or the background backfill). */
const MAX_FAILURES = 2;
/** The first retry of a failed task waits this long (doubling): a person is watching. */
const RETRY_BASE_MS = 2_000;

const number = (n: number) => n.toLocaleString('en-US');

export interface BackfillCommandContext {
  readonly loaded: LoadedConfig;
  readonly modules?: readonly SourceModule<any>[] | undefined;
  /** What to say when no source is configured. */
  readonly noSourceHint: string;
  /** JSON or pretty log lines (--log-format); JSON unless given. */
  readonly logOutput?: LogOutput;
  /** Where progress goes; stderr unless given. */
  readonly progress?: ProgressStream;
  /** Stops the command (Ctrl-C); SIGINT and SIGTERM unless given. */
  readonly signal?: AbortSignal;
}

/** Progress lines would be lost among info logs: the command logs warnings and worse unless asked for more detail. */
function quieter(level: LogLevel): LogLevel {
  return level === 'info' ? 'warn' : level;
}

function stopSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => {
    process.stderr.write('\nstopping: what is stored is kept — run "footprint backfill" again to go on\n');
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { signal: controller.signal, dispose: () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); } };
}

export async function runBackfillCommand(values: Readonly<Record<string, string | boolean | string[] | undefined>>, out: CommandOutput, context: BackfillCommandContext): Promise<number> {
  const { loaded } = context;
  const source = typeof values.source === 'string' ? values.source : undefined;
  const target = typeof values.target === 'string' ? values.target : undefined;
  const configured = Object.keys(loaded.config.sources);
  // Checked before the history file is opened: a command that can do nothing creates nothing.
  if (configured.length === 0) {
    process.stderr.write(`${context.noSourceHint}\n`);
    return EXIT_USAGE;
  }
  if (source !== undefined && !configured.includes(source)) {
    throw new UsageError(`footprint backfill: --source ${source} is not a configured source — configured: ${configured.join(', ')}`);
  }
  const log = createLogger({ level: quieter(loaded.config.log.level), ...context.logOutput });
  const core = new FootprintCore({ loaded, log, backfill: { retryBaseMs: RETRY_BASE_MS }, ...(context.modules ? { modules: context.modules } : {}) });
  const stop = context.signal ? { signal: context.signal, dispose: () => {} } : stopSignal();
  try {
    const capable = core.backfill.sources();
    if (source !== undefined && !capable.includes(source)) {
      throw new UsageError(`footprint backfill: ${source} cannot read its past (its API keeps no history Footprint reads) — sources that can: ${capable.join(', ') || 'none of those configured'}`);
    }
    const selected = source === undefined ? capable : [source];
    if (selected.length === 0) throw new UsageError(`footprint backfill: none of the configured sources (${configured.join(', ')}) can read its past`);

    if (values['dry-run']) return await dryRun(core, selected, target, stop.signal, out);

    // One poll first: it decides which series backfill meets, and backfill starts after a successful one.
    const polls = await core.collectOnce(stop.signal, selected);
    const failed = polls.filter((report) => !report.ok);
    if (stop.signal.aborted) return EXIT_FAILED;
    if (failed.length > 0) {
      for (const report of failed) process.stderr.write(`footprint backfill: ${report.source}: the poll failed, so backfill did not start: ${report.error}\n`);
      return EXIT_FAILED;
    }
    const view = new BackfillProgressView(context.progress ?? process.stderr);
    const onProgress = (progress: BackfillProgress) => view.update(progress);
    const onTask = view.task.bind(view);
    core.backfill.on('progress', onProgress);
    core.backfill.on('task', onTask);
    let progress: BackfillProgress[];
    try {
      progress = await core.backfill.runUntilDone({ sources: selected, ...(target === undefined ? {} : { target }), maxFailures: MAX_FAILURES, signal: stop.signal });
    } finally {
      core.backfill.off('progress', onProgress);
      core.backfill.off('task', onTask);
      view.end();
    }
    if (target !== undefined && progress.every((item) => item.tasks.total === 0)) {
      const targets = [...new Set(core.store.backfillTasks().filter((task) => task.planned && selected.includes(task.source)).map((task) => task.target))];
      throw new UsageError(`footprint backfill: --target ${target} matches no task of ${selected.join(', ')} — targets: ${targets.join(', ') || 'none'}`);
    }
    await out.write(summary(progress));
    if (stop.signal.aborted) return EXIT_FAILED;
    return progress.some((item) => item.tasks.failed > 0) ? EXIT_FAILED : 0;
  } finally {
    stop.dispose();
    await core.close();
  }
}

function summary(progress: readonly BackfillProgress[]): string {
  const lines: string[] = [];
  for (const item of progress) {
    const { tasks, units } = item;
    const left = tasks.total - tasks.done - tasks.unavailable - tasks.failed;
    const counts = [`${number(tasks.done)} of ${number(tasks.total)} tasks done`];
    if (tasks.unavailable > 0) counts.push(`${number(tasks.unavailable)} cannot be backfilled`);
    if (tasks.failed > 0) counts.push(`${number(tasks.failed)} failed`);
    if (left > 0) counts.push(`${number(left)} left for the next run`);
    lines.push(`${item.source}: ${counts.join(', ')}; ${number(units.done)} units read with ${number(item.requests)} requests`);
    for (const problem of item.problems) lines.push(`  ${problem.title}: ${problem.state === 'unavailable' ? 'cannot be backfilled' : 'failed'}: ${problem.reason}`);
    if (item.moreProblems > 0) lines.push(`  … and ${number(item.moreProblems)} more`);
  }
  return `${lines.join('\n')}\n`;
}

async function dryRun(core: FootprintCore, sources: readonly string[], target: string | undefined, signal: AbortSignal, out: CommandOutput): Promise<number> {
  const plans: DryRun[] = [];
  for (const id of sources) plans.push(await core.backfill.dryRun(id, { ...(target === undefined ? {} : { target }), signal }));
  const tasks = plans.flatMap((plan) => plan.tasks.map((task) => ({ source: plan.source, ...task })));
  if (target !== undefined && tasks.length === 0) {
    throw new UsageError(`footprint backfill: --target ${target} matches no task of ${sources.join(', ')}`);
  }
  const rows = tasks.map((task) => [
    task.source,
    task.target,
    task.title,
    task.state,
    task.totalUnits === null ? `${number(task.doneUnits)}/?` : `${number(task.doneUnits)}/${number(task.totalUnits)}`,
    number(task.remainingRequests),
  ]);
  const total = tasks.reduce((sum, task) => sum + task.remainingRequests, 0);
  const bySource = plans.map((plan) => `${plan.source}: ${number(plan.tasks.reduce((sum, task) => sum + task.remainingRequests, 0))}`).join(', ');
  const lines = [
    table([['SOURCE', 'TARGET', 'TASK', 'STATE', 'UNITS', 'REQUESTS'], ...rows]).trimEnd(),
    '',
    `Backfill would cost about ${number(total)} requests for ${number(tasks.length)} tasks (${bySource}).`,
    `Planning spent ${number(plans.reduce((sum, plan) => sum + plan.planRequests, 0))} requests; nothing else was spent. Run without --dry-run to backfill.`,
  ];
  for (const plan of plans) {
    if (plan.budget === null) continue;
    const { resource, remaining, limit, resetAt } = plan.budget;
    lines.push(`${plan.source}: ${number(remaining)} of ${number(limit)} ${resource} budget left (resets at ${new Date(resetAt).toISOString()}); backfill spends at most ${Math.round(core.loaded.config.backfill.budgetShare * 100)}% of what is left.`);
  }
  await out.write(`${lines.join('\n')}\n`);
  return 0;
}
