// An earlier history for the e2e's history file, as if Footprint had followed the fake's repositories
// for the past weeks: the real GitHub source reads the fake once (so every series has exactly the
// labels the polls will report), and the real HistoryStore stores a growth curve ending below today's
// values. The first poll of `footprint serve` then continues these series, so cards show changes and
// sparklines, and Details shows curves whose newest point is the fake's current value.
import { silentLogger } from '../../../../electron/core/log.js';
import { githubSource } from '../../../../electron/core/sources/github/index.js';
import { HistoryStore } from '../../../../electron/core/store/history-store.js';
import type { Sample } from '../../../../shared/metrics.js';
import { seededRandom } from '../../../support/random.js';

const HOUR_MS = 3_600_000;

export interface SeedOptions {
  readonly file: string;
  readonly apiUrl: string;
  readonly token: string;
  readonly orgs: readonly string[];
  readonly users: readonly string[];
  readonly days: number;
  readonly stepHours: number;
  /** The last seeded poll; the real polls come after it. */
  readonly end: number;
}


/** The value a counter had at `fraction` (0 = start, 1 = end) of the seeded span: steady growth to ~98% of today's. */
function earlierValue(today: number, fraction: number, wobble: number): number {
  const share = 0.6 + 0.38 * fraction ** 1.4 + wobble;
  return Math.max(0, Math.floor(today * Math.min(share, 0.99)));
}

/** Reads the fake through the real source, then stores `days` of earlier polls. Returns how many series were seeded. */
export async function seedGitHubHistory(options: SeedOptions): Promise<number> {
  const config = githubSource.configSchema.parse({ apiUrl: options.apiUrl, token: options.token, orgs: options.orgs, users: options.users });
  const result = await githubSource.create(config).collect({ log: silentLogger(), signal: AbortSignal.timeout(20_000), countRequest: () => {} });
  if (result.errors.length > 0) throw new Error(`seeding read the fake with errors: ${JSON.stringify(result.errors)}`);
  // Repository figures only: the API budget of the past is no history anyone looks at.
  const today = result.samples.filter((sample) => sample.metric.startsWith('github_repo_'));
  const store = HistoryStore.open(options.file);
  try {
    const steps = Math.floor((options.days * 24) / options.stepHours);
    const start = options.end - steps * options.stepHours * HOUR_MS;
    const next = seededRandom(42);
    const previous = new Map<Sample, number>();
    for (let step = 0; step <= steps; step++) {
      const fraction = step / steps;
      const samples = today.map((sample) => {
        // Counters only grow; a small wobble keeps the curves from looking drawn with a ruler.
        const value = Math.max(previous.get(sample) ?? 0, earlierValue(sample.value, fraction, (next() - 0.5) * 0.01));
        previous.set(sample, value);
        return { ...sample, value };
      });
      store.ingest('github', samples, start + step * options.stepHours * HOUR_MS);
    }
  } finally {
    store.close();
  }
  return today.length;
}
