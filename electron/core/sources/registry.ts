// Every source module, in display order. Adding a source is one module plus one line here. The
// registry imports each source's `module.ts` (schema, metrics, form); its collectors load on first use.
import type { SourceModule } from '../source.js';
import { cratesSource } from './crates/module.js';
import { dockerhubSource } from './dockerhub/module.js';
import { ga4Source } from './ga4/module.js';
import { githubSource } from './github/module.js';
import { httpSource } from './http/module.js';
import { npmSource } from './npm/module.js';
import { pypiSource } from './pypi/module.js';

export const sourceModules: readonly SourceModule<any>[] = [githubSource, dockerhubSource, ga4Source, npmSource, pypiSource, cratesSource, httpSource];

export function findSourceModule(id: string): SourceModule<any> | undefined {
  return sourceModules.find((module) => module.id === id);
}
