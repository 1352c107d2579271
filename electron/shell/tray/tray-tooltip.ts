// The tray's tooltip: the badge figure in words and one line on how fresh it is. Windows cuts
// tooltips at 127 characters, so the text is kept within that everywhere.
import type { SourceHealth } from '../../../shared/api.js';
import { isStale, type TrayState } from './tray-state.js';

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
  readonly sources: readonly Pick<SourceHealth, 'id' | 'title' | 'state' | 'intervalMs' | 'lastRunAt' | 'lastSuccessAt' | 'lastError' | 'consecutiveFailures'>[];
  readonly now: number;
  readonly startedAt: number;
}

function statusLine(input: TooltipInput): string {
  if (input.state === 'offline') return 'Offline: polling resumes when the network is back';
  const failing = input.sources.find((source) => source.consecutiveFailures > 0);
  if (failing) return `${failing.title} is failing${failing.lastError ? `: ${failing.lastError}` : ''}`;
  if (input.paused) return 'Polling paused';
  if (input.sources.length === 0) return 'No source configured yet: open Settings';
  const stale = input.sources.find((source) => isStale(source, input.now, input.startedAt));
  if (stale) return `${stale.title} has not updated since ${stale.lastRunAt === null ? 'start' : agoText(input.now - stale.lastRunAt)}`;
  const successes = input.sources.map((source) => source.lastSuccessAt).filter((time): time is number => time !== null);
  if (successes.length === 0) return 'Collecting…';
  return `Updated ${agoText(input.now - Math.max(...successes))}`;
}

export function tooltipText(input: TooltipInput): string {
  const head = input.figure ? `Footprint — ${input.figure}` : 'Footprint';
  const text = `${head}\n${statusLine(input)}`;
  return text.length <= MAX_TOOLTIP_LENGTH ? text : `${text.slice(0, MAX_TOOLTIP_LENGTH - 1)}…`;
}
