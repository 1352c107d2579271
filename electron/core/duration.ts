// Durations in config are human text ("30s", "10m", "6h", "1d", "1h30m"); the core works in milliseconds.
import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

/** Longer text is no duration anyone writes; refusing it early keeps a pathological value cheap. */
const MAX_DURATION_TEXT = 64;

/**
 * Parses "1h30m" style text; returns null when the text is not a duration, or names a span too long
 * to be a safe whole number of milliseconds (e.g. "1" and 400 zeros "d", which is Infinity).
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_DURATION_TEXT) return null;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const match = PART.exec(trimmed);
    if (!match) return null;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  const ms = Math.round(total);
  return Number.isSafeInteger(ms) ? ms : null;
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** A span in seconds for messages: 20000 → "20 s", 1500 → "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

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
