// A small trend line (SVG, no canvas): cheap enough for dozens of cards.
import type { Trend } from '../model/overview.js';

/** SVG polyline points for the values scaled into width × height; gaps (null) are skipped. */
export function sparklinePoints(values: readonly (number | null)[], width: number, height: number): string {
  const known = values.flatMap((value, index) => (value === null ? [] : [{ value, index }]));
  if (known.length === 0) return '';
  const min = Math.min(...known.map((point) => point.value));
  const max = Math.max(...known.map((point) => point.value));
  const span = max - min;
  const last = Math.max(values.length - 1, 1);
  const pad = 1;
  return known
    .map(({ value, index }) => {
      const x = (index / last) * width;
      // A flat line sits in the middle rather than on the floor.
      const y = span === 0 ? height / 2 : pad + (1 - (value - min) / span) * (height - 2 * pad);
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function Sparkline(props: { readonly trend: Trend; readonly label: string; readonly width?: number; readonly height?: number }) {
  const width = props.width ?? 120;
  const height = props.height ?? 32;
  const points = sparklinePoints(props.trend.values, width, height);
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={props.label} data-testid="sparkline">
      {points ? <polyline points={points} fill="none" vectorEffect="non-scaling-stroke" /> : null}
    </svg>
  );
}
