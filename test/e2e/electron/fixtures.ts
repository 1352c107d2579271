// The config and the fake GitHub the end-to-end specs run the app against.
import { randomBytes } from 'node:crypto';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';

/** Made at test time: no secret is tracked in the repository. */
export function testToken(): string {
  return `ghp_${randomBytes(18).toString('hex')}`;
}

/** acme/rocket (1,234 stars) and acme/engine (10 stars): 1,244 in total, "1.2k" on the badge. */
export function startAcmeGitHub(token: string): Promise<FakeGitHub> {
  return startFakeGitHub({
    token,
    owners: [{ login: 'acme', type: 'Organization' }],
    repos: [
      { owner: 'acme', name: 'rocket', stars: 1234, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200, license: 'mit', language: 'TypeScript' },
      { owner: 'acme', name: 'engine', stars: 10, forks: 1, watchers: 2, openIssues: 0, openPulls: 0, sizeKb: 50 },
    ],
  });
}

/** The app's config: /metrics on a free loopback port, history next to the file, GitHub every few seconds. */
export function appConfig(githubUrl: string): string {
  return [
    'server: { listen: "127.0.0.1:0" }',
    'storage: { path: "./history.db" }',
    'github:',
    `  apiUrl: "${githubUrl}"`,
    '  token: "${GITHUB_TOKEN}"',
    '  orgs: [acme]',
    '  interval: 5s',
    '',
  ].join('\n');
}
