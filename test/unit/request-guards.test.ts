// Who may ask the server: the Host rule (DNS rebinding) and the access-token check.
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { credentialCheck, hostAllowed, hostName, hostRule, tokenDigest } from '../../electron/core/request-guards.js';

describe('the Host rule', () => {
  it('reads the name of a Host header without port or brackets, in lower case', () => {
    expect(hostName('Footprint.Local:8443')).toBe('footprint.local');
    expect(hostName('[::1]:9171')).toBe('::1');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
    for (const malformed of [undefined, '', ':9171', 'a:b:c', '[::1', 'evil.example:99999999', 'a b']) expect(hostName(malformed)).toBeNull();
  });

  it('on loopback answers localhost, IP addresses and the allowed names only', () => {
    const rule = hostRule(true, ['Footprint.Local']);
    for (const host of ['localhost:9171', '127.0.0.1:9171', '[::1]:9171', '192.168.1.5', 'footprint.local', 'FOOTPRINT.local:443']) expect(hostAllowed(host, rule)).toBe(true);
    for (const host of [undefined, '', 'rebound.example', 'footprint.local.rebound.example', 'localhost.rebound.example', 'sub.footprint.local']) expect(hostAllowed(host, rule)).toBe(false);
    expect(hostAllowed('footprint.local', hostRule(true))).toBe(false);
  });

  it('on other addresses checks only once server.allowedHosts lists a name', () => {
    expect(hostAllowed('anything.example', hostRule(false))).toBe(true);
    expect(hostAllowed('footprint:9171', hostRule(false))).toBe(true); // the deploy kit's Prometheus
    const listed = hostRule(false, ['footprint']);
    expect(hostAllowed('footprint:9171', listed)).toBe(true);
    expect(hostAllowed('10.0.0.5:9171', listed)).toBe(true);
    expect(hostAllowed('rebound.example:9171', listed)).toBe(false);
  });
});

describe('the access-token check', () => {
  const token = 'a-token-of-24-characters';
  const expected = tokenDigest(token);
  const request = (headers: http.IncomingHttpHeaders) => ({ headers }) as http.IncomingMessage;
  const url = (query = '') => new URL(`http://localhost/api/info${query}`);

  it('accepts the token as bearer, basic password, ?token= or session cookie', () => {
    expect(credentialCheck(request({ authorization: `Bearer ${token}` }), url(), expected)).toBe('ok');
    expect(credentialCheck(request({ authorization: `Basic ${Buffer.from(`anyone:${token}`).toString('base64')}` }), url(), expected)).toBe('ok');
    expect(credentialCheck(request({}), url(`?token=${token}`), expected)).toBe('ok');
    expect(credentialCheck(request({ cookie: `x=1; footprint_session=${encodeURIComponent(token)}` }), url(), expected)).toBe('ok');
    // A stale cookie beside the right password (a browser after the token changed).
    expect(credentialCheck(request({ cookie: 'footprint_session=old', authorization: `Bearer ${token}` }), url(), expected)).toBe('ok');
  });

  it('tells a wrong token (a guess) from none at all (a first visit)', () => {
    expect(credentialCheck(request({}), url(), expected)).toBe('none');
    expect(credentialCheck(request({ cookie: 'theme=dark' }), url(), expected)).toBe('none');
    for (const wrong of [`${token}x`, token.slice(0, -1), '', token.toUpperCase()]) {
      expect(credentialCheck(request({ authorization: `Bearer ${wrong}` }), url(), expected)).toBe('wrong');
    }
    expect(credentialCheck(request({ cookie: 'footprint_session=%E0%A4%A' }), url(), expected)).toBe('wrong');
    expect(credentialCheck(request({ authorization: 'Basic !!!' }), url(), expected)).toBe('wrong');
  });
});
