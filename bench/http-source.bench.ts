// The user-defined JSON source (`http:`) reading big answers: 10 entries polled side by side from a
// loopback fake, each answer the shape of Homebrew's 30-day install analytics with 10,000 formulae
// (~0.7 MB), each entry with 5 JMESPath filters (`items[?formula=='…'].count | [0]`). The figure is
// one whole run: requests, JSON parsing and every expression.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createHttpSource, httpConfigSchema } from '../electron/core/sources/http/index.js';
import { startFakeJsonApi, type FakeJsonApi } from '../test/fakes/json-api/index.js';
import { collectContext } from '../test/support/collect-context.js';
import { median, recordBench } from './report.js';

const BENCH = 'http-source';
const ENTRIES = 10;
const METRICS = 5;
const FORMULAE = 10_000;
const RUNS = 7;

describe('JSON API source: 10 entries × 5 filters over 10,000-item answers', () => {
  let api: FakeJsonApi;
  let answerBytes = 0;

  beforeAll(async () => {
    const items = Array.from({ length: FORMULAE }, (_, index) => ({ number: index + 1, formula: `formula-${index}`, count: String(FORMULAE - index), percent: '0.01' }));
    const answer = { category: 'install', total_items: FORMULAE, items };
    answerBytes = Buffer.byteLength(JSON.stringify(answer));
    api = await startFakeJsonApi(Object.fromEntries(Array.from({ length: ENTRIES }, (_, entry) => [`/analytics-${entry}.json`, answer])));
  });

  afterAll(async () => {
    await api?.close();
  });

  it('reads every entry in one run', async () => {
    const config = httpConfigSchema.parse(Array.from({ length: ENTRIES }, (_, entry) => ({
      name: `brew-${entry}`,
      url: `${api.url}/analytics-${entry}.json`,
      metrics: Array.from({ length: METRICS }, (_, metric) => ({ name: `brew_${entry}_${metric}`, value: `items[?formula=='formula-${(entry * METRICS + metric) * 97}'].count | [0]` })),
    })));
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A new source each run: every entry is due.
      const source = createHttpSource(config);
      const started = performance.now();
      const result = await source.collect(collectContext().ctx);
      times.push(performance.now() - started);
      if (result.errors.length > 0 || result.samples.length !== ENTRIES * METRICS) throw new Error(`the run read ${result.samples.length} values: ${JSON.stringify(result.errors[0])}`);
    }
    const value = Math.round(median(times));
    recordBench({ bench: BENCH, name: `one run, ${ENTRIES} entries × ${METRICS} metrics (median of ${RUNS})`, value, unit: 'ms', target: '< 1000 ms', met: value < 1000 });
    recordBench({ bench: BENCH, name: 'size of one answer', value: Math.round(answerBytes / 1024), unit: 'KiB' });
  });
});
