// A request the API refuses, with the HTTP status that says why (over IPC only the message travels).

export class ApiError extends Error {
  readonly status: number;
  /** For 429 and 503: when the client may try again. */
  readonly retryAfterSeconds: number | null;
  constructor(status: number, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}
