// One collection's own abort signal: it follows the core's stop signal, and it also fires when the
// collection fails, so a fatal error (a refused token, a long rate limit) stops the requests still in flight.

/** Runs `work` with that signal's controller; a stop rethrows the stop's reason, a failure its error. */
export async function withCollectionSignal<T>(stop: AbortSignal, work: (controller: AbortController) => Promise<T>): Promise<T> {
  stop.throwIfAborted();
  const controller = new AbortController();
  const forwardStop = () => controller.abort(stop.reason);
  stop.addEventListener('abort', forwardStop, { once: true });
  try {
    return await work(controller);
  } catch (error) {
    controller.abort(error);
    stop.throwIfAborted();
    throw error;
  } finally {
    stop.removeEventListener('abort', forwardStop);
  }
}
