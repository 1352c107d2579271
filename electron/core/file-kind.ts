// What a path is when it is not a plain file, in words for error messages.
import type { Stats } from 'node:fs';

/** "a directory", "a named pipe (FIFO)", "a character device"…, or null for a regular file. */
export function specialFileKind(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}
