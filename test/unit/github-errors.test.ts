import { describe, expect, it } from 'vitest';
import { RequestError } from '@octokit/request-error';
import { RateLimitedError } from '../../electron/core/source.js';
import { authErrorMessage, fatalErrorOf, GitHubAuthError, rateLimitRetryAt, targetFailureMessage } from '../../electron/core/sources/github/errors.js';
import { redactSecret as redact } from '../../electron/core/secrets.js';

const NOW = Date.parse('2025-06-02T11:22:54Z');

function httpError(status: number, message: string, headers: Record<string, string> = {}): RequestError {
  return new RequestError(`${message} - https://docs.github.com/rest`, status, {
    request: { method: 'GET', url: 'https://api.github.com/orgs/x/repos', headers: { authorization: 'token secret-value' } },
    response: { status, url: 'https://api.github.com/orgs/x/repos', headers, data: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) } },
  });
}

function graphqlError(errors: { type?: string; message: string; path?: string[] }[], headers: Record<string, string> = {}) {
  return Object.assign(new Error(errors.map((error) => error.message).join('\n')), { name: 'GraphqlResponseError', errors, headers, data: null });
}

describe('rate limit detection', () => {
  it('waits for the reset after a primary limit (403 or 429 with remaining 0)', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1748866000' };
    expect(rateLimitRetryAt(httpError(403, 'API rate limit exceeded for user ID 1234567.', headers), NOW)).toBe(1_748_866_000_000);
    expect(rateLimitRetryAt(httpError(429, 'API rate limit exceeded', headers), NOW)).toBe(1_748_866_000_000);
  });

  it('waits retry-after after a secondary limit, or a minute without one', () => {
    const message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
    expect(rateLimitRetryAt(httpError(403, message, { 'retry-after': '90', 'x-ratelimit-remaining': '4912' }), NOW)).toBe(NOW + 90_000);
    expect(rateLimitRetryAt(httpError(403, message, { 'x-ratelimit-remaining': '4912' }), NOW)).toBe(NOW + 60_000);
  });

  it('recognises GraphQL RATE_LIMITED, using the reset header or the known reset', () => {
    const limited = [{ type: 'RATE_LIMITED', message: 'API rate limit already exceeded for user ID 1234567.' }];
    expect(rateLimitRetryAt(graphqlError(limited, { 'x-ratelimit-reset': '1748870000' }), NOW)).toBe(1_748_870_000_000);
    expect(rateLimitRetryAt(graphqlError(limited), NOW, NOW + 5_000)).toBe(NOW + 5_000);
    expect(rateLimitRetryAt(graphqlError(limited), NOW, null)).toBe(NOW + 60_000);
  });

  it('does not take other refusals for rate limits', () => {
    expect(rateLimitRetryAt(httpError(403, 'Must have push access to repository', { 'x-ratelimit-remaining': '4999' }), NOW)).toBeNull();
    expect(rateLimitRetryAt(httpError(404, 'Not Found'), NOW)).toBeNull();
    expect(rateLimitRetryAt(new Error('socket hang up'), NOW)).toBeNull();
  });
});

describe('fatal errors', () => {
  it('turns 401 into a GitHubAuthError that names github.token', () => {
    const withToken = fatalErrorOf(httpError(401, 'Bad credentials'), authErrorMessage(true), NOW, null);
    expect(withToken).toBeInstanceOf(GitHubAuthError);
    expect(withToken!.message).toMatch(/invalid or expired .*github\.token/);
    expect(fatalErrorOf(httpError(401, 'Requires authentication'), authErrorMessage(false), NOW, null)!.message).toMatch(/set a token in github\.token/);
  });

  it('turns rate limits into RateLimitedError with retryAt, and leaves target failures alone', () => {
    const fatal = fatalErrorOf(httpError(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1748866000' }), authErrorMessage(true), NOW, null);
    expect(fatal).toBeInstanceOf(RateLimitedError);
    expect((fatal as RateLimitedError).retryAt).toBe(1_748_866_000_000);
    expect(fatal!.message).toMatch(/rate limit/);
    expect(fatalErrorOf(httpError(404, 'Not Found'), authErrorMessage(true), NOW, null)).toBeNull();
    expect(fatalErrorOf(httpError(500, 'Server Error'), authErrorMessage(true), NOW, null)).toBeNull();
  });

  it('passes a stop through', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(fatalErrorOf(abort, authErrorMessage(true), NOW, null)).toBe(abort);
  });
});

describe('target failure messages', () => {
  it('says in plain words what is wrong and which key to check', () => {
    expect(targetFailureMessage(httpError(404, 'Not Found'), "organization 'x'", 'github.orgs')).toBe("organization 'x' not found — check github.orgs");
    expect(targetFailureMessage(graphqlError([{ type: 'NOT_FOUND', message: "Could not resolve to a Repository with the name 'a/b'.", path: ['r0'] }]), "repository 'a/b'", 'github.repos')).toBe(
      "repository 'a/b' not found — check github.repos",
    );
    expect(targetFailureMessage(httpError(403, 'Resource protected by organization SAML enforcement.'), "organization 'x'", 'github.orgs')).toBe(
      "GitHub refused access to organization 'x' (Resource protected by organization SAML enforcement.) — check github.orgs and the token's permissions",
    );
    expect(targetFailureMessage(httpError(502, 'Bad Gateway'), "user 'u'", 'github.users')).toBe("GitHub answered 502 for user 'u': Bad Gateway");
    expect(targetFailureMessage(new Error('connect ECONNREFUSED 127.0.0.1:1'), "user 'u'", 'github.users')).toBe("could not read user 'u' from GitHub: connect ECONNREFUSED 127.0.0.1:1");
  });

  it('keeps an HTML error page to one short line', () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${'<p>upstream trouble</p>'.repeat(100)}</body></html>`;
    const error = new RequestError(page, 502, {
      request: { method: 'POST', url: 'https://api.github.com/graphql', headers: {} },
      response: { status: 502, url: 'https://api.github.com/graphql', headers: {}, data: page },
    });
    const message = targetFailureMessage(error, "organization 'x'", 'github.orgs');
    expect(message.startsWith("GitHub answered 502 for organization 'x': 502 Bad Gateway upstream trouble")).toBe(true);
    expect(message).not.toContain('<');
    expect(message.length).toBeLessThan(400);
  });

  it('redacts a secret wherever it appears', () => {
    expect(redact('token ghp_abc failed; ghp_abc again', 'ghp_abc')).toBe('token *** failed; *** again');
    expect(redact('nothing here', undefined)).toBe('nothing here');
  });
});
