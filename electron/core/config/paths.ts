// Per-user default locations, following each platform's convention. Every function takes the
// environment, platform and home directory explicitly so tests can ask about any platform.
import path from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

const CONFIG_FILE_NAME = 'footprint.yaml';
export const DATABASE_FILE_NAME = 'footprint.db';

/** The path module of the target platform, so Windows paths come out right even when computed elsewhere. */
function pathsFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** An environment directory that is set and absolute (the XDG spec says to ignore relative ones), else the fallback. */
function absoluteDirOr(value: string | undefined, fallback: string, paths: path.PlatformPath): string {
  return value !== undefined && value !== '' && paths.isAbsolute(value) ? value : fallback;
}

/** Where the user's config file lives when neither --config nor FOOTPRINT_CONFIG names one. */
export function defaultConfigFile(env: Env, platform: NodeJS.Platform, homedir: string): string {
  const paths = pathsFor(platform);
  switch (platform) {
    case 'darwin':
      return paths.join(homedir, 'Library', 'Application Support', 'Footprint', CONFIG_FILE_NAME);
    case 'win32':
      return paths.join(absoluteDirOr(env.APPDATA, paths.join(homedir, 'AppData', 'Roaming'), paths), 'Footprint', CONFIG_FILE_NAME);
    default:
      return paths.join(absoluteDirOr(env.XDG_CONFIG_HOME, paths.join(homedir, '.config'), paths), 'footprint', CONFIG_FILE_NAME);
  }
}

/** The per-user directory for Footprint's data (the history database). */
export function defaultDataDir(env: Env, platform: NodeJS.Platform, homedir: string): string {
  const paths = pathsFor(platform);
  switch (platform) {
    case 'darwin':
      return paths.join(homedir, 'Library', 'Application Support', 'Footprint');
    case 'win32':
      return paths.join(absoluteDirOr(env.LOCALAPPDATA, paths.join(homedir, 'AppData', 'Local'), paths), 'Footprint');
    default:
      return paths.join(absoluteDirOr(env.XDG_DATA_HOME, paths.join(homedir, '.local', 'share'), paths), 'footprint');
  }
}

/** The history database used when the config does not name one. */
export function defaultDatabasePath(env: Env, platform: NodeJS.Platform, homedir: string): string {
  return pathsFor(platform).join(defaultDataDir(env, platform, homedir), DATABASE_FILE_NAME);
}
