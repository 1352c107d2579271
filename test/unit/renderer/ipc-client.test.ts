// The IPC adapter: every method reaches the preload's bridge with its arguments, Electron's wrapped
// errors come back in the core's words, and an incomplete bridge is named.
import { describe, expect, it } from 'vitest';
import type { FootprintApi, LiveEvent } from '../../../shared/api.js';
import { ApiError } from '../../../renderer/api/errors.js';
import { createIpcClient, unwrapIpcError } from '../../../renderer/api/ipc-client.js';
import { FakeApi } from '../../support/fake-api.js';

describe('IPC client', () => {
  it('passes each call and its arguments to the bridge', async () => {
    const bridge = new FakeApi({ configured: ['npm'] });
    const client = createIpcClient(bridge);
    await client.latest({ source: 'npm' });
    await client.latest();
    await client.range({ series: [1], start: 0, end: 10, points: 2 });
    await client.changes([1], [60_000]);
    await client.saveSource('npm', { packages: ['left-pad'] });
    await client.testConnection('npm', { packages: ['left-pad'] });
    await client.refresh();
    await client.pause('npm');
    await client.resume('npm');
    expect(bridge.calls.map((call) => [call.method, call.args])).toEqual([
      ['latest', [{ source: 'npm' }]],
      ['latest', [undefined]],
      ['range', [{ series: [1], start: 0, end: 10, points: 2 }]],
      ['changes', [[1], [60_000]]],
      ['saveSource', ['npm', { packages: ['left-pad'] }]],
      ['testConnection', ['npm', { packages: ['left-pad'] }]],
      ['refresh', [undefined]],
      ['pause', ['npm']],
      ['resume', ['npm']],
    ]);
    expect((await client.sources()).find((source) => source.id === 'npm')?.configured).toBe(true);
  });

  it('asks the bridge in requests within READ_LIMITS, as the HTTP client does', async () => {
    const bridge = new FakeApi({ configured: ['npm'] });
    const client = createIpcClient(bridge);
    const ids = Array.from({ length: 1_500 }, (_, index) => index + 1);
    await client.changes(ids, [60_000]);
    await client.range({ series: ids, start: 0, end: 10_000, points: 200 });
    expect(bridge.calls.map((call) => [call.method, call.method === 'range' ? (call.args[0] as { series: number[] }).series.length : (call.args[0] as number[]).length])).toEqual([
      ['changes', 1_000], ['changes', 500], ['range', 500], ['range', 500], ['range', 500],
    ]);
  });

  it('calls optional-argument methods without the argument when it is omitted', async () => {
    const argumentCounts: number[] = [];
    const bridge = new FakeApi();
    const counting = { ...bridgeMethods(bridge), refresh: (...args: unknown[]) => { argumentCounts.push(args.length); return Promise.resolve(); } } as FootprintApi;
    const client = createIpcClient(counting);
    await client.refresh();
    await client.refresh('github');
    expect(argumentCounts).toEqual([0, 1]);
  });

  it('delivers live events from the bridge and reports the channel as live', () => {
    const bridge = new FakeApi();
    const client = createIpcClient(bridge);
    const received: LiveEvent[] = [];
    const stop = client.subscribe((event) => received.push(event));
    bridge.emit({ type: 'config', sources: [] });
    stop();
    bridge.emit({ type: 'config', sources: [] });
    expect(received).toEqual([{ type: 'config', sources: [] }]);
    expect(client.connectionState()).toBe('live');
    expect(client.tokens).toBeNull();
  });

  it('turns Electron’s wrapped IPC errors back into the core’s words', async () => {
    const bridge = new FakeApi();
    bridge.fail('health', new Error("Error invoking remote method 'footprint:health': Error: the history store is locked by another Footprint"));
    const failure = await createIpcClient(bridge).health().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as Error).message).toBe('the history store is locked by another Footprint');
    expect(unwrapIpcError(new Error("Error invoking remote method 'footprint:range': TypeError: bad")).message).toBe('bad');
    expect(unwrapIpcError('plain').message).toBe('plain');
  });

  it('names the methods an incomplete bridge lacks', () => {
    const { range: _range, subscribe: _subscribe, ...partial } = bridgeMethods(new FakeApi());
    expect(() => createIpcClient(partial as unknown as FootprintApi)).toThrow(/window\.footprint lacks range, subscribe/);
  });
});

/** The bridge as contextBridge exposes it: a plain object of functions. */
function bridgeMethods(api: FakeApi): FootprintApi {
  return {
    info: () => api.info(),
    sources: () => api.sources(),
    latest: (filter) => api.latest(filter),
    range: (request) => api.range(request),
    rangeSums: (request) => api.rangeSums(request),
    overview: () => api.overview(),
    changes: (series, windows) => api.changes(series, windows),
    health: () => api.health(),
    remoteWrite: () => api.remoteWrite(),
    config: () => api.config(),
    saveSource: (id, settings) => api.saveSource(id, settings),
    testConnection: (id, settings) => api.testConnection(id, settings),
    uploadKeyFile: (id, text) => api.uploadKeyFile(id, text),
    refresh: (id) => api.refresh(id),
    pause: (id) => api.pause(id),
    resume: (id) => api.resume(id),
    backfill: () => api.backfill(),
    pauseBackfill: (id) => api.pauseBackfill(id),
    resumeBackfill: (id) => api.resumeBackfill(id),
    rerunBackfill: (id) => api.rerunBackfill(id),
    markers: (request) => api.markers(request),
    subscribe: (onEvent) => api.subscribe(onEvent),
  };
}
