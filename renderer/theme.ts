// Light or dark: the user's choice in the header (remembered in this browser or app), or the
// system's. The page carries the result as <html data-theme="light|dark">; styles.css colours from
// it, and the charts redraw on THEME_EVENT (chart-theme.ts).
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'footprint.theme';
/** Fired on document after data-theme changed. */
export const THEME_EVENT = 'footprint-theme';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage off (private mode, a sandbox): the choice lasts until the page closes
  }
}

export function readThemeChoice(from: Pick<Storage, 'getItem'> | null = storage()): ThemeChoice {
  const stored = from?.getItem(STORAGE_KEY);
  return (THEME_CHOICES as readonly string[]).includes(stored ?? '') ? (stored as ThemeChoice) : 'system';
}

/** The theme a choice means while the system prefers dark (`systemDark`) or not. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

function systemQuery(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
}

function apply(choice: ThemeChoice): void {
  const theme = resolveTheme(choice, systemQuery()?.matches ?? false);
  const root = document.documentElement;
  if (root.dataset.theme === theme) return;
  root.dataset.theme = theme;
  document.dispatchEvent(new Event(THEME_EVENT));
}

let current: ThemeChoice = 'system';

/** Applies the remembered choice and follows the system while the choice is "system". Call once, before the first render. */
export function startTheme(): void {
  current = readThemeChoice();
  apply(current);
  systemQuery()?.addEventListener('change', () => apply(current));
  // A choice made in another window of the app (or tab) applies here too.
  window.addEventListener('storage', (event) => {
    if (event.key !== STORAGE_KEY && event.key !== null) return;
    current = readThemeChoice();
    apply(current);
  });
}

export function themeChoice(): ThemeChoice {
  return current;
}

export function chooseTheme(choice: ThemeChoice): void {
  current = choice;
  if (choice === 'system') storage()?.removeItem(STORAGE_KEY);
  else storage()?.setItem(STORAGE_KEY, choice);
  apply(choice);
}
