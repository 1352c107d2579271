// Milestone notifications: after each collection, compare the values with those seen before,
// find milestones and big daily jumps, let the limiter decide what goes out, and show it.
import type { LatestSeries } from '../../../shared/api.js';
import { detectJumps, detectMilestones } from './milestones.js';
import { planNotifications, type LimiterState, type Notice } from './notification-limiter.js';
import type { NotificationSettings } from '../settings/settings.js';

export const DAY_MS = 86_400_000;

export interface NotifierPorts {
  readonly settings: () => NotificationSettings;
  readonly limiterState: () => LimiterState;
  readonly saveLimiterState: (state: LimiterState) => void;
  readonly show: (notice: Notice) => void;
  /** Series id → change over the last `windowMs`. */
  readonly changes: (ids: readonly number[], windowMs: number) => Promise<Map<number, number>>;
  readonly now: () => number;
}

const TRACKED_METRICS = new Set(['github_repo_stars', 'docker_hub_image_pulls_total']);

export class MilestoneNotifier {
  private readonly ports: NotifierPorts;
  private seen = new Map<string, number>();

  constructor(ports: NotifierPorts) {
    this.ports = ports;
  }

  /** Call with every current series after a collection. Returns what was shown. */
  async check(latest: readonly LatestSeries[]): Promise<Notice[]> {
    const settings = this.ports.settings();
    const { milestones, seen } = detectMilestones(this.seen, latest, settings);
    // Values are remembered even while notifications are off, so turning them on announces nothing old.
    this.seen = seen;
    if (!settings.enabled) return [];
    const now = this.ports.now();
    let jumps: ReturnType<typeof detectJumps> = [];
    if (settings.dailyStarJump > 0 || settings.dailyPullJump > 0) {
      const ids = latest.filter((series) => TRACKED_METRICS.has(series.metric)).map((series) => series.id);
      if (ids.length > 0) jumps = detectJumps(latest, await this.ports.changes(ids, DAY_MS), settings, now);
    }
    const plan = planNotifications([...milestones, ...jumps], this.ports.limiterState(), now, settings.maxPerHour);
    if (plan.send.length > 0 || milestones.length > 0 || jumps.length > 0) this.ports.saveLimiterState(plan.state);
    for (const notice of plan.send) this.ports.show(notice);
    return plan.send;
  }
}
