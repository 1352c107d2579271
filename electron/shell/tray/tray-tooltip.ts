// The tray's tooltip: the badge figure in words and one line on how fresh it is. Windows cuts
// tooltips at 127 characters, so the text is kept within that everywhere.
import type { SourceHealth } from '../../../shared/api.js';
import { sourceStatus, statusDetail } from '../../../shared/source-status.js';
import type { TrayState } from './tray-state.js';

export const MAX_TOOLTIP_LENGTH = 127;

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function agoText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

export interface TooltipInput {
  /** The badge figure in words ("12,345 GitHub stars"); empty when the badge is off. */
  readonly figure: string;
  readonly state: TrayState;
  readonly paused: boolean;
  readonly sources: readonly Pick<SourceHealth, 'id' | 'title' | 'state' | 'intervalMs' | 'lastRunAt' | 'lastSuccessAt' | 'lastError' | 'consecutiveFailures' | 'failedTargets'>[];
  readonly now: number;
  readonly startedAt: number;
}

function statusLine(input: TooltipInput): string {
  if (input.state === 'offline') return 'Offline: polling resumes when the network is back';
  const context = { now: input.now, online: true, startedAt: input.startedAt };
  const statuses = input.sources.map((source) => ({ source, kind: sourceStatus(source, context) }));
  const failing = statuses.find(({ kind }) => kind === 'failed');
  if (failing) return `${failing.source.title} is failing${failing.source.lastError ? `: ${failing.source.lastError}` : ''}`;
  const partial = statuses.find(({ kind }) => kind === 'partial');
  if (partial) return `${partial.source.title}: ${statusDetail(partial.source, 'partial')}`;
  if (input.paused) return 'Polling paused';
  if (input.sources.length === 0) return 'No source configured yet: open Settings';
  const stale = statuses.find(({ kind }) => kind === 'stale')?.source;
  if (stale) return `${stale.title} has not updated since ${stale.lastSuccessAt === null ? 'start' : agoText(input.now - stale.lastSuccessAt)}`;
  const successes = input.sources.map((source) => source.lastSuccessAt).filter((time): time is number => time !== null);
  if (successes.length === 0) return 'Collecting…';
  return `Updated ${agoText(input.now - Math.max(...successes))}`;
}

export function tooltipText(input: TooltipInput): string {
  const head = input.figure ? `Footprint — ${input.figure}` : 'Footprint';
  const text = `${head}\n${statusLine(input)}`;
  return text.length <= MAX_TOOLTIP_LENGTH ? text : `${text.slice(0, MAX_TOOLTIP_LENGTH - 1)}…`;
}
