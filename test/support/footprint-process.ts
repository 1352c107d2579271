// Runs the real `footprint` command (bin/footprint.js) as a child process, as a user would.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'bin', 'footprint.js');

export interface CommandResult { status: number | null; stdout: string; stderr: string }

/**
 * Runs `footprint ARGS` to completion. Asynchronous on purpose: the loopback fakes live in the test's own
 * process, so a synchronous spawn would block them from answering the child.
 */
export function runFootprint(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): Promise<CommandResult> {
  return runNode([bin, ...args], env, cwd);
}

/** Runs a TypeScript entry point of the tests (e.g. the CLI with a test source registered) as a child process. */
export function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): Promise<CommandResult> {
  return runNode(['--import', path.join(repoRoot, 'scripts', 'ts-register.mjs'), script, ...args], env, cwd);
}

function runNode(nodeArgs: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CommandResult> {
  const child = spawn(process.execPath, nodeArgs, { cwd, env: { ...cleanEnv(), ...env } });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output.stdout += chunk; });
  return finished(child, output);
}

/** The child's exit status and output once it ends (stderr read here); killed after a minute. */
function finished(child: ChildProcessWithoutNullStreams, output: { stdout: string; stderr: string }): Promise<CommandResult> {
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output.stderr += chunk; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: output.stdout, stderr: output.stderr });
    });
  });
}

/**
 * Runs `node NODE_ARGS` with a terminal (a pty from util-linux `script`) as its stdin, stdout and
 * stderr, as a person at a terminal runs it; `output` is what the terminal showed, both streams in
 * one. Null (with a SKIPPED: line) where `script` is missing outside CI; in CI that is an error.
 */
export async function runNodeOnTerminal(nodeArgs: readonly string[], env: NodeJS.ProcessEnv, what: string): Promise<{ status: number | null; output: string } | null> {
  const script = '/usr/bin/script';
  if (!existsSync(script) || spawnSync(script, ['--version']).status !== 0) {
    if (process.env.CI) throw new Error('util-linux "script" is needed to give the command a terminal');
    console.log(`SKIPPED: util-linux "script" is not installed: ${what} is not tested`);
    return null;
  }
  const command = [process.execPath, ...nodeArgs].map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(' ');
  // Asynchronous: the loopback fakes live in this process and must go on answering.
  const child = spawn(script, ['-qec', command, '/dev/null'], { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { status, output };
}

/** Runs `footprint ARGS` on a terminal (runNodeOnTerminal). */
export function runFootprintOnTerminal(args: readonly string[], env: NodeJS.ProcessEnv, what: string): Promise<{ status: number | null; output: string } | null> {
  return runNodeOnTerminal([bin, ...args], env, what);
}

/**
 * Runs `footprint ARGS` with a reader that goes away, as `footprint export | head -c BYTES` does: it
 * takes the first `keepBytes` of stdout (0: none at all), then closes its end of the pipe.
 */
export function runFootprintIntoClosingReader(args: readonly string[], env: NodeJS.ProcessEnv, keepBytes: number): Promise<CommandResult> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...cleanEnv(), ...env } });
  const output = { stdout: '', stderr: '' };
  const closeReader = () => {
    child.stdout.removeAllListeners('data');
    child.stdout.destroy();
  };
  if (keepBytes === 0) closeReader();
  else {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output.stdout += chunk;
      if (output.stdout.length >= keepBytes) closeReader();
    });
  }
  return finished(child, output);
}

/** The test's environment without the developer's own Footprint settings or tokens. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('FOOTPRINT_') || key.endsWith('_TOKEN')) delete env[key];
  return { ...env, FOOTPRINT_LOG_LEVEL: 'info' };
}

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  output(): { stdout: string; stderr: string };
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `footprint serve ARGS` and resolves once it prints the address it serves. */
export function startServe(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { cwd, env: { ...cleanEnv(), ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`footprint serve did not start within 30 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 30_000);
    const onData = () => {
      const match = /is serving (http:\/\/\S+)\/metrics/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url: match[1]!,
        child,
        output: () => ({ stdout, stderr }),
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`footprint serve exited with ${code} before serving\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

/** Polls `probe` until it returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** The value of one series in a Prometheus exposition, or undefined. */
export function metricValue(exposition: string, metric: string, labels: Record<string, string>): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(metric + '{') && line.split(' ')[0] !== metric) continue;
    const brace = line.indexOf('{');
    const name = brace === -1 ? line.split(' ')[0] : line.slice(0, brace);
    if (name !== metric) continue;
    const labelText = brace === -1 ? '' : line.slice(brace + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
