import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MASK, redactDeep, redactSecrets, registerSecrets } from '../../electron/core/secrets.js';
import { fakeGitHubToken, fakeDockerHubToken } from '../support/test-tokens.js';

/** A fresh secret per test, shaped unlike any credential pattern so only registration can mask it. */
function newSecret(): string {
  return `pw-${randomUUID()}`;
}

describe('registerSecrets / redactSecrets', () => {
  it('masks every occurrence of a registered value', () => {
    const secret = newSecret();
    expect(redactSecrets(`a ${secret} b`)).toBe(`a ${secret} b`);
    registerSecrets([secret]);
    expect(redactSecrets(`a ${secret} b ${secret}${secret}`)).toBe(`a ${MASK} b ${MASK}${MASK}`);
  });

  it('ignores empty, missing and very short values', () => {
    registerSecrets(['', undefined, null, 'ab', 'abcde']);
    expect(redactSecrets('ab abcde')).toBe('ab abcde');
  });

  it('masks a secret containing regular-expression characters literally', () => {
    const secret = `a.b*c+(d)[e]${randomUUID()}$`;
    registerSecrets([secret]);
    expect(redactSecrets(`x${secret}y`)).toBe(`x${MASK}y`);
    expect(redactSecrets('aXb*c+(d)[e]')).toBe('aXb*c+(d)[e]');
  });

  it('masks a secret that contains another one whole, not in pieces', () => {
    const inner = newSecret();
    const outer = `${inner}-and-more`;
    registerSecrets([inner, outer]);
    expect(redactSecrets(`[${outer}]`)).toBe(`[${MASK}]`);
  });

  it('masks secrets far longer than a regular expression may be, and never quotes them in an error', () => {
    // V8 refuses a RegExp source over about 32 KB, with an error quoting the whole source.
    const long = `${newSecret()}${'x'.repeat(100_000)}`;
    const other = `${newSecret()}${'y'.repeat(40_000)}`;
    registerSecrets([long, other]);
    expect(redactSecrets(`a ${long} b ${other} c`)).toBe(`a ${MASK} b ${MASK} c`);
  });

  it('masks the JSON-escaped and URL-encoded forms and the trimmed value', () => {
    const secret = `p"w/d ${randomUUID()}\\`;
    registerSecrets([`  ${secret}\n`]);
    expect(redactSecrets(JSON.stringify({ body: secret }))).toBe(`{"body":"${MASK}"}`);
    expect(redactSecrets(`https://x.test/?k=${encodeURIComponent(secret)}`)).toBe(`https://x.test/?k=${MASK}`);
    expect(redactSecrets(`<${secret}>`)).toBe(`<${MASK}>`);
  });

  it('masks credential-shaped strings nobody registered', () => {
    const cases: [string, string][] = [
      [`token ${fakeGitHubToken()} used`, `token ${MASK} used`],
      ['gho_0123456789abcdefghij0123', MASK],
      ['ghs_abcdefghijabcdefghij, ghu_abcdefghijabcdefghij; ghr_abcdefghijabcdefghij', `${MASK}, ${MASK}; ${MASK}`],
      ['GITHUB_TOKEN=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', `GITHUB_TOKEN=${MASK}`],
      [fakeDockerHubToken(), MASK],
      ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', `Authorization: Bearer ${MASK}`],
      ['authorization: token 0123456789abcdef0123', `authorization: token ${MASK}`],
    ];
    for (const [input, expected] of cases) expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves prose around the word token readable', () => {
    expect(redactSecrets('the token expired; token is not set')).toBe('the token expired; token is not set');
    expect(redactSecrets('gh_abc ghp_short')).toBe('gh_abc ghp_short');
  });

  it('masks a PEM private key block, also when it is cut off', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nabc==\n-----END PRIVATE KEY-----';
    expect(redactSecrets(`key: ${pem}\nnext`)).toBe(`key: ${MASK}\nnext`);
    expect(redactSecrets(JSON.stringify({ private_key: pem }))).toBe(`{"private_key":"${MASK}"}`);
    expect(redactSecrets('x -----BEGIN RSA PRIVATE KEY-----\nMIIEow')).toBe(`x ${MASK}`);
    expect(redactSecrets('-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----')).toContain('MII');
  });
});

describe('redactDeep', () => {
  it('returns a masked copy and leaves the original alone', () => {
    const secret = newSecret();
    registerSecrets([secret]);
    const original = { a: [`x ${secret}`, 1, true, null], b: { c: { d: secret } }, token: 'unregistered-value', count: 3 };
    const copy = redactDeep(original);
    expect(copy).toEqual({ a: [`x ${MASK}`, 1, true, null], b: { c: { d: MASK } }, token: MASK, count: 3 });
    expect(original.b.c.d).toBe(secret);
    expect(original.token).toBe('unregistered-value');
  });

  it('masks values under secret-sounding keys, whatever their spelling', () => {
    const copy = redactDeep({ Authorization: 'Basic x', headers: { 'x-api-key': 'k1', cookie: 'c=1' }, client_secret: 's', private_key: 'p', password: 'pw', tokenCount: 5, token: '' });
    expect(copy).toEqual({ Authorization: MASK, headers: { 'x-api-key': MASK, cookie: MASK }, client_secret: MASK, private_key: MASK, password: MASK, tokenCount: 5, token: '' });
  });

  it('keeps an Error an Error, with message, stack and own fields masked', () => {
    const secret = newSecret();
    registerSecrets([secret]);
    class RequestFailed extends Error {
      status = 401;
      request = { headers: { authorization: `token ${secret}` } };
    }
    const error = new RequestFailed(`bad credentials ${secret}`, { cause: new Error(`inner ${secret}`) });
    const copy = redactDeep(error);
    expect(copy).toBeInstanceOf(RequestFailed);
    expect(copy).not.toBe(error);
    expect(copy.message).toBe(`bad credentials ${MASK}`);
    expect(copy.stack).toContain(`bad credentials ${MASK}`);
    expect(copy.stack).not.toContain(secret);
    expect((copy.cause as Error).message).toBe(`inner ${MASK}`);
    expect(copy.request.headers.authorization).toBe(MASK);
    expect(copy.status).toBe(401);
    expect(error.message).toContain(secret);
  });

  it('survives cycles and keeps their shape', () => {
    const secret = newSecret();
    registerSecrets([secret]);
    const node: Record<string, unknown> = { name: secret };
    node.self = node;
    node.list = [node];
    const copy = redactDeep(node);
    expect(copy.name).toBe(MASK);
    expect(copy.self).toBe(copy);
    expect((copy.list as unknown[])[0]).toBe(copy);
  });

  it('masks inside Maps, Sets and objects with toJSON (a URL)', () => {
    const secret = newSecret();
    registerSecrets([secret]);
    const copy = redactDeep({ map: new Map([['token', 'abcdefgh'], ['k', secret]]), set: new Set([secret]), url: new URL(`https://x.test/?q=${secret}`) });
    expect([...copy.map]).toEqual([['token', MASK], ['k', MASK]]);
    expect([...copy.set]).toEqual([MASK]);
    expect(copy.url).toBe(`https://x.test/?q=${MASK}`);
  });
});
