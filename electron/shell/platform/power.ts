// Sleep and network: polling pauses while the machine sleeps or is offline, and catches up when it
// wakes or the network returns (PauseControl runs the catch-up refresh).
import type { PauseControl } from '../app-core/pause-control.js';

/** How often the network state is asked (Electron's main process has no online/offline event). */
export const ONLINE_CHECK_MS = 15_000;

export interface PowerEvents {
  on(event: 'suspend' | 'resume', listener: () => void): unknown;
}

export interface PowerWatchOptions {
  readonly power: PowerEvents;
  /** Electron's net.isOnline(). */
  readonly isOnline: () => boolean;
  readonly pause: PauseControl;
  /** Called after every change of the sleep or network state. */
  readonly onChange?: () => void;
  readonly intervalMs?: number;
  readonly setInterval?: (run: () => void, ms: number) => unknown;
  readonly clearInterval?: (handle: unknown) => void;
}

/** Starts watching; returns a function that stops the network checks. */
export function watchPower(options: PowerWatchOptions): () => void {
  const { pause } = options;
  const changed = () => options.onChange?.();
  options.power.on('suspend', () => {
    pause.add('suspend');
    changed();
  });
  options.power.on('resume', () => {
    pause.remove('suspend');
    changed();
  });
  const check = () => {
    const online = options.isOnline();
    if (online === !pause.has('offline')) return;
    if (online) pause.remove('offline');
    else pause.add('offline');
    changed();
  };
  check();
  const setTimer = options.setInterval ?? ((run: () => void, ms: number) => setInterval(run, ms));
  const clearTimer = options.clearInterval ?? ((handle: unknown) => clearInterval(handle as ReturnType<typeof setInterval>));
  const handle = setTimer(check, options.intervalMs ?? ONLINE_CHECK_MS);
  return () => clearTimer(handle);
}
