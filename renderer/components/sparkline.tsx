// A small trend line (SVG, no canvas): cheap enough for dozens of cards. It spans from the first known
// value to the newest (a young history fills the width), and a single value is a dot.
import type { Trend } from '../../shared/overview.js';

/** SVG polyline points for the values scaled into width × height, from the first known value on; gaps (null) are skipped. */
export function sparklinePoints(values: readonly (number | null)[], width: number, height: number): string {
  const known = values.flatMap((value, index) => (value === null ? [] : [{ value, index }]));
  if (known.length === 0) return '';
  const min = Math.min(...known.map((point) => point.value));
  const max = Math.max(...known.map((point) => point.value));
  const span = max - min;
  const first = known[0]!.index;
  const last = Math.max(values.length - 1 - first, 1);
  const pad = 1;
  return known
    .map(({ value, index }) => {
      const x = ((index - first) / last) * width;
      // A flat line sits in the middle rather than on the floor.
      const y = span === 0 ? height / 2 : pad + (1 - (value - min) / span) * (height - 2 * pad);
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

/** Where to draw the only known value as a dot (at the right, where "now" is), or null when there are none or several. */
export function sparklineDot(values: readonly (number | null)[], width: number, height: number, radius: number): { x: number; y: number } | null {
  const known = values.filter((value) => value !== null);
  if (known.length !== 1) return null;
  return { x: round(width - radius), y: round(height / 2) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const DOT_RADIUS = 2.5;

export function Sparkline(props: { readonly trend: Trend; readonly label: string; readonly width?: number; readonly height?: number }) {
  const width = props.width ?? 120;
  const height = props.height ?? 32;
  const dot = sparklineDot(props.trend.values, width, height, DOT_RADIUS);
  const points = dot ? '' : sparklinePoints(props.trend.values, width, height);
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={props.label} data-testid="sparkline">
      {dot ? <circle cx={dot.x} cy={dot.y} r={DOT_RADIUS} /> : null}
      {points ? <polyline points={points} fill="none" vectorEffect="non-scaling-stroke" /> : null}
    </svg>
  );
}
