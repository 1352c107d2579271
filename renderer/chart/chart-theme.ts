// Chart colours come from the page's CSS variables, so the chart follows the light/dark theme.
import { THEME_EVENT } from '../theme.js';

export interface ChartTheme {
  readonly series: readonly string[];
  readonly axis: string;
  readonly grid: string;
}

const FALLBACK: ChartTheme = {
  series: ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'],
  axis: '#57606a',
  grid: 'rgba(128, 128, 128, 0.2)',
};

export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: FALLBACK.series.map((fallback, index) => read(`--chart-${index + 1}`, fallback)),
    axis: read('--text-muted', FALLBACK.axis),
    grid: read('--grid', FALLBACK.grid),
  };
}

export function seriesColor(theme: ChartTheme, index: number): string {
  return theme.series[index % theme.series.length]!;
}

/** Calls `onChange` when the page switches between light and dark (the user's switch or the system's); returns a function that stops listening. */
export function watchColorScheme(onChange: () => void): () => void {
  document.addEventListener(THEME_EVENT, onChange);
  return () => document.removeEventListener(THEME_EVENT, onChange);
}
