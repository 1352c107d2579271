// The service account's JSON key file: found relative to the config, read once at config load,
// checked field by field (google-auth-library's own errors do not say what to fix). The private key
// lives only inside ServiceAccountKey, in a private field, so printing, logging or serialising the
// prepared config cannot show it; it leaves only into google-auth-library's JWT client, which signs
// the credential.
import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { gaxios, JWT } from 'google-auth-library';
import type { ConfigContext } from '../../source.js';
import { SourceConfigError } from '../../source.js';
import { resolveConfigPath } from '../common/config-path.js';

const KEY = 'credentialsFile';
/** Real key files are about 2.3 KB; anything this large is some other file. */
const MAX_KEY_FILE_BYTES = 64 * 1024;
const HOW_TO_GET_A_KEY = 'download a JSON key for the service account (Google Cloud console → IAM & Admin → Service accounts → Keys → Add key → JSON)';

export interface ServiceAccountFields {
  readonly file: string;
  readonly clientEmail: string;
  readonly privateKeyId: string | null;
  readonly tokenUri: string;
  readonly projectId: string | null;
}

export class ServiceAccountKey implements ServiceAccountFields {
  readonly file: string;
  readonly clientEmail: string;
  readonly privateKeyId: string | null;
  readonly tokenUri: string;
  readonly projectId: string | null;
  readonly #privateKeyPem: string;

  constructor(fields: ServiceAccountFields, privateKeyPem: string) {
    this.file = fields.file;
    this.clientEmail = fields.clientEmail;
    this.privateKeyId = fields.privateKeyId;
    this.tokenUri = fields.tokenUri;
    this.projectId = fields.projectId;
    this.#privateKeyPem = privateKeyPem;
  }

  /**
   * google-auth-library's client for this key, signing self-signed JWTs with `scopes` (what Google's own
   * Analytics client sends: no token endpoint, no extra request); its requests use `transporterOptions`.
   */
  async authClient(scopes: readonly string[], transporterOptions: gaxios.GaxiosOptions): Promise<JWT> {
    const { JWT: JwtClient } = await import('google-auth-library');
    const client = new JwtClient({ email: this.clientEmail, key: this.#privateKeyPem, keyId: this.privateKeyId ?? undefined, scopes: [...scopes], transporterOptions });
    client.useJWTAccessWithScope = true;
    return client;
  }

  /** What logs and printed config must mask: the PEM and the key's ID. */
  secretValues(): string[] {
    return this.privateKeyId === null ? [this.#privateKeyPem] : [this.#privateKeyPem, this.privateKeyId];
  }

  toJSON(): { file: string; clientEmail: string } {
    return { file: this.file, clientEmail: this.clientEmail };
  }
}

/** The key file's absolute path: "~/" is the home folder, a relative path starts at the config file's folder. */
export const resolveCredentialsPath = resolveConfigPath;

function fail(message: string): never {
  throw new SourceConfigError(KEY, message);
}

function readProblem(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${file} does not exist — ${HOW_TO_GET_A_KEY} and point ga4.${KEY} at it`;
    case 'EACCES':
    case 'EPERM':
      return `${file} cannot be read (permission denied) — make it readable by the user running Footprint`;
    case 'EISDIR':
      return `${file} is a directory — ga4.${KEY} must name the service account's JSON key file`;
    default:
      return `${file} cannot be read (${code ?? 'unknown error'}) — check ga4.${KEY} and the file's permissions`;
  }
}

/** Reads and checks the key file; every problem is a SourceConfigError for ga4.credentialsFile naming the file. */
export function readServiceAccountKey(file: string): ServiceAccountKey {
  let text: string;
  try {
    if (statSync(file).size > MAX_KEY_FILE_BYTES) fail(`${file} is too large to be a service-account key file — ${HOW_TO_GET_A_KEY}`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof SourceConfigError) throw error;
    fail(readProblem(file, error));
  }
  return parseServiceAccountKey(text, file);
}

function describeNonJson(text: string): string {
  if (/^\s*-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return 'it holds a bare PEM key, not the JSON key file';
  // Binary content (a .p12 key) decodes to NULs and replacement characters.
  if (text.includes('\u0000') || text.includes('\uFFFD')) return 'it is a binary file (a P12 key?), and Footprint needs the JSON key type';
  return 'it is not valid JSON';
}

function stringField(record: Record<string, unknown>, name: string): string | null {
  const value = record[name];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function checkedTokenUri(record: Record<string, unknown>, file: string): string {
  const tokenUri = stringField(record, 'token_uri');
  if (tokenUri === null) fail(`${file} has no token_uri — it is not a complete service-account key; ${HOW_TO_GET_A_KEY}`);
  const url = URL.canParse(tokenUri) ? new URL(tokenUri) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    fail(`${file}: token_uri "${tokenUri}" is not an http(s) URL — a service-account key has "https://oauth2.googleapis.com/token" there`);
  }
  return tokenUri;
}

function checkedPrivateKey(record: Record<string, unknown>, file: string): string {
  const pem = record.private_key;
  if (typeof pem !== 'string' || pem.trim() === '') fail(`${file} has no private_key — ${HOW_TO_GET_A_KEY}`);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    // Never the parser's message: it is not useful and the text around it is the secret.
    fail(`${file}: private_key is not a PEM private key that can be read — the file may have been edited or cut; ${HOW_TO_GET_A_KEY}`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    fail(`${file}: private_key is a ${key.asymmetricKeyType ?? 'non-RSA'} key, but Google service-account keys are RSA — ${HOW_TO_GET_A_KEY}`);
  }
  return pem;
}

/** Checks the text of a key file (named `file` in messages) and builds the key. */
export function parseServiceAccountKey(text: string, file: string): ServiceAccountKey {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // JSON.parse quotes the text around the error, which may be key material: say only what the file is.
    fail(`${file} is not a service-account key file: ${describeNonJson(text)} — ${HOW_TO_GET_A_KEY}`);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    fail(`${file} is not a service-account key file: it does not hold a JSON object — ${HOW_TO_GET_A_KEY}`);
  }
  const record = document as Record<string, unknown>;
  const type = record.type;
  if (type !== 'service_account') {
    const what =
      type === 'authorized_user'
        ? 'it holds user credentials (type "authorized_user", e.g. from gcloud auth application-default login)'
        : type === 'external_account'
          ? 'it holds workload identity federation settings (type "external_account"), which Footprint does not support'
          : typeof type === 'string'
            ? 'its "type" is not "service_account"' // not quoted: the file may be any file, and its text is not ours to show
            : 'it has no "type": "service_account"';
    fail(`${file} is not a service-account key file: ${what} — ${HOW_TO_GET_A_KEY}`);
  }
  const clientEmail = stringField(record, 'client_email');
  if (clientEmail === null || !clientEmail.includes('@')) {
    fail(`${file} has no client_email (the service account's address) — it is not a complete service-account key; ${HOW_TO_GET_A_KEY}`);
  }
  const pem = checkedPrivateKey(record, file);
  const tokenUri = checkedTokenUri(record, file);
  const privateKeyId = record.private_key_id;
  if (privateKeyId !== undefined && typeof privateKeyId !== 'string') fail(`${file}: private_key_id must be text — ${HOW_TO_GET_A_KEY}`);
  return new ServiceAccountKey(
    {
      file,
      clientEmail: clientEmail.trim(),
      privateKeyId: privateKeyId === undefined || privateKeyId.trim() === '' ? null : privateKeyId,
      tokenUri,
      projectId: stringField(record, 'project_id'),
    },
    pem,
  );
}

/** The text of a key file uploaded through Settings (named `file` in messages), checked as a file on disk is. */
export function parseUploadedServiceAccountKey(text: string, file: string): ServiceAccountKey {
  if (Buffer.byteLength(text, 'utf8') > MAX_KEY_FILE_BYTES) fail(`${file} is too large to be a service-account key file — ${HOW_TO_GET_A_KEY}`);
  return parseServiceAccountKey(text, file);
}

/** Resolves and reads the key file named in the config. */
export function loadServiceAccountKey(written: string, context: ConfigContext): ServiceAccountKey {
  return readServiceAccountKey(resolveCredentialsPath(written, context));
}
