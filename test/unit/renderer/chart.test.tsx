// @vitest-environment happy-dom
// The uPlot chart as drawn: uPlot runs for real on a canvas that records the paths it is given.
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { alignSeries } from '../../../renderer/chart/chart-data.js';
import { placeMarkers } from '../../../renderer/chart/markers.js';
import { UPlotChart } from '../../../renderer/chart/uplot-chart.js';
import { installCanvasStub } from './render-helpers.js';

/** Every lineTo of every Path2D uPlot builds, per path. */
const paths: [number, number][][] = [];
let restoreCanvas: () => void;
let originalPath2D: unknown;

beforeAll(() => {
  restoreCanvas = installCanvasStub();
  const globals = globalThis as unknown as { Path2D: unknown };
  originalPath2D = globals.Path2D;
  globals.Path2D = class {
    readonly points: [number, number][] = [];
    constructor() {
      paths.push(this.points);
    }
    moveTo(x: number, y: number) { this.points.push([x, y]); }
    lineTo(x: number, y: number) { this.points.push([x, y]); }
    rect() {}
    arc() {}
    closePath() {}
    bezierCurveTo() {}
    quadraticCurveTo() {}
    addPath() {}
  };
});
afterAll(() => {
  (globalThis as unknown as { Path2D: unknown }).Path2D = originalPath2D;
  restoreCanvas();
});
afterEach(() => {
  cleanup();
  paths.length = 0;
});

const T0 = Date.UTC(2026, 10, 25, 12);
const MINUTE = 60_000;

/** uPlot draws in a microtask after it is created or fed. */
async function drawn(): Promise<void> {
  await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

function chartElement(container: HTMLElement): HTMLElement {
  return container.querySelector('[data-testid="details-chart"]') as HTMLElement;
}

describe('the uPlot chart', () => {
  it('draws lines as steps: a value holds until the next one, no sloped segment', async () => {
    const aligned = alignSeries([{ id: 1, times: [T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE], values: [10, 20, 15, 30] }]);
    render(<UPlotChart aligned={aligned} labels={['a']} scale="linear" ariaLabel="chart" />);
    await drawn();
    const lines = paths.filter((points) => points.length >= 4);
    expect(lines.length).toBeGreaterThan(0);
    for (const points of lines) {
      for (let index = 1; index < points.length; index++) {
        const [x0, y0] = points[index - 1]!;
        const [x1, y1] = points[index]!;
        // Every segment is horizontal or vertical.
        expect(Math.abs(x1 - x0) < 0.01 || Math.abs(y1 - y0) < 0.01, `segment ${x0},${y0} → ${x1},${y1}`).toBe(true);
      }
    }
  });

  it('draws a line of one point as a dot, and says where', async () => {
    const aligned = alignSeries([
      { id: 1, times: [T0, T0 + MINUTE, T0 + 2 * MINUTE], values: [10, 11, 12] },
      { id: 2, times: [T0, T0 + MINUTE, T0 + 2 * MINUTE], values: [null, null, 5] },
    ]);
    const { container } = render(<UPlotChart aligned={aligned} labels={['a', 'b']} scale="linear" ariaLabel="chart" />);
    await drawn();
    const dots = JSON.parse(chartElement(container).dataset.dots ?? 'null') as { series: number; x: number; y: number }[];
    expect(dots.map((dot) => dot.series)).toEqual([1]);
    const plot = JSON.parse(chartElement(container).dataset.plot!) as { left: number; width: number };
    // The newest time: the right edge of the plot.
    expect(dots[0]!.x).toBeCloseTo(plot.left + plot.width, 0);
    // A chart of a single time still has a span (a minute around it).
    const single = render(<UPlotChart aligned={alignSeries([{ id: 1, times: [T0], values: [3] }])} labels={['c']} scale="linear" ariaLabel="one" />);
    await drawn();
    const range = chartElement(single.container).dataset.xRange!.split(',').map(Number);
    expect(range).toEqual([T0 - 30_000, T0 + 30_000]);
    expect(JSON.parse(chartElement(single.container).dataset.dots!)).toHaveLength(1);
  });

  it('draws bars per day from zero, each series narrower than the one before, the first and last bars whole', async () => {
    const DAY = 86_400_000;
    const times = [T0, T0 + DAY, T0 + 2 * DAY];
    const aligned = alignSeries([{ id: 1, times, values: [40, 80, 60] }, { id: 2, times, values: [10, 30, null] }]);
    const { container } = render(<UPlotChart aligned={aligned} labels={['views', 'unique']} scale="linear" kind="bars" ariaLabel="bars" testId="bars" />);
    await drawn();
    const element = container.querySelector('[data-testid="bars"]') as HTMLElement;
    // Half a day either side of the first and last day; the value axis starts at zero, not at the lowest bar.
    expect(element.dataset.xRange).toBe(`${T0 - DAY / 2},${T0 + 2 * DAY + DAY / 2}`);
    expect(Number(element.dataset.yRange!.split(',')[0])).toBe(0);
    expect(Number(element.dataset.yRange!.split(',')[1])).toBeGreaterThanOrEqual(80);
    // uPlot draws bars as rectangles (rect, not lineTo): no stepped line is drawn.
    expect(paths.filter((points) => points.length >= 4)).toEqual([]);
  });

  it('labels the time axis without overlaps, and says where the labels are', async () => {
    const times = Array.from({ length: 200 }, (_, index) => T0 + index * 15 * MINUTE);
    const aligned = alignSeries([{ id: 1, times, values: times.map((_, index) => index) }]);
    const { container } = render(<UPlotChart aligned={aligned} labels={['a']} scale="linear" ariaLabel="chart" />);
    await drawn();
    const labels = JSON.parse(chartElement(container).dataset.xLabels ?? 'null') as { text: string; left: number; right: number }[];
    expect(labels.length).toBeGreaterThan(3);
    for (let index = 1; index < labels.length; index++) expect(labels[index]!.left).toBeGreaterThan(labels[index - 1]!.right);
  });

  it('reports a drag across the plot as a zoom span, and a double-click as a reset', async () => {
    const times = Array.from({ length: 101 }, (_, index) => T0 + index * MINUTE);
    const aligned = alignSeries([{ id: 1, times, values: times.map((_, index) => index) }]);
    const onZoom = vi.fn();
    const { container } = render(<UPlotChart aligned={aligned} labels={['a']} scale="linear" onZoom={onZoom} ariaLabel="chart" />);
    await drawn();
    const over = container.querySelector('.u-over') as HTMLElement;
    const plot = JSON.parse(chartElement(container).dataset.plot!) as { width: number };
    fireEvent.mouseDown(over, { clientX: plot.width * 0.25, clientY: 40, button: 0 });
    fireEvent.mouseMove(over, { clientX: plot.width * 0.75, clientY: 60, movementX: 10, movementY: 2 });
    fireEvent.mouseUp(document, { clientX: plot.width * 0.75, clientY: 60, button: 0 });
    expect(onZoom).toHaveBeenCalledTimes(1);
    const span = onZoom.mock.calls[0]![0] as { start: number; end: number };
    expect(span.start).toBeCloseTo(T0 + 25 * MINUTE, -4);
    expect(span.end).toBeCloseTo(T0 + 75 * MINUTE, -4);
    // A click is not a zoom.
    fireEvent.mouseDown(over, { clientX: 50, clientY: 40, button: 0 });
    fireEvent.mouseUp(document, { clientX: 51, clientY: 40, button: 0 });
    expect(onZoom).toHaveBeenCalledTimes(1);
    fireEvent.dblClick(over, { clientX: 50, clientY: 40 });
    expect(onZoom).toHaveBeenLastCalledWith(null);
  });

  it('draws markers at their times, leaving out labels that would overlap', async () => {
    const times = Array.from({ length: 11 }, (_, index) => T0 + index * 60 * MINUTE);
    const aligned = alignSeries([{ id: 1, times, values: times.map((_, index) => index) }]);
    const markers = [
      { time: T0 + 5 * 60 * MINUTE, label: 'v2.0' },
      { time: T0 + 5 * 60 * MINUTE + 60_000, label: 'v2.0.1' },
      { time: T0 - 60 * MINUTE, label: 'before' },
      { time: T0 + 9 * 60 * MINUTE, label: 'v3.0' },
    ];
    const { container, rerender } = render(<UPlotChart aligned={aligned} labels={['a']} scale="linear" markers={markers} ariaLabel="chart" />);
    await drawn();
    const placed = JSON.parse(chartElement(container).dataset.markers ?? 'null') as { label: string; x: number; labelShown: boolean }[];
    expect(placed.map((marker) => [marker.label, marker.labelShown])).toEqual([['v2.0', true], ['v2.0.1', false], ['v3.0', true]]);
    const plot = JSON.parse(chartElement(container).dataset.plot!) as { width: number };
    expect(placed[0]!.x).toBeCloseTo(plot.width / 2, 0);
    rerender(<UPlotChart aligned={aligned} labels={['a']} scale="linear" markers={[]} ariaLabel="chart" />);
    await drawn();
    expect(JSON.parse(chartElement(container).dataset.markers!)).toEqual([]);
  });
});

describe('marker placement', () => {
  it('keeps markers inside the plot in time order, labels only where they fit', () => {
    const placed = placeMarkers(
      [{ time: 300, label: 'late' }, { time: 100, label: 'one' }, { time: 120, label: 'two' }, { time: 990, label: 'edge' }, { time: -5, label: 'out' }],
      (time) => time,
      1000,
      (text) => text.length * 7,
    );
    expect(placed).toEqual([
      { time: 100, label: 'one', x: 100, labelShown: true },
      { time: 120, label: 'two', x: 120, labelShown: false },
      { time: 300, label: 'late', x: 300, labelShown: true },
      { time: 990, label: 'edge', x: 990, labelShown: false },
    ]);
  });
});
