// What can go wrong talking to Google, as typed errors, and their plain-words messages: which of
// them fail one property and which end the whole collection.
import { oneLine } from '../common/one-line.js';

/** Google's messages run longer than most APIs' and say what to do: room for 300 characters. */
const MESSAGE_LIMIT = 300;

/** An error reply of the Data API: HTTP status, Google's status word (PERMISSION_DENIED…) and its message. */
export class GoogleApiError extends Error {
  readonly status: number;
  readonly googleStatus: string | null;
  readonly apiMessage: string;
  constructor(status: number, googleStatus: string | null, apiMessage: string) {
    super(`Google answered ${status}${googleStatus ? ` ${googleStatus}` : ''}: ${apiMessage}`);
    this.name = 'GoogleApiError';
    this.status = status;
    this.googleStatus = googleStatus;
    this.apiMessage = apiMessage;
  }
}

/** No reply at all (network failure, timeout) after the retries. */
export class GoogleUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoogleUnreachableError';
  }
}

/** A success reply whose body is not what the API documents. */
export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

/** Google refused the service account's credentials even after renewing them: ends the collection. */
export class GoogleAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoogleAuthError';
  }
}

/** Google's `{"error":{"code","message","status"}}` body as a GoogleApiError; other bodies keep their text. */
export function apiErrorOf(status: number, text: string): GoogleApiError {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; status?: unknown } };
    const error = body?.error;
    if (error && typeof error === 'object') {
      const message = typeof error.message === 'string' && error.message.trim() !== '' ? oneLine(error.message, MESSAGE_LIMIT) : `HTTP ${status}`;
      return new GoogleApiError(status, typeof error.status === 'string' ? error.status : null, message);
    }
  } catch {
    // Not JSON: a proxy or load balancer answered; its text is the best explanation there is.
  }
  return new GoogleApiError(status, null, text.trim() === '' ? `HTTP ${status}` : oneLine(text, MESSAGE_LIMIT));
}

/** The OAuth endpoint's `{"error","error_description"}` as one phrase. */
export function oauthErrorText(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body?.error === 'string') {
      return typeof body.error_description === 'string' ? `${body.error}: ${oneLine(body.error_description, MESSAGE_LIMIT)}` : body.error;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.trim() === '' ? `HTTP ${status}` : oneLine(text, MESSAGE_LIMIT);
}

export interface PropertyFailureContext {
  readonly propertyId: string;
  readonly clientEmail: string;
  readonly projectId: string | null;
}

function apiDisabled(error: GoogleApiError): boolean {
  return /has not been used in project|is disabled|SERVICE_DISABLED|API not enabled/i.test(error.apiMessage);
}

/** The message of a property that failed with an API error reply, saying what to do about it. */
export function apiFailureMessage(error: GoogleApiError, context: PropertyFailureContext): string {
  const { propertyId, clientEmail, projectId } = context;
  if (error.status === 403 && apiDisabled(error)) {
    const project = projectId ? ` ${projectId}` : '';
    return `the Google Analytics Data API is not enabled in the service account's project${project} — enable it in Google Cloud console (APIs & Services → Library → "Google Analytics Data API"). Google said: ${error.apiMessage}`;
  }
  if (error.status === 403) {
    return `Google Analytics refused access to property ${propertyId} (${error.googleStatus ?? 'PERMISSION_DENIED'}) — add ${clientEmail} as a Viewer of GA4 property ${propertyId} (Admin → Property access management), and check that ${propertyId} is the property ID listed in ga4.properties`;
  }
  if (error.status === 400) {
    return `Google Analytics refused the report request for property ${propertyId} (${error.googleStatus ?? 'INVALID_ARGUMENT'}): ${error.apiMessage}`;
  }
  if (error.status === 404) return `GA4 property ${propertyId} was not found (${error.apiMessage}) — check ga4.properties`;
  return `Google Analytics answered ${error.status}${error.googleStatus ? ` ${error.googleStatus}` : ''} for property ${propertyId}: ${error.apiMessage}`;
}
