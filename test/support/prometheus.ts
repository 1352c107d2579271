// A real Prometheus (Debian's package) on loopback, scraping targets every second.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
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
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(targets: readonly string[], extra: { ruleFiles?: string[] } = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-prom-'));
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, [
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
  const port = await freePort();
  const child: ChildProcess = spawn('prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), `Prometheus to be ready (${stderr})`, 30_000);
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
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
