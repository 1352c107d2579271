// A promise that rejects when a collection or backfill step is stopped, so a wait inside Octokit's
// plugins (a queued retry) cannot outlive the stop.

export function stopped(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('GitHub collection stopped', 'AbortError'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
