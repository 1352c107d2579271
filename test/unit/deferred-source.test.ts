// The registry's sources load their collectors at first use (sources/common/deferred-source.ts): the
// stand-in must say what the loaded source says, load it once, and an idle process must not load
// any source's collecting code or API client.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backfiller } from '../../electron/core/backfill/contract.js';
import type { Source } from '../../electron/core/source.js';
import { deferredSource, mismatchOf, type SourceFacts } from '../../electron/core/sources/common/deferred-source.js';
import { sourceModules } from '../../electron/core/sources/registry.js';
import { collectContext } from '../support/collect-context.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The smallest valid section of each source (with extra keys), and its own creator (what the stand-in loads). */
type Extra = Record<string, unknown>;
const object = (section: Extra) => (extra: Extra) => ({ ...section, ...extra });
const sections: Record<string, { config: (extra: Extra) => unknown; create: () => Promise<(config: never) => Source> }> = {
  github: { config: object({ orgs: ['acme'] }), create: async () => (await import('../../electron/core/sources/github/index.js')).createGitHubSource as never },
  dockerhub: { config: object({ namespaces: ['acme'] }), create: async () => (await import('../../electron/core/sources/dockerhub/index.js')).createDockerHubSource as never },
  ga4: { config: object({ properties: ['123'] }), create: async () => (await import('../../electron/core/sources/ga4/index.js')).createGa4Source as never },
  npm: { config: object({ packages: ['left-pad'] }), create: async () => (await import('../../electron/core/sources/npm/index.js')).createNpmSource as never },
  pypi: { config: object({ packages: ['requests'] }), create: async () => (await import('../../electron/core/sources/pypi/index.js')).createPypiSource as never },
  crates: { config: object({ crates: ['serde'] }), create: async () => (await import('../../electron/core/sources/crates/index.js')).createCratesSource as never },
  http: {
    // A list section: two entries, so the source's interval and timeout come from different ones.
    config: (extra) => [
      { name: 'one', url: 'https://example.com/one.json', metrics: [{ name: 'one_value', value: 'count' }], ...extra },
      { name: 'two', url: 'https://example.com/two.json', interval: '1d', timeout: '10s', metrics: [{ name: 'two_value', value: 'count' }] },
    ],
    create: async () => (await import('../../electron/core/sources/http/index.js')).createHttpSource as never,
  },
};

function factsOf(source: Source): SourceFacts {
  return { id: source.id, intervalMs: source.intervalMs, timeoutMs: source.timeoutMs, backfill: source.backfill !== undefined, describesConnection: source.describeConnection !== undefined };
}

function fakeSource(overrides: Partial<Source> = {}): Source {
  const backfill: Backfiller = { batchSize: 7, plan: async () => ({ tasks: [] }), step: async () => ({ results: [] }) as never };
  return { id: 'demo', intervalMs: 60_000, timeoutMs: 20_000, collect: async () => ({ samples: [], errors: [], collected: 1 }), backfill, ...overrides };
}

describe('deferred sources', () => {
  it("every registry module's stand-in says what its loaded source says", async () => {
    expect(sourceModules.map((module) => module.id).sort()).toEqual(Object.keys(sections).sort());
    for (const module of sourceModules) {
      const section = sections[module.id]!;
      for (const extra of [{}, { interval: '2h', timeout: '45s' }]) {
        const config = module.configSchema.parse(section.config(extra));
        const real = (await section.create())(config as never);
        expect(mismatchOf(factsOf(module.create(config)), real), module.id).toBeNull();
      }
    }
  });

  it('loads the source at the first run, once, and runs it', async () => {
    let loads = 0;
    const real = fakeSource({ collect: async () => ({ samples: [], errors: [], collected: 3 }) });
    const source = deferredSource({ id: 'demo', intervalMs: 60_000, timeoutMs: 20_000, backfill: true }, async () => {
      loads++;
      return real;
    });
    expect(loads).toBe(0);
    expect(source.backfill?.batchSize).toBeUndefined();
    const { ctx } = collectContext();
    const [first, second] = await Promise.all([source.collect(ctx), source.collect(ctx)]);
    expect(first.collected).toBe(3);
    expect(second.collected).toBe(3);
    await source.backfill!.plan(ctx);
    expect(loads).toBe(1);
    expect(source.backfill?.batchSize).toBe(7);
  });

  it('tries the load again at the next run after it failed', async () => {
    let loads = 0;
    const source = deferredSource({ id: 'demo', intervalMs: 60_000, timeoutMs: 20_000, backfill: true }, async () => {
      loads++;
      if (loads === 1) throw new Error('disk hiccup');
      return fakeSource();
    });
    await expect(source.collect(collectContext().ctx)).rejects.toThrow('disk hiccup');
    await expect(source.collect(collectContext().ctx)).resolves.toMatchObject({ collected: 1 });
    expect(loads).toBe(2);
  });

  it('refuses a loaded source that differs from what its module said, naming the difference', async () => {
    const source = deferredSource({ id: 'demo', intervalMs: 60_000, timeoutMs: 20_000, backfill: false }, async () => fakeSource());
    expect(source.backfill).toBeUndefined();
    await expect(source.collect(collectContext().ctx)).rejects.toThrow("the demo source's module says backfill is false where the source has true");
    const slower = deferredSource({ id: 'demo', intervalMs: 60_000, timeoutMs: 30_000, backfill: true }, async () => fakeSource());
    await expect(slower.collect(collectContext().ctx)).rejects.toThrow('timeoutMs is 30000 where the source has 20000');
  });

  it('an idle process loads no source collector, API client or fetch implementation', () => {
    // A child process from source, as `footprint serve` runs: every module it resolves is recorded.
    const probe = [
      "import { registerHooks } from 'node:module';",
      'const seen = [];',
      'registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); seen.push(found.url); return found; } });',
      "await import('./scripts/ts-hooks.mjs');",
      "await import('./electron/core/sources/registry.ts');",
      "await import('./electron/core/server.ts');",
      "await import('./electron/core/core.ts');",
      "console.log(JSON.stringify({ seen, undici: process.moduleLoadList.some((name) => name.includes('undici')) }));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { seen, undici } = JSON.parse(run.stdout) as { seen: string[]; undici: boolean };
    expect(seen.some((url) => url.endsWith('/sources/github/module.ts'))).toBe(true);
    const collectors = seen.filter((url) => /\/sources\/[a-z0-9]+\/index\.ts$/.test(url) || /node_modules\/(@octokit|google-auth-library|undici)\//.test(url));
    expect(collectors).toEqual([]);
    // node:http imported as an ES module would load Node's bundled undici (server.ts says why).
    expect(undici).toBe(false);
  });
});
