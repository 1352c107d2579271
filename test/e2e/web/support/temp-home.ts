// A throwaway user for one `footprint serve`: its own HOME and XDG folders, so nothing of the
// developer's own configuration, history or keyring is read or written.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempHome {
  readonly dir: string;
  /** Environment of the child process: HOME and the XDG folders inside `dir`. */
  readonly env: Readonly<Record<string, string>>;
  remove(): void;
}

export function createTempHome(prefix = 'footprint-e2e-'): TempHome {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const env = {
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, '.config'),
    XDG_DATA_HOME: path.join(dir, '.local', 'share'),
    XDG_STATE_HOME: path.join(dir, '.local', 'state'),
    XDG_CACHE_HOME: path.join(dir, '.cache'),
  };
  for (const folder of Object.values(env)) mkdirSync(folder, { recursive: true });
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
