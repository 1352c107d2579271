// The client every view talks to, handed down once by the App (tests hand in a fake).
import { createContext, useContext } from 'react';
import type { FootprintClient } from '../api/footprint-client.js';

export const ClientContext = createContext<FootprintClient | null>(null);

export function useClient(): FootprintClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient: render inside <ClientContext.Provider value={client}>');
  return client;
}
