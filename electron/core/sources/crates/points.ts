// One poll: each crate's total and recent (90-day) downloads from /api/v1/crates/NAME, one request
// per crate, a pause apart.
import { z } from 'zod';
import type { CollectContext, CollectResult } from '../../source.js';
import { collectInTurn } from '../common/in-turn.js';
import type { TargetOutcome } from '../common/in-turn.js';
import type { HttpAnswer } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';
import { CRATES_API, cratesHttp, failureOf } from './api.js';
import type { CratesTuning } from './api.js';
import type { CratesConfig } from './config.js';

const count = z.number().int().nonnegative();
const crateSchema = z.object({ crate: z.object({ downloads: count, recent_downloads: count }) });

/** A crate's samples from its /crates/NAME answer, or why there are none. */
export function readCrate(name: string, answer: HttpAnswer, apiUrl: string): TargetOutcome {
  if (answer.status !== 200) return { error: failureOf(answer.status, answer.text, name, apiUrl, `crate '${name}'`) };
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return { error: `the crates.io API sent crate '${name}' as something that is not JSON: "${oneLine(answer.text)}" — check crates.apiUrl` };
  }
  const parsed = crateSchema.safeParse(body);
  if (!parsed.success) return { error: `the crates.io API sent an unexpected reply for '${name}': crate.downloads and crate.recent_downloads must be counts (${oneLine(JSON.stringify(body))})` };
  const labels = { crate: name };
  return {
    samples: [
      { metric: 'crates_downloads_total', labels, value: parsed.data.crate.downloads },
      { metric: 'crates_recent_downloads', labels, value: parsed.data.crate.recent_downloads },
    ],
  };
}

export function collectPoints(config: CratesConfig, tuning: CratesTuning, ctx: CollectContext): Promise<CollectResult> {
  return collectInTurn(
    {
      api: CRATES_API,
      section: 'crates',
      apiUrl: config.apiUrl,
      targets: config.crates,
      target: (name) => `crate:${name}`,
      spacingMs: tuning.spacingMs,
      send: (name, signal, counted) => cratesHttp(counted, signal, tuning).send({ url: `${config.apiUrl}/api/v1/crates/${encodeURIComponent(name)}`, what: `crate '${name}'` }),
      read: (name, answer) => readCrate(name, answer, config.apiUrl),
    },
    ctx,
  );
}
