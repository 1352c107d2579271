// The tray's context menu as data: which items, in which state, doing what. A thin adapter turns it
// into an Electron Menu. On Linux, where tray clicks are unreliable, the menu starts with the actions
// a click gives elsewhere (the glance window).
import type { LatestSeries } from '../../../shared/api.js';
import { BADGE_TOTALS, seriesDisplayName, type BadgeChoice } from './badge.js';
import type { ShellSettings } from '../settings/settings.js';

export type ShellAction =
  | { readonly type: 'toggle-glance' }
  | { readonly type: 'refresh' }
  | { readonly type: 'open-dashboard' }
  | { readonly type: 'open-settings' }
  | { readonly type: 'open-health' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'set-badge'; readonly badge: BadgeChoice }
  | { readonly type: 'set-metrics'; readonly enabled: boolean }
  | { readonly type: 'copy-metrics-url' }
  | { readonly type: 'set-start-at-login'; readonly enabled: boolean }
  | { readonly type: 'set-notifications'; readonly enabled: boolean }
  | { readonly type: 'open-preferences-file' }
  | { readonly type: 'quit' };

export type MenuItemModel =
  | { readonly kind: 'action'; readonly label: string; readonly action: ShellAction; readonly enabled?: boolean }
  | { readonly kind: 'checkbox'; readonly label: string; readonly checked: boolean; readonly action: ShellAction }
  | { readonly kind: 'radio'; readonly label: string; readonly checked: boolean; readonly action: ShellAction }
  | { readonly kind: 'info'; readonly label: string }
  | { readonly kind: 'separator' }
  | { readonly kind: 'submenu'; readonly label: string; readonly items: readonly MenuItemModel[] };

export interface MenuInput {
  readonly platform: NodeJS.Platform;
  /** Polling paused by the user (sleep and offline pauses resume by themselves). */
  readonly userPaused: boolean;
  /** Paused for another reason, in words ("offline", "asleep"); null when not. */
  readonly autoPauseReason: string | null;
  readonly settings: Pick<ShellSettings, 'badge' | 'metrics' | 'startAtLogin' | 'notifications'>;
  /** Where /metrics is served, or null. */
  readonly metricsUrl: string | null;
  /** Why /metrics is not served although on. */
  readonly metricsProblem: string | null;
  /** Series the badge can be pinned to (largest first). */
  readonly pinCandidates: readonly LatestSeries[];
}

function sameBadge(a: BadgeChoice, b: BadgeChoice): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function badgeMenu(input: MenuInput): MenuItemModel {
  const current = input.settings.badge;
  const choice = (label: string, badge: BadgeChoice): MenuItemModel => ({ kind: 'radio', label, checked: sameBadge(current, badge), action: { type: 'set-badge', badge } });
  const pinned: MenuItemModel[] = input.pinCandidates.map((series) => choice(seriesDisplayName(series), { kind: 'series', seriesId: series.id }));
  if (current.kind === 'series' && !input.pinCandidates.some((series) => series.id === current.seriesId)) {
    pinned.unshift({ kind: 'radio', label: 'The pinned series (not among the largest now)', checked: true, action: { type: 'set-badge', badge: current } });
  }
  return {
    kind: 'submenu',
    label: 'Badge shows',
    items: [
      choice(`Total ${BADGE_TOTALS.stars.where} stars`, { kind: 'total', of: 'stars' }),
      choice(`Total ${BADGE_TOTALS.pulls.where} pulls`, { kind: 'total', of: 'pulls' }),
      choice('Stars gained today', { kind: 'today', of: 'stars' }),
      choice('Pulls gained today', { kind: 'today', of: 'pulls' }),
      pinned.length > 0 ? { kind: 'submenu', label: 'A pinned series', items: pinned } : { kind: 'info', label: 'A pinned series (none collected yet)' },
      choice('Nothing (state icon only)', { kind: 'none' }),
    ],
  };
}

function metricsMenu(input: MenuInput): MenuItemModel {
  const { enabled } = input.settings.metrics;
  const status: MenuItemModel = !enabled
    ? { kind: 'info', label: 'Prometheus endpoint is off' }
    : input.metricsProblem
      ? { kind: 'info', label: `Not serving: ${input.metricsProblem}` }
      : { kind: 'info', label: input.metricsUrl ? `Serving ${input.metricsUrl}` : 'Starting…' };
  return {
    kind: 'submenu',
    label: 'Prometheus /metrics',
    items: [
      { kind: 'checkbox', label: 'Serve /metrics', checked: enabled, action: { type: 'set-metrics', enabled: !enabled } },
      status,
      { kind: 'action', label: 'Copy address', action: { type: 'copy-metrics-url' }, enabled: enabled && input.metricsUrl !== null },
    ],
  };
}

export function trayMenuModel(input: MenuInput): MenuItemModel[] {
  const items: MenuItemModel[] = [];
  // Elsewhere a click on the icon opens the glance; Linux trays often deliver no clicks.
  if (input.platform === 'linux') items.push({ kind: 'action', label: 'Show glance', action: { type: 'toggle-glance' } });
  items.push(
    { kind: 'action', label: 'Refresh now', action: { type: 'refresh' } },
    { kind: 'action', label: 'Open dashboard', action: { type: 'open-dashboard' } },
    input.userPaused
      ? { kind: 'action', label: 'Resume polling', action: { type: 'resume' } }
      : { kind: 'action', label: 'Pause polling', action: { type: 'pause' } },
  );
  if (input.autoPauseReason) items.push({ kind: 'info', label: `Polling waits: ${input.autoPauseReason}` });
  if (input.metricsProblem && input.settings.metrics.enabled) items.push({ kind: 'info', label: `/metrics not served: ${input.metricsProblem}` });
  items.push(
    { kind: 'separator' },
    badgeMenu(input),
    metricsMenu(input),
    {
      kind: 'submenu',
      label: 'Preferences',
      items: [
        { kind: 'checkbox', label: 'Start at login', checked: input.settings.startAtLogin, action: { type: 'set-start-at-login', enabled: !input.settings.startAtLogin } },
        { kind: 'checkbox', label: 'Milestone notifications', checked: input.settings.notifications.enabled, action: { type: 'set-notifications', enabled: !input.settings.notifications.enabled } },
        { kind: 'action', label: 'Edit thresholds and address…', action: { type: 'open-preferences-file' } },
      ],
    },
    { kind: 'action', label: 'Settings…', action: { type: 'open-settings' } },
    { kind: 'action', label: 'Source health', action: { type: 'open-health' } },
    { kind: 'separator' },
    { kind: 'action', label: input.platform === 'darwin' ? 'Quit Footprint' : 'Quit', action: { type: 'quit' } },
  );
  return items;
}
