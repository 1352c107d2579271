// JWTs as POST /v2/auth/token issues them: HS256-signed with a key of this fake, `exp` in epoch seconds.
// Each is also remembered by id with its exact expiry in ms, so a 1-second lifetime is exact in tests.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export type TokenCheck = { readonly valid: true; readonly subject: string } | { readonly valid: false; readonly reason: 'expired' | 'invalid' };

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly lifetimeMs: number;
  private readonly expiresAt = new Map<string, number>();
  private count = 0;

  constructor(lifetimeSeconds: number) {
    if (!Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0) {
      throw new Error(`FakeDockerHubOptions.tokenLifetimeSeconds must be a positive number, got ${JSON.stringify(lifetimeSeconds)}`);
    }
    this.lifetimeMs = lifetimeSeconds * 1000;
  }

  get issued(): number {
    return this.count;
  }

  issue(subject: string): string {
    const now = Date.now();
    const id = randomUUID();
    const expiresAt = now + this.lifetimeMs;
    this.expiresAt.set(id, expiresAt);
    this.count++;
    const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: subject, username: subject, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000), jti: id, iss: 'fake-docker-hub' })}`;
    return `${unsigned}.${this.sign(unsigned)}`;
  }

  check(jwt: string): TokenCheck {
    const [header, payload, signature] = jwt.split('.');
    if (header === undefined || payload === undefined || signature === undefined) return { valid: false, reason: 'invalid' };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, reason: 'invalid' };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; jti: string };
    const expiresAt = this.expiresAt.get(claims.jti);
    if (expiresAt === undefined || Date.now() >= expiresAt) return { valid: false, reason: 'expired' };
    return { valid: true, subject: claims.sub };
  }

  expireAll(): void {
    const now = Date.now();
    for (const id of this.expiresAt.keys()) this.expiresAt.set(id, now);
  }

  private sign(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}
