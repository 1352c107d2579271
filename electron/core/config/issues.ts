// Config problems in plain words: each names the key, what is wrong, and how to fix it.
// Zod's own messages ("Invalid input: expected array, received string") are replaced here; a
// message a schema wrote itself (a custom `error`, a refinement's text) is kept as written.
import YAML from 'yaml';
import type { z } from 'zod';
import { formatDuration } from '../../../shared/duration.js';
import { redactSecrets } from '../secrets.js';

export interface ConfigIssue {
  /** Dotted key, e.g. "github.orgs[0]"; empty for the file as a whole. */
  readonly path: string;
  /** "<problem> — <fix>". */
  readonly message: string;
}

/** A configuration that cannot be used. The CLI prints `message` and exits with code 2. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  /** The file the problems are in, or null when they come from flags, defaults or the environment. */
  readonly file: string | null;

  constructor(file: string | null, issues: readonly ConfigIssue[]) {
    const masked = issues.map((issue) => ({ path: issue.path, message: redactSecrets(issue.message) }));
    // Problems outside any file (a --listen flag, FOOTPRINT_LOG_LEVEL) start with the key alone.
    const prefix = (issue: ConfigIssue) => [file, issue.path].filter((part) => part !== null && part !== '').map((part) => `${part}: `).join('');
    super(masked.map((issue) => `${prefix(issue)}${issue.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = masked;
    this.file = file;
  }
}

/** A key of a section as a config path: "github.apiUrl", or "http[0].url" in a list section. */
export function sectionKeyPath(sectionId: string, key: string): string {
  return key.startsWith('[') ? `${sectionId}${key}` : `${sectionId}.${key}`;
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');
}

/** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate a typo most likely meant, or null when none is close (about one edit per three letters). */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function unknownKeyMessage(key: string, knownKeys: readonly string[]): string {
  const suggestion = didYouMean(key, knownKeys);
  if (suggestion !== null) return `unknown key — did you mean "${suggestion}"?`;
  if (knownKeys.length === 0) return 'unknown key — nothing can be set here; remove it';
  return `unknown key — remove it or use one of: ${knownKeys.join(', ')}`;
}

// Zod's internal schema definitions, read to find allowed keys, element types and examples.
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

export function schemaDef(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The keys an object schema allows. */
export function objectKeys(schema: unknown): string[] {
  return Object.keys(schemaDef(schema)?.shape ?? {});
}

/** A value written as it would appear in YAML. */
function asYaml(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return YAML.stringify(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim();
}

/** The schema's first example (`.meta({ examples: [...] })`). */
function ownExample(schema: unknown): string | null {
  const meta = (schema as { meta?: () => Record<string, unknown> | undefined } | undefined)?.meta?.();
  const examples = meta?.examples;
  return Array.isArray(examples) && examples.length > 0 ? asYaml(examples[0]) : null;
}

/** True for durationSchema's shape: text in, a number out (no other config field converts text to a number). */
export function isTextToNumberPipe(schema: unknown): boolean {
  const def = schemaDef(schema);
  return def?.type === 'pipe' && schemaDef(def.in)?.type === 'string';
}

/**
 * A default as the user would write it: a `.prefault(value)` is already in that form; a
 * `.default(ms)` on a duration is turned back into text like "10m".
 */
function defaultExample(chain: readonly unknown[]): string | null {
  for (const schema of chain) {
    const def = schemaDef(schema) as { type?: string; defaultValue?: unknown } | undefined;
    if (def?.type !== 'prefault' && def?.type !== 'default') continue;
    const value = def.defaultValue;
    if (def.type === 'default') {
      if (typeof value === 'number' && chain.some(isTextToNumberPipe)) return asYaml(formatDuration(value));
      continue;
    }
    const isEmpty = value === undefined || value === null || value === '' || (typeof value === 'object' && Object.keys(value).length === 0);
    if (!isEmpty) return asYaml(value);
  }
  return null;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']);

/** The schema inside its modifier wrappers (optional, default, readonly, lazy…); pipes are left to the caller. */
export function unwrapSchema(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = schemaDef(current);
    if (def === undefined) return current;
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'lazy') current = def.getter?.();
    else return current;
  }
  return current;
}

/** The schema and the wrappers around it (optional, default, pipe…), outermost first. */
function wrapperChain(schema: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = schema;
  while (current !== undefined && chain.length < 32) {
    chain.push(current);
    const def = schemaDef(current);
    if (def === undefined) break;
    current = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : def.type === 'lazy' ? def.getter?.() : undefined;
  }
  return chain;
}

/** The schemas that describe the value at `path` (empty when the path crosses a union or an unknown key). */
function schemasAt(root: unknown, path: readonly PropertyKey[]): unknown[] {
  let chain = wrapperChain(root);
  for (const key of path) {
    const container = chain.at(-1);
    const def = schemaDef(container);
    let next: unknown;
    if (def?.type === 'object' && typeof key === 'string') next = def.shape?.[key] ?? def.catchall;
    else if (def?.type === 'array') next = def.element;
    else if (def?.type === 'record') next = def.valueType;
    if (next === undefined) return [];
    chain = wrapperChain(next);
  }
  return chain;
}

function nounFor(expected: string, schema: unknown): string {
  switch (expected) {
    case 'string': return 'text';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return 'true or false';
    case 'array': return schemaDef(schemaDef(schema)?.element)?.type === 'string' ? 'a list of names' : 'a list';
    case 'object':
    case 'record':
    case 'map': return 'a section of "key: value" lines';
    case 'date': return 'a date';
    default: return expected;
  }
}

function expectedPhrase(expected: string, schema: unknown, example: string | null): string {
  return example === null ? nounFor(expected, schema) : `${nounFor(expected, schema)} like ${example}`;
}

function describeInput(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  switch (typeof input) {
    case 'string': return 'a string';
    case 'number': return `the number ${input}`;
    case 'boolean': return String(input);
    case 'object': return input instanceof Date ? 'a date' : 'a section of keys';
    default: return typeof input;
  }
}

function fixForType(expected: string, input: unknown, example: string | null): string {
  if (input === null) return 'give it a value, or remove the key to use the default';
  switch (expected) {
    case 'array': return `write a list, e.g. ${example ?? '[a, b]'}, or one "- item" line per entry`;
    case 'string': return example === null ? 'put the value in quotes' : `put the value in quotes, e.g. ${example}`;
    case 'number': return 'write a plain number, without quotes';
    case 'int': return 'write a whole number, without quotes';
    case 'boolean': return 'write true or false, without quotes';
    case 'object':
    case 'record':
    case 'map': return 'write indented "key: value" lines under it';
    default: return 'check the value';
  }
}

function quoted(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function sizeProblem(issue: { origin: string; inclusive?: boolean | undefined; exact?: boolean | undefined }, bound: number | bigint, direction: 'small' | 'big'): string {
  const atLeast = direction === 'small';
  const relation = issue.exact ? 'exactly' : issue.inclusive === false ? (atLeast ? 'more than' : 'less than') : atLeast ? 'at least' : 'at most';
  switch (issue.origin) {
    case 'string':
      if (atLeast && Number(bound) === 1 && !issue.exact) return 'must not be empty — give it a value, or remove the key';
      return `must be ${relation} ${bound} characters long — ${atLeast ? 'lengthen' : 'shorten'} it`;
    case 'array':
    case 'set':
      if (atLeast && Number(bound) === 1 && !issue.exact) return 'must list at least one entry — add one, e.g. [name]';
      return `must list ${relation} ${bound} entries — ${atLeast ? 'add' : 'remove'} some`;
    default:
      return `must be ${relation} ${bound} — change the number`;
  }
}

function formatProblem(issue: z.core.$ZodIssueInvalidStringFormat): string {
  const detail = issue as unknown as Record<string, unknown>;
  switch (issue.format) {
    case 'regex': return `does not have the expected form (${issue.pattern ?? 'pattern'}) — check the spelling`;
    case 'starts_with': return `must start with "${String(detail.prefix)}" — fix the value`;
    case 'ends_with': return `must end with "${String(detail.suffix)}" — fix the value`;
    case 'includes': return `must contain "${String(detail.includes)}" — fix the value`;
    case 'url': return 'is not a valid URL — write a full address like https://example.com';
    case 'email': return 'is not a valid email address — write it like name@example.com';
    default: return `is not a valid ${issue.format} — fix the value`;
  }
}

// A private-use character that no schema's own message starts with: marks "use the raw issue".
const MARKER = /^\uE000zod:(\d+)$/;

/**
 * Collects Zod's raw issues during a parse (they carry the failing schema and input, which the
 * final issues drop) and turns the final issues into ConfigIssues. Pass `errorMap` as the parse's
 * `error` option: schema-level messages outrank it, so custom texts survive.
 */
export class ZodIssueTranslator {
  private readonly raw: z.core.$ZodRawIssue[] = [];
  private readonly root: unknown;

  /** `root` is the schema being parsed: examples are looked up along each issue's path. */
  constructor(root: unknown) {
    this.root = root;
  }

  readonly errorMap = (issue: z.core.$ZodRawIssue): string => {
    this.raw.push(issue);
    return `\uE000zod:${this.raw.length - 1}`;
  };

  translate(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ConfigIssue[] {
    return issues.flatMap((issue) => this.translateOne(issue, prefix));
  }

  private rawFor(issue: z.core.$ZodIssue): z.core.$ZodRawIssue | undefined {
    const match = MARKER.exec(issue.message);
    return match ? this.raw[Number(match[1])] : undefined;
  }

  /** The example for the value at `path`: the failing schema's own, else one on a wrapper, else its default. */
  private exampleFor(path: readonly PropertyKey[], schema: unknown): string | null {
    const candidates = [schema, ...schemasAt(this.root, path)];
    for (const candidate of candidates) {
      const example = ownExample(candidate);
      if (example !== null) return example;
    }
    return defaultExample(candidates);
  }

  private translateOne(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): ConfigIssue[] {
    const path = [...prefix, ...issue.path];
    const at = (message: string): ConfigIssue[] => [{ path: dottedPath(path), message }];
    const raw = this.rawFor(issue);
    if (raw === undefined) return at(issue.message);
    const schema = raw?.inst;
    const input = raw?.input;

    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = objectKeys(schema);
        return issue.keys.map((key) => ({ path: dottedPath([...path, key]), message: unknownKeyMessage(key, known) }));
      }
      case 'invalid_type': {
        const example = this.exampleFor(path, schema);
        if (input === undefined) {
          const key = path.at(-1);
          const what = expectedPhrase(issue.expected, schema, example);
          return at(typeof key === 'string' ? `missing required value — add "${key}:" with ${what}` : `missing required value — give ${what}`);
        }
        return at(`expected ${expectedPhrase(issue.expected, schema, example)}, got ${describeInput(input)} — ${fixForType(issue.expected, input, example)}`);
      }
      case 'invalid_value': {
        const allowed = issue.values.map(quoted);
        if (allowed.length === 1) return at(`expected ${allowed[0]}, got ${quoted(input)} — write ${allowed[0]}`);
        const suggestion = typeof input === 'string' ? didYouMean(input, issue.values.filter((value): value is string => typeof value === 'string')) : null;
        const fix = suggestion === null ? 'use one of those' : `did you mean "${suggestion}"?`;
        return at(`expected one of ${allowed.join(', ')}, got ${quoted(input)} — ${fix}`);
      }
      case 'too_small':
        return at(sizeProblem(issue, issue.minimum, 'small'));
      case 'too_big':
        return at(sizeProblem(issue, issue.maximum, 'big'));
      case 'invalid_format':
        return at(formatProblem(issue));
      case 'not_multiple_of':
        return at(`must be a multiple of ${issue.divisor} — change the number`);
      case 'invalid_union':
        return this.translateUnion(issue, path, input);
      case 'invalid_key':
        return issue.issues.flatMap((inner) => this.translateOne(inner, path).map((translated) => ({ path: translated.path, message: `key is not allowed: ${translated.message}` })));
      case 'invalid_element':
        return this.translate(issue.issues, [...path, String(issue.key)]);
      default:
        return at('is not valid — check the value');
    }
  }

  private translateUnion(issue: z.core.$ZodIssueInvalidUnion, path: PropertyKey[], input: unknown): ConfigIssue[] {
    const at = (message: string): ConfigIssue[] => [{ path: dottedPath(path), message }];
    const detail = issue as { discriminator?: string; options?: unknown[] };
    if (detail.discriminator !== undefined) {
      const options = (detail.options ?? []).map(quoted).join(', ');
      return [{ path: dottedPath([...path, detail.discriminator]), message: `expected one of ${options} — set "${detail.discriminator}:" to one of those` }];
    }
    const branches = issue.errors;
    if (branches.length === 0) return at('matches more than one accepted form — make it unambiguous');
    const typeMismatchOnly = (branch: readonly z.core.$ZodIssue[]) => branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
    if (branches.every(typeMismatchOnly)) {
      const forms = branches.map((branch) => {
        const only = branch[0] as z.core.$ZodIssueInvalidType;
        const schema = this.rawFor(only)?.inst;
        return expectedPhrase(only.expected, schema, ownExample(schema));
      });
      if (input === undefined) return at(`missing required value — give ${forms.join(' or ')}`);
      return at(`expected ${forms.join(' or ')}, got ${describeInput(input)} — write one of those forms`);
    }
    // The value had the right shape for some form but wrong contents: report that form's problems.
    const closest = branches.filter((branch) => !typeMismatchOnly(branch)).sort((a, b) => a.length - b.length)[0]!;
    return this.translate(closest, path);
  }
}

/** The issues with repeats (same key, same message) left out, first occurrence kept. */
export function dedupeIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
