// A source module for tests only (never in the registry): it polls the fake history API's current
// values and offers a Backfiller (backfill/contract.ts) that reads the fake's dated history page by
// page, as real sources do with their APIs. Tests register it through CoreOptions.modules (or
// `main(argv, { modules })`) and watch it through a HistorySourceProbe.
import { z } from 'zod';
import type { ApiBudget, BackfillStepResult, BackfillTask, Backfiller } from '../../electron/core/backfill/contract.js';
import { intervalSchema } from '../../electron/core/duration.js';
import { RateLimitedError, type CollectContext, type Source, type SourceModule } from '../../electron/core/source.js';

export const HISTORY_METRIC = 'history_stars';

export interface HistorySourceConfig {
  apiUrl: string;
  /** Only these targets; all the API lists when absent. */
  targets?: string[];
  pageSize: number;
  interval: number;
}

/** What the tests see of the source: polls under way, steps started during one, polls held. */
export class HistorySourceProbe {
  polling = 0;
  polls = 0;
  steps = 0;
  /** Steps that started while a poll of the source was under way (must stay 0). */
  stepsDuringPoll = 0;
  #gate: Promise<void> | null = null;
  #pollStarted: (() => void) | null = null;

  /** Holds every poll until the returned release(); `started` resolves once a held poll began. */
  holdPolls(): { started: Promise<void>; release: () => void } {
    let release!: () => void;
    this.#gate = new Promise<void>((resolve) => { release = resolve; });
    const started = new Promise<void>((resolve) => { this.#pollStarted = resolve; });
    return {
      started,
      release: () => {
        this.#gate = null;
        release();
      },
    };
  }

  async enterPoll(): Promise<void> {
    this.polling++;
    this.polls++;
    this.#pollStarted?.();
    this.#pollStarted = null;
    if (this.#gate) await this.#gate;
  }
}

function budgetOf(response: Response): ApiBudget | undefined {
  const limit = Number(response.headers.get('x-budget-limit'));
  const remaining = Number(response.headers.get('x-budget-remaining'));
  const resetAt = Number(response.headers.get('x-budget-reset'));
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(resetAt)) return undefined;
  return { resource: 'points', limit, remaining, resetAt };
}

class FakeHistoryClient {
  readonly #config: HistorySourceConfig;
  budget: ApiBudget | undefined;

  constructor(config: HistorySourceConfig) {
    this.#config = config;
  }

  async get(path: string, ctx: CollectContext): Promise<{ status: number; body: any }> {
    let response: Response;
    try {
      response = await fetch(`${this.#config.apiUrl}${path}`, { signal: ctx.signal });
    } catch (error) {
      ctx.countRequest('error');
      throw error;
    }
    ctx.countRequest(response.status);
    this.budget = budgetOf(response) ?? this.budget;
    const body = await response.json();
    if (response.status === 429) throw new RateLimitedError(`the fake history API: ${body.error}`, this.budget?.resetAt ?? Date.now() + 60_000);
    return { status: response.status, body };
  }

  async targets(ctx: CollectContext): Promise<{ name: string; days: number }[]> {
    const { status, body } = await this.get('/targets', ctx);
    if (status !== 200) throw new Error(`the fake history API answered ${status} for its targets: ${body.error}`);
    const listed = body.targets as { name: string; days: number }[];
    const wanted = this.#config.targets;
    return wanted === undefined ? listed : listed.filter((target) => wanted.includes(target.name));
  }
}

function backfiller(config: HistorySourceConfig, client: FakeHistoryClient, probe: HistorySourceProbe): Backfiller {
  return {
    batchSize: 2,
    async plan(ctx) {
      const targets = await client.targets(ctx);
      const tasks: BackfillTask[] = targets.map((target) => ({
        key: `stars:${target.name}`,
        title: `${target.name} stars`,
        target: target.name,
        totalUnits: target.days,
        estimatedRequests: Math.ceil(target.days / config.pageSize),
      }));
      return { tasks, ...(client.budget ? { budget: client.budget } : {}) };
    },
    async step(work, ctx) {
      probe.steps++;
      if (probe.polling > 0) probe.stepsDuringPoll++;
      const results: BackfillStepResult[] = [];
      for (const item of work) {
        const target = item.task.target;
        const query = `/history?target=${encodeURIComponent(target)}${item.cursor === null ? '' : `&cursor=${encodeURIComponent(item.cursor)}`}`;
        const { status, body } = await client.get(query, ctx);
        if (status === 410 || status === 404) {
          results.push({ kind: 'unavailable', reason: `the API keeps no history of ${target}: ${body.error}` });
        } else if (status !== 200) {
          results.push({ kind: 'failed', error: `HTTP ${status}: ${body.error}` });
        } else {
          const days = body.days as { time: number; value: number }[];
          const from = Number(item.cursor ?? '0');
          results.push({
            kind: 'progress',
            samples: days.map((day) => ({ metric: HISTORY_METRIC, labels: { target }, value: day.value, time: day.time })),
            markers: (body.releases as { tag: string; time: number }[]).map((release) => ({ kind: 'release', labels: { target }, time: release.time, text: release.tag })),
            cursor: body.next as string | null,
            doneUnits: from + days.length,
            totalUnits: body.total as number,
          });
        }
      }
      return { results, ...(client.budget ? { budget: client.budget } : {}) };
    },
  };
}

/** A source that only polls (its API keeps no history): `footprint backfill --source plain` is refused. */
export const plainSourceModule: SourceModule<{ interval: number }> = {
  id: 'plain',
  title: 'Plain',
  configSchema: z.strictObject({ interval: intervalSchema().prefault('1h') }) as unknown as z.ZodType<{ interval: number }>,
  metrics: [{ name: 'plain_value', help: 'A value with no history.', type: 'gauge', labels: [] }],
  secrets: () => [],
  create: (config) => ({ id: 'plain', intervalMs: config.interval, timeoutMs: 20_000, collect: async () => ({ samples: [{ metric: 'plain_value', labels: {}, value: 1 }], errors: [], collected: 1 }) }),
};

export function historySourceModule(probe = new HistorySourceProbe()): SourceModule<HistorySourceConfig> {
  return {
    id: 'history',
    title: 'Fake history',
    configSchema: z.strictObject({
      apiUrl: z.string(),
      targets: z.array(z.string()).optional(),
      pageSize: z.number().int().positive().prefault(5),
      interval: intervalSchema().prefault('1h'),
    }) as unknown as z.ZodType<HistorySourceConfig>,
    metrics: [{ name: HISTORY_METRIC, help: 'Stars of a target of the fake history API.', type: 'gauge', labels: ['target'] }],
    secrets: () => [],
    create(config): Source {
      const client = new FakeHistoryClient(config);
      return {
        id: 'history',
        intervalMs: config.interval,
        timeoutMs: 20_000,
        async collect(ctx) {
          await probe.enterPoll();
          try {
            const samples = [];
            for (const target of await client.targets(ctx)) {
              const { status, body } = await client.get(`/current?target=${encodeURIComponent(target.name)}`, ctx);
              if (status !== 200) throw new Error(`the fake history API answered ${status}: ${body.error}`);
              samples.push({ metric: HISTORY_METRIC, labels: { target: target.name }, value: body.value as number });
            }
            return { samples, errors: [], collected: samples.length };
          } finally {
            probe.polling--;
          }
        },
        backfill: backfiller(config, client, probe),
      };
    },
  };
}
