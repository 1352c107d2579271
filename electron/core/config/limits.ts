// How large a configuration may be. A configuration is a few KB of text, and each value is a name,
// a URL, a path or a token. Anything far larger is a mistake (the wrong file, a variable holding a
// whole file) and is refused before it costs time and memory or ends up quoted in a message.
import { isSecretKey } from '../secrets.js';

/** The largest configuration file read: a real one is a few KB. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** The longest string value, after ${VAR} expansion: ample for any URL, path or token. */
export const MAX_VALUE_CHARS = 4096;
/** The longest key: keys are names such as "orgs" or "credentialsFile". */
export const MAX_KEY_CHARS = 128;

/** A size in bytes (or characters) in words: "812 bytes", "4 KB", "47.7 MB". */
export function formatSize(size: number): string {
  if (size < 1024) return `${size} bytes`;
  if (size < 1024 * 1024) return `${Number((size / 1024).toFixed(1))} KB`;
  return `${Number((size / 1024 / 1024).toFixed(1))} MB`;
}

/** Why a value over MAX_VALUE_CHARS is refused; never quotes it (it may be a secret). */
export function oversizedValueMessage(key: string | number | undefined, length: number, variable: string | null): string {
  const what = typeof key === 'string' && isSecretKey(key) ? 'a token or other secret' : 'a value';
  const check = variable === null ? 'check what is written here' : `check what the environment variable ${variable} holds`;
  return `is ${formatSize(length)} long; ${what} is at most ${formatSize(MAX_VALUE_CHARS)} — ${check}`;
}

/** Why a key over MAX_KEY_CHARS is refused; never quotes it. */
export function oversizedKeyMessage(length: number): string {
  return `holds a key of ${length} characters; keys are names such as "orgs" or "interval", at most ${MAX_KEY_CHARS} characters — remove it`;
}
