// Errors the client raises, in plain words the UI can show as they are.

/** The core answered with an error: `message` is its own explanation (the `{ error }` body). */
export class ApiError extends Error {
  /** The HTTP status, or null over IPC. */
  readonly status: number | null;

  constructor(message: string, status: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** The server wants an access token (HTTP 401): the UI asks for one instead of showing a dead page. */
export class AuthRequiredError extends ApiError {
  constructor(message: string) {
    super(message, 401);
    this.name = 'AuthRequiredError';
  }
}

/** The message to show for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
