// The time-range buttons of a chart (24 h … all), shared by Details and Traffic. A range that reaches
// back before the history starts says so on hover: it shows the whole history. `zoomed`: the chart
// shows a dragged span, so no range is pressed (the buttons are outlined dashed).
import { formatDateTime } from '../format.js';
import { RANGES, RANGE_LABELS, rangeExceedsHistory, type RangeKey } from '../model/details-state.js';

export function RangeButtons(props: {
  readonly range: RangeKey;
  readonly zoomed?: boolean;
  readonly historyStart: number | null;
  readonly now: number;
  readonly onChange: (range: RangeKey) => void;
}) {
  const { historyStart, now } = props;
  return (
    <div role="group" aria-label="Time range" className={props.zoomed ? 'segmented zoomed' : 'segmented'} data-testid="range-buttons">
      {RANGES.map((range) => (
        <button
          key={range}
          type="button"
          aria-pressed={!props.zoomed && props.range === range}
          title={historyStart !== null && rangeExceedsHistory(range, historyStart, now) ? `History starts ${formatDateTime(historyStart)}: shows all of it` : undefined}
          onClick={() => props.onChange(range)}
          data-testid={`range-${range}`}
        >
          {RANGE_LABELS[range]}
        </button>
      ))}
    </div>
  );
}
