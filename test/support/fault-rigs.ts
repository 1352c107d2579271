// The four sources' fakes set up for fault tests and benchmarks: each with several targets, so a
// healthy run asks more than an outage run may cost before its API counts as down.
import { startFakeDockerHub } from '../fakes/dockerhub/index.js';
import { startFakeGitHub } from '../fakes/github/index.js';
import { startFakeGoogle } from '../fakes/google/index.js';
import { generateTestKeyPair, writeTestServiceAccount } from '../fakes/google/service-account.js';
import type { FaultControls } from '../fakes/loopback.js';
import { startFakeNpm } from '../fakes/npm/index.js';

export type SourceId = 'github' | 'dockerhub' | 'ga4' | 'npm';

/** A source's fake, and its config section for given interval and timeout. */
export interface Rig {
  readonly controls: FaultControls;
  /** The source's config section; `timeout` null leaves the key out (the default). */
  section(interval: string, timeout: string | null): string;
  /** Every request from now on is answered 500. */
  failAll(): void;
  requestCount(): number;
  close(): Promise<void>;
}

export const FAULT_SOURCES: readonly SourceId[] = ['github', 'dockerhub', 'ga4', 'npm'];

function timeoutKey(timeout: string | null): string {
  return timeout === null ? '' : `, timeout: ${timeout}`;
}

/** Starts the fake for `id`; GA4's key file goes into `dir` as service-account.json. */
export const faultRigs: Record<SourceId, (dir: string) => Promise<Rig>> = {
  async github() {
    const repos = [1, 2, 3].map((index) => ({ owner: 'acme', name: `rocket-${index}`, stars: index, forks: 0, watchers: 1, openIssues: 0, openPulls: 0, sizeKb: 10 }));
    const fake = await startFakeGitHub({ repos, rateLimit: { anonymous: 100_000 } });
    return {
      controls: fake,
      // Anonymous REST: a listing, then three requests per repository.
      section: (interval, timeout) => `github: { apiUrl: "${fake.url}", orgs: [acme], interval: ${interval}${timeoutKey(timeout)} }`,
      failAll: () => fake.failNext({ kind: 500, times: 1_000_000 }),
      requestCount: () => fake.requests.length,
      close: () => fake.close(),
    };
  },
  async dockerhub() {
    const namespaces = ['ns-1', 'ns-2', 'ns-3', 'ns-4', 'ns-5', 'ns-6'];
    const images = ['img-1', 'img-2', 'img-3', 'img-4', 'img-5', 'img-6'];
    const repo = (namespace: string, name: string) => ({ namespace, name, pullCount: 10, starCount: 1, isAutomated: false, lastUpdated: '2025-01-01T00:00:00.000000Z' });
    const fake = await startFakeDockerHub({ repositories: [...namespaces.map((namespace) => repo(namespace, 'app')), ...images.map((name) => repo('acme', name))], rateLimit: { limit: 100_000 } });
    return {
      controls: fake,
      section: (interval, timeout) =>
        `dockerhub: { apiUrl: "${fake.url}", namespaces: [${namespaces.join(', ')}], images: [${images.map((name) => `acme/${name}`).join(', ')}], interval: ${interval}${timeoutKey(timeout)} }`,
      failAll: () => fake.failNext({ status: 500, times: 1_000_000 }),
      requestCount: () => fake.requests.length,
      close: () => fake.close(),
    };
  },
  async ga4(dir) {
    const keys = generateTestKeyPair();
    const ids = ['101', '102', '103', '104'];
    const figures = (seed: number) => ({ activeUsers: seed, newUsers: seed, sessions: seed, screenPageViews: seed });
    const property = (seed: number) => ({ daily: { today: figures(seed), yesterday: figures(seed + 1), last_28_days: figures(seed + 2) }, pages: [{ path: '/', views: seed }], realtimeActiveUsers: seed });
    const fake = await startFakeGoogle({ publicKeyPem: keys.publicKeyPem, properties: Object.fromEntries(ids.map((id, index) => [id, property(index + 1)])) });
    writeTestServiceAccount({ dir, tokenUri: fake.tokenUrl, keys, fileName: 'service-account.json' });
    return {
      controls: fake,
      section: (interval, timeout) => `ga4: { credentialsFile: ./service-account.json, properties: [${ids.join(', ')}], apiUrl: "${fake.url}", interval: ${interval}${timeoutKey(timeout)} }`,
      failAll: () => fake.failNext({ status: 500, times: 1_000_000 }),
      requestCount: () => fake.requests.length,
      close: () => fake.close(),
    };
  },
  async npm() {
    const counts = { last_day: 1, last_week: 7, last_month: 30 };
    const packages = ['left', 'right', 'middle', '@acme/one', '@acme/two'];
    const fake = await startFakeNpm({ packages: Object.fromEntries(packages.map((name) => [name, counts])) });
    return {
      controls: fake,
      // Per run: one bulk request and two scoped ones, for each of three periods.
      section: (interval, timeout) => `npm: { apiUrl: "${fake.url}", packages: [${packages.map((name) => `"${name}"`).join(', ')}], interval: ${interval}${timeoutKey(timeout)} }`,
      failAll: () => fake.failNext({ status: 500, times: 1_000_000 }),
      requestCount: () => fake.requests.length,
      close: () => fake.close(),
    };
  },
};
