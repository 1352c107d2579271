// Applies a TrayView to Electron's Tray, changing only what changed. Platform rules:
//  - macOS: template icon per state + the number as the title (monospaced digits), menu on right-click
//    (a context menu set with setContextMenu would swallow the left click that opens the glance);
//  - Windows: the number drawn into the icon, menu set with setContextMenu (right-click);
//  - Linux: like Windows, and the menu is set again whenever it changes (AppIndicator keeps a copy).
import type { MenuItemConstructorOptions, NativeImage, Rectangle } from 'electron';
import type { MenuItemModel, ShellAction } from './tray-menu.js';
import { renderBadgeIcon, representations, templateIconFile, trayIconSize, type IconRepresentation } from './icons/tray-icons.js';
import type { TrayView } from './tray-view.js';

/** The part of Electron's Tray the adapter uses. */
export interface TrayLike {
  setImage(image: NativeImage): void;
  setTitle(title: string, options?: { fontType?: 'monospaced' | 'monospacedDigit' }): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: unknown): void;
  popUpContextMenu(menu?: unknown): void;
  getBounds(): Rectangle;
}

export interface TrayImages {
  /** An image with the given PNG representations (1x, 2x). */
  fromRepresentations(representations: readonly IconRepresentation[]): NativeImage;
  /** A file (macOS template icons: Electron picks up the @2x file and the "Template" suffix itself). */
  fromFile(file: string): NativeImage;
}

/** The Electron menu template of a menu model; clicks call `dispatch`. */
export function menuTemplate(model: readonly MenuItemModel[], dispatch: (action: ShellAction) => void): MenuItemConstructorOptions[] {
  return model.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: item.label, enabled: false };
      case 'submenu':
        return { label: item.label, submenu: menuTemplate(item.items, dispatch) };
      case 'checkbox':
      case 'radio':
        return { label: item.label, type: item.kind, checked: item.checked, click: () => dispatch(item.action) };
      case 'action':
        return { label: item.label, enabled: item.enabled ?? true, click: () => dispatch(item.action) };
    }
  });
}

export class TrayAdapter<M> {
  private readonly tray: TrayLike;
  private readonly platform: NodeJS.Platform;
  private readonly images: TrayImages;
  private readonly buildMenu: (template: MenuItemConstructorOptions[]) => M;
  private readonly dispatch: (action: ShellAction) => void;
  private readonly templateDir: string;
  private applied: { iconKey: string; title: string | null; tooltip: string; menuKey: string } | null = null;
  private menu: M | null = null;
  /** The last view applied, for tests and diagnostics (the OS tray cannot be read back on every platform). */
  lastView: TrayView | null = null;
  lastIcon: readonly IconRepresentation[] | string | null = null;

  constructor(options: {
    tray: TrayLike;
    platform: NodeJS.Platform;
    images: TrayImages;
    buildMenu: (template: MenuItemConstructorOptions[]) => M;
    dispatch: (action: ShellAction) => void;
    /** Where the macOS template icons are (build/icons/tray). */
    templateDir: string;
  }) {
    this.tray = options.tray;
    this.platform = options.platform;
    this.images = options.images;
    this.buildMenu = options.buildMenu;
    this.dispatch = options.dispatch;
    this.templateDir = options.templateDir;
  }

  private iconKey(view: TrayView): string {
    return view.icon.kind === 'template' ? `template:${view.icon.state}` : `badge:${view.icon.state}:${view.icon.value}:${view.icon.signed}`;
  }

  apply(view: TrayView): void {
    const iconKey = this.iconKey(view);
    const menuKey = JSON.stringify(view.menu);
    const before = this.applied;
    if (before?.iconKey !== iconKey) {
      const { icon } = view;
      if (icon.kind === 'template') {
        const file = `${this.templateDir}/${templateIconFile(icon.state, 1)}`;
        this.tray.setImage(this.images.fromFile(file));
        this.lastIcon = file;
      } else {
        const reps = representations(trayIconSize(this.platform), (pixels) => renderBadgeIcon(icon.value, icon.signed, icon.state, pixels));
        this.tray.setImage(this.images.fromRepresentations(reps));
        this.lastIcon = reps;
      }
    }
    if (view.title !== null && before?.title !== view.title) this.tray.setTitle(view.title, { fontType: 'monospacedDigit' });
    if (before?.tooltip !== view.tooltip) this.tray.setToolTip(view.tooltip);
    if (before?.menuKey !== menuKey) {
      this.menu = this.buildMenu(menuTemplate(view.menu, this.dispatch));
      // macOS shows the menu on right-click (popUp); elsewhere the tray owns it. Linux needs it set again on every change.
      if (this.platform !== 'darwin') this.tray.setContextMenu(this.menu);
    }
    this.applied = { iconKey, title: view.title, tooltip: view.tooltip, menuKey };
    this.lastView = view;
  }

  /** macOS right-click: the current menu. */
  popUpMenu(): void {
    if (this.menu !== null) this.tray.popUpContextMenu(this.menu);
  }
}
