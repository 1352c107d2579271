// One uPlot chart of several series on a shared time axis. uPlot draws on a canvas and sets element
// styles itself (allowed under a strict CSP); it is created once per series set / scale / theme and
// fed new data with setData. The legend is the caller's (an accessible read-out), so uPlot's is off.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { formatCompact } from '../format.js';
import { toUplotData, type AlignedSeries } from './chart-data.js';
import { readChartTheme, seriesColor, watchColorScheme } from './chart-theme.js';

export interface UPlotChartProps {
  readonly aligned: AlignedSeries;
  readonly labels: readonly string[];
  readonly scale: 'linear' | 'log';
  readonly height?: number;
  /** The data index under the cursor, or null when the cursor leaves the chart. */
  readonly onCursor?: (index: number | null) => void;
  /** The chart's width in CSS pixels, when known and whenever it changes. */
  readonly onWidth?: (width: number) => void;
  readonly ariaLabel: string;
}

const DEFAULT_WIDTH = 800;

export function UPlotChart(props: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [themeVersion, setThemeVersion] = useState(0);
  const callbacks = useRef({ onCursor: props.onCursor, onWidth: props.onWidth });
  callbacks.current = { onCursor: props.onCursor, onWidth: props.onWidth };
  const height = props.height ?? 320;
  const seriesKey = props.labels.join('\u0000');

  useEffect(() => watchColorScheme(() => setThemeVersion((version) => version + 1)), []);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const theme = readChartTheme(element);
    const width = element.clientWidth || DEFAULT_WIDTH;
    const axis = { stroke: theme.axis, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
    const options: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true }, y: props.scale === 'log' ? { distr: 3, log: 10 } : { distr: 1 } },
      axes: [
        axis,
        { ...axis, size: 60, values: (_chart, splits) => splits.map((value) => (value === null || value === undefined ? '' : formatCompact(value))) },
      ],
      series: [
        {},
        ...props.labels.map((label, index) => ({ label, stroke: seriesColor(theme, index), width: 2, spanGaps: true, points: { show: false } })),
      ],
      hooks: {
        setCursor: [(chart: uPlot) => callbacks.current.onCursor?.(chart.cursor.idx ?? null)],
      },
    };
    const chart = new uPlot(options, toUplotData(props.aligned, props.scale) as uPlot.AlignedData, element);
    plot.current = chart;
    callbacks.current.onWidth?.(width);
    const observer = typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          const next = element.clientWidth;
          if (next > 0 && next !== chart.width) {
            chart.setSize({ width: next, height });
            callbacks.current.onWidth?.(next);
          }
        })
      : null;
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Rebuilt only when the series set, scale, height or theme change; data goes through setData below.
  }, [seriesKey, props.scale, height, themeVersion]);

  useEffect(() => {
    plot.current?.setData(toUplotData(props.aligned, props.scale) as uPlot.AlignedData);
  }, [props.aligned, props.scale]);

  return <div ref={container} className="chart" role="img" aria-label={props.ariaLabel} data-testid="details-chart" />;
}
