// Numbers and times as the UI shows them: compact on screen, exact in the hover title.
import { formatCompact, formatDateTime, formatDelta, formatExact, formatExactDelta, formatPercentChange, formatRelative } from '../format.js';

export function Figure(props: { readonly value: number; readonly testId?: string; readonly className?: string }) {
  return (
    <span className={props.className} title={formatExact(props.value)} data-testid={props.testId}>
      {formatCompact(props.value)}
    </span>
  );
}

/**
 * A signed change; the sign is in the text (not only the colour). With a base, the title adds the change
 * in percent. An unknown change is "–", never 0; with `historyStart` the title says why (history is
 * younger than the window).
 */
export function Delta(props: { readonly delta: number | null; readonly base?: number | null; readonly historyStart?: number | null; readonly label?: string; readonly testId?: string }) {
  if (props.delta === null) {
    const why = props.historyStart === undefined || props.historyStart === null
      ? 'No earlier value to compare with yet'
      : `No value ${props.label ? `${props.label} back` : 'that far back'} yet: history starts ${formatDateTime(props.historyStart)}`;
    return (
      <span className="delta delta-unknown" title={why} data-testid={props.testId}>
        –{props.label ? <span className="delta-label"> {props.label}</span> : null}
      </span>
    );
  }
  const direction = props.delta > 0 ? 'up' : props.delta < 0 ? 'down' : 'flat';
  const percent = props.base === undefined || props.base === null ? null : formatPercentChange(props.delta, props.base);
  const title = `${formatExactDelta(props.delta)}${props.label ? ` in ${props.label}` : ''}${percent ? ` (${percent})` : ''}`;
  return (
    <span className={`delta delta-${direction}`} title={title} data-testid={props.testId}>
      {formatDelta(props.delta)}
      {props.label ? <span className="delta-label"> {props.label}</span> : null}
    </span>
  );
}

/** "3 min ago", with the exact time in the user's zone on hover. */
export function RelativeTime(props: { readonly time: number | null; readonly now: number; readonly never?: string }) {
  if (props.time === null) return <span>{props.never ?? 'never'}</span>;
  return (
    <time dateTime={new Date(props.time).toISOString()} title={formatDateTime(props.time)}>
      {formatRelative(props.time, props.now)}
    </time>
  );
}
