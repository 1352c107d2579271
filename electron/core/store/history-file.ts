// Whether a path can hold the history database, checked before SQLite opens it: SQLite says only
// "disk I/O error" for a directory, and opening a named pipe blocks for ever.
import { accessSync, constants, existsSync, realpathSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { specialFileKind } from '../file-kind.js';

/** Linux filesystems the kernel makes up (statfs f_type → name): none can hold a database. */
const KERNEL_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x65735543, 'fusectl'],
]);

function nearestExisting(location: string): string {
  let probe = location;
  while (!existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  return probe;
}

/** Why the place cannot hold files, or null: a kernel filesystem (/proc, /sys…) or the device folder /dev. */
function notStorage(existing: string): string | null {
  if (process.platform === 'win32') return null;
  if (process.platform === 'linux') {
    const name = KERNEL_FILESYSTEMS.get(statfsSync(existing).type);
    if (name !== undefined) return `is on the kernel's ${name} filesystem, which cannot hold files`;
  }
  // /dev is a RAM filesystem of device files (its statfs type is tmpfs's); /dev/shm is a real tmpfs.
  let real: string;
  try {
    real = realpathSync.native(existing);
  } catch {
    return null; // e.g. /proc/self/fd/0 naming a pipe, which has no path: the file-type check names it
  }
  if ((real === '/dev' || real.startsWith('/dev/')) && real !== '/dev/shm' && !real.startsWith('/dev/shm/')) return 'is in /dev, the folder of device files';
  return null;
}

function writeProblem(target: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EROFS') return `${target} is on a read-only filesystem`;
  if (code === 'EACCES' || code === 'EPERM') return `${target} is not writable by this user`;
  return `${target} cannot be written (${code ?? String(error)})`;
}

/**
 * Why `location` (an absolute path) cannot be the history file, in words with the fix; null when it
 * can: an existing regular file, or a file that can be created, on a filesystem that holds files,
 * in a folder this user may write (SQLite adds its -wal and -shm files beside it).
 */
export function historyFileProblem(location: string): string | null {
  try {
    return examine(location);
  } catch (error) {
    return `${location} cannot be examined (${(error as NodeJS.ErrnoException).code ?? String(error)}) — name another file`;
  }
}

function examine(location: string): string | null {
  const existing = nearestExisting(location);
  const elsewhere = notStorage(existing);
  if (elsewhere !== null) return `${location} ${elsewhere} — name a file on a disk`;
  const stats = statSync(existing);
  if (existing === location) {
    if (stats.isDirectory()) return `${location} is a directory — name a file, e.g. ${path.join(location, 'footprint.db')}`;
    const kind = specialFileKind(stats);
    if (kind !== null) return `${location} is ${kind}, not a file — name a file on a disk`;
  } else if (!stats.isDirectory()) {
    return `${existing} is a file, so ${location} cannot be created under it — name a file in a folder`;
  }
  const writable = (target: string, mode: number): string | null => {
    try {
      accessSync(target, mode);
      return null;
    } catch (error) {
      return `${writeProblem(target, error)} — choose a place this user can write to, or change the permissions`;
    }
  };
  if (existing !== location) return writable(existing, constants.W_OK);
  return writable(path.dirname(location), constants.W_OK) ?? writable(location, constants.R_OK | constants.W_OK);
}
