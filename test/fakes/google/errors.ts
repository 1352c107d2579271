// Error bodies as Google sends them (test/fixtures/api/ga4_error_*.json, google_oauth_token_error.json).

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string };
}

const API_ERRORS: Readonly<Record<number, { status: string; message: string }>> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: {
    status: 'UNAUTHENTICATED',
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  },
  403: {
    status: 'PERMISSION_DENIED',
    message:
      'User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.',
  },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: { status: 'RESOURCE_EXHAUSTED', message: 'Exhausted property tokens per day. These quota tokens will return in under 24 hours.' },
  500: { status: 'INTERNAL', message: 'Internal error encountered.' },
  503: { status: 'UNAVAILABLE', message: 'The service is currently unavailable.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'The request timed out.' },
};

export const HOURLY_EXHAUSTED = 'Exhausted property tokens per hour. These quota tokens will return in under an hour.';
export const DAILY_EXHAUSTED = API_ERRORS[429]!.message;

export function apiError(code: number, message?: string): GoogleErrorBody {
  const known = API_ERRORS[code] ?? { status: code >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION', message: `HTTP ${code}` };
  return { error: { code, message: message ?? known.message, status: known.status } };
}

export function invalidArgument(message: string): GoogleErrorBody {
  return apiError(400, message);
}

export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

export function oauthError(error: string, description: string): OAuthErrorBody {
  return { error, error_description: description };
}

/** The OAuth endpoint's body for an injected failure of the given status. */
export function oauthFailure(status: number, message?: string): OAuthErrorBody {
  if (status === 400) return oauthError('invalid_grant', message ?? 'Invalid JWT Signature.');
  if (status === 401) return oauthError('invalid_client', message ?? 'The OAuth client was not found.');
  if (status === 429) return oauthError('rate_limit_exceeded', message ?? 'Rate limit exceeded.');
  return oauthError('internal_failure', message ?? 'Backend Error');
}
