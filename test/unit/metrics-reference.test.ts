import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsReference, withReference } from '../../electron/core/docs/metrics-reference.js';
import { sourceModules } from '../../electron/core/sources/registry.js';

describe('README metrics reference', () => {
  it('matches the catalogues (run `npm run docs:metrics` after changing a metric)', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    expect(withReference(readme, metricsReference(sourceModules))).toBe(readme);
  });

  it('lists every metric of every source', () => {
    const reference = metricsReference(sourceModules);
    for (const module of sourceModules) for (const metric of module.metrics) expect(reference).toContain(`\`${metric.name}\``);
    expect(reference).toContain('`footprint_source_up`');
  });
});
