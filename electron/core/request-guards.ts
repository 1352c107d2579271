// Who may ask the HTTP server: requests a web page elsewhere could forge (a foreign Host, i.e. DNS
// rebinding; a cross-origin or non-JSON POST, i.e. CSRF), and whether a request carries the access
// token. Pure functions of the request; server.ts decides what to answer.
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import net from 'node:net';

export const SESSION_COOKIE = 'footprint_session';

/** The name of a Host header: lower case, without port or IPv6 brackets; null when it is absent or malformed. */
export function hostName(header: string | undefined): string | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::\d{1,5})?$/.exec(header ?? '');
  return match ? match[1]!.replace(/^\[(.*)\]$/, '$1').toLowerCase() : null;
}

export interface HostRule {
  /** Check the Host of every request: always on loopback, elsewhere once names are listed. */
  readonly enforced: boolean;
  /** server.allowedHosts, lower case. */
  readonly names: ReadonlySet<string>;
}

export function hostRule(loopback: boolean, allowedHosts: readonly string[] = []): HostRule {
  return { enforced: loopback || allowedHosts.length > 0, names: new Set(allowedHosts.map((name) => name.toLowerCase())) };
}

/**
 * Whether a request's Host names this server. A page that rebinds its own name to this machine still
 * sends that name, so only names the user chose pass: localhost, server.allowedHosts, and IP
 * addresses (DNS does not rebind an address).
 */
export function hostAllowed(header: string | undefined, rule: HostRule): boolean {
  if (!rule.enforced) return true;
  const name = hostName(header);
  return name !== null && (name === 'localhost' || net.isIP(name) !== 0 || rule.names.has(name));
}

/** A cross-origin or non-JSON POST (what a form or a script on another site can send): the reason, or null. */
export function crossSiteProblem(request: http.IncomingMessage): string | null {
  if (request.method !== 'POST') return null;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`) return `requests from ${origin.slice(0, 200)} are not allowed`;
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return 'send the request body as application/json';
  return null;
}

/** The token's SHA-256, compared instead of the token itself: every comparison takes the same time, whatever the length given. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function matches(given: string, expected: Buffer): boolean {
  return timingSafeEqual(tokenDigest(given), expected);
}

function decodeCookie(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // not %-encoded as we set it: compared as it is (and so wrong)
  }
}

export function cookieToken(request: http.IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeCookie(value.join('='));
  }
  return null;
}

/**
 * Bearer token, Basic password (any user name: what a browser's login prompt sends), ?token= (a link
 * or EventSource), or the session cookie a valid ?token= sets. `none`: the request presents no token
 * at all (a first visit), which is not a guess.
 */
export function credentialCheck(request: http.IncomingMessage, url: URL, expected: Buffer): 'ok' | 'wrong' | 'none' {
  const given: string[] = [];
  const cookie = cookieToken(request);
  if (cookie !== null) given.push(cookie);
  const [scheme = '', value = ''] = (request.headers.authorization ?? '').split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') given.push(value.trim());
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    given.push(decoded.slice(decoded.indexOf(':') + 1));
  }
  const query = url.searchParams.get('token');
  if (query !== null) given.push(query);
  if (given.length === 0) return 'none';
  // Every candidate is compared, so the time does not tell which one was right.
  let ok = false;
  for (const candidate of given) ok = matches(candidate, expected) || ok;
  return ok ? 'ok' : 'wrong';
}
