// The files github.tokenFile and github.app.privateKeyFile name. A path can come through Settings (the
// API), so it could name any file Footprint can read: a file is used only if it holds what the key says
// (a GitHub token; a PEM private key), and no message ever quotes what a file holds.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { specialFileKind } from '../../file-kind.js';
import { SourceConfigError } from '../../source.js';

/** Tokens are under 300 characters; a few KB allows for a trailing newline or a BOM, not for some other file. */
const MAX_TOKEN_FILE_BYTES = 4 * 1024;
/** A 4096-bit RSA key in PEM is about 3.3 KB. */
const MAX_KEY_FILE_BYTES = 16 * 1024;

/** What GitHub's tokens look like: personal (classic and fine-grained), OAuth, user-to-server, installation, refresh; or a classic 40-hex token. */
const GITHUB_TOKEN = /^(?:gh[pousr]_[A-Za-z0-9_]{20,251}|github_pat_[A-Za-z0-9_]{20,251}|[0-9a-fA-F]{40})$/;

export const TOKEN_FILE_KEY = 'tokenFile';
export const PRIVATE_KEY_FILE_KEY = 'app.privateKeyFile';

const HOW_TO_GET_A_KEY = 'generate one on the App\'s settings page (GitHub → Settings → Developer settings → GitHub Apps → the App → Private keys → Generate a private key) and point github.app.privateKeyFile at the downloaded .pem file';

function readProblem(file: string, key: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${file} does not exist — check github.${key} (a relative path starts at the configuration file's folder)`;
    case 'EACCES':
    case 'EPERM':
      return `${file} cannot be read (permission denied) — make it readable by the user running Footprint`;
    default:
      return `${file} cannot be read (${code ?? 'unknown error'}) — check github.${key} and the file's permissions`;
  }
}

/** The file's text; every problem a SourceConfigError for `key` that names the file, never its content. */
function readSmallFile(file: string, key: string, maxBytes: number, what: string): string {
  try {
    const stats = statSync(file);
    const special = specialFileKind(stats);
    if (special !== null) throw new SourceConfigError(key, `${file} is ${special} — github.${key} must name ${what}`);
    if (stats.size > maxBytes) throw new SourceConfigError(key, `${file} is too large to be ${what} — check github.${key}`);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof SourceConfigError) throw error;
    throw new SourceConfigError(key, readProblem(file, key, error));
  }
}

/** The token a token file holds (a BOM and surrounding whitespace, such as the trailing newline, dropped). */
export function readTokenFile(file: string): string {
  const token = readSmallFile(file, TOKEN_FILE_KEY, MAX_TOKEN_FILE_BYTES, 'a file holding a GitHub token').replace(/^\uFEFF/, '').trim();
  if (token === '') throw new SourceConfigError(TOKEN_FILE_KEY, `${file} is empty — write the GitHub token into it (a Docker or Kubernetes secret mounted there)`);
  if (!GITHUB_TOKEN.test(token)) {
    throw new SourceConfigError(
      TOKEN_FILE_KEY,
      `${file} does not hold a GitHub token (ghp_…, github_pat_…, gho_…, ghu_…, ghs_…, ghr_… or 40 hexadecimal characters, alone in the file) — point github.tokenFile at the file that holds only the token`,
    );
  }
  return token;
}

/** A GitHub App's private key: the PEM stays in a private field, so printing or serialising the config cannot show it. */
export class GitHubAppKey {
  readonly file: string;
  readonly #pem: string;
  readonly #written: string;

  constructor(file: string, pem: string, written: string) {
    this.file = file;
    this.#pem = pem;
    this.#written = written;
  }

  /**
   * What logs and printed config must mask, and what edit-provenance.ts compares with the secrets of other
   * settings: the key as written in the file (as is and trimmed) and as signed with.
   */
  secretValues(): string[] {
    return [...new Set([this.#written, this.#written.trim(), this.#pem, this.#pem.trim()])];
  }

  /** PKCS#8 PEM, the form @octokit/auth-app signs with (GitHub hands out PKCS#1). */
  pem(): string {
    return this.#pem;
  }

  toJSON(): { file: string } {
    return { file: this.file };
  }
}

/** Reads and checks an App's private key file. */
export function readAppPrivateKey(file: string): GitHubAppKey {
  const text = readSmallFile(file, PRIVATE_KEY_FILE_KEY, MAX_KEY_FILE_BYTES, 'a GitHub App private key (.pem)');
  let key: KeyObject;
  try {
    if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(text)) throw new Error('not PEM');
    key = createPrivateKey(text);
  } catch {
    // Never the parser's words: they may quote the file.
    throw new SourceConfigError(PRIVATE_KEY_FILE_KEY, `${file} is not a PEM private key — ${HOW_TO_GET_A_KEY}`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SourceConfigError(PRIVATE_KEY_FILE_KEY, `${file} holds a ${key.asymmetricKeyType ?? 'non-RSA'} key, but GitHub App keys are RSA — ${HOW_TO_GET_A_KEY}`);
  }
  return new GitHubAppKey(file, key.export({ type: 'pkcs8', format: 'pem' }).toString(), text);
}
