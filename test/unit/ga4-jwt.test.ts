import { createPublicKey, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { selfSignedJwt, tokenExchangeAssertion } from '../../electron/core/sources/ga4/jwt.js';
import { parseServiceAccountKey } from '../../electron/core/sources/ga4/service-account.js';
import type { ServiceAccountKey } from '../../electron/core/sources/ga4/service-account.js';
import { generateTestKeyPair } from '../fakes/google/service-account.js';
import type { TestKeyPair } from '../fakes/google/service-account.js';

let keys: TestKeyPair;
let key: ServiceAccountKey;
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0, 750);

beforeAll(() => {
  keys = generateTestKeyPair();
  key = parseServiceAccountKey(
    JSON.stringify({ type: 'service_account', client_email: 'svc@p.iam.gserviceaccount.com', private_key: keys.privateKeyPem, private_key_id: 'abc123', token_uri: 'https://oauth2.googleapis.com/token' }),
    'k.json',
  );
});

function parts(token: string) {
  const [header, claims, signature] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>,
    valid: verify('sha256', Buffer.from(`${header}.${claims}`), createPublicKey(keys.publicKeyPem), Buffer.from(signature, 'base64url')),
  };
}

describe('service-account JWTs', () => {
  it('self-signed Bearer: RS256 with kid; iss = sub; analytics scope; one hour from the whole second', () => {
    const jwt = selfSignedJwt(key, NOW);
    const decoded = parts(jwt.token);
    expect(decoded.valid).toBe(true);
    expect(decoded.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'abc123' });
    const iat = Math.floor(NOW / 1000);
    expect(decoded.claims).toEqual({ iss: 'svc@p.iam.gserviceaccount.com', sub: 'svc@p.iam.gserviceaccount.com', scope: 'https://www.googleapis.com/auth/analytics.readonly', iat, exp: iat + 3600 });
    expect(jwt).toMatchObject({ issuedAt: iat * 1000, expiresAt: (iat + 3600) * 1000 });
    expect(jwt.token).not.toMatch(/[+/=]/);
  });

  it('token-exchange assertion: aud is the key\'s token_uri, no sub', () => {
    const decoded = parts(tokenExchangeAssertion(key, NOW).token);
    expect(decoded.valid).toBe(true);
    expect(decoded.claims).toMatchObject({ iss: 'svc@p.iam.gserviceaccount.com', aud: 'https://oauth2.googleapis.com/token', scope: 'https://www.googleapis.com/auth/analytics.readonly' });
    expect(decoded.claims.sub).toBeUndefined();
  });

  it('a signature from another key does not verify', () => {
    const other = generateTestKeyPair();
    const token = selfSignedJwt(key, NOW).token;
    const [header, claims, signature] = token.split('.') as [string, string, string];
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), createPublicKey(other.publicKeyPem), Buffer.from(signature, 'base64url'))).toBe(false);
  });
});
