// Between a source's config section (SourceSettings) and the Settings form's values, both ways, and
// from the core's issues (paths like "github.orgs[1]") to the fields they belong to.
// Saving writes back only what the form changed: unknown keys, `${VAR}` references, numbers written
// as numbers and a stored secret (SECRET_UNCHANGED) come back as they were.
import { SECRET_UNCHANGED, type SourceSettings } from '../../shared/api.js';
import type { FieldSpec } from './settings-fields.js';

export type FieldValue =
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'flags'; readonly flags: Readonly<Record<string, boolean>> };

export type FormValues = Readonly<Record<string, FieldValue>>;

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function formFromSettings(fields: readonly FieldSpec[], settings: SourceSettings | null): FormValues {
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    const written = settings?.[field.key];
    if (field.kind === 'list') {
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

/** The form with empty list entries dropped, so issue indices match what is saved. */
export function compactForm(values: FormValues): FormValues {
  const next: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(values)) {
    next[key] = value.kind === 'list' ? { kind: 'list', items: value.items.map((item) => item.trim()).filter((item) => item !== '') } : value;
  }
  return next;
}

/** The section to save: the original with the form's fields applied. */
export function settingsFromForm(fields: readonly FieldSpec[], values: FormValues, original: SourceSettings | null): SourceSettings {
  const result: Record<string, unknown> = { ...(original ?? {}) };
  for (const field of fields) {
    const value = values[field.key];
    if (!value) continue;
    const before = original?.[field.key];
    if (value.kind === 'list') {
      const items = value.items.map((item) => item.trim()).filter((item) => item !== '');
      if (items.length === 0) delete result[field.key];
      else if (Array.isArray(before) && before.length === items.length && before.every((item, index) => asText(item) === items[index])) result[field.key] = before;
      else result[field.key] = items;
    } else if (value.kind === 'flags') {
      // A flag is written when it was written before or differs from its default: defaults stay implicit.
      const beforeObject = before !== null && typeof before === 'object' && !Array.isArray(before) ? (before as Record<string, unknown>) : {};
      const object: Record<string, unknown> = { ...beforeObject };
      for (const flag of field.flags ?? []) {
        const chosen = value.flags[flag.key] ?? flag.default;
        if (flag.key in beforeObject || chosen !== flag.default) object[flag.key] = chosen;
      }
      if (Object.keys(object).length > 0) result[field.key] = object;
      else delete result[field.key];
    } else {
      const text = value.text.trim();
      if (text === '') delete result[field.key];
      else if (before !== undefined && asText(before) === text) result[field.key] = before;
      else result[field.key] = text;
    }
  }
  return result;
}

export interface FieldIssue {
  readonly message: string;
  /** The list entry the issue is about, or null for the field as a whole. */
  readonly index: number | null;
}

export interface MappedIssues {
  readonly byField: ReadonlyMap<string, readonly FieldIssue[]>;
  /** Issues about the section as a whole, or about keys the form does not show. */
  readonly general: readonly string[];
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
    const match = /^([A-Za-z0-9_$-]+)(?:\[(\d+)\])?/.exec(rest);
    const key = match?.[1];
    if (key === undefined || !known.has(key)) {
      general.push(issue.path && rest !== '' ? `${issue.path}: ${issue.message}` : issue.message);
      continue;
    }
    const entry: FieldIssue = { message: issue.message, index: match?.[2] === undefined ? null : Number(match[2]) };
    const list = byField.get(key);
    if (list) list.push(entry);
    else byField.set(key, [entry]);
  }
  return { byField, general };
}
