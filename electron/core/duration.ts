// Config fields holding a duration ("30s", "10m", "6h", "1d", "1h30m"): parsed to milliseconds, with
// bounds and errors that say what to write. The notation itself is shared/duration.ts.
import { z } from 'zod';
import { formatDuration, MAX_DURATION_TEXT, parseDuration } from '../../shared/duration.js';

/** The longest poll interval: a source polled less than weekly is not being watched. */
export const MAX_INTERVAL_MS = 7 * 86_400_000;

/** How a source's `interval` key is bounded. */
export function intervalSchema() {
  return durationSchema(1_000, MAX_INTERVAL_MS);
}

/** A config field holding a duration from `minMs` to `maxMs`, given as text; parses to milliseconds. */
export function durationSchema(minMs: number, maxMs: number) {
  return z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    const shown = text.length > MAX_DURATION_TEXT ? `${text.slice(0, 20)}…` : text;
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `"${shown}" is not a duration: write a number with a unit, e.g. "30s", "10m", "6h", "1d"` });
      return z.NEVER;
    }
    if (ms < minMs) {
      ctx.addIssue({ code: 'custom', message: `${shown} is too short: use at least ${formatDuration(minMs)}` });
      return z.NEVER;
    }
    if (ms > maxMs) {
      ctx.addIssue({ code: 'custom', message: `${shown} is too long: use at most ${formatDuration(maxMs)}` });
      return z.NEVER;
    }
    return ms;
  });
}
