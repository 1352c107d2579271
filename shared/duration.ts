// Durations as people write them in the config file and read them in the UI: "30s", "10m", "6h",
// "1d", "1h30m". One notation both ways, for the core (config, CLI, messages) and the renderer.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
/** The units formatDuration writes, largest first (no weeks: "14d" reads better than "2w"). */
const FORMAT_UNITS = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]] as const;

/** Longer text is no duration anyone writes; refusing it early keeps a pathological value cheap. */
export const MAX_DURATION_TEXT = 64;

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

/**
 * Milliseconds in the same notation, exact and largest unit first, so parseDuration reads it back:
 * 5_400_000 → "1h30m", 604_800_000 → "7d", 1_500 → "1s500ms", 0 → "0s".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`formatDuration needs a whole, non-negative number of milliseconds, not ${ms}`);
  let rest = Math.round(ms);
  const parts: string[] = [];
  for (const [unit, size] of FORMAT_UNITS) {
    const count = Math.floor(rest / size);
    if (count === 0) continue;
    parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join('') || '0s';
}

/** A span in seconds for messages: 20000 → "20 s", 1500 → "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
