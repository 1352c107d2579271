// One poll: downloads of every package in the last available day, 7 days and 30 days. Unscoped
// packages go in bulk requests of at most 128 names; the API refuses scoped names in bulk, so those
// go one by one.
import { z } from 'zod';
import type { Sample } from '../../../../shared/metrics.js';
import type { CollectContext, CollectResult, TargetError } from '../../source.js';
import { AnswerTally } from '../common/answer-tally.js';
import { withCollectionSignal } from '../common/collection-signal.js';
import { chunk, mapWithConcurrency } from '../common/concurrency.js';
import type { HttpAnswer } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';
import { apiMessageOf, isUnknownPackage, MAX_BULK_PACKAGES, npmHttp } from './api.js';
import type { NpmTuning } from './api.js';
import type { NpmConfig } from './config.js';
import { PERIODS } from './metrics.js';
import type { Period } from './metrics.js';

export interface PointRequest {
  readonly period: Period['path'];
  /** More than one name makes a bulk request (unscoped names only); its reply is keyed by name. */
  readonly names: readonly string[];
}

/** Every request one collection sends: unscoped names in batches of at most 128, scoped names alone. */
export function planRequests(packages: readonly string[]): PointRequest[] {
  const unscoped = packages.filter((name) => !name.startsWith('@'));
  const scoped = packages.filter((name) => name.startsWith('@'));
  const groups = [...chunk(unscoped, MAX_BULK_PACKAGES), ...scoped.map((name) => [name])];
  return PERIODS.flatMap((period) => groups.map((names) => ({ period: period.path, names })));
}

const countSchema = z.object({ downloads: z.number().int().nonnegative() });

/** A package's count for one period, or why there is none. */
type Outcome = { readonly downloads: number } | { readonly error: string };

export function notFoundMessage(name: string): string {
  return `package '${name}' not found on npm — check npm.packages`;
}

/** Reads one package's entry (a single reply, or one value of a bulk reply). */
function countOf(entry: unknown, name: string, period: string): Outcome {
  if (entry === null) return { error: notFoundMessage(name) };
  if (entry === undefined) return { error: `the npm downloads API left '${name}' out of its ${period} reply — try again later` };
  const parsed = countSchema.safeParse(entry);
  if (parsed.success) return { downloads: parsed.data.downloads };
  return { error: `the npm downloads API sent an unexpected ${period} reply for '${name}': "downloads" is missing or not a count (${oneLine(JSON.stringify(entry))})` };
}

function outcomesOf(request: PointRequest, answer: HttpAnswer, apiUrl: string): Map<string, Outcome> {
  const all = (outcome: Outcome) => new Map(request.names.map((name) => [name, outcome] as const));
  const bulk = request.names.length > 1;
  if (answer.status === 404) {
    if (isUnknownPackage(answer.status, answer.text)) return new Map(request.names.map((name) => [name, { error: notFoundMessage(name) }] as const));
    return all({ error: `${apiUrl} answered 404 (${apiMessageOf(answer.text)}) instead of download counts — check npm.apiUrl` });
  }
  if (answer.status !== 200) {
    const hint = answer.status >= 500 ? ' — npm is having trouble; collecting again next time' : '';
    return all({ error: `the npm downloads API answered ${answer.status} to ${request.period}: ${apiMessageOf(answer.text)}${hint}` });
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    const names = request.names.map((name) => `'${name}'`).join(', ');
    return all({ error: `the npm downloads API sent a ${request.period} reply for ${bulk ? `${request.names.length} packages` : names} that is not JSON: "${oneLine(answer.text)}"` });
  }
  if (!bulk) return all(countOf(body, request.names[0]!, request.period));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return all({ error: `the npm downloads API sent a ${request.period} bulk reply that is not an object keyed by package: ${oneLine(JSON.stringify(body))}` });
  }
  const byName = body as Record<string, unknown>;
  return new Map(request.names.map((name) => [name, countOf(Object.hasOwn(byName, name) ? byName[name] : undefined, name, request.period)] as const));
}

export async function collectPoints(config: NpmConfig, tuning: NpmTuning, ctx: CollectContext): Promise<CollectResult> {
  const requests = planRequests(config.packages);
  const tally = new AnswerTally(ctx, 'the npm downloads API');

  const replies = await withCollectionSignal(ctx.signal, (controller) => {
    const http = npmHttp(tally.ctx, controller.signal, tuning);
    return mapWithConcurrency(requests, tuning.concurrency, async (request): Promise<Map<string, Outcome>> => {
      const url = `${config.apiUrl}/downloads/point/${request.period}/${request.names.join(',')}`;
      const what = request.names.length > 1 ? `${request.period} of ${request.names.length} packages` : `${request.period} of '${request.names[0]}'`;
      const each = (error: (name: string) => string) => new Map(request.names.map((name) => [name, { error: error(name) }] as const));
      try {
        return outcomesOf(request, await http.send({ url, what }), config.apiUrl);
      } catch (error) {
        return each(tally.reason(error));
      }
    });
  });

  const values = new Map<string, Map<Period['label'], number>>();
  const problems = new Map<string, Set<string>>();
  requests.forEach((request, index) => {
    const label = PERIODS.find((period) => period.path === request.period)!.label;
    for (const [name, outcome] of replies[index]!) {
      if ('downloads' in outcome) values.set(name, (values.get(name) ?? new Map<Period['label'], number>()).set(label, outcome.downloads));
      else problems.set(name, (problems.get(name) ?? new Set<string>()).add(outcome.error));
    }
  });

  const samples: Sample[] = [];
  const errors: TargetError[] = [];
  for (const name of config.packages) {
    const byPeriod = values.get(name);
    for (const period of PERIODS) {
      const value = byPeriod?.get(period.label);
      if (value !== undefined) samples.push({ metric: 'npm_package_downloads', labels: { package: name, period: period.label }, value });
    }
    const messages = problems.get(name);
    if (messages) errors.push({ target: `package:${name}`, message: [...messages].join('; ') });
  }
  // Not one answer from the API: the source failed as a whole, not each package.
  tally.throwIfUnreachable(config.apiUrl, 'npm', errors);
  ctx.log.debug({ packages: config.packages.length, requests: requests.length, failed: errors.length }, 'npm downloads collected');
  return { samples, errors, collected: values.size };
}
