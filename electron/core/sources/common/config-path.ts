// Paths written in a source's section (a key file, a token file): "~/" is the home folder, a relative
// path starts at the configuration file's folder.
import path from 'node:path';
import type { ConfigContext } from '../../source.js';

export function resolveConfigPath(written: string, context: ConfigContext): string {
  if (written === '~' || written.startsWith('~/')) return path.join(context.homedir, written.slice(1));
  return path.resolve(context.configDir, written);
}
