// Loading the configuration: find the file, parse YAML or JSON, expand ${VAR}s, validate against
// the schema built from the source registry, fill in defaults, and collect the secrets to mask.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { formatDuration } from '../../../shared/duration.js';
import { specialFileKind } from '../file-kind.js';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../log.js';
import { MASK, redactDeep, redactSecrets, registerSecrets } from '../secrets.js';
import { metricCatalogue, SourceConfigError, type SourceModule } from '../source.js';
import { sourceModules } from '../sources/registry.js';
import { expandEnvironment } from './interpolate.js';
import { ConfigError, dedupeIssues, isTextToNumberPipe, schemaDef, sectionKeyPath, unwrapSchema, ZodIssueTranslator, type ConfigIssue } from './issues.js';
import { formatSize, MAX_CONFIG_FILE_BYTES } from './limits.js';
import { listenExposureProblem, type ListenAddress } from './listen.js';
import { DATABASE_FILE_NAME, defaultConfigFile, defaultDataDir } from './paths.js';
import { remoteWriteTargets, type RemoteWriteTarget } from './remote-write.js';
import { BACKFILL_DEFAULTS, buildConfigSchema, CORE_SECTIONS, findDroppedKeys } from './schema.js';

export { ConfigError, type ConfigIssue } from './issues.js';
export { isLoopback, listenExposureProblem, parseListenAddress, type ListenAddress } from './listen.js';
export { defaultConfigFile, defaultDataDir, defaultDatabasePath } from './paths.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface FootprintConfig {
  /** allowedHosts: Host names answered besides localhost and IP addresses (lower case). */
  server: { listen: ListenAddress; authToken: string | null; metricsAuth: boolean; allowedHosts: string[]; public: string[] };
  /** `path` is absolute; `retentionMs` null keeps everything. */
  storage: { path: string; retentionMs: number | null };
  log: { level: LogLevel };
  /** budgetShare: of the API budget left, the most backfill spends; replanIntervalMs: how often targets are listed again. */
  backfill: { enabled: boolean; budgetShare: number; replanIntervalMs: number };
  /** Receivers every series is pushed to (Prometheus remote write); empty when none. */
  remoteWrite: RemoteWriteTarget[];
  /** Module id → that module's parsed config, for configured sources only, in registry order. */
  sources: Record<string, unknown>;
}

export interface LoadedConfig {
  config: FootprintConfig;
  /** The file actually loaded, or null when running on defaults. */
  file: string | null;
  /** Where the per-user config file goes (shown to users who have none). */
  defaultFile: string;
  /** Every secret value found in the config (already registered for masking). */
  secrets: string[];
  /** The source modules the config was validated against. */
  modules: readonly SourceModule<any>[];
}

export interface ConfigLocation {
  file: string | null;
  /** Named by --config or FOOTPRINT_CONFIG: it must then exist. */
  explicit: boolean;
  /** What named the file, for error messages. */
  origin: 'flag' | 'env' | 'default' | 'none';
  defaultFile: string;
}

export interface ResolveOptions {
  flag?: string | undefined;
  env: Env;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/** Which file to load: --config, else FOOTPRINT_CONFIG, else the per-user file if it exists, else none. */
export function resolveConfigFile(options: ResolveOptions): ConfigLocation {
  const platform = options.platform ?? process.platform;
  const defaultFile = defaultConfigFile(options.env, platform, options.homedir ?? os.homedir());
  if (options.flag !== undefined && options.flag !== '') return { file: path.resolve(options.flag), explicit: true, origin: 'flag', defaultFile };
  const fromEnv = options.env.FOOTPRINT_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return { file: path.resolve(fromEnv), explicit: true, origin: 'env', defaultFile };
  if (fs.existsSync(defaultFile)) return { file: defaultFile, explicit: false, origin: 'default', defaultFile };
  return { file: null, explicit: false, origin: 'none', defaultFile };
}

export interface LoadOptions {
  flag?: string | undefined;
  env?: Env;
  platform?: NodeJS.Platform;
  homedir?: string;
  modules?: readonly SourceModule<any>[];
}

function namedBy(origin: ConfigLocation['origin']): string {
  return origin === 'flag' ? 'the path given to --config' : origin === 'env' ? 'the path in FOOTPRINT_CONFIG' : 'the path';
}

function readProblem(error: unknown, origin: ConfigLocation['origin']): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return `config file not found — check ${namedBy(origin)}, or create the file`;
    case 'EACCES':
    case 'EPERM': return 'cannot read the config file (permission denied) — make it readable by this user';
    case 'EISDIR': return `is a directory — check ${namedBy(origin)}: it must name a YAML or JSON file`;
    default: return `cannot read the config file (${code ?? String(error)}) — check ${namedBy(origin)} and the file's permissions`;
  }
}

function tooLarge(size: string, origin: ConfigLocation['origin']): string {
  return `is ${size}; a configuration file is at most ${formatSize(MAX_CONFIG_FILE_BYTES)} — check ${namedBy(origin)}: it must name Footprint's YAML or JSON configuration`;
}

/**
 * The file's text, read only when it is a regular file of at most MAX_CONFIG_FILE_BYTES: a FIFO or
 * a device such as /dev/zero would hang or never end, a huge file would take minutes and gigabytes.
 */
function readConfigText(file: string, origin: ConfigLocation['origin']): string {
  const fail = (message: string): never => {
    throw new ConfigError(file, [{ path: '', message }]);
  };
  let descriptor: number;
  try {
    const stats = fs.statSync(file);
    const kind = specialFileKind(stats);
    if (kind !== null) return fail(`is ${kind} — check ${namedBy(origin)}: it must name a YAML or JSON file`);
    if (stats.size > MAX_CONFIG_FILE_BYTES) return fail(tooLarge(formatSize(stats.size), origin));
    descriptor = fs.openSync(file, 'r');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return fail(readProblem(error, origin));
  }
  try {
    // Read at most one byte past the limit: a file that grew, or one whose size the system does not report.
    const buffer = Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = fs.readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > MAX_CONFIG_FILE_BYTES) return fail(tooLarge(`over ${formatSize(MAX_CONFIG_FILE_BYTES)}`, origin));
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return fail(readProblem(error, origin));
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * Finds, reads and validates the configuration; with no file at all, returns the defaults.
 * Registers the config's secrets for masking. Throws ConfigError on any problem.
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const homedir = options.homedir ?? os.homedir();
  const location = resolveConfigFile({ flag: options.flag, env, platform, homedir });
  const common = { env, modules: options.modules ?? sourceModules, dataDir: defaultDataDir(env, platform, homedir), homedir, defaultFile: location.defaultFile };
  if (location.file === null) return buildLoaded({}, { ...common, file: null });
  return parseConfig(readConfigText(location.file, location.origin), { ...common, file: location.file });
}

export interface ParseOptions {
  /** The file the text came from: decides JSON (.json) or YAML, and where relative paths start. */
  file: string;
  env?: Env;
  modules?: readonly SourceModule<any>[];
  /** Directory of the default database. */
  dataDir: string;
  /** For "~/" in storage.path; the current user's home unless given. */
  homedir?: string;
  /** Reported as LoadedConfig.defaultFile; the file itself unless given. */
  defaultFile?: string;
}

/** Parses and validates config text (as loadConfig does after reading the file). */
export function parseConfig(text: string, options: ParseOptions): LoadedConfig {
  const document = options.file.toLowerCase().endsWith('.json') ? parseJson(text, options.file) : parseYaml(text, options.file);
  return buildLoaded(document ?? {}, {
    file: options.file,
    env: options.env ?? process.env,
    modules: options.modules ?? sourceModules,
    dataDir: options.dataDir,
    homedir: options.homedir ?? os.homedir(),
    defaultFile: options.defaultFile ?? options.file,
  });
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** True when `text` is valid JSON or a valid JSON document cut short. */
function isJsonPrefix(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    return message.includes('Unexpected end of JSON input') || (position !== null && Number(position[1]) >= text.length);
  }
}

function describeCharacter(character: string): string {
  switch (character) {
    case ' ': return 'space';
    case '\t': return 'tab';
    case '\n':
    case '\r': return 'line break';
    default: return JSON.stringify(character);
  }
}

function parseJson(text: string, file: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(body);
  } catch {
    // V8's messages differ by error and quote the file's text (which may hold a token), so the
    // position is found independently: the longest prefix that is still valid-but-unfinished
    // JSON ends right where the error is.
    let low = 0;
    let high = body.length;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (isJsonPrefix(body.slice(0, middle))) low = middle;
      else high = middle - 1;
    }
    const problem = low >= body.length ? 'the JSON ends early (an unclosed { [ or ")' : `unexpected ${describeCharacter(body[low]!)}`;
    throw new ConfigError(file, [{ path: '', message: `JSON syntax error at ${lineAndColumn(body, low)}: ${problem} — fix the file there` }]);
  }
}

function parseYaml(text: string, file: string): unknown {
  const document = YAML.parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => {
        const position = error.linePos?.[0];
        // The message's first line is the problem; the rest quotes the file, which may hold a token.
        const problem = error.message.split(' at line ')[0]!.split('\n')[0]!;
        const where = position ? `line ${position.line}, column ${position.col}` : 'an unknown position';
        return { path: '', message: `YAML syntax error at ${where}: ${problem} — fix the file there` };
      }),
    );
  }
  try {
    return document.toJS();
  } catch (error) {
    // e.g. too many aliases: the yaml package refuses "billion laughs" expansions.
    throw new ConfigError(file, [{ path: '', message: `YAML cannot be read: ${(error as Error).message} — simplify the anchors and aliases` }]);
  }
}

interface BuildOptions {
  file: string | null;
  env: Env;
  modules: readonly SourceModule<any>[];
  dataDir: string;
  homedir: string;
  defaultFile: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function resolveStoragePath(written: string | undefined, options: BuildOptions): string {
  if (written === undefined) return path.join(options.dataDir, DATABASE_FILE_NAME);
  if (written === '~' || written.startsWith('~/')) return path.join(options.homedir, written.slice(1));
  const base = options.file === null ? process.cwd() : path.dirname(options.file);
  return path.resolve(base, written);
}

function buildLoaded(document: unknown, options: BuildOptions): LoadedConfig {
  const { file, modules } = options;
  if (!isPlainObject(document)) {
    const kind = Array.isArray(document) ? 'a list' : `a single value (${typeof document})`;
    throw new ConfigError(file, [{ path: '', message: `the file holds ${kind} — it must be a mapping of sections such as "server:", "storage:", "log:" and one per source` }]);
  }

  const interpolationIssues: ConfigIssue[] = [];
  const expanded = expandEnvironment(document, options.env, interpolationIssues) as Record<string, unknown>;
  if (interpolationIssues.length > 0) throw new ConfigError(file, interpolationIssues);
  // A section written with nothing under it ("github:") is present, with its defaults.
  // A list section (http) written empty is an empty list, which its schema explains.
  const listSections = new Set(modules.filter((module) => schemaDef(unwrapSchema(module.configSchema))?.type === 'array').map((module) => module.id));
  for (const section of [...CORE_SECTIONS, ...modules.map((module) => module.id)]) {
    if (Object.hasOwn(expanded, section) && expanded[section] === null) expanded[section] = listSections.has(section) || section === 'remoteWrite' ? [] : {};
  }

  const schema = buildConfigSchema(modules);
  const translator = new ZodIssueTranslator(schema);
  const result = schema.safeParse(expanded, { error: translator.errorMap });
  const issues: ConfigIssue[] = result.success ? [] : translator.translate(result.error.issues);
  issues.push(...findDroppedKeys(schema, expanded));

  const levelOverride = options.env.FOOTPRINT_LOG_LEVEL;
  if (levelOverride !== undefined && levelOverride !== '' && !isLogLevel(levelOverride)) {
    issues.push({ path: 'log.level', message: `FOOTPRINT_LOG_LEVEL is "${levelOverride}", which is not a log level — set it to one of ${LOG_LEVELS.join(', ')}` });
  }
  if (issues.length > 0 || !result.success) {
    throw new ConfigError(file, dedupeIssues(issues));
  }

  const parsed = result.data as Record<string, unknown> & {
    server: { listen: ListenAddress; authToken?: string; metricsAuth: boolean; allowedHosts: string[]; public: string[] };
    storage: { path?: string; retention?: number };
    log: { level: LogLevel };
    backfill: { enabled: boolean; budgetShare: number; replanInterval: number };
    remoteWrite: Parameters<typeof remoteWriteTargets>[0];
  };
  const sources: Record<string, unknown> = {};
  const secrets = new Set<string>();
  if (parsed.server.authToken) secrets.add(parsed.server.authToken);
  const remoteWrite = remoteWriteTargets(parsed.remoteWrite);
  for (const target of remoteWrite) for (const secret of target.secrets) secrets.add(secret);
  const exposure = listenExposureProblem(parsed.server.listen, parsed.server.authToken ?? null, 'server.listen');
  if (exposure) throw new ConfigError(file, [{ path: 'server.authToken', message: exposure }]);
  const prepareIssues: ConfigIssue[] = [];
  const context = { configDir: file === null ? process.cwd() : path.dirname(file), homedir: options.homedir };
  for (const module of modules) {
    if (parsed[module.id] === undefined) continue;
    let sourceConfig = parsed[module.id];
    if (module.prepare) {
      try {
        sourceConfig = module.prepare(sourceConfig, context);
      } catch (error) {
        if (!(error instanceof SourceConfigError)) throw error;
        prepareIssues.push({ path: `${module.id}.${error.key}`, message: redactSecrets(error.message) });
        continue;
      }
    }
    sources[module.id] = sourceConfig;
    for (const secret of module.secrets(sourceConfig)) if (typeof secret === 'string' && secret !== '') secrets.add(secret);
  }
  registerSecrets(secrets);
  prepareIssues.push(...catalogueClashes(modules, sources));
  if (prepareIssues.length > 0) throw new ConfigError(file, prepareIssues);

  return {
    config: {
      server: { listen: parsed.server.listen, authToken: parsed.server.authToken ?? null, metricsAuth: parsed.server.metricsAuth, allowedHosts: parsed.server.allowedHosts, public: parsed.server.public },
      storage: { path: resolveStoragePath(parsed.storage.path, options), retentionMs: parsed.storage.retention ?? null },
      log: { level: levelOverride !== undefined && isLogLevel(levelOverride) ? levelOverride : parsed.log.level },
      backfill: { enabled: parsed.backfill.enabled, budgetShare: parsed.backfill.budgetShare, replanIntervalMs: parsed.backfill.replanInterval },
      remoteWrite,
      sources,
    },
    file,
    defaultFile: options.defaultFile,
    secrets: [...secrets],
    modules,
  };
}


/** Metrics a configuration defines (SourceModule.catalogue) under a name another source's catalogue has. */
function catalogueClashes(modules: readonly SourceModule<any>[], sources: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const module of modules) {
    if (!module.catalogue || sources[module.id] === undefined) continue;
    for (const { key, def } of module.catalogue(sources[module.id])) {
      const owner = modules.find((other) => other !== module && metricCatalogue(other, sources[other.id]).some((theirs) => theirs.name === def.name));
      if (owner === undefined) continue;
      issues.push({ path: sectionKeyPath(module.id, key), message: `${def.name} is a metric of Footprint's ${owner.title} source — name yours differently, e.g. "${module.id}_${def.name}"` });
    }
  }
  return issues;
}

/**
 * A parsed value shown as a user would write it: durations (text parsed to milliseconds) back to
 * "10m" style, Maps/Sets/Dates as plain YAML-friendly values.
 */
function displayValue(schema: unknown, value: unknown): unknown {
  const inner = unwrapSchema(schema);
  const def = schemaDef(inner);
  switch (def?.type) {
    case 'pipe':
      // durationSchema is text in, milliseconds out: show the text form.
      if (typeof value === 'number' && isTextToNumberPipe(inner)) return formatDuration(value);
      return displayValue(def.in, value);
    case 'object':
      if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, displayValue(def.shape?.[key], item)]));
      break;
    case 'array':
      if (Array.isArray(value)) return value.map((item) => displayValue(def.element, item));
      break;
    case 'record':
      if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, displayValue(def.valueType, item)]));
      break;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [String(key), displayValue(undefined, item)]));
  if (value instanceof Set) return [...value].map((item) => displayValue(undefined, item));
  if (Array.isArray(value)) return value.map((item) => displayValue(undefined, item));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, displayValue(undefined, item)]));
  return value;
}

/** Replaces this config's secrets anywhere inside strings, longest first. */
function maskKnownSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return [...secrets].sort((a, b) => b.length - a.length).reduce((text, secret) => text.split(secret).join(MASK), value);
  if (Array.isArray(value)) return value.map((item) => maskKnownSecrets(item, secrets));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskKnownSecrets(item, secrets)]));
  return value;
}

/** The effective configuration as plain data, defaults filled in, durations as text, secrets as ***. */
export function maskConfig(loaded: LoadedConfig): Record<string, unknown> {
  const { config } = loaded;
  const effective: Record<string, unknown> = {
    server: {
      listen: config.server.listen.text,
      ...(config.server.authToken ? { authToken: MASK } : {}),
      metricsAuth: config.server.metricsAuth,
      ...(config.server.allowedHosts.length > 0 ? { allowedHosts: config.server.allowedHosts } : {}),
      ...(config.server.public.length > 0 ? { public: config.server.public } : {}),
    },
    storage: { path: config.storage.path, retention: config.storage.retentionMs === null ? null : formatDuration(config.storage.retentionMs) },
    log: { level: config.log.level },
  };
  // Shown once it differs from the defaults (like allowedHosts), so a file without it prints as before.
  const backfill = { enabled: config.backfill.enabled, budgetShare: config.backfill.budgetShare, replanInterval: formatDuration(config.backfill.replanIntervalMs) };
  if (JSON.stringify(backfill) !== JSON.stringify(BACKFILL_DEFAULTS)) effective.backfill = backfill;
  if (config.remoteWrite.length > 0) {
    effective.remoteWrite = config.remoteWrite.map((target) => ({
      name: target.name,
      url: target.url,
      ...target.maskedAuth,
      interval: formatDuration(target.intervalMs),
      timeout: formatDuration(target.timeoutMs),
      maxBacklog: formatDuration(target.maxBacklogMs),
      maxSamplesPerSend: target.maxSamplesPerSend,
      labels: target.labels,
    }));
  }
  for (const module of loaded.modules) {
    if (module.id in config.sources) effective[module.id] = displayValue(module.configSchema, config.sources[module.id]);
  }
  return redactDeep(maskKnownSecrets(effective, loaded.secrets)) as Record<string, unknown>;
}

/** The effective configuration as commented YAML, for `footprint check-config` (which says which file it came from). */
export function formatEffectiveConfig(loaded: LoadedConfig): string {
  const document = new YAML.Document(maskConfig(loaded));
  document.commentBefore = ` Effective configuration (defaults filled in); secrets are shown as ${MASK}.`;
  const retention = document.getIn(['storage', 'retention'], true);
  if (YAML.isScalar(retention) && retention.value === null) retention.comment = ' keep everything';
  return document.toString({ lineWidth: 0 });
}
