// The running Footprint version, read from package.json when first asked (shown in footprint_build_info,
// --version and the crates.io User-Agent). Read on demand, not at import: the renderer's tests load
// the source catalogue, where there is no package.json to read.
import { readFileSync } from 'node:fs';

let version: string | null = null;

export function footprintVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
