// Secrets typed into Settings never reach the config file. When a source is saved, each literal
// secret (a value under a secret key such as `token`) is encrypted with the OS keychain
// (Electron safeStorage) into the app's settings store, and the file gets a reference instead:
//   github: { token: "${FOOTPRINT_SECRET_GITHUB_TOKEN}" }
// At start the app decrypts its secrets into the environment it loads the config with (its own
// copy, never process.env, so child processes do not inherit them); the core's usual ${VAR}
// expansion does the rest and registers the values for masking. `footprint serve` reading the same
// file needs those variables exported, and says so by name if they are missing.
import { SECRET_UNCHANGED, type SectionSettings } from '../../../shared/api.js';
import type { TypedReferences } from '../../core/config/config-file.js';
import { dottedPath } from '../../core/config/issues.js';
import { isSecretField } from '../../core/secrets.js';

export const SECRET_ENV_PREFIX = 'FOOTPRINT_SECRET_';
const STORED_REFERENCE = /^\$\{(FOOTPRINT_SECRET_[A-Z0-9_]+)\}$/;

type Env = Record<string, string | undefined>;
type Issue = { path: string; message: string };

/** The variable a secret is kept under: FOOTPRINT_SECRET_<SOURCE>_<PATH>, e.g. FOOTPRINT_SECRET_GITHUB_TOKEN. */
export function secretEnvName(source: string, path: readonly (string | number)[]): string {
  return `${SECRET_ENV_PREFIX}${[source, ...path].join('_')}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

export interface ExtractedSecret {
  readonly name: string;
  readonly value: string;
  /** Where it was, e.g. "github.token" (a config key path, as in messages). */
  readonly path: string;
}

function isLiteralSecret(key: string, parentKey: string, value: unknown): value is string {
  return isSecretField(key, parentKey) && typeof value === 'string' && value.trim() !== '' && value !== SECRET_UNCHANGED && !value.includes('${');
}

/** The settings with every literal secret replaced by a ${FOOTPRINT_SECRET_…} reference, and the secrets taken out. */
export function extractLiteralSecrets(source: string, settings: SectionSettings): { settings: SectionSettings; secrets: ExtractedSecret[] } {
  const secrets: ExtractedSecret[] = [];
  const walk = (value: unknown, path: (string | number)[], key: string, parentKey = ''): unknown => {
    if (isLiteralSecret(key, parentKey, value)) {
      const name = secretEnvName(source, path);
      secrets.push({ name, value, path: dottedPath([source, ...path]) });
      return `\${${name}}`;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], key, parentKey));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, walk(item, [...path, name], name, key)]));
    }
    return value;
  };
  return { settings: walk(settings, [], '') as SectionSettings, secrets };
}

/** Names of the app's secrets the settings refer to. */
export function referencedSecretNames(settings: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      const match = STORED_REFERENCE.exec(value);
      if (match) names.add(match[1]!);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(settings);
  return names;
}

/** Shows a reference to a secret the app keeps as SECRET_UNCHANGED, as Settings shows any stored secret. */
export function maskStoredReferences(settings: SectionSettings, known: ReadonlySet<string>): SectionSettings {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const match = STORED_REFERENCE.exec(value);
      return match && known.has(match[1]!) ? SECRET_UNCHANGED : value;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    return value;
  };
  return walk(settings) as SectionSettings;
}

/** A note for AppInfo.secretStorageWarning about how safe the stored secrets are; null when all is well. */
export function secretStorageWarning(platform: NodeJS.Platform, available: boolean, linuxBackend: string | null): string | null {
  if (!available) {
    return 'This system offers no encrypted storage, so Footprint cannot keep tokens you type: write a reference such as ${GITHUB_TOKEN} into the configuration file by hand and set the variable in the environment Footprint starts with.';
  }
  if (platform === 'linux' && linuxBackend === 'basic_text') {
    return 'No keyring (GNOME Keyring, KWallet) was found: tokens you type are stored with a built-in key, which hides them but does not protect them from other programs running as you. Install or unlock a keyring, or use ${VAR} references.';
  }
  return null;
}

/** Encryption by the operating system (Electron safeStorage's async API). */
export interface SecretCipher {
  isAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<Buffer>;
  /** `reEncrypt`: the key was rotated; store a fresh encryption of the text. */
  decrypt(encrypted: Buffer): Promise<{ text: string; reEncrypt: boolean }>;
}

export interface SecretRecord {
  readonly source: string;
  /** The encrypted value, base64. */
  readonly data: string;
}

/** Where the encrypted values are kept (the app's settings store). */
export interface SecretRecordStore {
  read(): Record<string, SecretRecord>;
  write(records: Record<string, SecretRecord>): void;
}

export type ProtectResult =
  | {
    readonly ok: true;
    readonly settings: SectionSettings | null;
    /** The fields whose typed secret was replaced by a reference, for CoreApi.saveSourceFromVault. */
    readonly typed: TypedReferences;
    /** Keeps the new secrets and forgets those of the source that `saved` (the section as now in the file) no longer refers to. */
    commit(saved: unknown): void;
    rollback(): void;
  }
  | { readonly ok: false; readonly issues: readonly Issue[] };

export class SecretVault {
  private readonly cipher: SecretCipher;
  private readonly records: SecretRecordStore;
  private readonly env: Env;

  /** `env` is the environment the configuration is loaded with; the vault puts decrypted secrets into it. */
  constructor(cipher: SecretCipher, records: SecretRecordStore, env: Env) {
    this.cipher = cipher;
    this.records = records;
    this.env = env;
  }

  /** Names of the secrets the vault holds. */
  names(): Set<string> {
    return new Set(Object.keys(this.records.read()));
  }

  /** Decrypts every stored secret into the environment; returns the names that could not be decrypted. */
  async unlock(): Promise<string[]> {
    const records = this.records.read();
    const failed: string[] = [];
    let changed = false;
    if (Object.keys(records).length > 0 && !(await this.cipher.isAvailable())) return Object.keys(records);
    for (const [name, record] of Object.entries(records)) {
      try {
        const { text, reEncrypt } = await this.cipher.decrypt(Buffer.from(record.data, 'base64'));
        this.env[name] = text;
        if (reEncrypt) {
          records[name] = { source: record.source, data: (await this.cipher.encrypt(text)).toString('base64') };
          changed = true;
        }
      } catch {
        failed.push(name);
      }
    }
    if (changed) this.records.write(records);
    return failed;
  }

  /**
   * Prepares a save: literal secrets are encrypted and replaced by references, and put into the
   * environment so validation sees them. Call commit() with the saved section once the file is
   * saved, rollback() if not.
   */
  async protect(source: string, settings: SectionSettings | null): Promise<ProtectResult> {
    const extracted = settings === null ? { settings: null, secrets: [] } : extractLiteralSecrets(source, settings);
    const encrypted = new Map<string, string>();
    if (extracted.secrets.length > 0) {
      if (!(await this.cipher.isAvailable())) {
        return {
          ok: false,
          issues: extracted.secrets.map((secret) => ({
            path: secret.path,
            message: `this system offers no encrypted storage for secrets — write a reference such as \${${source.toUpperCase()}_TOKEN} into the configuration file by hand and set the variable in the environment Footprint starts with`,
          })),
        };
      }
      for (const secret of extracted.secrets) encrypted.set(secret.name, (await this.cipher.encrypt(secret.value)).toString('base64'));
    }
    const previous = new Map(extracted.secrets.map((secret) => [secret.name, this.env[secret.name]]));
    for (const secret of extracted.secrets) this.env[secret.name] = secret.value;
    return {
      ok: true,
      settings: extracted.settings,
      typed: new Map(extracted.secrets.map((secret) => [secret.path, secret.name])),
      commit: (saved: unknown) => {
        // What the file refers to now: a secret kept as SECRET_UNCHANGED is still referenced there.
        const referenced = referencedSecretNames(saved);
        const records = this.records.read();
        for (const [name, data] of encrypted) records[name] = { source, data };
        // Secrets of this source that the saved section no longer refers to are forgotten.
        for (const [name, record] of Object.entries(records)) {
          if (record.source === source && !referenced.has(name)) {
            delete records[name];
            delete this.env[name];
          }
        }
        this.records.write(records);
      },
      rollback: () => {
        for (const [name, value] of previous) {
          if (value === undefined) delete this.env[name];
          else this.env[name] = value;
        }
      },
    };
  }
}
