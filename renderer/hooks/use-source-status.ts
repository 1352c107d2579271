// The status of a source as every view shows it: the shared model (shared/source-status.ts) with the
// renderer's own facts, the time and whether it still reaches the server (offline while "Reconnecting…").
import { useCallback } from 'react';
import type { SourceHealth } from '../../shared/api.js';
import { sourceStatus, type SourceStatusKind } from '../../shared/source-status.js';
import { useConnectionState } from '../components/live-indicator.js';
import { useNow } from './use-now.js';

export function useSourceStatus(tickMs?: number): (health: SourceHealth) => SourceStatusKind {
  const now = useNow(tickMs);
  const online = useConnectionState() !== 'reconnecting';
  return useCallback((health: SourceHealth) => sourceStatus(health, { now, online }), [now, online]);
}
