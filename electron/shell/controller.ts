// The shell's behaviour, with Electron behind small ports: what each tray/menu action does, and how
// the tray is brought up to date (debounced, since several sources report at nearly the same time).
import type { FootprintApi } from '../../shared/api.js';
import { badgeSeries, msSinceLocalMidnight } from './tray/badge.js';
import type { EndpointPlan } from './app-core/metrics-endpoint.js';
import type { PauseControl } from './app-core/pause-control.js';
import type { ShellSettings } from './settings/settings.js';
import type { ShellAction } from './tray/tray-menu.js';
import { trayView, type TrayView } from './tray/tray-view.js';

/** CoreApi.changes takes at most this many series per call. */
const CHANGES_BATCH = 50;
export const TRAY_DEBOUNCE_MS = 250;

/** Series id → change over `windowMs`, asked in batches the API accepts. */
export async function changesBySeries(api: Pick<FootprintApi, 'changes'>, ids: readonly number[], windowMs: number): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  for (let start = 0; start < ids.length; start += CHANGES_BATCH) {
    for (const change of await api.changes(ids.slice(start, start + CHANGES_BATCH), [windowMs])) {
      result.set(change.id, change.changes[0]?.delta ?? 0);
    }
  }
  return result;
}

export interface ShellPorts {
  readonly platform: NodeJS.Platform;
  readonly api: Pick<FootprintApi, 'latest' | 'health' | 'changes' | 'refresh'>;
  readonly pause: PauseControl;
  readonly settings: { get(): ShellSettings; update(change: (current: ShellSettings) => ShellSettings): ShellSettings; readonly path: string };
  readonly endpoint: { readonly url: string | null; readonly problem: string | null; apply(plan: EndpointPlan): Promise<void> };
  /** The endpoint plan for the current settings and configuration. */
  readonly planEndpoint: (settings: ShellSettings) => EndpointPlan;
  readonly windows: { toggleGlance(): void; showCharts(route?: string): unknown };
  readonly tray: { apply(view: TrayView): void };
  readonly copyText: (text: string) => void;
  readonly setStartAtLogin: (enabled: boolean) => void;
  readonly openFile: (file: string) => void;
  readonly quit: () => void;
  readonly online: () => boolean;
  readonly now: () => number;
  readonly startedAt: number;
  readonly reportError: (what: string, error: unknown) => void;
  readonly setTimer?: (run: () => void, ms: number) => unknown;
}

export class ShellController {
  private readonly ports: ShellPorts;
  private pending: unknown = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(ports: ShellPorts) {
    this.ports = ports;
  }

  /** What a menu item or a tray click asks for. */
  async dispatch(action: ShellAction): Promise<void> {
    const { ports } = this;
    switch (action.type) {
      case 'toggle-glance':
        ports.windows.toggleGlance();
        return;
      case 'refresh':
        await ports.api.refresh();
        break;
      case 'open-dashboard':
        ports.windows.showCharts('overview');
        return;
      case 'open-settings':
        ports.windows.showCharts('settings');
        return;
      case 'open-health':
        ports.windows.showCharts('health');
        return;
      case 'pause':
        ports.pause.add('user');
        break;
      case 'resume':
        ports.pause.remove('user');
        break;
      case 'set-badge':
        ports.settings.update((current) => ({ ...current, badge: action.badge }));
        break;
      case 'set-metrics': {
        const next = ports.settings.update((current) => ({ ...current, metrics: { ...current.metrics, enabled: action.enabled } }));
        await ports.endpoint.apply(ports.planEndpoint(next));
        break;
      }
      case 'copy-metrics-url':
        if (ports.endpoint.url) ports.copyText(`${ports.endpoint.url}/metrics`);
        return;
      case 'set-start-at-login':
        ports.setStartAtLogin(action.enabled);
        ports.settings.update((current) => ({ ...current, startAtLogin: action.enabled }));
        break;
      case 'set-notifications':
        ports.settings.update((current) => ({ ...current, notifications: { ...current.notifications, enabled: action.enabled } }));
        break;
      case 'open-preferences-file':
        ports.openFile(ports.settings.path);
        return;
      case 'quit':
        ports.quit();
        return;
    }
    await this.refreshTray();
  }

  /** Brings the tray up to date soon, once for a burst of calls. */
  scheduleRefresh(): void {
    if (this.pending !== null) return;
    const setTimer = this.ports.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
    this.pending = setTimer(() => {
      this.pending = null;
      this.refreshTray().catch((error: unknown) => this.ports.reportError('tray update', error));
    }, TRAY_DEBOUNCE_MS);
  }

  /** Computes and applies the tray view now (one at a time; a call during a run makes one more run). */
  async refreshTray(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          this.ports.tray.apply(await this.view());
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private autoPauseReason(): string | null {
    const { pause } = this.ports;
    if (pause.has('offline')) return 'offline';
    if (pause.has('suspend')) return 'the computer is asleep';
    return null;
  }

  /** The tray view for the current state. */
  async view(): Promise<TrayView> {
    const { ports } = this;
    const settings = ports.settings.get();
    const now = ports.now();
    const [latest, health] = await Promise.all([ports.api.latest(), ports.api.health()]);
    let todayChanges = new Map<number, number>();
    if (settings.badge.kind === 'today') {
      const ids = badgeSeries(settings.badge, latest).map((series) => series.id);
      todayChanges = await changesBySeries(ports.api, ids, msSinceLocalMidnight(new Date(now)));
    }
    return trayView({
      platform: ports.platform,
      userPaused: ports.pause.has('user'),
      autoPauseReason: this.autoPauseReason(),
      settings,
      metricsUrl: ports.endpoint.url ? `${ports.endpoint.url}/metrics` : null,
      metricsProblem: settings.metrics.enabled ? ports.endpoint.problem : null,
      online: ports.online(),
      health,
      latest,
      todayChanges,
      now,
      startedAt: ports.startedAt,
    });
  }
}
