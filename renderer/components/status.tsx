// Loading and error states: every view shows one of these rather than a blank page.
import { useState, type FormEvent } from 'react';
import { AuthRequiredError, errorMessage } from '../api/errors.js';
import { useClient } from './client-context.js';

export function Loading(props: { readonly what?: string }) {
  return (
    <p className="loading" role="status" data-testid="loading">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

export function ErrorNotice(props: { readonly error: unknown; readonly onRetry?: () => void; readonly onAuthenticated?: () => void }) {
  if (props.error instanceof AuthRequiredError) return <TokenForm message={props.error.message} onSaved={props.onAuthenticated ?? props.onRetry} />;
  return (
    <div className="notice notice-error" role="alert" data-testid="error">
      <p>{errorMessage(props.error)}</p>
      {props.onRetry ? (
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Asks for the access token a protected server wants; it is kept for this browser tab only. */
export function TokenForm(props: { readonly message: string; readonly onSaved?: (() => void) | undefined }) {
  const client = useClient();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === '' || !client.tokens) return;
    client.tokens.set(token.trim());
    props.onSaved?.();
  };
  return (
    <form className="notice notice-error" role="alert" onSubmit={submit} data-testid="token-form">
      <p>{props.message}</p>
      <label>
        Access token
        <input type="password" autoComplete="current-password" value={token} onChange={(event) => setToken(event.target.value)} />
      </label>
      <button type="submit">Sign in</button>
      <p className="hint">Or open the address with ?token=… once; it is kept for this tab only.</p>
    </form>
  );
}
