// Loads a view's data once (and again on retry), with loading and error states. Views then keep the
// data current from live events through `update`, never by asking again on a timer.
//
// Live events and a load race each other, so nothing an event says may be lost between them:
// - an event that arrives while the data is loading cannot be applied (there is nothing to change
//   yet) and the answer may predate it: the data is read again once the load is in;
// - an event that arrives while a refresh is under way is applied, but the refresh's answer may
//   predate it and replace it: one more refresh follows;
// - a view that loads before the live channel is first open misses what happens until it opens
//   (a backfill that completes meanwhile would stay "running"): the data is read again once it opens.
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { ClientContext } from '../components/client-context.js';
import { sameData } from '../model/same-data.js';

export type Load<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ready'; readonly data: T };

export interface LoadHandle<T> {
  readonly load: Load<T>;
  /** Loads again (after an error, or when the user asks). */
  readonly reload: () => void;
  /**
   * Changes loaded data in place (a live event). Before the data is there it changes nothing, and the
   * data is read again as soon as it arrives (its answer may predate the event).
   */
  readonly update: (change: (data: T) => T) => void;
  /**
   * Loads again behind what is shown (stored history changed underneath, e.g. a backfill step), and
   * swaps the data in when it is there (unless it is the same); no loading state, and a failure keeps what is shown. Calls
   * while one runs are folded into one more run after it; a call while the first load runs waits for it.
   */
  readonly refresh: () => void;
}

interface Run {
  /** The first load (or a reload) is under way. */
  loading: boolean;
  /** Something changed during that load: refresh once it is in. */
  missed: boolean;
  /** A refresh is under way. */
  refreshing: boolean;
  /** Something changed during that refresh: refresh once more after it. */
  again: boolean;
}

export function useLoad<T>(loader: () => Promise<T>, deps: readonly unknown[]): LoadHandle<T> {
  const [load, setLoad] = useState<Load<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;
  // One run per load (deps or attempt); answers of an older run are dropped.
  const runRef = useRef<Run>({ loading: true, missed: false, refreshing: false, again: false });
  const client = useContext(ClientContext);

  const refresh = useCallback(() => {
    const run = runRef.current;
    if (run.loading) {
      run.missed = true;
      return;
    }
    if (run.refreshing) {
      run.again = true;
      return;
    }
    run.refreshing = true;
    const settle = () => {
      run.refreshing = false;
      if (run.again && runRef.current === run) {
        run.again = false;
        refresh();
      }
    };
    loaderRef.current().then(
      (data) => {
        // Only into the data this run was asked for: a reload or new deps since then start over.
        // The same data again (nothing changed after all) keeps what is shown: nothing renders again.
        if (runRef.current === run) setLoad((previous) => (previous.status === 'ready' && !sameData(previous.data, data) ? { status: 'ready', data } : previous));
        settle();
      },
      () => settle(),
    );
  }, []);

  useEffect(() => {
    const run: Run = { loading: true, missed: false, refreshing: false, again: false };
    runRef.current = run;
    setLoad({ status: 'loading' });
    loaderRef.current().then(
      (data) => {
        if (runRef.current !== run) return;
        run.loading = false;
        setLoad({ status: 'ready', data });
        if (run.missed) {
          run.missed = false;
          refresh();
        }
      },
      (error: unknown) => {
        if (runRef.current !== run) return;
        run.loading = false;
        setLoad({ status: 'error', error });
      },
    );
    return () => {
      // A run replaced (or unmounted) is over: its late answers change nothing.
      if (runRef.current === run) runRef.current = { loading: true, missed: false, refreshing: false, again: false };
    };
    // The caller names what the loader depends on (deps); the loader itself is read through a ref.
  }, [...deps, attempt]);

  // Loaded before the live channel first opened: read again once it is open.
  useEffect(() => {
    if (!client || client.connectionState() === 'live') return undefined;
    const stop = client.onConnectionChange((state) => {
      if (state !== 'live') return;
      stop();
      refresh();
    });
    return stop;
  }, [client, refresh]);

  const reload = useCallback(() => setAttempt((count) => count + 1), []);
  const update = useCallback((change: (data: T) => T) => {
    const run = runRef.current;
    if (run.loading) run.missed = true;
    else if (run.refreshing) run.again = true;
    setLoad((previous) => (previous.status === 'ready' ? { status: 'ready', data: change(previous.data) } : previous));
  }, []);
  return { load, reload, update, refresh };
}
