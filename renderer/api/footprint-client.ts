// What the UI holds: the shared FootprintApi contract plus the state of the live-update channel,
// which the header shows (live / reconnecting) and which tells views to catch up after a gap.
import type { FootprintApi } from '../../shared/api.js';

/** connecting: first attempt; live: events flow; reconnecting: the channel dropped and is being re-opened. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface FootprintClient extends FootprintApi {
  /** The current state of the live channel. */
  connectionState(): ConnectionState;
  /** Calls `listener` on every change of the live channel's state; returns an unsubscribe function. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** Where an access token is kept (HTTP only; null over IPC, which needs none). */
  readonly tokens: TokenStore | null;
}

export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}
