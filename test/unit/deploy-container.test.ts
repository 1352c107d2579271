// deploy/Dockerfile, deploy/docker-compose.yml and the container's example configuration. No Docker
// engine runs here, so they are checked by structure: the stages, what the runtime holds (and that
// it holds everything `footprint serve` imports), the non-root user, the volume, the port, the health
// check, no secret baked in; the compose services and the shipped files they mount. When the
// dockerfile-utils package is installed, its validator (the one behind VS Code's Dockerfile support)
// checks the Dockerfile's syntax too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { repoRoot } from '../support/footprint-process.js';

const deployDir = path.join(repoRoot, 'deploy');
const dockerfileText = readFileSync(path.join(deployDir, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: Instruction[];
}

/** Instructions with continuation lines joined; comments and parser directives dropped. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending !== '' && line.startsWith('#')) return; // comment lines inside a continuation are ignored by Docker
    if (pending === '') startLine = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      return;
    }
    const whole = (pending + line).trim();
    pending = '';
    const space = whole.search(/\s/);
    instructions.push({ keyword: whole.slice(0, space).toUpperCase(), args: whole.slice(space + 1).trim(), line: startLine });
  });
  return instructions;
}

function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`Dockerfile line ${instruction.line}: FROM ${instruction.args} is not "FROM image [AS name]"`);
      stages.push({ from: match[1]!, name: match[2] ?? null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The JSON ("exec") form of CMD/ENTRYPOINT/HEALTHCHECK CMD. */
function execForm(args: string): string[] {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) throw new Error(`not an exec-form array: ${args}`);
  return parsed;
}

const instructions = parseDockerfile(dockerfileText);
const stages = stagesOf(instructions);
const runtime = stages.at(-1)!;
const inRuntime = (keyword: string) => runtime.instructions.filter((instruction) => instruction.keyword === keyword);
const defaultArg = (name: string) => instructions.find((instruction) => instruction.keyword === 'ARG' && instruction.args.startsWith(`${name}=`))?.args.slice(name.length + 1);

/** Files under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Import specifiers of a TypeScript file: static imports, re-exports and dynamic imports of string literals. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((match) => (match[1] ?? match[2] ?? match[3])!);
}

describe('deploy/Dockerfile', () => {
  it('builds in stages: the dashboard with vite (when vite.config.ts exists), production dependencies, then a Node 24 slim runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const names = stages.map((stage) => stage.name);
    expect(names.every((name) => name !== null && /^[a-z][a-z0-9_.-]*$/.test(name)), `every stage is named: ${names.join(', ')}`).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(defaultArg('NODE_IMAGE')).toBe('node:24-slim');
    for (const stage of stages) expect(stage.from).toBe('${NODE_IMAGE}');
    const runs = (name: string) => stages.find((stage) => stage.name === name)!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
    expect(runs('build')).toMatch(/\bnpm ci\b/);
    expect(runs('build')).toMatch(/if \[ -f vite\.config\.ts \]; then npx vite build;/);
    expect(runs('deps')).toMatch(/\bnpm ci --omit=dev\b/);
  });

  it('copies into the runtime the built dashboard, the production dependencies and the sources `footprint serve` runs', () => {
    const copies = inRuntime('COPY').map((instruction) => instruction.args);
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build /app/dist/renderer ./dist/renderer');
    // Every plain COPY source exists in the build context (the repository root).
    const local = copies.filter((args) => !args.startsWith('--from=')).map((args) => args.split(/\s+/)[0]!);
    for (const source of local) expect(existsSync(path.join(repoRoot, source)), `COPY ${source}`).toBe(true);
    expect(local).toEqual(expect.arrayContaining(['package.json', 'bin', 'scripts/ts-hooks.mjs', 'shared', 'electron/core']));
    // bin/footprint.js loads the TypeScript hook from scripts/ and the CLI from electron/core.
    const bin = readFileSync(path.join(repoRoot, 'bin', 'footprint.js'), 'utf8');
    expect(bin).toContain("'../scripts/ts-hooks.mjs'");
    expect(bin).toContain("'../electron/core/cli/main.ts'");
    // The server looks for the dashboard in dist/renderer beside electron/.
    expect(readFileSync(path.join(repoRoot, 'electron', 'core', 'server.ts'), 'utf8')).toContain("path.resolve(import.meta.dirname, '..', '..', 'dist', 'renderer')");
  });

  it('the runtime holds every module electron/core and shared import: their own files, Node built-ins and production dependencies', () => {
    const builtins = new Set(builtinModules);
    const production = new Set(Object.keys(packageJson.dependencies));
    const copied = [path.join(repoRoot, 'electron', 'core'), path.join(repoRoot, 'shared')];
    const sources = copied.flatMap(filesUnder).filter((file) => file.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(20);
    for (const file of sources) {
      for (const specifier of importsOf(file)) {
        const where = `${path.relative(repoRoot, file)} imports ${specifier}`;
        if (specifier.startsWith('.')) {
          const target = path.resolve(path.dirname(file), specifier);
          expect(copied.some((dir) => target.startsWith(dir + path.sep)), `${where}, outside the runtime's sources`).toBe(true);
        } else if (specifier.startsWith('node:') || builtins.has(specifier)) {
          continue;
        } else {
          const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
          expect(production.has(name), `${where}, which is not a production dependency (npm ci --omit=dev leaves it out)`).toBe(true);
        }
      }
    }
  });

  it('runs as a non-root user, with a data volume, port 9171, a /healthz health check and `serve` on all interfaces', () => {
    const users = inRuntime('USER').map((instruction) => instruction.args);
    expect(users).toEqual(['node']);
    const userLine = inRuntime('USER')[0]!.line;
    // Nothing runs as root after the switch, and the data folder belongs to the user.
    expect(inRuntime('RUN').every((instruction) => instruction.line < userLine)).toBe(true);
    expect(inRuntime('RUN').map((instruction) => instruction.args).join('\n')).toMatch(/chown node:node \/data/);
    // The stripped sources are cached while the files are still root's: "node" could not write the cache.
    expect(inRuntime('RUN').map((instruction) => instruction.args).join('\n')).toMatch(/node bin\/footprint\.js --help/);
    expect(inRuntime('VOLUME').map((instruction) => instruction.args)).toEqual(['["/data"]']);
    expect(inRuntime('ENV').map((instruction) => instruction.args).join(' ')).toMatch(/FOOTPRINT_CONFIG=\/data\/footprint\.yaml/);
    expect(inRuntime('EXPOSE').map((instruction) => instruction.args)).toEqual(['9171']);
    const [healthcheck] = inRuntime('HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/--interval=\d+s .*--timeout=\d+s/);
    const probe = execForm(healthcheck!.args.slice(healthcheck!.args.indexOf('CMD ') + 4));
    expect(probe.slice(0, 2)).toEqual(['node', '-e']);
    expect(probe[2]).toContain("fetch('http://127.0.0.1:9171/healthz')");
    expect(execForm(inRuntime('ENTRYPOINT')[0]!.args)).toEqual(['node', '/app/bin/footprint.js']);
    expect(execForm(inRuntime('CMD')[0]!.args)).toEqual(['serve', '--listen', ':9171']);
  });

  it('bakes no secret into the image', () => {
    for (const instruction of instructions.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG')) {
      const names = [...instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].map((match) => match[1]!);
      for (const name of names) expect(name, `Dockerfile line ${instruction.line}`).not.toMatch(/TOKEN|SECRET|PASSWORD|PRIVATE|CREDENTIAL/i);
    }
    expect(dockerfileText).not.toMatch(/ghp_|github_pat_|dckr_pat_|BEGIN [A-Z ]*PRIVATE KEY/);
    // The configuration (which names secrets) and the database come from the volume at run time.
    expect(inRuntime('COPY').map((instruction) => instruction.args).join('\n')).not.toMatch(/\.ya?ml|\.db|\.env|service-account/);
  });

  it('passes the dockerfile-utils validator when that package is installed', async (context) => {
    const moduleName = 'dockerfile-utils';
    type Diagnostic = { message: string; range: { start: { line: number } } };
    const validator = await import(moduleName).catch(() => null) as { validate(content: string): Diagnostic[] } | null;
    if (!validator) {
      if (process.env.CI) throw new Error(`${moduleName} is required in CI: npm install --save-dev ${moduleName}`);
      console.log(`SKIPPED: ${moduleName} is not installed (npm install --save-dev ${moduleName})`);
      context.skip();
      return;
    }
    const problems = validator.validate(dockerfileText).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
    // It is a real validator: a broken file is refused.
    expect(validator.validate(`${dockerfileText}\nEXPOSE port-nine\n`).length).toBeGreaterThan(0);
  });
});

describe('deploy/docker-compose.yml', () => {
  interface Service {
    build?: { context: string; dockerfile: string };
    image?: string;
    command?: string[];
    environment?: Record<string, string>;
    volumes?: (string | { type: string; source: string; target: string; read_only?: boolean; bind?: { create_host_path?: boolean } })[];
    ports?: string[];
  }
  const compose = YAML.parse(readFileSync(path.join(deployDir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const { footprint, prometheus, grafana } = compose.services;

  /** Host path (relative to deploy/) or volume name, and the container path, of each mount. */
  function mounts(service: Service | undefined) {
    return (service?.volumes ?? []).map((volume) => {
      if (typeof volume !== 'string') return { source: volume.source, target: volume.target, readOnly: volume.read_only === true, bind: volume.type === 'bind' };
      const [source, target, mode] = volume.split(':') as [string, string, string | undefined];
      return { source, target, readOnly: mode === 'ro', bind: source.startsWith('.') || source.startsWith('/') };
    });
  }

  it('has the services footprint, prometheus and grafana, with pinned images', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['footprint', 'grafana', 'prometheus']);
    for (const service of [prometheus, grafana]) expect(service?.image).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
  });

  it('builds footprint from deploy/Dockerfile, with the token from the environment and the data volume', () => {
    expect(footprint?.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(existsSync(path.resolve(deployDir, footprint!.build!.context, footprint!.build!.dockerfile))).toBe(true);
    expect(footprint?.environment?.FOOTPRINT_AUTH_TOKEN).toMatch(/^\$\{FOOTPRINT_AUTH_TOKEN:\?.+\}$/); // required, never a default
    expect(mounts(footprint)).toEqual(expect.arrayContaining([
      { source: 'footprint-data', target: '/data', readOnly: false, bind: false },
      { source: './footprint.yaml', target: '/data/footprint.yaml', readOnly: true, bind: true },
    ]));
    const bind = footprint!.volumes!.find((volume) => typeof volume !== 'string');
    expect(typeof bind !== 'string' && bind?.bind?.create_host_path).toBe(false);
    expect(footprint?.ports).toEqual(['127.0.0.1:9171:9171']);
  });

  it('mounts the shipped Prometheus config and rules, and the Grafana provisioning and dashboards', () => {
    expect(mounts(prometheus)).toContainEqual({ source: './prometheus', target: '/etc/prometheus', readOnly: true, bind: true });
    expect(prometheus?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    // Prometheus reaches Footprint by its service name on the port the image exposes.
    const scrape = YAML.parse(readFileSync(path.join(deployDir, 'prometheus', 'prometheus.yml'), 'utf8')) as { scrape_configs: { static_configs: { targets: string[] }[] }[] };
    expect(scrape.scrape_configs[0]?.static_configs[0]?.targets).toEqual(['footprint:9171']);
    expect(mounts(grafana)).toEqual(expect.arrayContaining([
      { source: './grafana/provisioning', target: '/etc/grafana/provisioning', readOnly: true, bind: true },
      { source: './grafana/dashboards', target: '/var/lib/grafana/dashboards/footprint', readOnly: true, bind: true },
    ]));
    const home = grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(home).toBe('/var/lib/grafana/dashboards/footprint/footprint-overview.json');
    expect(existsSync(path.join(deployDir, 'grafana', 'dashboards', path.basename(home!)))).toBe(true);
  });

  it('mounts only shipped files, or footprint.yaml made from the shipped footprint.example.yaml; named volumes are declared', () => {
    for (const service of Object.values(compose.services)) {
      for (const mount of mounts(service)) {
        if (!mount.bind) {
          expect(Object.keys(compose.volumes), `volume ${mount.source}`).toContain(mount.source);
          continue;
        }
        const source = path.resolve(deployDir, mount.source);
        if (mount.source === './footprint.yaml') expect(existsSync(path.join(deployDir, 'footprint.example.yaml'))).toBe(true);
        else expect(existsSync(source), `${mount.source} is not in deploy/`).toBe(true);
      }
    }
  });

  it('takes every secret from the environment (deploy/.env), never from the file', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/TOKEN|PASSWORD|SECRET/i.test(key)) expect(value, `${name}.environment.${key}`).toMatch(/^\$\{[A-Z_]+(?::[-?][^}]*)?\}$/);
      }
    }
    const example = readFileSync(path.join(deployDir, '.env.example'), 'utf8');
    for (const line of example.split('\n').filter((l) => /^[A-Z_]+=/.test(l))) expect(line, 'deploy/.env.example holds names, not values').toMatch(/^[A-Z_]+=$/);
    expect(example).toContain('FOOTPRINT_AUTH_TOKEN=');
    expect(example).toContain('GRAFANA_ADMIN_PASSWORD=');
  });
});

describe('deploy/footprint.example.yaml', () => {
  const example = YAML.parse(readFileSync(path.join(deployDir, 'footprint.example.yaml'), 'utf8')) as {
    server: { listen: string; authToken: string; metricsAuth: boolean };
    storage: { path: string };
    github?: { token?: string };
  };

  it('listens on all interfaces with the token from FOOTPRINT_AUTH_TOKEN, and keeps the database in the data volume', () => {
    expect(example.server).toEqual({ listen: ':9171', authToken: '${FOOTPRINT_AUTH_TOKEN}', metricsAuth: false });
    expect(example.storage.path.startsWith('/data/')).toBe(true);
    expect(example.github?.token).toBe('${GITHUB_TOKEN:-}');
  });
});
