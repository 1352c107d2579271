// RS256 JSON Web Tokens signed with the service account's key, in the two forms Google accepts:
// a self-signed token used directly as the Bearer credential (what Google's own Analytics client
// sends), and an assertion exchanged for an access token at the key's token_uri.
import type { ServiceAccountKey } from './service-account.js';

export const ANALYTICS_READONLY_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';
/** Google accepts at most one hour between iat and exp. */
export const JWT_LIFETIME_SECONDS = 3600;

export interface SignedJwt {
  readonly token: string;
  /** Epoch ms. */
  readonly issuedAt: number;
  /** Epoch ms. */
  readonly expiresAt: number;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function signJwt(key: ServiceAccountKey, header: Record<string, string>, claims: Record<string, string | number>): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url(key.signRs256(signingInput))}`;
}

function times(nowMs: number): { iat: number; exp: number } {
  const iat = Math.floor(nowMs / 1000);
  return { iat, exp: iat + JWT_LIFETIME_SECONDS };
}

/** The Bearer token itself: header {alg, typ, kid}, claims iss = sub = the service account, scope, iat, exp. */
export function selfSignedJwt(key: ServiceAccountKey, nowMs: number): SignedJwt {
  const { iat, exp } = times(nowMs);
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' };
  if (key.privateKeyId !== null) header.kid = key.privateKeyId;
  const token = signJwt(key, header, { iss: key.clientEmail, sub: key.clientEmail, scope: ANALYTICS_READONLY_SCOPE, iat, exp });
  return { token, issuedAt: iat * 1000, expiresAt: exp * 1000 };
}

/** The assertion of the jwt-bearer grant: claims iss, scope, aud = the token endpoint, iat, exp. */
export function tokenExchangeAssertion(key: ServiceAccountKey, nowMs: number): SignedJwt {
  const { iat, exp } = times(nowMs);
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' };
  if (key.privateKeyId !== null) header.kid = key.privateKeyId;
  const token = signJwt(key, header, { iss: key.clientEmail, scope: ANALYTICS_READONLY_SCOPE, aud: key.tokenUri, iat, exp });
  return { token, issuedAt: iat * 1000, expiresAt: exp * 1000 };
}
