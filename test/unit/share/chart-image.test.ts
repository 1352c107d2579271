import { describe, expect, it } from 'vitest';
import { renderChart } from '../../../electron/core/share/chart-image.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 1);

describe('renderChart', () => {
  const times = [start, start + DAY, start + 2 * DAY, start + 3 * DAY];

  it('draws the known points, the axis dates and labels and the last value', () => {
    const svg = renderChart({ title: 'acme/widget stars', theme: 'light', times, values: [null, 100, 1500, 12345] });
    expect(svg).toContain('<title>acme/widget stars: 12,345</title>');
    expect(svg).toContain('<text id="last-value"');
    expect(svg).toContain('>12,345</text>');
    expect(svg).toContain('>2026-01-01</text>');
    expect(svg).toContain('>2026-01-04</text>');
    // Top of the axis: the next round number above the maximum.
    expect(svg).toContain('>20k</text>');
    expect(svg).toContain('>10k</text>');
    const points = /points="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(points).toHaveLength(3); // the null before the series existed is not drawn
    expect(points.at(-1)).toBe(`584,${Math.round((268 - (12345 / 20000) * 228) * 10) / 10}`); // right edge, 12,345 of 20k up the plot
    expect(svg).not.toMatch(/<script|href=/);
    expect(svg.length).toBeLessThan(3_000);
  });

  it('has a dark theme and says when there is no data yet', () => {
    const light = renderChart({ title: 't', theme: 'light', times, values: [1, 2, 3, 4] });
    const dark = renderChart({ title: 't', theme: 'dark', times, values: [1, 2, 3, 4] });
    expect(light).toContain('fill="#ffffff"');
    expect(dark).toContain('fill="#0d1117"');
    const empty = renderChart({ title: 't', theme: 'light', times, values: [null, null, null, null] });
    expect(empty).toContain('>no data yet</text>');
    expect(empty).not.toContain('<polyline');
  });

  it('escapes the title', () => {
    expect(renderChart({ title: 'a<b>&"', theme: 'light', times, values: [1, 1, 1, 1] })).toContain('>a&#60;b&#62;&#38;&#34;</text>');
  });
});
