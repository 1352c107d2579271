// The app's two windows. Every window is created by createAppWindow, which gives it the secure web
// preferences and the navigation/window-open guards; nothing else constructs a BrowserWindow.
//  - glance: frameless, 360×480, opens at the tray, hides when it loses focus (#/glance). Created
//    hidden at start, so a click shows it at once.
//  - charts: the dashboard (#/overview, #/settings, …), a normal window that remembers its bounds.
import type { BrowserWindowConstructorOptions } from 'electron';
import { glancePosition, visibleBounds, type Rect } from './glance-position.js';
import { pageUrl, type RendererLocation } from '../security/renderer-location.js';
import { guardContents, secureWebPreferences, type GuardedContents } from '../security/window-security.js';

export type WindowRole = 'glance' | 'charts';

export const GLANCE_SIZE = { width: 360, height: 480 } as const;
export const CHARTS_SIZE = { width: 1100, height: 720 } as const;
/** A tray click right after the glance hid on blur is that same click: it must not re-open it. */
export const REOPEN_GUARD_MS = 300;

const BACKGROUND = '#0d1117';

/** The part of Electron's BrowserWindow the shell uses. */
export interface AppWindow {
  readonly webContents: GuardedContents & {
    send(channel: string, ...args: unknown[]): void;
    getURL(): string;
    /** The page holds unsaved edits and is being closed: preventDefault() lets it close anyway. */
    on(event: 'will-prevent-unload', listener: (event: { preventDefault(): void }) => void): unknown;
  };
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  isVisible(): boolean;
  isDestroyed(): boolean;
  setPosition(x: number, y: number): void;
  getNormalBounds(): Rect;
  on(event: 'blur' | 'closed' | 'close' | 'show' | 'hide', listener: () => void): unknown;
}

export interface WindowContext {
  readonly preload: string;
  readonly platform: NodeJS.Platform;
  /** The app icon (Windows/Linux window icon); undefined on macOS, where the bundle's icon is used. */
  readonly icon?: string | undefined;
}

/** The constructor options of each role's window. */
export function windowOptions(role: WindowRole, context: WindowContext, savedBounds: Rect | null = null): BrowserWindowConstructorOptions {
  const common: BrowserWindowConstructorOptions = {
    show: false,
    title: 'Footprint',
    backgroundColor: BACKGROUND,
    ...(context.icon ? { icon: context.icon } : {}),
    webPreferences: secureWebPreferences(context.preload),
  };
  if (role === 'glance') {
    return {
      ...common,
      ...GLANCE_SIZE,
      frame: false,
      resizable: false,
      maximizable: false,
      minimizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      ...(context.platform === 'darwin' ? { hiddenInMissionControl: true } : {}),
    };
  }
  return {
    ...common,
    ...CHARTS_SIZE,
    ...(savedBounds ?? {}),
    minWidth: 720,
    minHeight: 480,
    autoHideMenuBar: true,
  };
}

export function routeOf(role: WindowRole): string {
  return role === 'glance' ? 'glance' : 'overview';
}

/** What the window manager needs from Electron besides windows. */
export interface WindowHost {
  createWindow(options: BrowserWindowConstructorOptions): AppWindow;
  openExternal(url: string): void;
  /** Asks whether to close a window whose page holds unsaved edits (true: close, discarding them). */
  confirmLeave(window: AppWindow): boolean;
  /** The tray icon's bounds; null when the platform does not report them. */
  trayBounds(): Rect | null;
  /** The work area of the display nearest to the point (the tray), or of the primary display. */
  workArea(near: { x: number; y: number } | null): Rect;
  /** Work areas of all displays, to check saved bounds are still on screen. */
  displays(): Rect[];
  now(): number;
}

export interface WindowEvents {
  /** The charts window was shown or closed (macOS shows the Dock icon only while it is open). */
  chartsVisible?(visible: boolean): void;
  /** The charts window's bounds when it closes. */
  chartsBounds?(bounds: Rect): void;
  /** The renderer failed to load (not built?). */
  loadFailed?(role: WindowRole, error: unknown): void;
}

/** Creates one app window: secure preferences, guards, then the page. */
export function createAppWindow(host: WindowHost, location: RendererLocation, options: BrowserWindowConstructorOptions, route: string, onLoadFailed: (error: unknown) => void): AppWindow {
  const window = host.createWindow(options);
  guardContents(window.webContents, location, (url) => host.openExternal(url));
  // Settings with unsaved edits keeps the page from unloading: the user decides, not the page.
  window.webContents.on('will-prevent-unload', (event) => {
    if (host.confirmLeave(window)) event.preventDefault();
  });
  window.loadURL(pageUrl(location, route)).catch(onLoadFailed);
  return window;
}

export class WindowManager {
  private readonly host: WindowHost;
  private readonly location: RendererLocation;
  private readonly context: WindowContext;
  private readonly events: WindowEvents;
  private readonly loadChartsBounds: () => Rect | null;
  private glance: AppWindow | null = null;
  private charts: AppWindow | null = null;
  private glanceHiddenAt = Number.NEGATIVE_INFINITY;

  constructor(options: { host: WindowHost; location: RendererLocation; context: WindowContext; events?: WindowEvents; chartsBounds?: () => Rect | null }) {
    this.host = options.host;
    this.location = options.location;
    this.context = options.context;
    this.events = options.events ?? {};
    this.loadChartsBounds = options.chartsBounds ?? (() => null);
  }

  /** Creates the glance window, hidden, so the first click is instant (and tests find a window at once). */
  createGlance(): AppWindow {
    if (this.glance && !this.glance.isDestroyed()) return this.glance;
    const window = createAppWindow(this.host, this.location, windowOptions('glance', this.context), routeOf('glance'), (error) => this.events.loadFailed?.('glance', error));
    window.on('blur', () => {
      if (!window.isVisible()) return;
      window.hide();
      this.glanceHiddenAt = this.host.now();
    });
    window.on('closed', () => {
      if (this.glance === window) this.glance = null;
    });
    this.glance = window;
    return window;
  }

  /** Shows the glance at the tray, or hides it when it is showing. */
  toggleGlance(): void {
    const window = this.createGlance();
    if (window.isVisible()) {
      window.hide();
      this.glanceHiddenAt = this.host.now();
      return;
    }
    if (this.host.now() - this.glanceHiddenAt < REOPEN_GUARD_MS) return;
    const tray = this.host.trayBounds();
    const workArea = this.host.workArea(tray ? { x: tray.x + tray.width / 2, y: tray.y + tray.height / 2 } : null);
    const { x, y } = glancePosition(tray, GLANCE_SIZE, workArea);
    window.setPosition(x, y);
    window.show();
    window.focus();
  }

  /** Opens (or brings forward) the dashboard at a route: "overview", "settings", "health", "details?series=1". */
  showCharts(route = 'overview'): AppWindow {
    let window = this.charts && !this.charts.isDestroyed() ? this.charts : null;
    if (!window) {
      const saved = visibleBounds(this.loadChartsBounds(), this.host.displays());
      const created = createAppWindow(this.host, this.location, windowOptions('charts', this.context, saved), route, (error) => this.events.loadFailed?.('charts', error));
      created.on('close', () => this.events.chartsBounds?.(created.getNormalBounds()));
      created.on('closed', () => {
        if (this.charts === created) this.charts = null;
        this.events.chartsVisible?.(false);
      });
      this.charts = created;
      window = created;
    } else {
      window.loadURL(pageUrl(this.location, route)).catch((error: unknown) => this.events.loadFailed?.('charts', error));
    }
    this.events.chartsVisible?.(true);
    window.show();
    window.focus();
    return window;
  }

  /** Every open window, for live events. */
  openWindows(): AppWindow[] {
    return [this.glance, this.charts].filter((window): window is AppWindow => window !== null && !window.isDestroyed());
  }

  roleOf(window: AppWindow): WindowRole | null {
    return window === this.glance ? 'glance' : window === this.charts ? 'charts' : null;
  }
}
