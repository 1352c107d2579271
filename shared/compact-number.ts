// Compact numbers for the tray and shared badges: at most three significant digits with a k/M/B/T suffix ("999", "1.2k",
// "12k", "123k", "1.2M"). Digits are cut, never rounded up, so a badge never shows a figure that
// has not been reached yet (1,999 stars is "1.9k", not "2k").

const UNITS = ['', 'k', 'M', 'B', 'T'] as const;

export interface CompactOptions {
  /** Show "+" before positive numbers (a change); negative numbers always get "-". */
  readonly signed?: boolean;
}

interface Parts {
  readonly sign: '' | '+' | '-';
  /** Precise first ("1.2"), then without the decimal ("1"). */
  readonly digits: readonly string[];
  readonly unit: string;
}

function parts(value: number, options: CompactOptions): Parts {
  const sign = value < 0 ? '-' : options.signed && value > 0 ? '+' : '';
  const magnitude = Math.abs(value);
  let unitIndex = 0;
  while (unitIndex < UNITS.length - 1 && magnitude >= 1000 ** (unitIndex + 1)) unitIndex++;
  const scaled = magnitude / 1000 ** unitIndex;
  const whole = Math.floor(scaled);
  const digits: string[] = [];
  if (unitIndex > 0 && scaled < 10) {
    // A tenth is cut, not rounded; "1.0k" reads as "1k".
    const tenths = Math.floor(Math.round(scaled * 1e6) / 1e5) % 10;
    if (tenths !== 0) digits.push(`${whole}.${tenths}`);
  }
  digits.push(String(whole));
  return { sign: sign === '-' && whole === 0 && digits.length === 1 ? '' : sign, digits, unit: UNITS[unitIndex]! };
}

/** The compact form of a finite number; "--" when there is no number to show. */
export function compactNumber(value: number, options: CompactOptions = {}): string {
  if (!Number.isFinite(value)) return '--';
  const { sign, digits, unit } = parts(value, options);
  return `${sign}${digits[0]}${unit}`;
}

/**
 * The compact form, then shorter forms for tight places (a 16-pixel icon): without the decimal,
 * then without a "+" sign. A "-" is never dropped: it changes the meaning.
 */
export function compactNumberVariants(value: number, options: CompactOptions = {}): string[] {
  if (!Number.isFinite(value)) return ['--'];
  const { sign, digits, unit } = parts(value, options);
  const variants = digits.map((digit) => `${sign}${digit}${unit}`);
  if (sign === '+') variants.push(...digits.map((digit) => `${digit}${unit}`));
  return [...new Set(variants)];
}

/** A whole number with thousands separators, for tooltips and notifications ("12,345"). */
export function fullNumber(value: number): string {
  return Number.isFinite(value) ? Math.trunc(value).toLocaleString('en-US') : '--';
}
