// Start at login. macOS and Windows have an OS setting Electron writes (setLoginItemSettings);
// Linux desktops read XDG autostart entries: a .desktop file in ~/.config/autostart/.
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export const AUTOSTART_FILE_NAME = 'footprint.desktop';

/** ~/.config/autostart/footprint.desktop, or under $XDG_CONFIG_HOME when it is set (and absolute). */
export function autostartFile(env: Env, homedir: string): string {
  const configHome = env.XDG_CONFIG_HOME && path.posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(homedir, '.config');
  return path.posix.join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/**
 * One argument of an Exec line (Desktop Entry Specification, "The Exec key"): quoted when it holds
 * a reserved character, with ", `, $ and \ escaped inside the quotes; % is doubled (field codes).
 * Backslashes are then doubled once more, because the whole value is a string value, whose own
 * escape rules are applied first.
 */
export function quoteExecArgument(argument: string): string {
  const reserved = /[\s"'\\><~|&;$*?#()`]/.test(argument);
  const percent = argument.replace(/%/g, '%%');
  const quoted = reserved ? `"${percent.replace(/(["`$\\])/g, '\\$1')}"` : percent;
  return quoted.replace(/\\/g, '\\\\');
}

export interface AutostartEntry {
  /** The program to start: the AppImage file when running from one (its mount point changes every run), else the executable. */
  readonly executable: string;
  readonly args?: readonly string[];
}

/** Where the running app starts from: $APPIMAGE for an AppImage, else process.execPath. */
export function autostartExecutable(env: Env, execPath: string): string {
  return env.APPIMAGE && path.posix.isAbsolute(env.APPIMAGE) ? env.APPIMAGE : execPath;
}

/** The autostart .desktop file. */
export function autostartDesktopEntry(entry: AutostartEntry): string {
  const exec = [entry.executable, ...(entry.args ?? [])].map(quoteExecArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Footprint',
    'Comment=Your open-source and web footprint at a glance',
    `Exec=${exec}`,
    'Icon=footprint',
    'Terminal=false',
    'Categories=Development;Utility;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The files the Linux autostart adapter touches (node:fs by default; a temp dir in tests). */
export interface AutostartFs {
  exists(file: string): boolean;
  write(file: string, text: string): void;
  remove(file: string): void;
}

export const nodeAutostartFs: AutostartFs = {
  exists: (file) => existsSync(file),
  write: (file, text) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { mode: 0o644 });
  },
  remove: (file) => rmSync(file, { force: true }),
};

/** What Electron offers on macOS and Windows. */
export interface LoginItems {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
  getLoginItemSettings(): { openAtLogin: boolean };
}

export interface AutostartContext {
  readonly platform: NodeJS.Platform;
  readonly env: Env;
  readonly homedir: string;
  readonly execPath: string;
  /** Arguments the executable needs to start this app: none when packaged, the app folder when run from source. */
  readonly appArgs?: readonly string[];
  readonly loginItems: LoginItems;
  readonly fs?: AutostartFs;
}

/** Turns start at login on or off for this platform. */
export function setStartAtLogin(context: AutostartContext, enabled: boolean): void {
  if (context.platform === 'darwin' || context.platform === 'win32') {
    context.loginItems.setLoginItemSettings(context.platform === 'win32' ? { openAtLogin: enabled, path: context.execPath, args: [...(context.appArgs ?? [])] } : { openAtLogin: enabled });
    return;
  }
  const fs = context.fs ?? nodeAutostartFs;
  const file = autostartFile(context.env, context.homedir);
  if (enabled) fs.write(file, autostartDesktopEntry({ executable: autostartExecutable(context.env, context.execPath), args: context.appArgs ?? [] }));
  else fs.remove(file);
}

/** Whether the app starts at login now (the OS setting or the file, which the user may have changed outside the app). */
export function startsAtLogin(context: AutostartContext): boolean {
  if (context.platform === 'darwin' || context.platform === 'win32') return context.loginItems.getLoginItemSettings().openAtLogin;
  return (context.fs ?? nodeAutostartFs).exists(autostartFile(context.env, context.homedir));
}
