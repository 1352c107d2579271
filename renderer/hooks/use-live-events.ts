// Live events (samples, health, config) from the core, for as long as the component is mounted.
import { useEffect, useRef } from 'react';
import type { LiveEvent } from '../../shared/api.js';
import { useClient } from '../components/client-context.js';

export function useLiveEvents(onEvent: (event: LiveEvent) => void): void {
  const client = useClient();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => client.subscribe((event) => handler.current(event)), [client]);
}
