// Loads a view's data once (and again on retry), with loading and error states. Views then keep the
// data current from live events through `update`, never by asking again on a timer.
import { useCallback, useEffect, useRef, useState } from 'react';

export type Load<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ready'; readonly data: T };

export interface LoadHandle<T> {
  readonly load: Load<T>;
  /** Loads again (after an error, or when the user asks). */
  readonly reload: () => void;
  /** Changes loaded data in place (a live event); does nothing before the data is there. */
  readonly update: (change: (data: T) => T) => void;
  /**
   * Loads again behind what is shown (stored history changed underneath, e.g. a backfill step), and
   * swaps the data in when it is there; no loading state, and a failure keeps what is shown. Calls
   * while one runs are folded into one more run after it.
   */
  readonly refresh: () => void;
}

export function useLoad<T>(loader: () => Promise<T>, deps: readonly unknown[]): LoadHandle<T> {
  const [load, setLoad] = useState<Load<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;

  useEffect(() => {
    let current = true;
    setLoad({ status: 'loading' });
    loaderRef.current().then(
      (data) => current && setLoad({ status: 'ready', data }),
      (error: unknown) => current && setLoad({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
    // The caller names what the loader depends on (deps); the loader itself is read through a ref.
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((count) => count + 1), []);
  const refreshing = useRef<{ running: boolean; again: boolean }>({ running: false, again: false });
  useEffect(() => {
    refreshing.current = { running: false, again: false };
  }, [...deps, attempt]);
  const refresh = useCallback(() => {
    const run = refreshing.current;
    if (run.running) {
      run.again = true;
      return;
    }
    run.running = true;
    const settle = () => {
      run.running = false;
      if (run.again && refreshing.current === run) {
        run.again = false;
        refresh();
      }
    };
    loaderRef.current().then(
      (data) => {
        // Only into the data this run was asked for: a reload or new deps since then start over.
        if (refreshing.current === run) setLoad((previous) => (previous.status === 'ready' ? { status: 'ready', data } : previous));
        settle();
      },
      () => settle(),
    );
  }, []);
  const update = useCallback((change: (data: T) => T) => {
    setLoad((previous) => (previous.status === 'ready' ? { status: 'ready', data: change(previous.data) } : previous));
  }, []);
  return { load, reload, update, refresh };
}
