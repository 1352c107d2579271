// The running Footprint version, read once from package.json (shown in footprint_build_info and --version).
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const footprintVersion: string = packageJson.version;
