// ${VAR} references in config values, expanded after the file is parsed and only inside string
// values, so an environment variable's content is always data and can never add YAML structure.
import { dottedPath, type ConfigIssue } from './issues.js';
import { MAX_KEY_CHARS, MAX_VALUE_CHARS, oversizedKeyMessage, oversizedValueMessage } from './limits.js';

type Env = Readonly<Record<string, string | undefined>>;

const REFERENCE_BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

interface Expansion {
  text: string;
  /** True when the string held at least one ${…} reference. */
  referenced: boolean;
  /** The variables it names (valid references only), in order. */
  names: string[];
}

/**
 * Expands one string: `${VAR}` (must be set and non-empty), `${VAR:-default}` (default when unset
 * or empty; the default may be empty), `$${` for a literal `${`. Problems go to `issues`, also a
 * value longer than MAX_VALUE_CHARS, which is refused before it is built.
 */
function expandString(text: string, env: Env, path: readonly (string | number)[], issues: ConfigIssue[]): Expansion {
  const oversized = (length: number, variable: string | null): Expansion => {
    issues.push({ path: dottedPath(path), message: oversizedValueMessage(path.at(-1), length, variable) });
    return { text: '', referenced: true, names: [] };
  };
  if (text.length > MAX_VALUE_CHARS) return oversized(text.length, null);
  let result = '';
  let lastVariable: string | null = null;
  let referenced = false;
  const names: string[] = [];
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      result += text.slice(index);
      break;
    }
    result += text.slice(index, dollar);
    if (text.startsWith('$${', dollar)) {
      result += '${';
      index = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      result += '$';
      index = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      issues.push({ path: dottedPath(path), message: 'unterminated ${ — close the reference with }, or write $${ for a literal ${' });
      return { text: result, referenced: true, names };
    }
    const body = text.slice(dollar + 2, close);
    const match = REFERENCE_BODY.exec(body);
    index = close + 1;
    referenced = true;
    if (!match) {
      issues.push({ path: dottedPath(path), message: `"\${${body}}" is not a valid reference — write \${NAME} or \${NAME:-default} with a name of letters, digits and _, or $\${ for a literal \${` });
      continue;
    }
    const name = match[1]!;
    names.push(name);
    const fallback = match[2];
    const value = env[name];
    if (value !== undefined && value !== '') {
      if (result.length + value.length > MAX_VALUE_CHARS) return oversized(result.length + value.length, name);
      result += value;
      lastVariable = name;
    } else if (fallback !== undefined) {
      result += fallback;
    } else {
      const state = value === undefined ? 'is not set' : 'is empty';
      issues.push({ path: dottedPath(path), message: `environment variable ${name} ${state} — export it, or write \${${name}:-} to run without it` });
    }
  }
  if (result.length > MAX_VALUE_CHARS) return oversized(result.length, lastVariable);
  return { text: result, referenced, names };
}

/** The environment variables a string refers to with ${NAME} or ${NAME:-default} (`$${` is a literal, not a reference). */
export function referencedVariables(text: string): string[] {
  return expandString(text, {}, [], []).names;
}

/** Defines rather than assigns, so a "__proto__" key in the file stays a key (and is reported as unknown). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of a parsed config document with every string value expanded and bounded (limits.ts). A mapping value that
 * expands to the empty string is dropped, so `token: ${GITHUB_TOKEN:-}` with the variable unset
 * means "no token" rather than "an empty token".
 */
export function expandEnvironment(document: unknown, env: Env, issues: ConfigIssue[]): unknown {
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') return expandString(value, env, path, issues).text;
    if (Array.isArray(value)) return value.map((item, position) => walk(item, [...path, position]));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (key.length > MAX_KEY_CHARS) {
          issues.push({ path: dottedPath(path), message: oversizedKeyMessage(key.length) });
          continue;
        }
        if (typeof item === 'string') {
          const expansion = expandString(item, env, [...path, key], issues);
          if (expansion.referenced && expansion.text === '') continue;
          setOwn(copy, key, expansion.text);
        } else {
          setOwn(copy, key, walk(item, [...path, key]));
        }
      }
      return copy;
    }
    return value;
  };
  return walk(document, []);
}
