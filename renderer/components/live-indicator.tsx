// The header's live / reconnecting indicator, following the client's live channel.
import { useEffect, useState } from 'react';
import type { ConnectionState } from '../api/footprint-client.js';
import { useClient } from './client-context.js';

const TEXT: Readonly<Record<ConnectionState, string>> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

const TITLE: Readonly<Record<ConnectionState, string>> = {
  connecting: 'Opening the live-update channel',
  live: 'Values update as soon as Footprint polls',
  reconnecting: 'The live-update channel dropped; trying again. Values shown may be out of date.',
};

export function useConnectionState(): ConnectionState {
  const client = useClient();
  const [state, setState] = useState<ConnectionState>(() => client.connectionState());
  useEffect(() => {
    setState(client.connectionState());
    return client.onConnectionChange(setState);
  }, [client]);
  return state;
}

export function LiveIndicator() {
  const state = useConnectionState();
  return (
    <span className={`live live-${state}`} role="status" title={TITLE[state]} data-testid="live-indicator" data-state={state}>
      <span className="live-dot" aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
