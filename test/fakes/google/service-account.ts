// Test service accounts: an RSA key pair made at test time and its JSON key file in a temp folder,
// shaped like test/fixtures/api/google_service_account_key.json. No key is ever committed.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export interface TestServiceAccount extends TestKeyPair {
  readonly file: string;
  readonly clientEmail: string;
  readonly privateKeyId: string;
  /** The key file's fields, for tests that write variants of it. */
  readonly json: Record<string, string>;
}

export function generateTestKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface TestServiceAccountOptions {
  readonly dir: string;
  readonly tokenUri: string;
  readonly clientEmail?: string;
  readonly fileName?: string;
  /** Reuse a key pair (generating one takes a moment). */
  readonly keys?: TestKeyPair;
  /** The key's ID (JWT kid); random unless given. */
  readonly privateKeyId?: string;
}

export function writeTestServiceAccount(options: TestServiceAccountOptions): TestServiceAccount {
  const keys = options.keys ?? generateTestKeyPair();
  const clientEmail = options.clientEmail ?? 'footprint@footprint-test.iam.gserviceaccount.com';
  const privateKeyId = options.privateKeyId ?? randomBytes(20).toString('hex');
  const json = {
    type: 'service_account',
    project_id: 'footprint-test',
    private_key_id: privateKeyId,
    private_key: keys.privateKeyPem,
    client_email: clientEmail,
    client_id: '104659176172768538680',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: options.tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
  const file = path.join(options.dir, options.fileName ?? 'service-account.json');
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
  return { ...keys, file, clientEmail, privateKeyId, json };
}
