// Where the values of a Settings edit come from, and what that allows. An edit arrives through the
// API (the dashboard, the desktop app, or anyone who can reach /api/*), so it must not be able to
// send what Footprint keeps to an address of the caller's choosing. Each value is either
//   typed   — written in the request itself, or a ${FOOTPRINT_SECRET_…} reference the desktop app
//             wrote for a value typed this time (TypedReferences), or
//   carried — SECRET_UNCHANGED (the value saved in the file) or a ${VAR} reference (the environment's value).
// The rules:
// 1. a ${VAR} reference is expanded only where the saved file already uses that variable for that field;
// 2. when an address the source sends credentials to changes, nothing carried is kept: the secret is typed again;
// 3. a secret the configuration keeps for one setting is never sent as another's, and a saved secret
//    that was not typed (a GA4 key file) never goes to a changed address.
// Loading the file at start is not subject to these rules: its author may reference any variable.
import { SECRET_UNCHANGED, type SectionSettings } from '../../../shared/api.js';
import { isSecretKey } from '../secrets.js';
import type { CredentialDestination, SourceModule } from '../source.js';
import { referencedVariables } from './interpolate.js';
import { dedupeIssues, dottedPath, sectionKeyPath, type ConfigIssue } from './issues.js';

type Env = Readonly<Record<string, string | undefined>>;
type Path = readonly (string | number)[];

/**
 * Fields whose value the user typed this time and the desktop app replaced by its own reference:
 * dotted path (e.g. "github.token") → the variable the app keeps the value under.
 */
export type TypedReferences = ReadonlyMap<string, string>;

/** A value the edit takes from the saved file or the environment rather than from the request. */
interface CarriedValue {
  readonly path: string;
  /** The key it is under, e.g. "token". */
  readonly key: string;
  readonly from: 'file' | 'environment';
  /** The variables a reference names (from 'environment'). */
  readonly names: readonly string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Calls `visit` for every string in `value`, with its path and the key it is under (an array's items share their list's key). */
function eachString(value: unknown, path: Path, key: string, visit: (text: string, path: Path, key: string) => void): void {
  if (typeof value === 'string') visit(value, path, key);
  else if (Array.isArray(value)) value.forEach((item, index) => eachString(item, [...path, index], key, visit));
  else if (isPlainObject(value)) for (const [name, item] of Object.entries(value)) eachString(item, [...path, name], name, visit);
}

/** The field a path is in, list positions left out: "github.orgs[2]" and "github.orgs[0]" are both the field "github.orgs". */
function fieldOf(path: Path): string {
  return path.filter((part) => typeof part === 'string').join('.');
}

function isTypedReference(text: string, path: Path, typed: TypedReferences): boolean {
  const name = typed.get(dottedPath(path));
  return name !== undefined && text === `\${${name}}`;
}

/** Rule 1: each ${VAR} of the edit must be one the saved section already uses for the same field. */
export function referenceIssues(sourceId: string, edited: SectionSettings, stored: unknown, typed: TypedReferences, file: string): ConfigIssue[] {
  const used = new Map<string, Set<string>>();
  eachString(stored, [sourceId], '', (text, path) => {
    const field = fieldOf(path);
    for (const name of referencedVariables(text)) used.set(field, (used.get(field) ?? new Set()).add(name));
  });
  const issues: ConfigIssue[] = [];
  eachString(edited, [sourceId], '', (text, path, key) => {
    if (isTypedReference(text, path, typed)) return;
    const field = fieldOf(path);
    const unknown = [...new Set(referencedVariables(text))].filter((name) => !used.get(field)?.has(name));
    if (unknown.length === 0) return;
    const references = unknown.map((name) => `\${${name}}`).join(', ');
    const typeIt = isSecretKey(key) ? `type the ${key} itself (Footprint keeps it, never shows it)` : 'type the value itself';
    issues.push({
      path: dottedPath(path),
      message: `${references} ${unknown.length === 1 ? 'is' : 'are'} not used for ${field} in ${file}: Settings expands only the environment variables the configuration file already uses for a field — ${typeIt}, or write the reference into the file by hand`,
    });
  });
  return issues;
}

/** The values the edit carries from the saved file (SECRET_UNCHANGED) or the environment (${VAR}). */
function carriedValues(sourceId: string, edited: SectionSettings, typed: TypedReferences): CarriedValue[] {
  const carried: CarriedValue[] = [];
  eachString(edited, [sourceId], '', (text, path, key) => {
    if (text === SECRET_UNCHANGED) {
      carried.push({ path: dottedPath(path), key, from: 'file', names: [] });
      return;
    }
    if (isTypedReference(text, path, typed)) return;
    const names = [...new Set(referencedVariables(text))];
    if (names.length > 0) carried.push({ path: dottedPath(path), key, from: 'environment', names });
  });
  return carried;
}

/** The secret values the request itself holds: literals under secret keys, and what the desktop app typed (trimmed, as the schemas keep them). */
function typedSecretValues(sourceId: string, edited: SectionSettings, typed: TypedReferences, env: Env): Set<string> {
  const values = new Set<string>();
  eachString(edited, [sourceId], '', (text, path, key) => {
    const typedName = isTypedReference(text, path, typed) ? typed.get(dottedPath(path)) : undefined;
    if (typedName !== undefined) {
      const value = env[typedName]?.trim();
      if (value) values.add(value);
    } else if (isSecretKey(key) && text !== SECRET_UNCHANGED && !text.includes('${') && text.trim() !== '') {
      values.add(text.trim());
    }
  });
  return values;
}

/** Where a config sends credentials: what the module declares, else its `apiUrl`. */
export function destinationsOf(module: SourceModule<any>, config: unknown): CredentialDestination[] {
  if (module.destinations) return module.destinations(config);
  const apiUrl = isPlainObject(config) ? config.apiUrl : undefined;
  return typeof apiUrl === 'string' ? [{ key: 'apiUrl', url: apiUrl }] : [];
}

/** The keys whose address differs from the saved one (all of them when nothing usable is saved). */
function changedDestinationKeys(module: SourceModule<any>, edited: unknown, stored: unknown | undefined): string[] {
  const before = stored === undefined ? [] : destinationsOf(module, stored);
  const changed = destinationsOf(module, edited).filter((after) => !before.some((saved) => saved.key === after.key && saved.url === after.url));
  return [...new Set(changed.map((destination) => destination.key))];
}

function changeText(sourceId: string, key: string, storedReadable: boolean): string {
  if (!storedReadable) return `The saved ${sourceId} settings cannot be read`;
  return key === 'apiUrl' ? 'The API address changed' : `${sectionKeyPath(sourceId, key)} changed`;
}

function carriedMessage(carried: CarriedValue, change: string, file: string): string {
  if (carried.from === 'environment') {
    const references = carried.names.map((name) => `\${${name}}`).join(', ');
    return `${change}: ${references} ${carried.names.length === 1 ? 'is' : 'are'} only sent to the address the configuration file uses with ${carried.names.length === 1 ? 'it' : 'them'} — type the value itself, or make this change in ${file} by hand`;
  }
  const what = isSecretKey(carried.key) ? carried.key : 'value';
  return `${change}: type the ${what} again — a saved ${what} is only sent to the address it was saved with`;
}

export interface ProvenanceCheck {
  readonly module: SourceModule<any>;
  /** The section as the request sent it (before SECRET_UNCHANGED was replaced). */
  readonly edited: SectionSettings;
  readonly typed: TypedReferences;
  readonly env: Env;
  /** The parsed section after the edit. */
  readonly editedConfig: unknown;
  /** The parsed section as saved; undefined when there is none, null when it cannot be read. */
  readonly storedConfig: unknown | null | undefined;
  /** Secrets the configuration keeps for this section (saved and in force). */
  readonly ownSecrets: ReadonlySet<string>;
  /** Secrets the configuration keeps for every other setting (server.authToken, other sources). */
  readonly otherSecrets: ReadonlySet<string>;
  /** The configuration file, for messages. */
  readonly file: string;
}

/** Rules 2 and 3, once the edited section has been parsed (and its key file read); empty when the edit may be used. */
export function provenanceIssues(check: ProvenanceCheck): ConfigIssue[] {
  const { module, edited, typed, env, file } = check;
  const sourceId = module.id;
  const storedReadable = check.storedConfig !== null;
  const changed = changedDestinationKeys(module, check.editedConfig, check.storedConfig ?? undefined);
  const hasStored = check.storedConfig !== undefined;
  if (changed.length > 0 && hasStored) {
    const change = changeText(sourceId, changed[0]!, storedReadable);
    const issues = carriedValues(sourceId, edited, typed).map((carried) => ({ path: carried.path, message: carriedMessage(carried, change, file) }));
    if (issues.length > 0) return issues;
  }
  const typedValues = typedSecretValues(sourceId, edited, typed, env);
  const issues: ConfigIssue[] = [];
  for (const secret of module.secrets(check.editedConfig)) {
    if (typeof secret !== 'string' || secret === '') continue;
    if (check.otherSecrets.has(secret) && !check.ownSecrets.has(secret)) {
      const key = module.secretKey?.(check.editedConfig, secret);
      issues.push({ path: secretPath(sourceId, edited, secret) ?? (key === undefined ? sourceId : sectionKeyPath(sourceId, key)), message: 'this is a secret Footprint keeps for another setting, and a secret is only sent to the API it belongs to — enter the credential made for this service' });
    } else if (changed.length > 0 && check.ownSecrets.has(secret) && !typedValues.has(secret)) {
      issues.push({
        path: sectionKeyPath(sourceId, changed[0]!),
        message: `${changeText(sourceId, changed[0]!, storedReadable)}, but the secret is still the saved one, and a saved secret is only sent to the address it was saved with — use a new credential (another key file), or make this change in ${file} by hand`,
      });
    }
  }
  return dedupeIssues(issues);
}

/** The field of the edit whose literal value is `secret`, if one is. */
function secretPath(sourceId: string, edited: SectionSettings, secret: string): string | null {
  let found: string | null = null;
  eachString(edited, [sourceId], '', (text, path, key) => {
    if (found === null && isSecretKey(key) && text.trim() === secret) found = dottedPath(path);
  });
  return found;
}

