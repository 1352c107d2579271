// What can go wrong talking to Docker Hub, and the plain words the status view shows for it.
import { oneLine } from '../common/one-line.js';

/** The whole collection failed because Docker Hub refused the configured login. */
export class DockerHubAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerHubAuthError';
  }
}

/** No HTTP answer arrived (connection refused, DNS, timeout), retries included. */
export class DockerHubNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerHubNetworkError';
  }
}

/** Docker Hub answered with a status the caller cannot use. */
export class DockerHubStatusError extends Error {
  readonly status: number;
  /** Docker Hub's own words ("object not found"), or the start of whatever else the body held. */
  readonly detail: string;
  /** True when the body was a Docker Hub error object; false for a server's generic page (an unknown route). */
  readonly fromDockerHub: boolean;
  constructor(status: number, body: string) {
    const { detail, fromDockerHub } = describeErrorBody(body);
    super(`Docker Hub answered ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'DockerHubStatusError';
    this.status = status;
    this.detail = detail;
    this.fromDockerHub = fromDockerHub;
  }
}

/** A successful answer whose body is not what Docker Hub sends (not JSON, or the wrong shape). */
export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

/** Docker Hub's errors are `{message?, detail?, errinfo?}` (see test/fixtures/api dockerhub_error_*.json). */
function describeErrorBody(body: string): { detail: string; fromDockerHub: boolean } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const { message, detail } = parsed as { message?: unknown; detail?: unknown };
      const words = [detail, message].find((value): value is string => typeof value === 'string' && value.trim() !== '');
      if (words !== undefined) return { detail: oneLine(words), fromDockerHub: true };
    }
  } catch {
    // Not JSON: a generic server page, described below.
  }
  return { detail: oneLine(body), fromDockerHub: false };
}

/** A plain-words reason for a failed namespace or image, naming the config key to fix. */
export function targetFailureMessage(error: unknown, subject: string, configKey: string, loggedIn: boolean): string {
  if (error instanceof DockerHubStatusError) {
    if (error.status === 404) return `${subject} not found on Docker Hub — check ${configKey}`;
    if (error.status === 401 || error.status === 403) {
      return loggedIn
        ? `Docker Hub refused access to ${subject} (${error.detail || error.status}) — check ${configKey} and that dockerhub.username may read it`
        : `Docker Hub refused access to ${subject} without a login (${error.detail || error.status}) — for a private repository set dockerhub.username and dockerhub.token`;
    }
    return `Docker Hub answered ${error.status} for ${subject}${error.detail ? ` (${error.detail})` : ''} — it will be tried again next run`;
  }
  if (error instanceof MalformedResponseError) return `${subject}: ${error.message}`;
  if (error instanceof DockerHubNetworkError) return `could not read ${subject}: ${error.message}`;
  return `could not read ${subject}: ${error instanceof Error ? error.message : String(error)}`;
}

