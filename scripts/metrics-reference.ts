// `npm run docs:metrics`: rewrites the README's metrics reference from the sources' catalogues.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { metricsReference, withReference } from '../electron/core/docs/metrics-reference.js';
import { sourceModules } from '../electron/core/sources/registry.js';

const readmePath = path.resolve(import.meta.dirname, '..', 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = withReference(before, metricsReference(sourceModules));
writeFileSync(readmePath, after);
console.log(before === after ? 'README.md metrics reference is up to date' : 'README.md metrics reference updated');
