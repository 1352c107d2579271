// What each source tells the UI about its charts' past (ui.history): metrics it backfills come from
// its own catalogue, a source that backfills says so, and Docker Hub says it has no history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceModules } from '../../electron/core/sources/registry.js';
import { dockerhubSource } from '../../electron/core/sources/dockerhub/index.js';
import { githubSource } from '../../electron/core/sources/github/index.js';
import { ga4ConfigSchema, ga4Source } from '../../electron/core/sources/ga4/index.js';
import { npmConfigSchema, npmSource } from '../../electron/core/sources/npm/index.js';
import { writeTestServiceAccount } from '../fakes/google/service-account.js';

describe('source history notes', () => {
  it('name only metrics of the source’s own catalogue, with a sentence to show', () => {
    for (const module of sourceModules) {
      const history = module.ui?.history;
      if (!history) continue;
      const names = module.metrics.map((metric) => metric.name);
      for (const metric of history.backfilled) expect(names, `${module.id}: ${metric}`).toContain(metric);
      expect(history.note, module.id).toMatch(/^[A-Z].{20,}\.$/);
    }
  });

  it('match what the sources do: GitHub, npm and GA4 backfill the metrics they name, Docker Hub has no history', () => {
    const npm = npmSource.create(npmConfigSchema.parse({ packages: ['left-pad'] }));
    expect(npm.backfill).toBeDefined();
    expect(npmSource.ui!.history!.backfilled).toEqual(['npm_package_downloads']);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-history-'));
    try {
      const account = writeTestServiceAccount({ dir, tokenUri: 'https://oauth2.googleapis.com/token' });
      const config = ga4Source.prepare!(ga4ConfigSchema.parse({ credentialsFile: account.file, properties: ['1'] }), { configDir: dir, homedir: dir });
      expect(ga4Source.create(config).backfill).toBeDefined();
      expect(ga4Source.ui!.history!.backfilled).toEqual(['ga4_active_users', 'ga4_new_users', 'ga4_sessions', 'ga4_page_views']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    expect(githubSource.ui!.history!.backfilled).toEqual(['github_repo_stars', 'github_repo_forks']);
    expect(githubSource.ui!.history!.note).toMatch(/Stars and forks are read back to each repository’s creation; release download counts have no history.*first poll/);

    const docker = dockerhubSource.create(dockerhubSource.configSchema.parse({ namespaces: ['acme'] }));
    expect(docker.backfill).toBeUndefined();
    expect(dockerhubSource.ui!.history).toEqual({ backfilled: [], note: expect.stringMatching(/no history.*start at Footprint’s first poll/) });
  });
});
