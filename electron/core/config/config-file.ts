// Editing the configuration file from the UI: a source's section as written (with `${VAR}` references
// kept and literal secrets masked), and saving one section back — validated first, comments elsewhere kept,
// written atomically, the previous file kept as FILE.bak so nothing the user wrote is lost.
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { SECRET_UNCHANGED, type SaveResult, type SourceSettings } from '../../../shared/api.js';
import { isSecretKey } from '../secrets.js';
import type { SourceModule } from '../source.js';
import { ConfigError, parseConfig, type LoadedConfig } from './config.js';

type Env = Readonly<Record<string, string | undefined>>;

const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/;

export interface ConfigFileContext {
  readonly loaded: LoadedConfig;
  readonly env: Env;
  readonly dataDir: string;
  readonly homedir?: string;
}

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
export function maskLiteralSecrets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => maskLiteralSecrets(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, maskLiteralSecrets(item, name)]));
  }
  if (isSecretKey(key) && typeof value === 'string' && value !== '' && !ENV_REFERENCE.test(value)) return SECRET_UNCHANGED;
  return value;
}

/** Puts back the stored value wherever the UI sent SECRET_UNCHANGED; reports where there is none to keep. */
function restoreSecrets(edited: unknown, stored: unknown, at: string, issues: { path: string; message: string }[]): unknown {
  if (edited === SECRET_UNCHANGED) {
    if (typeof stored === 'string' && stored !== '') return stored;
    issues.push({ path: at, message: 'no stored value to keep — enter the secret, or a reference such as ${GITHUB_TOKEN}' });
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
export function readSourceSettings(loaded: LoadedConfig, modules: readonly SourceModule<any>[]): Record<string, SourceSettings> {
  const file = editableFile(loaded);
  if (!existsSync(file)) return {};
  const document = readDocument(file).toJS() as Record<string, unknown> | null;
  const sections: Record<string, SourceSettings> = {};
  for (const module of modules) {
    const section = document?.[module.id];
    if (section === undefined) continue;
    sections[module.id] = (maskLiteralSecrets(section ?? {}) ?? {}) as SourceSettings;
  }
  return sections;
}

/**
 * The settings with SECRET_UNCHANGED replaced by what the file holds, and the whole file's text after the edit;
 * or the issues that stop it.
 */
export function applySourceSettings(context: ConfigFileContext, sourceId: string, settings: SourceSettings | null):
  { ok: true; text: string; file: string } | { ok: false; issues: { path: string; message: string }[] } {
  const file = editableFile(context.loaded);
  const problem = configEditProblem(context.loaded);
  if (problem) return { ok: false, issues: [{ path: '', message: problem }] };
  const document = readDocument(file);
  if (document.errors.length > 0) return { ok: false, issues: [{ path: '', message: `${file} has a YAML error (${document.errors[0]!.message.split('\n')[0]}) — fix the file first` }] };
  if (settings === null) {
    document.delete(sourceId);
  } else {
    if (typeof settings !== 'object' || Array.isArray(settings)) return { ok: false, issues: [{ path: sourceId, message: 'settings must be a mapping of keys to values' }] };
    const issues: { path: string; message: string }[] = [];
    const stored = (document.toJS() as Record<string, unknown> | null)?.[sourceId];
    const restored = restoreSecrets(settings, stored, sourceId, issues);
    if (issues.length > 0) return { ok: false, issues };
    document.set(sourceId, document.createNode(restored));
  }
  return { ok: true, text: document.toString(), file };
}

/** Validates the edited file as start-up would, then writes it; returns the new configuration to apply. */
export function saveSourceSettings(context: ConfigFileContext, sourceId: string, settings: SourceSettings | null): SaveResult & { loaded?: LoadedConfig } {
  const edit = applySourceSettings(context, sourceId, settings);
  if (!edit.ok) return edit;
  let loaded: LoadedConfig;
  try {
    loaded = parseConfig(edit.text, {
      file: edit.file,
      env: context.env,
      modules: context.loaded.modules,
      dataDir: context.dataDir,
      homedir: context.homedir ?? os.homedir(),
      defaultFile: context.loaded.defaultFile,
    });
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, issues: error.issues };
    throw error;
  }
  mkdirSync(path.dirname(edit.file), { recursive: true });
  if (existsSync(edit.file)) copyFileSync(edit.file, `${edit.file}.bak`);
  const temporary = `${edit.file}.${process.pid}.tmp`;
  writeFileSync(temporary, edit.text, { mode: 0o600 });
  renameSync(temporary, edit.file);
  return { ok: true, loaded };
}
