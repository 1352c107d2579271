// How a command ends: its exit code, and the error that means the user asked for something wrong.

/** Exit codes: 0 fine, 1 something failed at run time, 2 bad usage or configuration. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Bad usage (an unknown option value, a source that is not configured): printed as is, exit code 2. */
export class UsageError extends Error {}
