// Masks secrets in anything that leaves the process: log lines, error messages, printed config.
// Two nets: the exact values the config declared as secrets (registered once, process-wide), and
// patterns for credentials that look like credentials even when nobody registered them.

export const MASK = '***';

/** Shorter values are not registered: masking every "abc" in every log line would garble the logs. */
export const MIN_SECRET_LENGTH = 6;

const registered = new Set<string>();
/** The registered forms, longest first, so a secret that contains another is masked whole. */
let registeredLongestFirst: readonly string[] = [];

/** Credentials recognisable by their shape, with what replaces them ($1 keeps an auth scheme's name). */
const CREDENTIAL_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // A PEM private key (e.g. a Google service account's private_key); an unterminated block is masked to the end.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, MASK],
  [/gh[pousr]_[A-Za-z0-9]{20,}/g, MASK],
  [/github_pat_[A-Za-z0-9_]{20,}/g, MASK],
  [/dckr_pat_[A-Za-z0-9_-]{16,}/g, MASK],
  [/npm_[A-Za-z0-9]{30,}/g, MASK],
  // Google OAuth access tokens.
  [/ya29\.[A-Za-z0-9._-]{20,}/g, MASK],
  // Authorization header values. "token" needs a long credential-like word after it, so prose
  // such as "token expired" stays readable.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${MASK}`],
  [/\b(token)\s+[A-Za-z0-9._~+/=-]{16,}/gi, `$1 ${MASK}`],
];

/** Keys whose value is a secret whatever it looks like (compared case-insensitively, `-` and `_` ignored). */
const SECRET_KEYS = new Set(['token', 'authtoken', 'accesstoken', 'refreshtoken', 'idtoken', 'authorization', 'proxyauthorization', 'password', 'passwd', 'secret', 'clientsecret', 'privatekey', 'apikey', 'xapikey', 'cookie', 'setcookie']);

/** The forms a secret takes in text: as is, JSON-escaped (a logged request body), URL-encoded (a query string). */
function encodedForms(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
}

/**
 * Adds values to the process-wide set masked by redactSecrets. Empty, missing and very short
 * values are ignored. Call it as soon as secrets are known, before they can reach a logger.
 */
export function registerSecrets(values: Iterable<string | null | undefined>): void {
  let changed = false;
  for (const value of values) {
    if (typeof value !== 'string') continue;
    for (const candidate of new Set([value, value.trim()])) {
      if (candidate.length < MIN_SECRET_LENGTH) continue;
      for (const form of encodedForms(candidate)) {
        if (!registered.has(form)) {
          registered.add(form);
          changed = true;
        }
      }
    }
  }
  if (changed) registeredLongestFirst = [...registered].sort((a, b) => b.length - a.length);
}

/** The text with every registered secret and every credential-shaped string replaced by ***. */
export function redactSecrets(text: string): string {
  // Plain search and replace, not one RegExp of every secret: V8 refuses a pattern over about 32 KB,
  // and the error it throws quotes the whole pattern, secrets included.
  let result = text;
  for (const secret of registeredLongestFirst) if (result.includes(secret)) result = result.split(secret).join(MASK);
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Whether a config value is a secret by where it is: under a secret-sounding key, or any header of a `headers` mapping (http's entries). */
export function isSecretField(key: string, parentKey: string): boolean {
  return isSecretKey(key) || parentKey === 'headers';
}

/**
 * A redacted copy of any value, for logging or printing: strings go through redactSecrets, values
 * under secret-sounding keys (token, password, authorization…) become ***, errors stay errors
 * (same prototype, message and stack redacted). Cycles are preserved, not followed forever.
 */
export function redactDeep<T>(value: T): T {
  return copyRedacted(value, new WeakMap()) as T;
}

function redactField(key: string, value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (isSecretKey(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') && value !== '') return MASK;
  return copyRedacted(value, seen);
}

function copyRedacted(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (value instanceof Date || value instanceof RegExp || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value;

  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(copyRedacted(item, seen));
    return copy;
  }
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    seen.set(value, copy);
    for (const [key, item] of value) copy.set(copyRedacted(key, seen), typeof key === 'string' ? redactField(key, item, seen) : copyRedacted(item, seen));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    seen.set(value, copy);
    for (const item of value) copy.add(copyRedacted(item, seen));
    return copy;
  }
  if (value instanceof Error) {
    // Keep the prototype so the copy is still an Error to loggers; message and stack are own,
    // non-enumerable properties (stack an accessor in V8), so copy own properties one by one.
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
    seen.set(value, copy);
    for (const key of Object.getOwnPropertyNames(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
      let fieldValue: unknown;
      try {
        fieldValue = (value as unknown as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      Object.defineProperty(copy, key, { value: redactField(key, fieldValue, seen), enumerable: descriptor.enumerable ?? false, writable: true, configurable: true });
    }
    return copy;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // What JSON.stringify would print (a URL's text, which may carry a token in its query).
    const json: unknown = toJSON.call(value);
    const copy = copyRedacted(json, seen);
    seen.set(value, copy);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = redactField(key, (value as Record<string, unknown>)[key], seen);
  return copy;
}

/**
 * Replaces every occurrence of one known secret (a source's own token), whether or not it was registered:
 * sources scrub their errors themselves, so no caller has to remember to.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join(MASK) : text;
}

/** The same Error with the secret gone from its message and stack; its type (e.g. RateLimitedError) is kept. */
export function errorWithoutSecret(error: unknown, secret: string | undefined): unknown {
  if (!secret || !(error instanceof Error) || !error.message.includes(secret)) return error;
  error.message = redactSecret(error.message, secret);
  if (error.stack) error.stack = redactSecret(error.stack, secret);
  return error;
}
