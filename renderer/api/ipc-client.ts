// The FootprintApi over Electron IPC: the preload exposes `window.footprint`, an object with the
// same methods (contextBridge). This adapter checks the bridge is complete, turns Electron's
// wrapped IPC errors back into the core's plain words, and reports the live channel as always up
// (IPC has no connection to lose).
import type { FootprintApi } from '../../shared/api.js';
import { ApiError, errorMessage } from './errors.js';
import type { FootprintClient } from './footprint-client.js';
import { changesInBatches, rangeInBatches, rangeSumsInBatches } from './read-batches.js';

const METHODS = [
  'info', 'sources', 'latest', 'range', 'changes', 'rangeSums', 'overview', 'health', 'remoteWrite', 'config',
  'saveSource', 'testConnection', 'uploadKeyFile', 'refresh', 'pause', 'resume', 'backfill', 'pauseBackfill', 'resumeBackfill',
  'rerunBackfill', 'markers', 'subscribe',
] as const satisfies readonly (keyof FootprintApi)[];

// Electron rejects ipcRenderer.invoke with "Error invoking remote method 'footprint:x': Error: <message>".
const IPC_WRAPPER = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

export function unwrapIpcError(error: unknown): ApiError {
  return new ApiError(errorMessage(error).replace(IPC_WRAPPER, ''));
}

/** Adapts the preload's bridge; throws naming the missing methods when the bridge is incomplete. */
export function createIpcClient(bridge: FootprintApi): FootprintClient {
  const missing = METHODS.filter((name) => typeof (bridge as unknown as Record<string, unknown>)[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(`window.footprint lacks ${missing.join(', ')}: the preload and the renderer are from different versions — reinstall Footprint`);
  }
  const wrap = async <T>(invoke: () => Promise<T>): Promise<T> => {
    try {
      return await invoke();
    } catch (error) {
      throw unwrapIpcError(error);
    }
  };
  return {
    tokens: null,
    info: () => wrap(() => bridge.info()),
    sources: () => wrap(() => bridge.sources()),
    latest: (filter) => wrap(() => (filter === undefined ? bridge.latest() : bridge.latest(filter))),
    range: (request) => rangeInBatches((batch) => wrap(() => bridge.range(batch)), request),
    changes: (series, windowsMs) => changesInBatches((ids, windows) => wrap(() => bridge.changes(ids, windows)), series, windowsMs),
    rangeSums: (request) => rangeSumsInBatches((batch) => wrap(() => bridge.rangeSums(batch)), request),
    overview: () => wrap(() => bridge.overview()),
    health: () => wrap(() => bridge.health()),
    remoteWrite: () => wrap(() => bridge.remoteWrite()),
    config: () => wrap(() => bridge.config()),
    saveSource: (id, settings) => wrap(() => bridge.saveSource(id, settings)),
    testConnection: (id, settings) => wrap(() => bridge.testConnection(id, settings)),
    uploadKeyFile: (id, text) => wrap(() => bridge.uploadKeyFile(id, text)),
    refresh: (id) => wrap(() => (id === undefined ? bridge.refresh() : bridge.refresh(id))),
    pause: (id) => wrap(() => (id === undefined ? bridge.pause() : bridge.pause(id))),
    resume: (id) => wrap(() => (id === undefined ? bridge.resume() : bridge.resume(id))),
    backfill: () => wrap(() => bridge.backfill()),
    pauseBackfill: (id) => wrap(() => (id === undefined ? bridge.pauseBackfill() : bridge.pauseBackfill(id))),
    resumeBackfill: (id) => wrap(() => (id === undefined ? bridge.resumeBackfill() : bridge.resumeBackfill(id))),
    rerunBackfill: (id) => wrap(() => (id === undefined ? bridge.rerunBackfill() : bridge.rerunBackfill(id))),
    markers: (request) => wrap(() => bridge.markers(request)),
    subscribe: (onEvent) => bridge.subscribe(onEvent),
    connectionState: () => 'live',
    onConnectionChange: () => () => undefined,
  };
}
