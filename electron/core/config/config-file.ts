// Editing the configuration file from the UI: a source's section as written (with `${VAR}` references
// kept and literal secrets masked), and saving one section back — validated first, comments elsewhere kept,
// written atomically, the previous file kept as FILE.bak so nothing the user wrote is lost.
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { SECRET_UNCHANGED, type SaveResult, type SectionSettings } from '../../../shared/api.js';
import { isSecretField } from '../secrets.js';
import type { SourceModule } from '../source.js';
import { ConfigError, parseConfig, type LoadedConfig } from './config.js';
import { provenanceIssues, referenceIssues, type TypedReferences } from './edit-provenance.js';
import type { ConfigIssue } from './issues.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What a section sent through the API must be; its own schema then says which of the two. */
export const SETTINGS_SHAPE = 'settings must be a mapping of keys to values (a list of entries for http)';

const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/;

export interface ConfigFileContext {
  readonly loaded: LoadedConfig;
  readonly env: Env;
  readonly dataDir: string;
  readonly homedir?: string;
}

export type { TypedReferences } from './edit-provenance.js';

/** The file settings are saved to: the one in use, or the per-user default when there is none yet. */
export function editableFile(loaded: LoadedConfig): string {
  return loaded.file ?? loaded.defaultFile;
}

/** Whether saving can work: JSON files are not rewritten (YAML keeps comments), and the place must be writable. */
export function configEditProblem(loaded: LoadedConfig): string | null {
  const file = editableFile(loaded);
  if (file.toLowerCase().endsWith('.json')) return `${file} is JSON; Footprint edits YAML configuration files only — convert it to YAML to edit settings here`;
  let probe = existsSync(file) ? file : path.dirname(file);
  while (!existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  try {
    accessSync(probe, constants.W_OK);
    return null;
  } catch {
    return `${existsSync(file) ? file : probe} is not writable by this user — change its permissions or start Footprint with --config pointing at a writable file`;
  }
}

function readDocument(file: string): YAML.Document {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return YAML.parseDocument(text);
}

/** Replaces literal secrets with SECRET_UNCHANGED; `${VAR}` references are not secrets and stay visible. */
export function maskLiteralSecrets(value: unknown, key = '', parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => maskLiteralSecrets(item, key, parentKey));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, maskLiteralSecrets(item, name, key)]));
  }
  if (isSecretField(key, parentKey) && typeof value === 'string' && value !== '' && !ENV_REFERENCE.test(value)) return SECRET_UNCHANGED;
  return value;
}

/** Puts back the stored value wherever the UI sent SECRET_UNCHANGED; reports where there is none to keep. */
function restoreSecrets(edited: unknown, stored: unknown, at: string, issues: { path: string; message: string }[]): unknown {
  if (edited === SECRET_UNCHANGED) {
    if (typeof stored === 'string' && stored !== '') return stored;
    issues.push({ path: at, message: 'no stored value to keep — type the secret' });
    return edited;
  }
  if (Array.isArray(edited)) return edited.map((item, index) => restoreSecrets(item, Array.isArray(stored) ? stored[index] : undefined, `${at}[${index}]`, issues));
  if (edited !== null && typeof edited === 'object') {
    const storedObject = stored !== null && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(edited).map(([name, item]) => [name, restoreSecrets(item, storedObject[name], `${at}.${name}`, issues)]));
  }
  return edited;
}

/** Every source section of the file as written, secrets masked. */
export function readSourceSettings(loaded: LoadedConfig, modules: readonly SourceModule<any>[]): Record<string, SectionSettings> {
  const file = editableFile(loaded);
  if (!existsSync(file)) return {};
  const document = readDocument(file).toJS() as Record<string, unknown> | null;
  const sections: Record<string, SectionSettings> = {};
  for (const module of modules) {
    const section = document?.[module.id];
    if (section === undefined) continue;
    sections[module.id] = (maskLiteralSecrets(section ?? {}) ?? {}) as SectionSettings;
  }
  return sections;
}

/** An edit of one section made into the whole file's text, checked by the rules of edit-provenance.ts and parsed as start-up would. */
export type SourceEdit =
  | { readonly ok: true; readonly text: string; readonly file: string; readonly loaded: LoadedConfig }
  | { readonly ok: false; readonly issues: ConfigIssue[] };

/**
 * The file's text after replacing one section (SECRET_UNCHANGED replaced by what the file holds), or
 * the issues that stop it. `typed`: fields the desktop app's vault filled with a reference for a value
 * typed this time.
 */
function applySourceSettings(context: ConfigFileContext, sourceId: string, settings: SectionSettings | null, typed: TypedReferences):
  { ok: true; text: string; file: string; stored: unknown } | { ok: false; issues: ConfigIssue[] } {
  const file = editableFile(context.loaded);
  const problem = configEditProblem(context.loaded);
  if (problem) return { ok: false, issues: [{ path: '', message: problem }] };
  const document = readDocument(file);
  if (document.errors.length > 0) return { ok: false, issues: [{ path: '', message: `${file} has a YAML error (${document.errors[0]!.message.split('\n')[0]}) — fix the file first` }] };
  const stored = (document.toJS() as Record<string, unknown> | null)?.[sourceId];
  if (settings === null) {
    document.delete(sourceId);
  } else {
    if (typeof settings !== 'object') return { ok: false, issues: [{ path: sourceId, message: SETTINGS_SHAPE }] };
    // References are checked before anything is expanded, so a refused one never reaches a message.
    const issues = referenceIssues(sourceId, settings, stored, typed, file);
    if (issues.length > 0) return { ok: false, issues };
    const restored = restoreSecrets(settings, stored, sourceId, issues);
    if (issues.length > 0) return { ok: false, issues };
    document.set(sourceId, document.createNode(restored));
  }
  return { ok: true, text: document.toString(), file, stored };
}

/** The secrets of a configuration, split into the section `sourceId`'s and every other setting's. */
function secretOwners(loaded: LoadedConfig, sourceId: string): { own: string[]; others: string[] } {
  const own: string[] = [];
  const others: string[] = [];
  if (loaded.config.server.authToken) others.push(loaded.config.server.authToken);
  // remoteWrite's credentials (and the Basic header made from them) belong to their receiver only.
  for (const target of loaded.config.remoteWrite) others.push(...target.secrets);
  for (const module of loaded.modules) {
    if (!(module.id in loaded.config.sources)) continue;
    for (const secret of module.secrets(loaded.config.sources[module.id])) if (typeof secret === 'string' && secret !== '') (module.id === sourceId ? own : others).push(secret);
  }
  return { own, others };
}

/**
 * One section edited through the API, as both "Test connection" and "Save" use it: references and
 * carried secrets checked (edit-provenance.ts), the whole file validated as start-up would. Writes nothing.
 */
export function editSourceSettings(context: ConfigFileContext, sourceId: string, settings: SectionSettings | null, typed: TypedReferences = new Map()): SourceEdit {
  const edit = applySourceSettings(context, sourceId, settings, typed);
  if (!edit.ok) return edit;
  const options = {
    file: edit.file,
    env: context.env,
    modules: context.loaded.modules,
    dataDir: context.dataDir,
    homedir: context.homedir ?? os.homedir(),
    defaultFile: context.loaded.defaultFile,
  };
  let loaded: LoadedConfig;
  try {
    loaded = parseConfig(edit.text, options);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, issues: error.issues };
    throw error;
  }
  const module = context.loaded.modules.find((candidate) => candidate.id === sourceId);
  if (module === undefined || settings === null) return { ok: true, text: edit.text, file: edit.file, loaded };
  // The section as saved, parsed on its own, so a problem elsewhere in the file does not hide where its secrets go.
  let storedLoaded: LoadedConfig | null = null;
  if (edit.stored !== undefined) {
    try {
      storedLoaded = parseConfig(YAML.stringify({ [sourceId]: edit.stored }), options);
    } catch {
      storedLoaded = null;
    }
  }
  // This section's secrets as saved and as in force; every other setting's as in force and as now in the file.
  const inForce = secretOwners(context.loaded, sourceId);
  const saved = storedLoaded ? secretOwners(storedLoaded, sourceId).own : [];
  const owners = { own: new Set([...inForce.own, ...saved]), others: new Set([...inForce.others, ...secretOwners(loaded, sourceId).others]) };
  const issues = provenanceIssues({
    module,
    edited: settings,
    typed,
    env: context.env,
    editedConfig: loaded.config.sources[sourceId],
    storedConfig: edit.stored === undefined ? undefined : storedLoaded === null ? null : storedLoaded.config.sources[sourceId],
    ownSecrets: owners.own,
    otherSecrets: owners.others,
    file: edit.file,
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, text: edit.text, file: edit.file, loaded };
}

/** Checks the edit (editSourceSettings), then writes it; returns the new configuration to apply. */
export function saveSourceSettings(context: ConfigFileContext, sourceId: string, settings: SectionSettings | null, typed: TypedReferences = new Map()): SaveResult & { loaded?: LoadedConfig } {
  const edit = editSourceSettings(context, sourceId, settings, typed);
  if (!edit.ok) return edit;
  // The file may hold secrets (and its backup the ones before): readable only by its owner.
  if (existsSync(edit.file)) {
    copyFileSync(edit.file, `${edit.file}.bak`);
    chmodSync(`${edit.file}.bak`, 0o600);
  }
  writePrivateFile(edit.file, edit.text);
  return { ok: true, loaded: edit.loaded };
}

/**
 * Writes a file readable only by its owner (0600), whole or not at all (a temporary file renamed over
 * it; a symbolic link of that name is replaced, not followed). `mode` applies only to a file being
 * created, so a left-over temporary file is set to 0600 as well.
 */
export function writePrivateFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** Where a key file uploaded through Settings is stored: beside the configuration file (the one a first save creates). */
export function keyFilePath(loaded: LoadedConfig, fileName: string): string {
  return path.join(path.dirname(loaded.file ?? loaded.defaultFile), fileName);
}
