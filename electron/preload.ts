// The bridge between the sandboxed renderer and the main process: `window.footprint`, one named
// function per FootprintApi method, each invoking its own IPC channel. The page never gets
// ipcRenderer itself. Sandboxed preloads cannot load modules, so this file is bundled (Vite) into
// one script; it imports only `electron` and the shared contract.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, ipcEventChannel, type FootprintApi, type LiveEvent } from '../shared/api.js';

const footprint: FootprintApi = {
  info: () => ipcRenderer.invoke(ipcChannels.info),
  sources: () => ipcRenderer.invoke(ipcChannels.sources),
  latest: (filter) => (filter === undefined ? ipcRenderer.invoke(ipcChannels.latest) : ipcRenderer.invoke(ipcChannels.latest, filter)),
  range: (request) => ipcRenderer.invoke(ipcChannels.range, request),
  changes: (series, windowsMs) => ipcRenderer.invoke(ipcChannels.changes, series, windowsMs),
  rangeSums: (request) => ipcRenderer.invoke(ipcChannels.rangeSums, request),
  overview: () => ipcRenderer.invoke(ipcChannels.overview),
  health: () => ipcRenderer.invoke(ipcChannels.health),
  remoteWrite: () => ipcRenderer.invoke(ipcChannels.remoteWrite),
  config: () => ipcRenderer.invoke(ipcChannels.config),
  saveSource: (source, settings) => ipcRenderer.invoke(ipcChannels.saveSource, source, settings),
  testConnection: (source, settings) => ipcRenderer.invoke(ipcChannels.testConnection, source, settings),
  uploadKeyFile: (source, text) => ipcRenderer.invoke(ipcChannels.uploadKeyFile, source, text),
  refresh: (source) => (source === undefined ? ipcRenderer.invoke(ipcChannels.refresh) : ipcRenderer.invoke(ipcChannels.refresh, source)),
  pause: (source) => (source === undefined ? ipcRenderer.invoke(ipcChannels.pause) : ipcRenderer.invoke(ipcChannels.pause, source)),
  resume: (source) => (source === undefined ? ipcRenderer.invoke(ipcChannels.resume) : ipcRenderer.invoke(ipcChannels.resume, source)),
  backfill: () => ipcRenderer.invoke(ipcChannels.backfill),
  pauseBackfill: (source) => (source === undefined ? ipcRenderer.invoke(ipcChannels.pauseBackfill) : ipcRenderer.invoke(ipcChannels.pauseBackfill, source)),
  resumeBackfill: (source) => (source === undefined ? ipcRenderer.invoke(ipcChannels.resumeBackfill) : ipcRenderer.invoke(ipcChannels.resumeBackfill, source)),
  rerunBackfill: (source) => (source === undefined ? ipcRenderer.invoke(ipcChannels.rerunBackfill) : ipcRenderer.invoke(ipcChannels.rerunBackfill, source)),
  markers: (request) => ipcRenderer.invoke(ipcChannels.markers, request),
  subscribe: (onEvent) => {
    // The page's callback gets the event only, never Electron's IpcRendererEvent (which exposes the sender).
    const listener = (_event: IpcRendererEvent, event: LiveEvent) => onEvent(event);
    ipcRenderer.on(ipcEventChannel, listener);
    return () => {
      ipcRenderer.removeListener(ipcEventChannel, listener);
    };
  },
};

contextBridge.exposeInMainWorld('footprint', footprint);
