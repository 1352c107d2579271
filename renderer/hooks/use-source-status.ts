// The status of a source as every view shows it: the shared model (shared/source-status.ts) with the
// renderer's own facts: the time, and whether it reaches the server ("Reconnecting…" is offline) and
// the network (the desktop app's IPC never drops, but its polls need the network).
import { useCallback, useEffect, useState } from 'react';
import type { SourceHealth } from '../../shared/api.js';
import { sourceStatus, type SourceStatusKind } from '../../shared/source-status.js';
import { useConnectionState } from '../components/live-indicator.js';
import { useNow } from './use-now.js';

function useNetworkOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

export function useSourceStatus(tickMs?: number): (health: SourceHealth) => SourceStatusKind {
  const now = useNow(tickMs);
  const connection = useConnectionState();
  const network = useNetworkOnline();
  const online = connection !== 'reconnecting' && network;
  return useCallback((health: SourceHealth) => sourceStatus(health, { now, online }), [now, online]);
}
