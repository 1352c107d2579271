// Polling the user-defined JSON sources. One Source holds every entry of `http:`; each entry is read
// on its own interval (the source runs at the shortest one and reads the entries that are due), and
// each keeps its last outcome: an entry not due this run reports the values it last read, or the
// error it last had, so one failing address shows as failing until it answers again — never as
// "up to date" because another entry worked.
import type { Sample } from '../../../../shared/metrics.js';
import type { CollectContext, CollectResult, TargetError } from '../../source.js';
import { redactSecret } from '../../secrets.js';
import { DEFAULT_HTTP_TUNING, HttpClient, HttpError } from '../common/http-client.js';
import type { HttpTuning } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';
import { footprintUserAgent } from '../common/user-agent.js';
import { ENDPOINT_LABEL, entriesInterval, entriesTimeout, headerSecrets } from './config.js';
import type { HttpConfig, HttpEntry } from './config.js';
import { compileExpression, evaluate } from './expression.js';
import type { CompiledExpression } from './expression.js';

/** An entry's outcome: the samples it gave (maybe with errors of some metrics), or why it gave none. */
interface EntryOutcome {
  readonly samples: readonly Sample[];
  readonly errors: readonly TargetError[];
  /** When the entry was last asked (epoch ms). */
  readonly at: number;
}

/** The tuning every entry shares; its own `timeout` is the request timeout. */
export type HttpSourceTuning = Omit<HttpTuning, 'requestTimeoutMs'>;
export const productionTuning: HttpSourceTuning = DEFAULT_HTTP_TUNING;

/** The text with the entry's secrets masked (an API may quote the credential it refused). */
function withoutSecrets(entry: HttpEntry, text: string): string {
  // Longest first: "Bearer abc…" before the "abc…" inside it.
  return headerSecrets(entry).sort((a, b) => b.length - a.length).reduce(redactSecret, text);
}

/** What an entry's target names start with in health and errors (the Overview finds its card by it). */
export const ENTRY_TARGET_PREFIX = 'http/';

/** The target name of an entry in health and errors. */
export function entryTarget(entry: HttpEntry): string {
  return `${ENTRY_TARGET_PREFIX}${entry.name}`;
}

function compiledMetrics(entry: HttpEntry): { readonly metric: HttpEntry['metrics'][number]; readonly compiled: CompiledExpression }[] {
  return entry.metrics.map((metric) => {
    const compiled = compileExpression(metric.value);
    // The schema compiled it when the configuration was loaded.
    if ('problem' in compiled) throw new Error(`http ${entry.name}: ${metric.name}: ${compiled.problem}`);
    return { metric, compiled: compiled.compiled };
  });
}

/** The samples an answer's text gives, and each metric whose expression found no number. */
export function readAnswer(entry: HttpEntry, text: string, metrics = compiledMetrics(entry)): { samples: Sample[]; errors: TargetError[] } {
  const target = entryTarget(entry);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { samples: [], errors: [{ target, message: `${entry.url} did not answer with JSON ("${oneLine(withoutSecrets(entry, text), 80)}") — check the url of http entry '${entry.name}': it must give the JSON document itself, not a web page` }] };
  }
  const samples: Sample[] = [];
  const errors: TargetError[] = [];
  for (const { metric, compiled } of metrics) {
    const reading = evaluate(compiled, body);
    if ('value' in reading) samples.push({ metric: metric.name, labels: { ...metric.labels, [ENDPOINT_LABEL]: entry.name }, value: reading.value });
    else errors.push({ target: `${target} ${metric.name}`, message: `http source '${entry.name}', metric ${metric.name}: the expression ${metric.value} gave ${reading.got}, not a number — check it against the answer of ${entry.url}` });
  }
  return { samples, errors };
}

/** Why a reply that is not 2xx gave no numbers. */
function statusProblem(entry: HttpEntry, status: number, text: string): string {
  const said = oneLine(withoutSecrets(entry, text), 120) || '(empty body)';
  const hint = status === 401 || status === 403
    ? ` — check the headers of http entry '${entry.name}' (a token the API accepts)`
    : status === 404 ? ` — check the url of http entry '${entry.name}'` : status >= 500 ? ' — the API is having trouble; asking again next time' : '';
  return `${entry.url} answered ${status}: ${said}${hint}`;
}

export class HttpEntries {
  readonly #config: HttpConfig;
  readonly #tuning: HttpSourceTuning;
  readonly #outcomes = new Map<string, EntryOutcome>();
  readonly #metrics: Map<string, ReturnType<typeof compiledMetrics>>;
  readonly #now: () => number;

  constructor(config: HttpConfig, tuning: HttpSourceTuning, now: () => number = Date.now) {
    this.#config = config;
    this.#tuning = tuning;
    this.#now = now;
    this.#metrics = new Map(config.map((entry) => [entry.name, compiledMetrics(entry)]));
  }

  /** The source runs at the shortest interval of its entries. */
  get intervalMs(): number {
    return entriesInterval(this.#config);
  }

  get timeoutMs(): number {
    return entriesTimeout(this.#config);
  }

  /**
   * Whether an entry is read this run: never read, failed last time, or its interval has (nearly)
   * passed — half the source's interval early, since the scheduler's timer does not fire to the millisecond.
   */
  #due(entry: HttpEntry, now: number): boolean {
    const last = this.#outcomes.get(entry.name);
    if (last === undefined || last.samples.length === 0) return true;
    return now - last.at >= entry.interval - this.intervalMs / 2;
  }

  async #read(entry: HttpEntry, ctx: CollectContext): Promise<EntryOutcome> {
    const at = this.#now();
    const target = entryTarget(entry);
    const client = new HttpClient({
      api: `http source '${entry.name}'`,
      signal: ctx.signal,
      log: ctx.log,
      countRequest: ctx.countRequest,
      tuning: { ...this.#tuning, requestTimeoutMs: entry.timeout },
      secrets: headerSecrets(entry),
      headers: { accept: 'application/json', 'user-agent': footprintUserAgent() },
    });
    try {
      const answer = await client.send({ url: entry.url, headers: entry.headers, what: `http source '${entry.name}'` });
      if (answer.status < 200 || answer.status > 299) return { samples: [], errors: [{ target, message: statusProblem(entry, answer.status, answer.text) }], at };
      return { ...readAnswer(entry, answer.text, this.#metrics.get(entry.name)), at };
    } catch (error) {
      if (!(error instanceof Error) || ctx.signal.aborted) throw error;
      const waitFor = error instanceof HttpError && error.retryAt !== null ? ` — the API asked to wait until ${new Date(error.retryAt).toISOString()}` : '';
      const timeout = error instanceof HttpError && error.timedOut ? ` — raise http ${entry.name}'s timeout if the API is slow` : '';
      return { samples: [], errors: [{ target, message: `${error.message} (${entry.url})${waitFor}${timeout}` }], at };
    }
  }

  async collect(ctx: CollectContext): Promise<CollectResult> {
    const now = this.#now();
    const due = this.#config.filter((entry) => this.#due(entry, now));
    // Different APIs: read side by side, each with its own client (its own outage guard).
    const read = await Promise.all(due.map(async (entry) => [entry.name, await this.#read(entry, ctx)] as const));
    for (const [name, outcome] of read) this.#outcomes.set(name, outcome);
    const samples: Sample[] = [];
    const errors: TargetError[] = [];
    let collected = 0;
    for (const entry of this.#config) {
      const outcome = this.#outcomes.get(entry.name)!;
      samples.push(...outcome.samples);
      errors.push(...outcome.errors);
      if (outcome.samples.length > 0) collected++;
    }
    return { samples, errors, collected };
  }
}
