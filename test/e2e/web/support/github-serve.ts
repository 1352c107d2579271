// `footprint serve` polling a loopback GitHub fake from a temporary home: the set-up of the specs that
// look at what serve makes of one organisation's repositories.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../../../fakes/github/index.js';
import { startServe, type ServeProcess } from '../../../support/footprint-process.js';
import { createTempHome, type TempHome } from './temp-home.js';

export interface GitHubServe {
  readonly fake: FakeGitHub;
  readonly home: TempHome;
  readonly serve: ServeProcess;
  stop(): Promise<void>;
}

/** The fake with `repos` in organisation acme, and serve polling it hourly into ./history.db (backfill on). */
export async function startGitHubServe(token: string, repos: readonly FakeRepo[]): Promise<GitHubServe> {
  const fake = await startFakeGitHub({ token, repos: [...repos] });
  const home = createTempHome();
  const config = path.join(home.dir, 'footprint.yaml');
  writeFileSync(config, ['storage: { path: "./history.db" }', 'github:', `  apiUrl: "${fake.url}"`, `  token: "${token}"`, '  orgs: [acme]', '  interval: 1h', ''].join('\n'));
  const serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], home.env);
  return {
    fake,
    home,
    serve,
    async stop() {
      await serve.stop();
      await fake.close();
      home.remove();
    },
  };
}

/** The stored star series of one repository, as serve's API reports it; throws until a poll stored it. */
export async function repoStars(serveUrl: string, repo: string): Promise<{ id: number; value: number }> {
  const query = encodeURIComponent(JSON.stringify({ source: 'github', metric: 'github_repo_stars' }));
  const latest = (await (await fetch(`${serveUrl}/api/latest?q=${query}`)).json()) as { id: number; value: number; labels: Record<string, string> }[];
  const series = latest.find((entry) => entry.labels.repo === repo);
  if (!series) throw new Error(`no star series of acme/${repo} yet`);
  return series;
}
