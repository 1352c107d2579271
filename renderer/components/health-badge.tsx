// A source's status as a marker: a word and a shape, not colour alone.
import { SOURCE_STATUS_TEXT, type SourceStatusKind } from '../../shared/source-status.js';

const SYMBOL: Readonly<Record<SourceStatusKind, string>> = { ok: '●', partial: '◑', failed: '▲', stale: '◐', offline: '⊘', paused: '❚❚', waiting: '○' };

export function HealthBadge(props: { readonly status: SourceStatusKind; readonly detail?: string | null; readonly compact?: boolean }) {
  const text = SOURCE_STATUS_TEXT[props.status];
  return (
    <span className={`badge badge-${props.status}`} title={props.detail ?? text} data-testid="health-badge" data-status={props.status}>
      <span aria-hidden="true">{SYMBOL[props.status]}</span>
      {props.compact ? <span className="sr-only">{text}</span> : <span> {text}</span>}
    </span>
  );
}
