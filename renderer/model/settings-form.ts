// Between a source's config section (SourceSettings) and the Settings form's values, both ways, and
// from the core's issues (paths like "github.orgs[1]") to the fields they belong to.
// Saving writes back only what the form changed: unknown keys, `${VAR}` references, numbers written
// as numbers and a stored secret (SECRET_UNCHANGED) come back as they were.
import { SECRET_UNCHANGED, type SectionSettings, type SourceSettings } from '../../shared/api.js';
import { entriesFromSettings, settingsFromEntries, type EntryDraft } from './entries-form.js';
import type { FieldSpec } from './settings-fields.js';

export type FieldValue =
  /** `draft`: text typed into the list's add-field but not added yet; it is saved with the list. */
  | { readonly kind: 'list'; readonly items: readonly string[]; readonly draft?: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'flags'; readonly flags: Readonly<Record<string, boolean>> }
  /** The whole section, a list of entries (http). */
  | { readonly kind: 'entries'; readonly entries: readonly EntryDraft[] };

export type FormValues = Readonly<Record<string, FieldValue>>;

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A field's value in the section; a dotted key ("app.appId") reads inside a mapping. */
function valueAt(settings: SourceSettings | null, key: string): unknown {
  let value: unknown = settings ?? undefined;
  for (const part of key.split('.')) value = isObject(value) ? value[part] : undefined;
  return value;
}

/** Sets (or, with undefined, deletes) a field's value; a mapping left empty by a delete goes too. */
function setValueAt(target: Record<string, unknown>, key: string, value: unknown): void {
  const [head, ...rest] = key.split('.') as [string, ...string[]];
  if (rest.length === 0) {
    if (value === undefined) delete target[head];
    else target[head] = value;
    return;
  }
  const inner = isObject(target[head]) ? { ...target[head] } : {};
  setValueAt(inner, rest.join('.'), value);
  if (Object.keys(inner).length > 0) target[head] = inner;
  else delete target[head];
}

/** The option a 'choice' field starts with: the first whose keys the section has, else the first. */
function chosenOption(field: FieldSpec, settings: SourceSettings | null): string {
  const choices = field.choices ?? [];
  return (choices.find((choice) => choice.keys.some((key) => settings?.[key] !== undefined)) ?? choices[0])?.value ?? '';
}

/** Whether a field is shown (and saved) with the form's current choices. */
export function isFieldShown(field: FieldSpec, values: FormValues): boolean {
  if (!field.showWhen) return true;
  const choice = values[field.showWhen.field];
  return choice?.kind === 'text' && choice.text === field.showWhen.value;
}

/** The section as a mapping; a list section (http) has none. */
function asMapping(settings: SectionSettings | null): SourceSettings | null {
  return settings === null || Array.isArray(settings) ? null : (settings as SourceSettings);
}

/** The form's 'entries' field, when the section is a list of entries (http). */
function entriesField(fields: readonly FieldSpec[]): FieldSpec | undefined {
  return fields.find((field) => field.kind === 'entries');
}

export function formFromSettings(fields: readonly FieldSpec[], section: SectionSettings | null): FormValues {
  const values: Record<string, FieldValue> = {};
  const settings = asMapping(section);
  for (const field of fields) {
    const written = valueAt(settings, field.key);
    if (field.kind === 'entries') {
      values[field.key] = { kind: 'entries', entries: entriesFromSettings(section) };
    } else if (field.kind === 'choice') {
      values[field.key] = { kind: 'text', text: chosenOption(field, settings) };
    } else if (field.kind === 'list') {
      values[field.key] = { kind: 'list', items: Array.isArray(written) ? written.map(asText) : written === undefined ? [] : [asText(written)] };
    } else if (field.kind === 'flags') {
      const object = written !== null && typeof written === 'object' && !Array.isArray(written) ? (written as Record<string, unknown>) : {};
      const flags: Record<string, boolean> = {};
      for (const flag of field.flags ?? []) flags[flag.key] = typeof object[flag.key] === 'boolean' ? (object[flag.key] as boolean) : flag.default;
      values[field.key] = { kind: 'flags', flags };
    } else {
      values[field.key] = { kind: 'text', text: asText(written) };
    }
  }
  return values;
}

/** `${VAR}` references are shown as text (they are names, not secrets). */
export function isVariableReference(text: string): boolean {
  return /\$\{[^}]+\}/.test(text);
}

export function isStoredSecret(text: string): boolean {
  return text === SECRET_UNCHANGED;
}

/** The entries a list's add-field text stands for ("a, b c" is three), without those already listed. */
export function draftEntries(draft: string, items: readonly string[]): string[] {
  const entries = draft.split(/[\s,]+/).map((entry) => entry.trim()).filter((entry) => entry !== '' && !items.includes(entry));
  return [...new Set(entries)];
}

/** A list's entries as saved: trimmed, without empty ones, with the add-field's pending text added. */
function listEntries(value: Extract<FieldValue, { kind: 'list' }>): string[] {
  const items = value.items.map((item) => item.trim()).filter((item) => item !== '');
  return [...items, ...draftEntries(value.draft ?? '', items)];
}

/** The form with pending add-field text added to its list and empty entries dropped, so issue indices match what is saved. */
export function compactForm(values: FormValues): FormValues {
  const next: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(values)) {
    next[key] = value.kind === 'list' ? { kind: 'list', items: listEntries(value) } : value;
  }
  return next;
}

/** The section to save, whichever its shape: a list section's entries (http), else settingsFromForm. */
export function sectionFromForm(fields: readonly FieldSpec[], values: FormValues, section: SectionSettings | null): SectionSettings {
  const list = entriesField(fields);
  if (!list) return settingsFromForm(fields, values, asMapping(section));
  const value = values[list.key];
  return settingsFromEntries(value?.kind === 'entries' ? value.entries : []);
}

/** A mapping section to save: the original with the form's fields applied. */
export function settingsFromForm(fields: readonly FieldSpec[], values: FormValues, original: SourceSettings | null): SourceSettings {
  const result: Record<string, unknown> = { ...(original ?? {}) };
  for (const field of fields) {
    const value = values[field.key];
    if (!value) continue;
    if (field.kind === 'choice') {
      // Form-only: the keys of the options not chosen are dropped (a section signs in one way).
      const chosen = value.kind === 'text' ? value.text : '';
      for (const choice of field.choices ?? []) if (choice.value !== chosen) for (const key of choice.keys) delete result[key];
      continue;
    }
    if (!isFieldShown(field, values)) continue;
    const before = valueAt(original, field.key);
    if (value.kind === 'list') {
      const items = listEntries(value);
      if (items.length === 0) setValueAt(result, field.key, undefined);
      else if (Array.isArray(before) && before.length === items.length && before.every((item, index) => asText(item) === items[index])) setValueAt(result, field.key, before);
      else setValueAt(result, field.key, items);
    } else if (value.kind === 'flags') {
      // A flag is written when it was written before or differs from its default: defaults stay implicit.
      const beforeObject = before !== null && typeof before === 'object' && !Array.isArray(before) ? (before as Record<string, unknown>) : {};
      const object: Record<string, unknown> = { ...beforeObject };
      for (const flag of field.flags ?? []) {
        const chosen = value.flags[flag.key] ?? flag.default;
        if (flag.key in beforeObject || chosen !== flag.default) object[flag.key] = chosen;
      }
      setValueAt(result, field.key, Object.keys(object).length > 0 ? object : undefined);
    } else if (value.kind === 'text') {
      const text = value.text.trim();
      if (text === '') setValueAt(result, field.key, undefined);
      else if (before !== undefined && asText(before) === text) setValueAt(result, field.key, before);
      else setValueAt(result, field.key, text);
    }
  }
  return result;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

/** Whether saving the form would change the section: typed text not saved yet, pending add-field text included. */
export function hasUnsavedEdits(fields: readonly FieldSpec[], values: FormValues, original: SectionSettings | null): boolean {
  const saved = sectionFromForm(fields, formFromSettings(fields, original), original);
  return !sameValue(sectionFromForm(fields, values, original), saved);
}

export interface FieldIssue {
  readonly message: string;
  /** The list entry the issue is about, or null for the field as a whole. */
  readonly index: number | null;
  /** Inside an entry of an 'entries' field: the key the issue is about ("metrics[1].value"). */
  readonly at?: string;
}

export interface MappedIssues {
  readonly byField: ReadonlyMap<string, readonly FieldIssue[]>;
  /** Issues about the section as a whole, or about keys the form does not show. */
  readonly general: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The core's words with the configuration keys of fields on screen named as the form names them:
 * "put a valid token in github.token" → "put a valid token in “Token”"; "github.orgs[1]" → "“Organizations” (entry 2)".
 * Keys the form does not show stay as written (they are what to look for in the file).
 */
export function speakOfFields(text: string, sourceId: string, fields: readonly FieldSpec[]): string {
  const named = fields.filter((field) => field.kind !== 'choice' && field.kind !== 'entries').sort((a, b) => b.key.length - a.key.length);
  if (named.length === 0) return text;
  const labels = new Map(named.map((field) => [field.key, field.label]));
  const pattern = new RegExp(`\\b${escapeRegExp(sourceId)}\\.(${named.map((field) => escapeRegExp(field.key)).join('|')})(?:\\[(\\d+)\\])?(?![\\w[]|\\.\\w)`, 'g');
  return text.replace(pattern, (_whole, key: string, index?: string) => `“${labels.get(key)}”${index === undefined ? '' : ` (entry ${Number(index) + 1})`}`);
}

/** Sorts the core's issues ("github.orgs[1]", "github.token", "github") onto the form's fields. */
export function mapIssues(sourceId: string, fields: readonly FieldSpec[], issues: readonly { readonly path: string; readonly message: string }[]): MappedIssues {
  const byField = new Map<string, FieldIssue[]>();
  const general: string[] = [];
  const known = new Set(fields.map((field) => field.key));
  for (const issue of issues) {
    let rest = issue.path;
    if (rest === sourceId) rest = '';
    else if (rest.startsWith(`${sourceId}.`)) rest = rest.slice(sourceId.length + 1);
    // A list section's entries (http[0].url): the 'entries' field's key is ''.
    else if (rest.startsWith(`${sourceId}[`)) rest = rest.slice(sourceId.length);
    // The longest field key the path starts with ("app.privateKeyFile" before "app").
    const key = [...known].filter((name) => rest === name || rest.startsWith(`${name}.`) || rest.startsWith(`${name}[`)).sort((a, b) => b.length - a.length)[0];
    const match = key === undefined ? null : /^\[(\d+)\]/.exec(rest.slice(key.length));
    if (key === undefined) {
      general.push(issue.path && rest !== '' ? `${issue.path}: ${speakOfFields(issue.message, sourceId, fields)}` : speakOfFields(issue.message, sourceId, fields));
      continue;
    }
    const inside = match === null ? '' : rest.slice(key.length + match[0].length).replace(/^\./, '');
    const entry: FieldIssue = { message: speakOfFields(issue.message, sourceId, fields), index: match?.[1] === undefined ? null : Number(match[1]), ...(inside === '' ? {} : { at: inside }) };
    const list = byField.get(key);
    if (list) list.push(entry);
    else byField.set(key, [entry]);
  }
  return { byField, general };
}
