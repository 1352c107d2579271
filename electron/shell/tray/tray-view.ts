// Everything the tray shows, computed from the app's state as plain data: the state, the badge text,
// the macOS title, the tooltip, the icon to draw, and the context menu.
import type { LatestSeries, SourceHealth } from '../../../shared/api.js';
import { badgeFigure, badgeText, pinCandidates, type BadgeChoice } from './badge.js';
import { trayMenuModel, type MenuInput, type MenuItemModel } from './tray-menu.js';
import { trayState, type TrayState } from './tray-state.js';
import { tooltipText } from './tray-tooltip.js';

export type TrayIcon =
  /** macOS: the state's template image; the number is the title beside it. */
  | { readonly kind: 'template'; readonly state: TrayState }
  /** Windows/Linux: the number drawn into the icon (or the coloured state glyph when value is null). */
  | { readonly kind: 'badge'; readonly state: TrayState; readonly value: number | null; readonly signed: boolean };

export interface TrayView {
  readonly state: TrayState;
  /** The badge text ("1.2k"), "--" without data, "" when the badge is off. */
  readonly text: string;
  /** macOS only: the text beside the icon. */
  readonly title: string | null;
  readonly tooltip: string;
  readonly icon: TrayIcon;
  readonly menu: readonly MenuItemModel[];
}

export interface TrayViewInput extends Omit<MenuInput, 'pinCandidates'> {
  readonly online: boolean;
  readonly health: readonly SourceHealth[];
  readonly latest: readonly LatestSeries[];
  /** Series id → change since local midnight (for a "today" badge). */
  readonly todayChanges: ReadonlyMap<number, number>;
  readonly now: number;
  readonly startedAt: number;
}

export function trayView(input: TrayViewInput): TrayView {
  const badge: BadgeChoice = input.settings.badge;
  const figure = badgeFigure(badge, input.latest, input.todayChanges);
  const text = badgeText(badge, figure);
  const state = trayState({ online: input.online, sources: input.health, now: input.now, startedAt: input.startedAt });
  const tooltip = tooltipText({
    figure: figure.description,
    state,
    paused: input.userPaused || input.autoPauseReason !== null,
    sources: input.health,
    now: input.now,
    startedAt: input.startedAt,
  });
  const mac = input.platform === 'darwin';
  return {
    state,
    text,
    title: mac ? text : null,
    tooltip,
    icon: mac ? { kind: 'template', state } : { kind: 'badge', state, value: badge.kind === 'none' ? null : figure.value, signed: figure.signed },
    menu: trayMenuModel({ ...input, pinCandidates: pinCandidates(input.latest) }),
  };
}
