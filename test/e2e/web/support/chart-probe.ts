// Reading the Details chart back in the browser. uPlot draws on a canvas, so the chart writes what it
// drew where as data attributes (x-axis labels, dots, the plot box, the scales); the pixels of the
// canvas are read too, to see that a line or a dot is really there in the series' colour.
import { expect, type Page } from '@playwright/test';

export interface ChartState {
  readonly xLabels: { text: string; left: number; right: number }[];
  readonly dots: { series: number; x: number; y: number }[];
  readonly plot: { left: number; top: number; width: number; height: number };
  readonly xRange: [number, number];
  readonly yRange: [number, number];
}

export async function chartState(page: Page): Promise<ChartState> {
  const chart = page.getByTestId('details-chart');
  const read = async (name: string) => (await chart.getAttribute(name)) ?? 'null';
  const pair = (text: string) => text.split(',').map(Number) as [number, number];
  return {
    xLabels: JSON.parse(await read('data-x-labels')) as ChartState['xLabels'],
    dots: JSON.parse(await read('data-dots')) as ChartState['dots'],
    plot: JSON.parse(await read('data-plot')) as ChartState['plot'],
    xRange: pair(await read('data-x-range')),
    yRange: pair(await read('data-y-range')),
  };
}

/** No two x-axis labels overlap, and there are enough of them to read the axis. */
export function expectLabelsApart(state: ChartState, what: string): void {
  expect(state.xLabels, `${what}: the x axis has labels`).not.toBeNull();
  expect(state.xLabels.length, `${what}: x-axis labels ${JSON.stringify(state.xLabels)}`).toBeGreaterThanOrEqual(2);
  for (let index = 1; index < state.xLabels.length; index++) {
    const [before, after] = [state.xLabels[index - 1]!, state.xLabels[index]!];
    expect(after.left, `${what}: "${before.text}" and "${after.text}" overlap`).toBeGreaterThan(before.right);
  }
}

export interface ColumnInk {
  /** Rows (CSS px from the plot's top) where the column has the colour; null where it has none. */
  readonly top: number;
  readonly bottom: number;
  readonly center: number;
}

/**
 * Per column of the plot, where the canvas shows the colour of CSS variable `colorVar` (the series'
 * colour): the first and last row and their middle, or null. The page must be at device pixel ratio 1.
 */
export async function lineInk(page: Page, colorVar: string): Promise<(ColumnInk | null)[]> {
  return page.getByTestId('details-chart').evaluate((chart, variable) => {
    const canvas = chart.querySelector('canvas')!;
    const plot = JSON.parse(chart.getAttribute('data-plot')!) as { left: number; top: number; width: number; height: number };
    const offsetX = canvas.getBoundingClientRect().left - chart.getBoundingClientRect().left;
    const offsetY = canvas.getBoundingClientRect().top - chart.getBoundingClientRect().top;
    const hex = getComputedStyle(chart).getPropertyValue(variable).trim();
    const want = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
    const image = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const columns: ({ top: number; bottom: number; center: number } | null)[] = [];
    for (let x = Math.ceil(plot.left); x < Math.floor(plot.left + plot.width); x++) {
      let top = -1;
      let bottom = -1;
      let sum = 0;
      let count = 0;
      for (let y = Math.ceil(plot.top); y < Math.floor(plot.top + plot.height); y++) {
        const at = ((y - offsetY) * image.width + (x - offsetX)) * 4;
        const distance = Math.abs(image.data[at]! - want[0]!) + Math.abs(image.data[at + 1]! - want[1]!) + Math.abs(image.data[at + 2]! - want[2]!);
        if (image.data[at + 3]! < 200 || distance > 90) continue;
        if (top === -1) top = y;
        bottom = y;
        sum += y;
        count++;
      }
      columns.push(count === 0 ? null : { top: top - plot.top, bottom: bottom - plot.top, center: sum / count - plot.top });
    }
    return columns;
  }, colorVar);
}

/** The share of the plot's width before the first and after the last column with ink. */
export function inkMargins(columns: readonly (ColumnInk | null)[]): { left: number; right: number } {
  const first = columns.findIndex((column) => column !== null);
  const last = columns.length - 1 - [...columns].reverse().findIndex((column) => column !== null);
  if (first === -1) return { left: 1, right: 1 };
  return { left: first / columns.length, right: (columns.length - 1 - last) / columns.length };
}

/** Whether the canvas shows the colour of `colorVar` within `radius` px of (x, y) (CSS px from the chart's corner). */
export async function inkAt(page: Page, colorVar: string, x: number, y: number, radius = 2): Promise<boolean> {
  return page.getByTestId('details-chart').evaluate((chart, [variable, px, py, r]) => {
    const canvas = chart.querySelector('canvas')!;
    const offsetX = canvas.getBoundingClientRect().left - chart.getBoundingClientRect().left;
    const offsetY = canvas.getBoundingClientRect().top - chart.getBoundingClientRect().top;
    const hex = getComputedStyle(chart).getPropertyValue(variable as string).trim();
    const want = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
    const image = canvas.getContext('2d')!.getImageData(Math.round((px as number) - offsetX) - (r as number), Math.round((py as number) - offsetY) - (r as number), 2 * (r as number) + 1, 2 * (r as number) + 1);
    for (let at = 0; at < image.data.length; at += 4) {
      const distance = Math.abs(image.data[at]! - want[0]!) + Math.abs(image.data[at + 1]! - want[1]!) + Math.abs(image.data[at + 2]! - want[2]!);
      if (image.data[at + 3]! >= 200 && distance <= 90) return true;
    }
    return false;
  }, [colorVar, x, y, radius] as const);
}

/** Drags across the plot from `from` to `to` (0 = left edge, 1 = right edge), as a user zooms in. */
export async function dragAcross(page: Page, from: number, to: number): Promise<void> {
  const box = await page.getByTestId('details-chart').locator('.u-over').boundingBox();
  if (!box) throw new Error('the chart has no plotting area on screen');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((from + to) / 2), y + 5, { steps: 4 });
  await page.mouse.move(box.x + box.width * to, y + 10, { steps: 4 });
  await page.mouse.up();
}
