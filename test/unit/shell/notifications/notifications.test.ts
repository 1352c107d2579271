import { describe, expect, it } from 'vitest';
import type { LatestSeries } from '../../../../shared/api.js';
import { detectJumps, detectMilestones, localDay, type Milestone } from '../../../../electron/shell/notifications/milestones.js';
import { HOUR_MS, planNotifications } from '../../../../electron/shell/notifications/notification-limiter.js';
import { MilestoneNotifier } from '../../../../electron/shell/notifications/notifier.js';
import { DEFAULT_SETTINGS, type NotificationSettings } from '../../../../electron/shell/settings/settings.js';

const rules = DEFAULT_SETTINGS.notifications;
const stars = (id: number, repo: string, value: number): LatestSeries => ({ id, source: 'github', metric: 'github_repo_stars', labels: { repo, user: 'acme' }, value, since: 0, lastSeen: 0 });
const pulls = (id: number, image: string, value: number): LatestSeries => ({ id, source: 'dockerhub', metric: 'docker_hub_image_pulls_total', labels: { image, user: 'acme', namespace: 'acme' }, value, since: 0, lastSeen: 0 });

describe('detectMilestones', () => {
  it('announces nothing on the first sight of a value: it was reached while nobody watched', () => {
    const { milestones, seen } = detectMilestones(new Map(), [stars(1, 'rocket', 5000), stars(2, 'engine', 10)], rules);
    expect(milestones).toEqual([]);
    expect(seen.get('series:1')).toBe(5000);
    expect(seen.get('total:stars')).toBe(5010);
  });

  it('announces a repository crossing a threshold, once per step, the highest threshold covering the lower', () => {
    const previous = new Map([['series:1', 90]]);
    const { milestones } = detectMilestones(previous, [stars(1, 'rocket', 260)], rules);
    expect(milestones).toEqual([{
      key: 'stars:1:250',
      covers: ['stars:1:100'],
      title: 'acme/rocket reached 250 stars',
      body: 'acme/rocket passed 250 GitHub stars: now 260.',
      seriesId: 1,
    }]);
  });

  it('announces totals and pulls too', () => {
    const previous = new Map([['series:1', 4990], ['series:2', 5000], ['total:stars', 9990], ['series:3', 999_000], ['series:4', 10], ['total:pulls', 999_010]]);
    const latest = [stars(1, 'rocket', 5010), stars(2, 'engine', 5000), pulls(3, 'app', 1_000_500), pulls(4, 'tool', 10)];
    const { milestones } = detectMilestones(previous, latest, rules);
    expect(milestones.map((milestone) => milestone.key)).toEqual(['total:stars:10000', 'total:pulls:1000000', 'pulls:3:1000000', 'stars:1:5000']);
    expect(milestones[0]!.title).toBe('10k GitHub stars in total');
    expect(milestones[0]!.body).toBe('All your GitHub repositories together passed 10,000 stars: now 10,010.');
    expect(milestones[2]!.title).toBe('acme/app reached 1M pulls');
  });

  it('ignores falling values and untracked metrics', () => {
    const previous = new Map([['series:1', 120]]);
    expect(detectMilestones(previous, [stars(1, 'rocket', 90)], rules).milestones).toEqual([]);
    const forks: LatestSeries = { ...stars(9, 'rocket', 5000), metric: 'github_repo_forks' };
    expect(detectMilestones(new Map([['series:9', 1]]), [forks], rules).milestones).toEqual([]);
  });
});

describe('detectJumps', () => {
  const now = new Date(2026, 6, 1, 15, 0).getTime();

  it('announces a big 24-hour gain once a day per series', () => {
    const jumps = detectJumps([stars(1, 'rocket', 1400), pulls(3, 'app', 90_000)], new Map([[1, 312], [3, 500]]), rules, now);
    expect(jumps).toEqual([{
      key: `jump:1:${localDay(now)}`,
      covers: [],
      title: 'acme/rocket: +312 stars in 24 hours',
      body: 'acme/rocket gained 312 GitHub stars in the last 24 hours (now 1,400).',
      seriesId: 1,
    }]);
    expect(localDay(now)).toBe('2026-07-01');
  });

  it('is off with a threshold of 0', () => {
    expect(detectJumps([stars(1, 'rocket', 1400)], new Map([[1, 1000]]), { ...rules, dailyStarJump: 0 }, now)).toEqual([]);
  });
});

const milestone = (key: string, covers: string[] = []): Milestone => ({ key, covers, title: `title ${key}`, body: `body ${key}`, seriesId: null });

describe('planNotifications', () => {
  const now = 10 * HOUR_MS;

  it('sends each milestone once, and remembers it with what it covers', () => {
    const first = planNotifications([milestone('a', ['a-low'])], { announced: [], notificationTimes: [] }, now, 3);
    expect(first.send).toEqual([{ title: 'title a', body: 'body a', seriesId: null }]);
    expect(first.state).toEqual({ announced: ['a-low', 'a'], notificationTimes: [now] });
    const again = planNotifications([milestone('a'), milestone('a')], first.state, now + 1, 3);
    expect(again.send).toEqual([]);
  });

  it('sends at most N an hour, summing up the rest in the last slot', () => {
    const plan = planNotifications(['a', 'b', 'c', 'd', 'e'].map((key) => milestone(key)), { announced: [], notificationTimes: [] }, now, 3);
    expect(plan.send.map((notice) => notice.title)).toEqual(['title a', 'title b', '3 milestones']);
    expect(plan.send[2]!.body).toBe('title c; title d; title e. Open Footprint for the details.');
    expect(plan.state.announced).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(plan.state.notificationTimes).toEqual([now, now, now]);
  });

  it('drops new milestones while the hour\'s budget is used, and sends again an hour later', () => {
    const busy = { announced: [], notificationTimes: [now - 10, now - 20, now - 30] };
    const dropped = planNotifications([milestone('x')], busy, now, 3);
    expect(dropped.send).toEqual([]);
    expect(dropped.state.announced).toEqual(['x']);
    const later = planNotifications([milestone('y')], dropped.state, now + HOUR_MS, 3);
    expect(later.send.map((notice) => notice.title)).toEqual(['title y']);
    expect(later.state.notificationTimes).toEqual([now + HOUR_MS]);
  });

  it('with one slot left, one summary for several', () => {
    const plan = planNotifications([milestone('a'), milestone('b')], { announced: [], notificationTimes: [now - 1, now - 2] }, now, 3);
    expect(plan.send).toEqual([{ title: '2 milestones', body: 'title a; title b. Open Footprint for the details.', seriesId: null }]);
  });
});

describe('MilestoneNotifier', () => {
  function notifier(settings: NotificationSettings = rules) {
    let state = { announced: [] as readonly string[], notificationTimes: [] as readonly number[] };
    const shown: string[] = [];
    const changes = new Map<number, number>();
    const instance = new MilestoneNotifier({
      settings: () => settings,
      limiterState: () => state,
      saveLimiterState: (next) => {
        state = next;
      },
      show: (notice) => shown.push(notice.title),
      changes: async (ids) => new Map(ids.map((id) => [id, changes.get(id) ?? 0])),
      now: () => new Date(2026, 6, 1, 12).getTime(),
    });
    return { instance, shown, changes, state: () => state };
  }

  it('announces what changed between two collections, never the first', async () => {
    const { instance, shown } = notifier();
    expect(await instance.check([stars(1, 'rocket', 95)])).toEqual([]);
    await instance.check([stars(1, 'rocket', 101)]);
    await instance.check([stars(1, 'rocket', 102)]);
    // One repository: its milestone, not a second one for the total of one.
    expect(shown).toEqual(['acme/rocket reached 100 stars']);
  });

  it('adds big jumps from the last 24 hours', async () => {
    const { instance, shown, changes } = notifier();
    await instance.check([stars(1, 'rocket', 1300)]);
    changes.set(1, 80);
    await instance.check([stars(1, 'rocket', 1310)]);
    expect(shown).toEqual(['acme/rocket: +80 stars in 24 hours']);
  });

  it('stays quiet when turned off, and does not announce the backlog when turned on', async () => {
    const settings = { ...rules, enabled: false };
    const { instance, shown } = notifier(settings);
    await instance.check([stars(1, 'rocket', 95)]);
    await instance.check([stars(1, 'rocket', 101)]);
    expect(shown).toEqual([]);
    settings.enabled = true;
    await instance.check([stars(1, 'rocket', 102)]);
    expect(shown).toEqual([]);
  });
});
