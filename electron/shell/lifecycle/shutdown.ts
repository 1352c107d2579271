// Quitting in order: the first quit is held back while the app stops its watchers and closes the
// endpoint and the core (the database is closed cleanly); then the tray goes and the app really quits.
// Further quits while closing are ignored.
import { app } from 'electron';
import type { Logger } from '../../core/log.js';

export interface ShutdownSteps {
  /** Stop watching and forwarding; run first, in order. */
  readonly stops: readonly (() => void)[];
  /** Close what holds resources (the endpoint, the core). */
  readonly close: () => Promise<void>;
  /** Last: remove the tray icon. */
  readonly removeTray: () => void;
  readonly log: Pick<Logger, 'error'>;
}

export function installShutdown(steps: ShutdownSteps): void {
  let quitting = false;
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    for (const stop of steps.stops) stop();
    steps.close()
      .catch((error: unknown) => steps.log.error({ err: error }, 'shutdown failed'))
      .finally(() => {
        closed = true;
        steps.removeTray();
        app.quit();
      });
  });
}
