// Turning what Octokit throws into what the scheduler and the user need: a per-target message in
// plain words, a RateLimitedError with the time to come back, or a clear "fix your token".
import { RateLimitedError } from '../../source.js';
import { BadRecordError } from './model.js';
import { oneLine as oneLineOf } from '../common/one-line.js';

/** The whole collection failed because GitHub refused the credentials. */
export class GitHubAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubAuthError';
  }
}

export interface GraphqlErrorItem {
  readonly type?: string;
  readonly message: string;
  readonly path?: readonly (string | number)[];
}

type Headers = Readonly<Record<string, string | number | undefined>>;

interface ErrorShape {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  response?: { status?: unknown; headers?: Headers; data?: unknown };
  headers?: Headers;
  errors?: unknown;
  data?: unknown;
}

function shapeOf(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

export function isAbortError(error: unknown): boolean {
  const name = shapeOf(error).name;
  return name === 'AbortError';
}

/** The HTTP status of a failed request, or null when no response arrived. */
export function statusOf(error: unknown): number | null {
  const shape = shapeOf(error);
  const status = shape.response?.status ?? shape.status;
  return typeof status === 'number' && status > 0 && shape.response !== undefined ? status : null;
}

function headersOf(error: unknown): Headers {
  const shape = shapeOf(error);
  return shape.response?.headers ?? shape.headers ?? {};
}

const MESSAGE_LIMIT = 300;

/** One line of readable length (GitHub's messages may run a little longer than other APIs'). */
const oneLine = (text: string) => oneLineOf(text, MESSAGE_LIMIT);

/** GitHub's own words ("Not Found", "Bad credentials"…), without Octokit's appended documentation URL. */
export function gitHubMessageOf(error: unknown): string {
  const shape = shapeOf(error);
  const data = shape.response?.data;
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') {
    return oneLine((data as { message: string }).message);
  }
  const errors = graphqlErrorsOf(error);
  if (errors.length > 0) return oneLine(errors.map((item) => item.message).join('; '));
  if (typeof data === 'string' && data.trim() !== '') return oneLine(data);
  return oneLine(typeof shape.message === 'string' ? shape.message : String(error));
}

/** GraphQL `errors[]` carried by an error (GraphqlResponseError, or the throttling plugin's rate-limit error). */
export function graphqlErrorsOf(error: unknown): GraphqlErrorItem[] {
  const shape = shapeOf(error);
  const candidates = [shape.errors, (shape.data as { errors?: unknown } | undefined)?.errors, (shape.response?.data as { errors?: unknown } | undefined)?.errors];
  for (const candidate of candidates) {
    if (Array.isArray(candidate)) return candidate.filter(isGraphqlErrorItem);
  }
  return [];
}

function isGraphqlErrorItem(value: unknown): value is GraphqlErrorItem {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers[name];
  if (value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

const FALLBACK_WAIT_MS = 60_000;

/**
 * When GitHub said "wait", the epoch-ms time it allows the next request; null when the error is not a rate limit.
 * Primary limits (remaining 0, or GraphQL RATE_LIMITED) wait for the reset; secondary limits for retry-after.
 */
export function rateLimitRetryAt(error: unknown, now: number, knownResetAt: number | null = null): number | null {
  const status = statusOf(error);
  const headers = headersOf(error);
  const graphqlLimited = graphqlErrorsOf(error).some((item) => item.type === 'RATE_LIMITED');
  const limitedStatus = status === 403 || status === 429;
  const remaining = headerNumber(headers, 'x-ratelimit-remaining');
  const retryAfter = headerNumber(headers, 'retry-after');
  const reset = headerNumber(headers, 'x-ratelimit-reset');
  const secondary = /secondary rate limit/i.test(gitHubMessageOf(error));

  if (limitedStatus && retryAfter !== null) return now + retryAfter * 1000;
  if (graphqlLimited || (limitedStatus && remaining === 0)) {
    if (reset !== null) return Math.max(now, reset * 1000);
    return knownResetAt !== null && knownResetAt > now ? knownResetAt : now + FALLBACK_WAIT_MS;
  }
  // GitHub asks for at least a minute after a secondary limit without retry-after; 429 means "slow down" too.
  if (limitedStatus && (secondary || status === 429)) return now + FALLBACK_WAIT_MS;
  return null;
}

export function toRateLimitedError(retryAt: number, secondary: boolean): RateLimitedError {
  const when = new Date(retryAt).toISOString();
  const what = secondary ? 'GitHub secondary rate limit hit' : 'GitHub API rate limit exhausted';
  return new RateLimitedError(`${what}; collecting again after ${when}`, retryAt);
}

export function isSecondaryLimit(error: unknown): boolean {
  return /secondary rate limit/i.test(gitHubMessageOf(error)) || headerNumber(headersOf(error), 'retry-after') !== null;
}

export function authErrorMessage(hasToken: boolean): string {
  return hasToken
    ? 'GitHub rejected the token (401 Bad credentials): it is invalid or expired — put a valid token in github.token (e.g. "${GITHUB_TOKEN}")'
    : 'GitHub answered 401 Unauthorized to an anonymous request — set a token in github.token';
}

/**
 * Errors that end the whole collection (bad credentials, rate limits, a stop), as the error to throw;
 * null for errors that only fail the target at hand. `unauthorizedMessage` is what a 401 tells the user
 * (GitHubAuth.rejectedMessage: it depends on how the source authenticates).
 */
export function fatalErrorOf(error: unknown, unauthorizedMessage: string, now: number, knownResetAt: number | null): Error | null {
  if (error instanceof RateLimitedError || error instanceof GitHubAuthError) return error;
  if (isAbortError(error)) return error as Error;
  if (statusOf(error) === 401) return new GitHubAuthError(unauthorizedMessage);
  const retryAt = rateLimitRetryAt(error, now, knownResetAt);
  if (retryAt !== null) return toRateLimitedError(retryAt, isSecondaryLimit(error));
  return null;
}

/** A plain-words reason for a failed target (404/NOT_FOUND, 403/FORBIDDEN, server or network trouble). */
export function targetFailureMessage(error: unknown, subject: string, configKey: string): string {
  if (error instanceof BadRecordError) return error.message;
  const status = statusOf(error);
  const graphqlTypes = graphqlErrorsOf(error).map((item) => item.type);
  if (status === 404 || graphqlTypes.includes('NOT_FOUND')) {
    return `${subject} not found — check ${configKey}`;
  }
  if (status === 403 || graphqlTypes.includes('FORBIDDEN')) {
    return `GitHub refused access to ${subject} (${gitHubMessageOf(error)}) — check ${configKey} and the token's permissions`;
  }
  if (status !== null) return `GitHub answered ${status} for ${subject}: ${gitHubMessageOf(error)}`;
  return `could not read ${subject} from GitHub: ${gitHubMessageOf(error)}`;
}

