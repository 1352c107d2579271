// The API on ipcMain for the app's own pages, and live events pushed to its open windows.
import { ipcMain } from 'electron';
import type { FootprintApi } from '../../../shared/api.js';
import type { Logger } from '../../core/log.js';
import type { RendererLocation } from '../security/renderer-location.js';
import { forwardEvents, registerIpc, type EventTarget } from './ipc.js';

/** Registers the handlers and starts forwarding; returns the stop. */
export function connectIpc(api: FootprintApi, windows: { openWindows(): Iterable<EventTarget> }, location: RendererLocation, log: Pick<Logger, 'warn'>): () => void {
  const unregister = registerIpc(ipcMain, api, location, (channel, origin) => log.warn({ channel, origin }, 'IPC call refused: not one of the app\'s pages'));
  const stopForwarding = forwardEvents(api, () => windows.openWindows(), location);
  return () => {
    stopForwarding();
    unregister();
  };
}
