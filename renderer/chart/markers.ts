// Events on a chart's time axis (a release, a backfill's start): a dashed vertical line at the time,
// with its label at the top. Labels that would run into the previous one are left out (the line stays),
// so a busy stretch stays readable. Drawn by a uPlot plugin after the series.
import uPlot from 'uplot';

export interface ChartMarker {
  /** Epoch ms. */
  readonly time: number;
  readonly label: string;
}

export interface PlacedMarker {
  readonly time: number;
  readonly label: string;
  /** CSS px from the plot's left edge. */
  readonly x: number;
  /** Whether the label is drawn (false: only the line, its label would overlap). */
  readonly labelShown: boolean;
}

/** Space between a marker's line and its label, and between two labels (CSS px). */
const LABEL_PAD_PX = 4;

/** The markers inside the plot, in time order, with whether each label fits. */
export function placeMarkers(markers: readonly ChartMarker[], toX: (time: number) => number, widthPx: number, measure: (text: string) => number): PlacedMarker[] {
  const placed: PlacedMarker[] = [];
  let labelsEndAt = -Infinity;
  for (const marker of [...markers].sort((a, b) => a.time - b.time)) {
    const x = toX(marker.time);
    if (!Number.isFinite(x) || x < 0 || x > widthPx) continue;
    const textWidth = measure(marker.label);
    const left = x + LABEL_PAD_PX;
    const labelShown = marker.label !== '' && left >= labelsEndAt + LABEL_PAD_PX && left + textWidth <= widthPx;
    if (labelShown) labelsEndAt = left + textWidth;
    placed.push({ time: marker.time, label: marker.label, x, labelShown });
  }
  return placed;
}

export interface MarkerStyle {
  readonly stroke: string;
  readonly text: string;
  readonly font: string;
}

/**
 * A uPlot plugin drawing the markers `getMarkers()` returns at draw time (so new markers need a
 * redraw, not a new chart); `onPlaced` hears where they went (the chart exposes it for tests).
 */
export function markersPlugin(getMarkers: () => readonly ChartMarker[], style: () => MarkerStyle, onPlaced: (placed: readonly PlacedMarker[]) => void): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (chart: uPlot) => {
          const markers = getMarkers();
          const { ctx } = chart;
          const ratio = uPlot.pxRatio;
          const { stroke, text, font } = style();
          ctx.save();
          ctx.font = font;
          const placed = placeMarkers(markers, (time) => chart.valToPos(time / 1000, 'x'), chart.bbox.width / ratio, (label) => ctx.measureText(label).width);
          ctx.strokeStyle = stroke;
          ctx.fillStyle = text;
          ctx.lineWidth = ratio;
          ctx.setLineDash([4 * ratio, 3 * ratio]);
          ctx.textBaseline = 'top';
          for (const marker of placed) {
            const x = chart.bbox.left + marker.x * ratio;
            ctx.beginPath();
            ctx.moveTo(x, chart.bbox.top);
            ctx.lineTo(x, chart.bbox.top + chart.bbox.height);
            ctx.stroke();
          }
          ctx.setLineDash([]);
          // Labels are drawn in canvas pixels; the font is scaled as uPlot scales its own.
          ctx.scale(ratio, ratio);
          for (const marker of placed) {
            if (marker.labelShown) ctx.fillText(marker.label, chart.bbox.left / ratio + marker.x + LABEL_PAD_PX, chart.bbox.top / ratio + 2);
          }
          ctx.restore();
          onPlaced(placed);
        },
      ],
    },
  };
}
