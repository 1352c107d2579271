// Every source module, in display order. Adding a source is one module plus one line here.
import type { SourceModule } from '../source.js';
import { cratesSource } from './crates/index.js';
import { dockerhubSource } from './dockerhub/index.js';
import { ga4Source } from './ga4/index.js';
import { githubSource } from './github/index.js';
import { httpSource } from './http/index.js';
import { npmSource } from './npm/index.js';
import { pypiSource } from './pypi/index.js';

export const sourceModules: readonly SourceModule<any>[] = [githubSource, dockerhubSource, ga4Source, npmSource, pypiSource, cratesSource, httpSource];

export function findSourceModule(id: string): SourceModule<any> | undefined {
  return sourceModules.find((module) => module.id === id);
}
