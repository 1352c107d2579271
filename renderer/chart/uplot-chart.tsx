// One uPlot chart of several series on a shared time axis. uPlot draws on a canvas and sets element
// styles itself (allowed under a strict CSP); it is created once per series set / scale / theme and
// fed new data with setData. The legend is the caller's (an accessible read-out), so uPlot's is off.
// Lines are steps (a value holds until the next one is seen), a line of one point is a dot; or bars
// (values per day: each series a bar narrower than the one before, drawn over it), the time
// axis' labels never overlap (time-ticks.ts), and dragging across the chart asks the caller to zoom
// (it fetches that span at full detail); a double-click asks to reset.
// What is drawn where is also written on the element as data attributes (x-axis labels, dots,
// markers, scales), since a canvas cannot be read back as text: tests and tools read those.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { formatAxisValues } from '../format.js';
import { lonePointIndex, toUplotData, type AlignedSeries } from './chart-data.js';
import { readChartTheme, seriesColor, watchColorScheme, type ChartTheme } from './chart-theme.js';
import { markersPlugin, type ChartMarker } from './markers.js';
import { timeTicks, placeLabels, type TimeTick } from './time-ticks.js';

export interface UPlotChartProps {
  readonly aligned: AlignedSeries<unknown>;
  readonly labels: readonly string[];
  readonly scale: 'linear' | 'log';
  /** steps (default): a value holds until the next; bars: one bar per time (e.g. per day), from zero. */
  readonly kind?: 'steps' | 'bars';
  readonly height?: number;
  /** The data index under the cursor, or null when the cursor leaves the chart. */
  readonly onCursor?: (index: number | null) => void;
  /** The chart's width in CSS pixels, when known and whenever it changes. */
  readonly onWidth?: (width: number) => void;
  /** A span (epoch ms) dragged across the chart, or null on a double-click (back to the whole range). */
  readonly onZoom?: (span: { start: number; end: number } | null) => void;
  /** Events drawn as vertical lines with a label (e.g. releases). */
  readonly markers?: readonly ChartMarker[];
  readonly ariaLabel: string;
  readonly testId?: string;
}

const DEFAULT_WIDTH = 800;
/** The axes' font, also used to measure labels: the same string uPlot draws with. */
export const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const Y_AXIS_SIZE = 60;
/** A drag narrower than this is a click, not a zoom. */
const MIN_DRAG_PX = 4;
const DOT_SIZE = 7;
/** The first series' bars fill this share of their slot; each next series' bars are narrower, drawn over them. */
const BAR_WIDTH = 0.8;
const BAR_NARROWING = 0.55;
const BAR_MAX_PX = 48;

/** The gap between two neighbouring times (seconds): a bar's slot; a lone time gets a day. */
function barSlot(xs: ArrayLike<number>): number {
  let slot = Infinity;
  for (let index = 1; index < xs.length; index++) slot = Math.min(slot, xs[index]! - xs[index - 1]!);
  return Number.isFinite(slot) && slot > 0 ? slot : 86_400;
}

let measureContext: CanvasRenderingContext2D | null | undefined;

/** The width of `text` in the axis font, in CSS px. */
export function measureAxisText(text: string): number {
  if (measureContext === undefined) measureContext = document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * 7;
  measureContext.font = AXIS_FONT;
  return measureContext.measureText(text).width;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

export function UPlotChart(props: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [themeVersion, setThemeVersion] = useState(0);
  const callbacks = useRef({ onCursor: props.onCursor, onWidth: props.onWidth, onZoom: props.onZoom });
  callbacks.current = { onCursor: props.onCursor, onWidth: props.onWidth, onZoom: props.onZoom };
  const markers = useRef<readonly ChartMarker[]>(props.markers ?? []);
  markers.current = props.markers ?? [];
  const height = props.height ?? 320;
  const kind = props.kind ?? 'steps';
  const seriesKey = props.labels.join('\u0000');

  useEffect(() => watchColorScheme(() => setThemeVersion((version) => version + 1)), []);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const theme = readChartTheme(element);
    const width = element.clientWidth || DEFAULT_WIDTH;
    const axis = { stroke: theme.axis, font: AXIS_FONT, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
    // The x axis' ticks for the current scale and width, chosen in `space` (the first thing uPlot asks).
    let xTicks: TimeTick[] = [];
    const options: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: {
        drag: { x: true, y: false, setScale: false },
        bind: {
          dblclick: () => () => {
            callbacks.current.onZoom?.(null);
            return null;
          },
        },
      },
      scales: {
        x: {
          time: true,
          // One point in time has no width (uPlot would show the day after it): show a minute around it.
          range: (chart, min, max) => {
            const xs = chart.data[0];
            // Bars: half a slot either side, so the first and last bars are whole.
            if (kind === 'bars' && xs.length > 0) {
              const half = barSlot(xs) / 2;
              return [xs[0]! - half, xs[xs.length - 1]! + half];
            }
            if (xs.length === 1) return [xs[0]! - 30, xs[0]! + 30];
            return min === max ? [min - 30, max + 30] : [min, max];
          },
        },
        y: kind === 'bars'
          ? { distr: 1, range: (_chart, _min, max) => (max !== null && max > 0 ? uPlot.rangeNum(0, max, 0.1, true) : [0, 1]) }
          : props.scale === 'log'
          ? { distr: 3, log: 10 }
          : {
              distr: 1,
              // A flat line (a zoom between two changes) gets a narrow axis around its value, not 0…2×.
              range: (_chart, min, max) => (min === max && min !== null ? [min - Math.max(1, Math.abs(min) * 0.05), max + Math.max(1, Math.abs(max) * 0.05)] : uPlot.rangeNum(min, max, 0.1, true)),
            },
      },
      axes: [
        {
          ...axis,
          space: (_chart, _axis, min, max, plotWidth) => {
            xTicks = timeTicks(min * 1000, max * 1000, plotWidth, measureAxisText, { leftRoomPx: Y_AXIS_SIZE / 2 });
            return 1;
          },
          incrs: (_chart, _axis, min, max) => [Math.max(5, max - min)],
          splits: () => xTicks.map((tick) => tick.time / 1000),
          values: () => xTicks.map((tick) => tick.label),
        },
        { ...axis, size: Y_AXIS_SIZE, values: (_chart, splits) => formatAxisValues(splits) },
      ],
      series: [
        {},
        ...props.labels.map((label, index) => seriesOptions(kind, theme, label, index)),
      ],
      hooks: {
        setCursor: [(chart: uPlot) => callbacks.current.onCursor?.(chart.cursor.idx ?? null)],
        setSelect: [
          (chart: uPlot) => {
            const { left, width: dragged } = chart.select;
            if (dragged >= MIN_DRAG_PX) {
              const start = chart.posToVal(left, 'x') * 1000;
              const end = chart.posToVal(left + dragged, 'x') * 1000;
              callbacks.current.onZoom?.({ start, end });
            }
            chart.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        draw: [(chart: uPlot) => describe(chart, element, xTicks)],
      },
      plugins: [
        markersPlugin(
          () => markers.current,
          () => ({ stroke: theme.axis, text: theme.axis, font: AXIS_FONT }),
          (placed) => {
            element.dataset.markers = JSON.stringify(placed.map((marker) => ({ label: marker.label, x: round1(marker.x), labelShown: marker.labelShown })));
          },
        ),
      ],
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
  }, [seriesKey, props.scale, kind, height, themeVersion]);

  useEffect(() => {
    plot.current?.setData(toUplotData(props.aligned, props.scale) as uPlot.AlignedData);
  }, [props.aligned, props.scale]);

  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [props.markers]);

  return <div ref={container} className="chart" role="img" aria-label={props.ariaLabel} data-testid={props.testId ?? 'details-chart'} />;
}

/** One series: a stepped line (a lone point is a dot), or bars, each series' narrower than the one before. */
function seriesOptions(kind: 'steps' | 'bars', theme: ChartTheme, label: string, index: number): uPlot.Series {
  const color = seriesColor(theme, index);
  if (kind === 'bars') {
    const share = BAR_NARROWING ** index;
    return { label, stroke: color, fill: color, width: 0, paths: uPlot.paths.bars!({ size: [BAR_WIDTH * share, BAR_MAX_PX * share], align: 0 }), points: { show: false } };
  }
  return {
    label,
    stroke: color,
    width: 2,
    spanGaps: true,
    paths: uPlot.paths.stepped!({ align: 1 }),
    points: {
      show: false,
      size: DOT_SIZE,
      fill: color,
      // A line of a single point draws nothing: that point is a dot.
      filter: (chart: uPlot, seriesIndex: number) => {
        const lone = lonePointIndex(chart.data[seriesIndex] ?? []);
        return lone === -1 ? null : [lone];
      },
    },
  };
}

/** Writes what was drawn onto the element: the x labels (CSS px from the chart's left), dots, and the scales. */
function describe(chart: uPlot, element: HTMLElement, ticks: readonly TimeTick[]): void {
  const plotLeft = chart.bbox.left / uPlot.pxRatio;
  const plotTop = chart.bbox.top / uPlot.pxRatio;
  const plotWidth = chart.bbox.width / uPlot.pxRatio;
  const min = chart.scales.x?.min;
  const max = chart.scales.x?.max;
  if (min === undefined || max === undefined) return;
  const labels = placeLabels(ticks, min * 1000, max * 1000, plotWidth, measureAxisText);
  element.dataset.xLabels = JSON.stringify(labels.map((label) => ({ text: label.text, left: round1(plotLeft + label.left), right: round1(plotLeft + label.right) })));
  const dots: { series: number; x: number; y: number }[] = [];
  chart.series.forEach((series, index) => {
    if (index === 0 || !series.show) return;
    const column = chart.data[index] ?? [];
    const lone = lonePointIndex(column);
    if (lone === -1) return;
    const x = chart.valToPos(chart.data[0][lone]!, 'x');
    const y = chart.valToPos(column[lone]!, series.scale ?? 'y');
    dots.push({ series: index - 1, x: round1(plotLeft + x), y: round1(plotTop + y) });
  });
  element.dataset.dots = JSON.stringify(dots);
  element.dataset.plot = JSON.stringify({ left: round1(plotLeft), top: round1(plotTop), width: round1(plotWidth), height: round1(chart.bbox.height / uPlot.pxRatio) });
  element.dataset.xRange = `${Math.round(min * 1000)},${Math.round(max * 1000)}`;
  const y = chart.scales.y;
  if (y?.min !== undefined && y.max !== undefined) element.dataset.yRange = `${y.min},${y.max}`;
}
