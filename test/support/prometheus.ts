// A real Prometheus (Debian's package) on loopback, scraping targets every second.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { selfMetricDefs } from '../../electron/core/exporter.js';
import { sourceModules } from '../../electron/core/sources/registry.js';
import { waitFor } from './footprint-process.js';

export function which(command: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/**
 * Whether a tool the test needs is here. Outside CI a missing tool skips the test with a SKIPPED line;
 * in CI (CI=true) it fails, so a green CI never hides an untested path.
 */
export function requireTool(command: string, install: string): boolean {
  if (which(command)) return true;
  if (process.env.CI) throw new Error(`${command} is required in CI: ${install}`);
  console.log(`SKIPPED: ${command} is not installed (${install})`);
  return false;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningPrometheus {
  readonly url: string;
  /** An instant query, at `time` (epoch ms) when given, else now. */
  query(expr: string, time?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(targets: readonly string[], extra: { ruleFiles?: string[] } = {}): Promise<RunningPrometheus> {
  return startPrometheusWithConfig([
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    ...(extra.ruleFiles?.length ? ['rule_files:', ...extra.ruleFiles.map((file) => `  - ${JSON.stringify(file)}`)] : []),
    'scrape_configs:',
    '  - job_name: footprint',
    '    static_configs:',
    `      - targets: [${targets.map((target) => JSON.stringify(target)).join(', ')}]`,
    '',
  ].join('\n'));
}

export interface PrometheusOptions {
  /** --storage.tsdb.path: an existing folder (e.g. blocks from promtool), kept when Prometheus stops. Default: a temp folder. */
  readonly dataDir?: string;
  /** More command-line flags, e.g. --storage.tsdb.retention.time=10y. */
  readonly flags?: readonly string[];
  /** The port to listen on (a restart on the same address); a free one by default. */
  readonly port?: number;
}

/**
 * Starts Prometheus with a complete configuration file's text (for tests of a shipped prometheus.yml).
 * Relative paths in it (rule_files, credentials_file) would resolve against a temp folder: make them absolute.
 */
export async function startPrometheusWithConfig(configText: string, options: PrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-prom-'));
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, configText);
  const port = options.port ?? await freePort();
  const child: ChildProcess = spawn('prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${options.dataDir ?? path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...(options.flags ?? []),
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const url = `http://127.0.0.1:${port}`;
  // A configuration Prometheus rejects ends the process at once: say why instead of waiting for readiness.
  const exitedEarly = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`prometheus exited with ${code} before it was ready: ${stderr.trim()}`))));
  exitedEarly.catch(() => undefined);
  await Promise.race([waitFor(async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 'Prometheus to be ready', 30_000), exitedEarly]);
  return {
    url,
    async query(expr, time) {
      const at = time === undefined ? '' : `&time=${time / 1000}`;
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}${at}`);
      const body = await response.json() as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`PromQL ${expr}: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `promtool ARGS` (check config, check rules, test rules) and returns its exit status and output. */
export function runPromtool(args: readonly string[], cwd?: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { encoding: 'utf8', cwd });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/**
 * Lint findings promtool reports for names Footprint keeps on purpose: `github_repo_size_kb` and
 * `github_repo_pull_request_count` are the public github-exporter's names, which existing dashboards query.
 * promtool 2.42 has no switch to silence one rule, so these exact lines (and no others) are accepted.
 */
export const acceptedPromtoolFindings: readonly string[] = [
  'github_repo_size_kb metric names should not contain abbreviated units',
  'github_repo_pull_request_count non-histogram and non-summary metrics should not have "_count" suffix',
];

/**
 * Runs `promtool check metrics` on an exposition. Exit 1 is a parse error (never accepted); exit 3 is lint
 * findings, accepted only when every finding is one of `acceptedPromtoolFindings`.
 */
export function promtoolCheckMetrics(exposition: string): { ok: boolean; findings: string[]; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trim();
  const findings = output ? output.split('\n').filter((line) => !acceptedPromtoolFindings.includes(line.trim())) : [];
  const ok = result.status === 0 || (result.status === 3 && findings.length === 0);
  return { ok, findings, output };
}

// ---- PromQL in shipped files: rule files (Prometheus) and dashboards (Grafana) ----

export interface RuleExpression {
  readonly file: string;
  readonly group: string;
  readonly kind: 'record' | 'alert';
  /** The recorded series' name, or the alert's name. */
  readonly name: string;
  readonly expr: string;
  readonly for: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Every rule of Prometheus rule files, read with the `yaml` package; a malformed rule names its file and group. */
export function readRuleFiles(files: readonly string[]): RuleExpression[] {
  const rules: RuleExpression[] = [];
  for (const file of files) {
    const document = YAML.parse(readFileSync(file, 'utf8')) as { groups?: { name?: string; rules?: Record<string, unknown>[] }[] } | null;
    if (!Array.isArray(document?.groups)) throw new Error(`${file}: no "groups:" list`);
    for (const group of document.groups) {
      for (const rule of group.rules ?? []) {
        const kind = typeof rule.record === 'string' ? 'record' : typeof rule.alert === 'string' ? 'alert' : null;
        if (!kind || typeof rule.expr !== 'string') throw new Error(`${file}, group ${group.name}: a rule needs "record" or "alert", and "expr"`);
        rules.push({
          file,
          group: String(group.name),
          kind,
          name: String(rule[kind]),
          expr: rule.expr.trim(),
          for: typeof rule.for === 'string' ? rule.for : null,
          labels: (rule.labels ?? {}) as Record<string, string>,
          annotations: (rule.annotations ?? {}) as Record<string, string>,
        });
      }
    }
  }
  return rules;
}

/** The parts of a Grafana dashboard's JSON these tests read. */
export interface GrafanaPanel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { h?: number; w?: number; x?: number; y?: number };
  datasource?: { type?: string; uid?: string } | string | null;
  targets?: { refId?: string; expr?: string; datasource?: { type?: string; uid?: string } | string | null }[];
  panels?: GrafanaPanel[];
  [key: string]: unknown;
}

export interface GrafanaVariable {
  name?: string;
  type?: string;
  query?: string | { query?: string };
  definition?: string;
  datasource?: { type?: string; uid?: string } | string | null;
  [key: string]: unknown;
}

export interface GrafanaDashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: GrafanaPanel[];
  templating?: { list?: GrafanaVariable[] };
  [key: string]: unknown;
}

/** Every panel, with the panels of collapsed rows (which Grafana keeps inside the row). */
export function dashboardPanels(dashboard: GrafanaDashboard): GrafanaPanel[] {
  const walk = (panels: readonly GrafanaPanel[]): GrafanaPanel[] => panels.flatMap((panel) => [panel, ...walk(panel.panels ?? [])]);
  return walk(dashboard.panels ?? []);
}

export interface DashboardQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

/** Every PromQL expression of a dashboard's panels (`targets[].expr`). */
export function dashboardQueries(dashboard: GrafanaDashboard): DashboardQuery[] {
  return dashboardPanels(dashboard).flatMap((panel) => (panel.targets ?? []).map((target) => ({
    dashboard: String(dashboard.uid),
    panel: String(panel.title),
    refId: String(target.refId),
    expr: target.expr ?? '',
  })));
}

/** The query of a dashboard variable: a string, or the Prometheus query editor's `{ query }`. */
export function variableQuery(variable: GrafanaVariable): string {
  return typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
}

/** `label_values(SELECTOR, LABEL)` or `label_values(LABEL)`, the variable queries of Grafana's Prometheus data source. */
export function parseLabelValues(query: string): { match: string | null; label: string } {
  const match = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_]\w*)\s*\)\s*$/.exec(query);
  if (!match) throw new Error(`not a label_values(SELECTOR, LABEL) query: ${query}`);
  return { match: match[1] ?? null, label: match[2]! };
}

/** `$name`, `${name}`, `${name:format}` and `[[name]]`: the forms Grafana expands. */
const VARIABLE_REFERENCE = /\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)/g;

/** The names of the variables a text refers to (Grafana's built-ins such as `__rate_interval` included). */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(VARIABLE_REFERENCE)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

/** Replaces every variable reference with a concrete value, as Grafana would; a variable without a value is an error. */
export function substituteVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE_REFERENCE, (whole, braced?: string, bracketed?: string, plain?: string) => {
    const name = (braced ?? bracketed ?? plain)!;
    const value = values[name];
    if (value === undefined) throw new Error(`${whole} has no test value: add "${name}" to the substitutions`);
    return value;
  });
}

export interface PromqlSelector {
  readonly metric: string;
  readonly labels: readonly string[];
}

const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'inf', 'nan', 'atan2']);

/**
 * The metric names a PromQL expression reads and the label names its selectors match on. A scanner, not
 * a parser: enough to catch a misspelt metric or label in a shipped file before Prometheus is started.
 */
export function promqlSelectors(expr: string): PromqlSelector[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  const selectors: PromqlSelector[] = [];
  const bare = withoutStrings
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/([a-zA-Z_:][\w:]*)?\s*\{([^}]*)\}/g, (_, metric: string | undefined, matchers: string) => {
      const labels = [...matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
      const named = labels.indexOf('__name__');
      if (metric) selectors.push({ metric, labels });
      else if (named !== -1) throw new Error(`${expr}: {__name__=…} selectors are not checked; name the metric`);
      return ' ';
    });
  for (const match of bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)) {
    const name = match[1]!;
    if (!PROMQL_KEYWORDS.has(name.toLowerCase())) selectors.push({ metric: name, labels: [] });
  }
  return selectors;
}

/**
 * Every series name Footprint's /metrics can hold, with its label names as Prometheus stores them (the
 * scrape adds job and instance; a histogram is its _bucket (with le), _sum and _count series).
 */
export function footprintSeries(): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  const scrape = ['job', 'instance'];
  for (const module of sourceModules) for (const metric of module.metrics) series.set(metric.name, new Set([...metric.labels, ...scrape]));
  for (const metric of selfMetricDefs) {
    if (metric.type !== 'histogram') {
      series.set(metric.name, new Set([...metric.labels, ...scrape]));
      continue;
    }
    series.set(`${metric.name}_bucket`, new Set([...metric.labels, 'le', ...scrape]));
    for (const suffix of ['_sum', '_count']) series.set(`${metric.name}${suffix}`, new Set([...metric.labels, ...scrape]));
  }
  series.set('up', new Set(scrape));
  return series;
}

/**
 * Removes the "# " in front of a commented-out YAML block that starts with `# KEY:` and goes on with
 * deeper-indented comment lines — the way a shipped file documents an optional setting, which a test then
 * switches on exactly as a user would.
 */
export function uncommentYamlBlock(text: string, key: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s*# ${key}:\\s*$`).test(line));
  if (start === -1) throw new Error(`no commented-out "# ${key}:" block in the file`);
  const indent = lines[start]!.indexOf('#');
  const uncomment = (line: string) => line.slice(0, indent) + line.slice(indent + 2);
  lines[start] = uncomment(lines[start]!);
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.indexOf('#') !== indent || !line.slice(indent).startsWith('#   ')) break;
    lines[i] = uncomment(line);
  }
  return lines.join('\n');
}
