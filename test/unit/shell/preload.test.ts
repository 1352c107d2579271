import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannels, ipcEventChannel, type FootprintApi, type LiveEvent } from '../../../shared/api.js';
import ts from 'typescript';

const electron = vi.hoisted(() => {
  const exposed: { key: string | null; api: unknown } = { key: null, api: null };
  return {
    exposed,
    invoke: vi.fn(async (..._args: unknown[]) => 'answer'),
    on: vi.fn(),
    removeListener: vi.fn(),
  };
});

// The preload runs in Electron's sandbox; here `electron` is replaced by recorders of what it asks.
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      electron.exposed.key = key;
      electron.exposed.api = api;
    },
  },
  ipcRenderer: { invoke: electron.invoke, on: electron.on, removeListener: electron.removeListener },
}));

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
let bridge: FootprintApi;

beforeAll(async () => {
  await import('../../../electron/preload.js');
  bridge = electron.exposed.api as FootprintApi;
});

describe('the preload bridge', () => {
  it('exposes window.footprint with one named function per API method, nothing else', () => {
    expect(electron.exposed.key).toBe('footprint');
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(ipcChannels), 'subscribe'].sort());
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('ipcRenderer');
  });

  it('sends each call on its own channel with exactly the caller\'s arguments', async () => {
    electron.invoke.mockClear();
    await expect(bridge.info()).resolves.toBe('answer');
    await bridge.latest();
    await bridge.latest({ source: 'github' });
    await bridge.range({ series: [1], start: 0, end: 10, points: 2 });
    await bridge.changes([1, 2], [86_400_000]);
    await bridge.saveSource('github', null);
    await bridge.testConnection('github', { orgs: ['acme'] });
    await bridge.refresh();
    await bridge.pause('npm');
    await bridge.resume();
    await bridge.sources();
    await bridge.health();
    await bridge.config();
    expect(electron.invoke.mock.calls).toEqual([
      [ipcChannels.info],
      [ipcChannels.latest],
      [ipcChannels.latest, { source: 'github' }],
      [ipcChannels.range, { series: [1], start: 0, end: 10, points: 2 }],
      [ipcChannels.changes, [1, 2], [86_400_000]],
      [ipcChannels.saveSource, 'github', null],
      [ipcChannels.testConnection, 'github', { orgs: ['acme'] }],
      [ipcChannels.refresh],
      [ipcChannels.pause, 'npm'],
      [ipcChannels.resume],
      [ipcChannels.sources],
      [ipcChannels.health],
      [ipcChannels.config],
    ]);
  });

  it('subscribes to live events, hands over the event only, and unsubscribes', () => {
    const received: LiveEvent[] = [];
    const unsubscribe = bridge.subscribe((event) => received.push(event));
    expect(electron.on).toHaveBeenCalledTimes(1);
    const [channel, listener] = electron.on.mock.calls[0]!;
    expect(channel).toBe(ipcEventChannel);
    const event: LiveEvent = { type: 'config', sources: [] };
    (listener as (ipcEvent: unknown, event: LiveEvent) => void)({ sender: 'must not leak' }, event);
    expect(received).toEqual([event]);
    unsubscribe();
    expect(electron.removeListener).toHaveBeenCalledWith(ipcEventChannel, listener);
  });

  it('imports only electron and the shared contract (a sandboxed preload is bundled)', () => {
    const imports = ts.preProcessFile(readFileSync(path.join(repoRoot, 'electron', 'preload.ts'), 'utf8'), true, true).importedFiles.map((file) => file.fileName);
    expect(imports).toEqual(['electron', '../shared/api.js']);
    // The contract's own imports are type-only, so the bundle holds nothing but the channel names.
    const shared = readFileSync(path.join(repoRoot, 'shared', 'api.ts'), 'utf8');
    expect(shared.match(/^import (?!type ).*$/gm) ?? []).toEqual([]);
  });
});
