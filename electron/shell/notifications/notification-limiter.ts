// Never a flood: each milestone is announced once, and at most `maxPerHour` notifications go out in
// any hour. When more arrive than the hour allows, all but one of the free slots go to the first
// milestones and the last slot sums up the rest; with no slot left they are dropped (still marked as
// announced: by the time a slot frees up they are old news, and the dashboard shows them anyway).
import type { Milestone } from './milestones.js';
import { MAX_ANNOUNCED } from '../settings/settings.js';

export const HOUR_MS = 3_600_000;

export interface LimiterState {
  readonly announced: readonly string[];
  readonly notificationTimes: readonly number[];
}

export interface Notice {
  readonly title: string;
  readonly body: string;
  readonly seriesId: number | null;
}

export function planNotifications(candidates: readonly Milestone[], state: LimiterState, now: number, maxPerHour: number): { send: Notice[]; state: LimiterState } {
  const announced = new Set(state.announced);
  const fresh: Milestone[] = [];
  for (const milestone of candidates) {
    if (announced.has(milestone.key)) continue;
    announced.add(milestone.key);
    fresh.push(milestone);
  }
  const newlyAnnounced = fresh.flatMap((milestone) => [...milestone.covers, milestone.key]);
  const recent = state.notificationTimes.filter((time) => time > now - HOUR_MS && time <= now);
  const budget = Math.max(0, maxPerHour - recent.length);
  let send: Notice[];
  if (fresh.length <= budget) {
    send = fresh.map(({ title, body, seriesId }) => ({ title, body, seriesId }));
  } else if (budget === 0) {
    send = [];
  } else {
    const individual = fresh.slice(0, budget - 1).map(({ title, body, seriesId }) => ({ title, body, seriesId }));
    const rest = fresh.slice(budget - 1);
    const names = rest.slice(0, 3).map((milestone) => milestone.title);
    const more = rest.length > names.length ? ` and ${rest.length - names.length} more` : '';
    send = [...individual, { title: `${rest.length} milestones`, body: `${names.join('; ')}${more}. Open Footprint for the details.`, seriesId: null }];
  }
  return {
    send,
    state: {
      announced: [...new Set([...state.announced, ...newlyAnnounced])].slice(-MAX_ANNOUNCED),
      notificationTimes: [...recent, ...send.map(() => now)],
    },
  };
}
