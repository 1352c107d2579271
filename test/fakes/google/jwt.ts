// Checks RS256 JWTs the way Google does for service accounts: signature against a trusted public
// key (picked by kid), times, issuer, and scope or audience.
import { createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { DecodedJwt, FakeGoogleKey } from './types.js';

export const ANALYTICS_SCOPES = ['https://www.googleapis.com/auth/analytics.readonly', 'https://www.googleapis.com/auth/analytics'];
/** Google allows at most an hour between iat and exp. */
const MAX_LIFETIME_SECONDS = 3600;
/** Clock skew tolerated for iat in the future. */
const SKEW_SECONDS = 300;

interface TrustedKey {
  readonly kid: string | null;
  readonly key: KeyObject;
}

export type JwtCheck = { ok: true; jwt: DecodedJwt; email: string } | { ok: false; jwt: DecodedJwt | null; reason: string };

export function trustedKeys(keys: readonly FakeGoogleKey[]): TrustedKey[] {
  return keys.map((entry) => ({ kid: entry.kid ?? null, key: createPublicKey(entry.publicKeyPem) }));
}

function decodePart(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Header and claims of a compact JWT, unverified; null when it is not one. */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const header = decodePart(parts[0]!);
  const claims = decodePart(parts[1]!);
  return header && claims ? { header, claims } : null;
}

export interface JwtExpectations {
  readonly nowMs: number;
  /** Accepted `aud` values; a token without aud must carry an analytics scope instead. */
  readonly audiences: readonly string[];
  /** The token endpoint needs aud; a self-signed Bearer may use scope instead. */
  readonly requireAudience: boolean;
}

function hasAnalyticsScope(claims: Record<string, unknown>): boolean {
  return typeof claims.scope === 'string' && claims.scope.split(/\s+/).some((scope) => ANALYTICS_SCOPES.includes(scope));
}

export function checkJwt(token: string, keys: readonly TrustedKey[], expect: JwtExpectations): JwtCheck {
  const jwt = decodeJwt(token);
  if (!jwt) return { ok: false, jwt: null, reason: 'not a JWT' };
  const { header, claims } = jwt;
  if (header.alg !== 'RS256') return { ok: false, jwt, reason: `alg ${String(header.alg)} is not RS256` };
  const kid = typeof header.kid === 'string' ? header.kid : null;
  const candidates = kid === null ? keys : keys.filter((key) => key.kid === null || key.kid === kid);
  if (candidates.length === 0) return { ok: false, jwt, reason: `no key with kid ${kid}` };
  const [encodedHeader, encodedClaims, signature] = token.split('.') as [string, string, string];
  const signingInput = Buffer.from(`${encodedHeader}.${encodedClaims}`, 'utf8');
  const signatureBytes = Buffer.from(signature, 'base64url');
  if (!candidates.some((candidate) => verify('sha256', signingInput, candidate.key, signatureBytes))) {
    return { ok: false, jwt, reason: 'Invalid JWT Signature.' };
  }
  const nowSeconds = Math.floor(expect.nowMs / 1000);
  const { iat, exp, iss, sub, aud } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > MAX_LIFETIME_SECONDS || exp <= iat || iat > nowSeconds + SKEW_SECONDS) {
    return { ok: false, jwt, reason: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the assertion.' };
  }
  if (exp <= nowSeconds) return { ok: false, jwt, reason: 'Invalid JWT: Token has expired.' };
  if (typeof iss !== 'string' || !iss.includes('@')) return { ok: false, jwt, reason: 'Invalid JWT: iss is not a service account e-mail.' };
  // Impersonation (sub ≠ iss) needs domain-wide delegation, which a fake property never grants.
  if (sub !== undefined && sub !== iss) return { ok: false, jwt, reason: 'Invalid JWT: sub does not match iss.' };
  if (aud !== undefined && !(typeof aud === 'string' && expect.audiences.includes(aud))) return { ok: false, jwt, reason: 'Invalid JWT: Failed audience check.' };
  if (expect.requireAudience && aud === undefined) return { ok: false, jwt, reason: 'Invalid JWT: Failed audience check.' };
  if (!hasAnalyticsScope(claims) && aud === undefined) return { ok: false, jwt, reason: 'Invalid OAuth scope or ID token audience provided.' };
  if (expect.requireAudience && !hasAnalyticsScope(claims)) return { ok: false, jwt, reason: 'Invalid OAuth scope or ID token audience provided.' };
  return { ok: true, jwt, email: iss };
}
