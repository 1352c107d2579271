// The core's API over IPC: one ipcMain.handle per FootprintApi method (shared/api.ts ipcChannels),
// each answering only the app's own pages, and live events pushed to the app's windows.
import type { IpcMainInvokeEvent } from 'electron';
import { ipcChannels, ipcEventChannel, type FootprintApi, type LiveEvent } from '../../../shared/api.js';
import { redactSecrets } from '../../core/secrets.js';
import { isAppUrl, isTrustedSender, type RendererLocation } from '../security/renderer-location.js';

type Method = keyof typeof ipcChannels;
type Handler = (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, ...args: unknown[]) => Promise<unknown>;

export const API_METHODS = Object.keys(ipcChannels) as Method[];

/** The part of ipcMain used here. */
export interface IpcRegistry {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Where a refused call came from, without its query or fragment (which might carry data). */
function describeOrigin(url: string | undefined): string {
  if (!url || !URL.canParse(url)) return 'an unknown frame';
  const parsed = new URL(url);
  return parsed.protocol === 'file:' ? `file://${parsed.pathname}` : parsed.origin;
}

/** One handler per channel; each checks the sender before calling the API. */
export function ipcHandlers(api: FootprintApi, location: RendererLocation, onRefused: (channel: string, origin: string) => void = () => {}): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  for (const method of API_METHODS) {
    const channel = ipcChannels[method];
    handlers.set(channel, async (event, ...args) => {
      const frame = event.senderFrame;
      if (!isTrustedSender(frame, location)) {
        const origin = describeOrigin(frame?.url);
        onRefused(channel, origin);
        throw new Error(`${channel} refused: only Footprint's own pages may use the core (call from ${origin})`);
      }
      try {
        return await (api[method] as (...values: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        // Electron sends only the message to the page: it must carry no secret, and say what went wrong in plain words.
        throw new Error(redactSecrets(error instanceof Error ? error.message : String(error)), { cause: error });
      }
    });
  }
  return handlers;
}

/** Registers the handlers; returns a function that removes them. */
export function registerIpc(ipc: IpcRegistry, api: FootprintApi, location: RendererLocation, onRefused?: (channel: string, origin: string) => void): () => void {
  const handlers = ipcHandlers(api, location, onRefused);
  for (const [channel, handler] of handlers) ipc.handle(channel, handler);
  return () => {
    for (const channel of handlers.keys()) ipc.removeHandler(channel);
  };
}

export interface EventTarget {
  readonly webContents: { send(channel: string, ...args: unknown[]): void; getURL(): string };
  isDestroyed(): boolean;
}

/** Pushes every live event to the windows that show one of the app's pages; returns the unsubscribe. */
export function forwardEvents(api: FootprintApi, targets: () => Iterable<EventTarget>, location: RendererLocation): () => void {
  return api.subscribe((event: LiveEvent) => {
    for (const target of targets()) {
      if (target.isDestroyed() || !isAppUrl(target.webContents.getURL(), location)) continue;
      target.webContents.send(ipcEventChannel, event);
    }
  });
}
