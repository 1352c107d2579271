// One poll: each package's downloads in the last day, 7 days and 30 days, from one request per
// package (/api/packages/NAME/recent gives all three), a pause apart.
import { z } from 'zod';
import type { Sample } from '../../../../shared/metrics.js';
import type { CollectContext, CollectResult } from '../../source.js';
import { collectInTurn } from '../common/in-turn.js';
import type { TargetOutcome } from '../common/in-turn.js';
import type { HttpAnswer } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';
import { failureOf, PYPI_API, pypiHttp } from './api.js';
import type { PypiTuning } from './api.js';
import type { PypiConfig } from './config.js';
import { PERIODS } from './metrics.js';

const count = z.number().int().nonnegative();
const recentSchema = z.object({ data: z.object({ last_day: count, last_week: count, last_month: count }) });

/** A package's samples from its /recent answer, or why there are none. */
export function readRecent(name: string, answer: HttpAnswer, apiUrl: string): TargetOutcome {
  if (answer.status !== 200) return { error: failureOf(answer.status, answer.text, name, apiUrl, `the recent downloads of '${name}'`) };
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return { error: `pypistats.org sent recent downloads of '${name}' that are not JSON: "${oneLine(answer.text)}" — check pypi.apiUrl` };
  }
  const parsed = recentSchema.safeParse(body);
  if (!parsed.success) return { error: `pypistats.org sent an unexpected reply for '${name}': data.last_day, last_week and last_month must be counts (${oneLine(JSON.stringify(body))})` };
  const samples: Sample[] = PERIODS.map((period) => ({ metric: 'pypi_package_downloads', labels: { package: name, period: period.label }, value: parsed.data.data[period.label] }));
  return { samples };
}

export function collectPoints(config: PypiConfig, tuning: PypiTuning, ctx: CollectContext): Promise<CollectResult> {
  return collectInTurn(
    {
      api: PYPI_API,
      section: 'pypi',
      apiUrl: config.apiUrl,
      targets: config.packages,
      target: (name) => `package:${name}`,
      spacingMs: tuning.spacingMs,
      send: (name, signal, counted) => pypiHttp(counted, signal, tuning).send({ url: `${config.apiUrl}/api/packages/${encodeURIComponent(name)}/recent`, what: `recent downloads of '${name}'` }),
      read: (name, answer) => readRecent(name, answer, config.apiUrl),
    },
    ctx,
  );
}
