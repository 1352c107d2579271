// `footprint` — the headless command line: serve, collect --once, backfill, export, check-config.
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, formatEffectiveConfig, listenExposureProblem, loadConfig, parseListenAddress, type ListenAddress, type LoadedConfig } from '../config/config.js';
import { DEFAULT_LISTEN } from '../config/listen.js';
import { checkStoragePath, FootprintCore, openHistoryStore } from '../core.js';
import { parseDuration } from '../../../shared/duration.js';
import { isLabelName } from '../exporter.js';
import { createLogger, type Logger } from '../log.js';
import { registerSecrets, redactSecrets } from '../secrets.js';
import { ListenError, startServer, type RunningServer, type ServerOptions } from '../server.js';
import { sourceModules } from '../sources/registry.js';
import { metricCatalogue, type SourceModule } from '../source.js';
import { footprintVersion } from '../version.js';
import { runBackfillCommand } from './backfill.js';
import { formatCollectReport } from './collect-report.js';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './exit.js';
import { writeExport } from './export-format.js';
import { logFormatUsage, logOutputFor, type LogOutput } from './log-format.js';
import { DEFAULT_OPENMETRICS_STEP_MS, writeOpenMetrics, type OpenMetricsOptions } from './export-openmetrics.js';
import { CommandOutput, ignoreReaderGone, ReaderGoneError } from './output.js';


export interface MainOptions {
  /** The source modules to configure (default: the registry); tests add a fake source here. */
  readonly modules?: readonly SourceModule<any>[];
}

type Values = Record<string, string | boolean | string[] | undefined>;

/** The longest error line printed for an unexpected error: enough for a path and a reason. */
const MAX_ERROR_LINE = 1_000;

/**
 * One line for an error nobody planned for: the first line of its message, secrets masked, never
 * its stack (a stack's first line repeats the message, which may quote configuration content).
 */
export function describeUnexpected(error: unknown): string {
  let text: string;
  try {
    text = redactSecrets(error instanceof Error ? error.message || error.name : String(error));
  } catch {
    return 'an unexpected error (its text is not shown: it could not be checked for secrets)';
  }
  const line = text.split('\n', 1)[0]!;
  return line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}…` : line;
}

/** Errors no command caught (a failed timer, a broken stream) end the process with one masked line, not a stack. */
function exitOnUnexpectedErrors(name: string): void {
  const report = (error: unknown) => {
    console.error(`footprint ${name}: unexpected error: ${describeUnexpected(error)}`);
    process.exit(EXIT_FAILED);
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
}

/** Where the dashboard is unless server.listen says otherwise. */
const DASHBOARD_URL = `http://${DEFAULT_LISTEN}/`;

const configOption = { config: { type: 'string', short: 'c' } } as const;
const helpOption = { help: { type: 'boolean', short: 'h' } } as const;
const logFormatOption = { 'log-format': { type: 'string' } } as const;

const commands = {
  serve: {
    summary: 'poll the configured sources and serve /metrics and /healthz',
    usage: `footprint serve [--config FILE] [--listen HOST:PORT] [--log-format json|pretty]

Polls every configured source on its interval, stores history in the SQLite file
(storage.path), serves the dashboard at http://HOST:PORT/ (by default
${DASHBOARD_URL}) and Prometheus metrics at http://HOST:PORT/metrics.
Its start-up line (stdout) names both addresses.

Options:
  -c, --config FILE      configuration file (default: $FOOTPRINT_CONFIG, then the per-user file)
      --listen HOST:PORT overrides server.listen, e.g. 127.0.0.1:9171 or :9171 (all interfaces)
${logFormatUsage}
  -h, --help             this help`,
    options: { ...configOption, ...helpOption, ...logFormatOption, listen: { type: 'string' } },
  },
  collect: {
    summary: 'poll every source once, print a table, exit non-zero when a source failed',
    usage: `footprint collect --once [--config FILE] [--log-format json|pretty]

Polls every configured source once, stores the values in the history file and prints
them as a table. Exits 1 when any source or target failed (the table says why).

Options:
      --once             required: one poll, then exit (use "serve" to keep polling)
  -c, --config FILE      configuration file
${logFormatUsage}
  -h, --help             this help`,
    options: { ...configOption, ...helpOption, ...logFormatOption, once: { type: 'boolean' } },
  },
  export: {
    summary: 'write the stored history as CSV, JSON or OpenMetrics (for promtool) to stdout',
    usage: `footprint export [--format csv|json|openmetrics] [--since DATE] [--config FILE]
footprint export --format openmetrics [--step DURATION] [--until DATE] [--label NAME=VALUE]…

Writes every stored change point (source, metric, labels, value, since, last seen)
to stdout. A point is stored when a value changes; "last_seen" tells how long it held.
CSV columns: source, metric, one column per label (the label names of the exported
series, sorted; empty where a series has no such label), since, last_seen, value.

With --format openmetrics it writes the history as OpenMetrics samples instead, for
"promtool tsdb create-blocks-from openmetrics FILE DIR" (see "Backfill a Prometheus" in
the README): each value at the time it was taken and again every --step while it held,
up to the next change, or up to when the series was last seen. Samples ≈ span / step
per series: a year at 5m is 105,120 samples, ~20 MB of text, per series.

Options:
      --format FORMAT    csv (default), json or openmetrics
      --since DATE       only points still current at or after DATE: 2026-01-31,
                         2026-01-31T12:00:00Z, or a duration back from now such as 7d
                         (openmetrics: samples from DATE on)
      --until DATE       openmetrics: samples up to DATE (same forms as --since, e.g. 3h)
      --step DURATION    openmetrics: how often a held value is repeated (default 5m,
                         Prometheus' lookback; a longer step needs a longer
                         --query.lookback-delta in Prometheus to query between samples)
      --label NAME=VALUE openmetrics: add a label to every series, e.g. job=footprint
                         and instance=HOST:9171 to match what your scrape adds; repeatable
  -c, --config FILE      configuration file (for storage.path)
  -h, --help             this help`,
    options: {
      ...configOption,
      ...helpOption,
      format: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      step: { type: 'string' },
      label: { type: 'string', multiple: true },
    },
  },
  backfill: {
    summary: 'read the sources\' past (star history, daily downloads) into the history',
    usage: `footprint backfill [--source S] [--target T] [--dry-run] [--config FILE]

Reads the history the configured sources' APIs keep (star history, daily downloads…)
into the history file, in the foreground until it is complete. It polls each source
once first. It keeps to backfill.budgetShare of the API budget and waits for the
budget to reset when that is used. Stop it with Ctrl-C: run it again to go on where
it stopped. Exits 1 when a task failed (it is tried again next time).

Options:
      --source S         only this source, e.g. github
      --target T         only this target of it (an org, a package), e.g. acme
      --dry-run          list what would be read and the requests it would cost;
                         spends only the requests planning needs
  -c, --config FILE      configuration file
${logFormatUsage}
  -h, --help             this help`,
    options: { ...configOption, ...helpOption, ...logFormatOption, source: { type: 'string' }, target: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  },
  'check-config': {
    summary: 'validate the configuration and print it with secrets masked',
    usage: `footprint check-config [--config FILE]

Validates the configuration and prints the effective configuration (defaults filled in,
secrets shown as ***). Exits 2 with the key and the fix when something is wrong.

Options:
  -c, --config FILE      configuration file
  -h, --help             this help`,
    options: { ...configOption, ...helpOption },
  },
} satisfies Record<string, { summary: string; usage: string; options: ParseArgsConfig['options'] }>;

type CommandName = keyof typeof commands;

function mainHelp(): string {
  const list = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(13)} ${command.summary}`).join('\n');
  return `Footprint ${footprintVersion()} — your open-source and web footprint, with history and Prometheus metrics.

Usage: footprint <command> [options]

Commands:
${list}

Start with "footprint serve" and open the dashboard at ${DASHBOARD_URL}
(server.listen or --listen sets the address).
Run "footprint <command> --help" for a command's options.
Configuration: see the README ("Configuration"); secrets come from the environment via \${VAR}.`;
}

/**
 * Runs one command and returns its exit code. It owns the process while it runs: stdout is written
 * through a CommandOutput, and errors nobody caught print one masked line (exitOnUnexpectedErrors).
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const [name, ...rest] = argv;
  const out = new CommandOutput(process.stdout);
  ignoreReaderGone(process.stderr);
  exitOnUnexpectedErrors(name ?? '');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    console.log(footprintVersion());
    return 0;
  }
  if (!(name in commands)) {
    console.error(`footprint: unknown command '${name}'.\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  const command = commands[name as CommandName];
  let values: Values;
  try {
    ({ values } = parseArgs({ args: [...rest], options: command.options, strict: true, allowPositionals: false }) as { values: Values });
  } catch (error) {
    console.error(`footprint ${name}: ${(error as Error).message}\n\n${command.usage}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    console.log(command.usage);
    return 0;
  }
  try {
    const logOutput = logOutputFor(name, values['log-format'], process.stderr);
    switch (name as CommandName) {
      case 'serve': return await serve(values, out, options, logOutput);
      case 'collect': return await collect(values, out, options, logOutput);
      case 'backfill': {
        const loaded = load(values, options);
        return await runBackfillCommand(values, out, { loaded, modules: options.modules, noSourceHint: noSourceHint(loaded), logOutput });
      }
      case 'export': return await exportHistory(values, out, options);
      case 'check-config': return await checkConfig(values, out, options);
    }
  } catch (error) {
    if (error instanceof ReaderGoneError) return 0;
    if (error instanceof ConfigError || error instanceof UsageError) {
      console.error(redactSecrets(error.message));
      return EXIT_USAGE;
    }
    console.error(`footprint ${name}: ${describeUnexpected(error)}`);
    return EXIT_FAILED;
  }
  return EXIT_USAGE;
}

function load(values: Values, options: MainOptions): LoadedConfig {
  const loaded = loadConfig({ flag: typeof values.config === 'string' ? values.config : undefined, env: process.env, ...(options.modules ? { modules: options.modules } : {}) });
  registerSecrets(loaded.secrets);
  return loaded;
}

function loggerFor(loaded: LoadedConfig, logOutput: LogOutput) {
  return createLogger({ level: loaded.config.log.level, ...logOutput }); // loadConfig already applied FOOTPRINT_LOG_LEVEL
}

function noSourceHint(loaded: LoadedConfig, dashboardUrl?: string): string {
  const where = loaded.file ? `Your configuration (${loaded.file})` : `No configuration file was found. Create ${loaded.defaultFile} (or pass --config FILE, or set FOOTPRINT_CONFIG); it`;
  const live = dashboardUrl ? `\nOr open ${dashboardUrl}/#/settings and add a source there: it is saved to that file and polled at once, without a restart.` : '';
  return `${where} has no source yet. Add one, for example:

github:
  token: "\${GITHUB_TOKEN:-}"   # optional; without it, public data at 60 requests/hour
  orgs: [your-org]

then run "footprint check-config" to validate it and restart. Until then only footprint_* metrics are served.${live}`;
}

/**
 * Listens, then starts polling. All or nothing: when a step fails, whatever was started is stopped
 * again and the error is thrown, so `serve` exits instead of staying up half-started.
 */
export async function startServing(core: FootprintCore, options: ServerOptions, log: Logger): Promise<RunningServer> {
  let server: RunningServer | undefined;
  try {
    server = await startServer(core, options, log);
    core.start();
    server.api.composeAhead();
    return server;
  } catch (error) {
    await server?.close();
    await core.close();
    throw error;
  }
}

/** A busy port: both ways to choose another one, the flag for this run and the key for every run. */
export function portInUseMessage(listen: ListenAddress, configFile: string | null): string {
  const port = listen.port === 65_535 ? listen.port - 1 : listen.port + 1;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const other = `${host}:${port}`;
  const where = configFile ? ` in ${configFile}` : ' in the configuration file';
  return `${listen.text} is already in use — stop the other program, or choose another port: ` +
    `footprint serve --listen ${other} for this run, or server: { listen: "${other}" }${where}`;
}

async function serve(values: Values, out: CommandOutput, options: MainOptions, logOutput: LogOutput): Promise<number> {
  const loaded = load(values, options);
  const listen = typeof values.listen === 'string' ? parseListenAddress(values.listen, '--listen') : loaded.config.server.listen;
  const exposure = listenExposureProblem(listen, loaded.config.server.authToken, '--listen');
  if (exposure) throw new UsageError(exposure);
  const log = loggerFor(loaded, logOutput);
  const core = new FootprintCore({ loaded, log, ...(options.modules ? { modules: options.modules } : {}) });
  let server: RunningServer;
  try {
    server = await startServing(core, { listen, authToken: loaded.config.server.authToken, metricsAuth: loaded.config.server.metricsAuth, allowedHosts: loaded.config.server.allowedHosts, publicSeries: loaded.config.server.public }, log);
  } catch (error) {
    if (error instanceof ListenError && error.code === 'EADDRINUSE') throw new ListenError(portInUseMessage(listen, loaded.file), error.code);
    throw error;
  }
  try {
    await out.write(`Footprint ${footprintVersion()} is serving ${server.url}/metrics and the dashboard at ${server.url}/ (history: ${loaded.config.storage.path})\n`);
    if (core.sourceIds().length === 0) await out.write(`${noSourceHint(loaded, server.url)}\n`);
    log.info({ url: server.url, config: loaded.file, sources: core.sourceIds() }, 'serving');
    // Judged on what the last stored poll spent: after a first poll ever, Health says it.
    for (const health of await server.api.health()) {
      if (health.budgetWarning === undefined) continue;
      await out.write(`${health.budgetWarning}\n`);
      log.warn({ source: health.id }, health.budgetWarning);
    }

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info({ signal }, 'stopping');
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
  } finally {
    await server.close();
    await core.close();
  }
  return 0;
}

async function collect(values: Values, out: CommandOutput, options: MainOptions, logOutput: LogOutput): Promise<number> {
  if (!values.once) throw new UsageError(`footprint collect: add --once (one poll, then exit); use "footprint serve" to keep polling.\n\n${commands.collect.usage}`);
  const loaded = load(values, options);
  const core = new FootprintCore({ loaded, log: loggerFor(loaded, logOutput), ...(options.modules ? { modules: options.modules } : {}) });
  try {
    if (core.sourceIds().length === 0) {
      console.error(noSourceHint(loaded));
      return EXIT_USAGE;
    }
    const reports = await core.collectOnce();
    const status = reports.every((report) => report.ok && report.complete) ? 0 : EXIT_FAILED;
    try {
      await out.write(formatCollectReport(reports));
    } catch (error) {
      // The values are stored: a reader that left early does not change whether collecting worked.
      if (!(error instanceof ReaderGoneError)) throw error;
    }
    return status;
  } finally {
    await core.close();
  }
}

/** "2026-01-31", an ISO time, or a duration back from now ("7d"); `option` names the flag in the error. */
export function parseTimeOption(text: string, now: number, option: string): number {
  const duration = parseDuration(text);
  if (duration !== null) return now - duration;
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (Number.isNaN(time)) throw new UsageError(`footprint export: ${option} "${text}" is not a date — use 2026-01-31, 2026-01-31T12:00:00Z or a duration such as 7d`);
  return time;
}

const exportFormats = ['csv', 'json', 'openmetrics'] as const;
type ExportFormat = (typeof exportFormats)[number];

/** The OpenMetrics options; the flags are refused with the other formats, which have no use for them. */
function openMetricsOptions(values: Values, format: ExportFormat, now: number): Omit<OpenMetricsOptions, 'catalogue' | 'since'> | null {
  if (format !== 'openmetrics') {
    const misplaced = (['until', 'step', 'label'] as const).find((name) => values[name] !== undefined);
    if (misplaced) throw new UsageError(`footprint export: --${misplaced} is for --format openmetrics; CSV and JSON list the stored change points as they are`);
    return null;
  }
  let stepMs = DEFAULT_OPENMETRICS_STEP_MS;
  if (typeof values.step === 'string') {
    const parsed = parseDuration(values.step);
    if (parsed === null || parsed < 1_000 || parsed % 1_000 !== 0) {
      throw new UsageError(`footprint export: --step "${values.step}" must be a duration in whole seconds, at least 1s — e.g. 5m (the default), 1h`);
    }
    stepMs = parsed;
  }
  const extraLabels: Record<string, string> = {};
  for (const label of (values.label as string[] | undefined) ?? []) {
    const equals = label.indexOf('=');
    const name = equals === -1 ? label : label.slice(0, equals);
    if (equals === -1 || !isLabelName(name)) {
      throw new UsageError(`footprint export: --label "${label}" must be NAME=VALUE with a Prometheus label name (letters, digits and "_", not starting with a digit or "__"), e.g. job=footprint`);
    }
    if (name in extraLabels) throw new UsageError(`footprint export: --label ${name} is given twice; give each label once`);
    extraLabels[name] = label.slice(equals + 1);
  }
  const until = typeof values.until === 'string' ? parseTimeOption(values.until, now, '--until') : undefined;
  return { stepMs, extraLabels, ...(until === undefined ? {} : { until }) };
}

async function exportHistory(values: Values, out: CommandOutput, options: MainOptions): Promise<number> {
  const format = (values.format ?? 'csv') as ExportFormat;
  if (!exportFormats.includes(format)) throw new UsageError(`footprint export: --format must be csv, json or openmetrics, not "${String(format)}"`);
  const now = Date.now();
  const since = typeof values.since === 'string' ? parseTimeOption(values.since, now, '--since') : undefined;
  const openMetrics = openMetricsOptions(values, format, now);
  if (since !== undefined && openMetrics?.until !== undefined && openMetrics.until < since) {
    throw new UsageError(`footprint export: --until (${new Date(openMetrics.until).toISOString()}) is before --since (${new Date(since).toISOString()}); swap them`);
  }
  const loaded = load(values, options);
  // The configuration's catalogues: user-defined metrics (http) bring labels of their own.
  const catalogue = sourceModules.flatMap((module) => metricCatalogue(module, loaded.config.sources[module.id]));
  const declared = new Set(catalogue.flatMap((def) => def.labels));
  for (const name of Object.keys(openMetrics?.extraLabels ?? {})) {
    if (declared.has(name)) throw new UsageError(`footprint export: --label ${name}: Footprint's series have a "${name}" label of their own; add another label (job and instance are what a Prometheus scrape adds)`);
  }
  const file = loaded.config.storage.path;
  if (!existsSync(file)) {
    console.error(`footprint export: there is no history at ${file} yet — run "footprint serve" or "footprint collect --once" first (storage.path sets the file).`);
    return EXIT_FAILED;
  }
  const store = openHistoryStore(loaded, { retentionMs: null });
  try {
    const write = (chunk: string) => out.write(chunk);
    if (openMetrics === null) {
      const range = since === undefined ? {} : { since };
      await writeExport({ rows: store.exportRows(range), labelNames: store.exportLabelNames(range) }, format as 'csv' | 'json', write);
      return 0;
    }
    // Every point is read, and --since applied while writing: the value current at --since may
    // have been last seen before it (a backfilled point holds until the next one) and still counts.
    const summary = await writeOpenMetrics(store.exportRows(), { ...openMetrics, catalogue, ...(since === undefined ? {} : { since }) }, write);
    if (summary.skippedSeries > 0) {
      console.error(`footprint export: left out ${summary.skippedSeries} stored series whose metric or label name is not a valid Prometheus name, e.g. ${summary.firstSkipped}`);
    }
  } finally {
    store.close();
  }
  return 0;
}

async function checkConfig(values: Values, out: CommandOutput, options: MainOptions): Promise<number> {
  const loaded = load(values, options);
  checkStoragePath(loaded);
  await out.write(loaded.file ? `# Configuration file: ${loaded.file} — valid.\n` : `# No configuration file found; these are the defaults. A configuration file goes at ${loaded.defaultFile}.\n`);
  await out.write(`${formatEffectiveConfig(loaded)}\n`);
  return 0;
}
