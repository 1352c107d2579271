// What the commands print on stdout. A slow reader is waited for, so a large export is not piled
// up in memory; a reader that goes away (`footprint export | head -2`) ends the output quietly
// instead of crashing the command with an unhandled EPIPE.
import type { Writable } from 'node:stream';

/** The reader of the output went away: the command stops writing and exits quietly. */
export class ReaderGoneError extends Error {
  constructor() {
    super('the reader of the output went away');
    this.name = 'ReaderGoneError';
  }
}

/** How a stream says its reader is gone: the pipe closed, or the stream was torn down because of it. */
function isReaderGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

export class CommandOutput {
  readonly #stream: Writable;
  #gone = false;
  #failure: unknown = null;

  constructor(stream: Writable) {
    this.#stream = stream;
    // Write errors arrive as 'error' events; without a listener they would crash the process.
    stream.on('error', (error) => {
      if (isReaderGone(error)) this.#gone = true;
      else this.#failure ??= error;
    });
  }

  /** Writes text, waiting while the reader is behind. Throws ReaderGoneError once the reader has gone. */
  async write(text: string): Promise<void> {
    this.#check();
    if (!this.#stream.write(text)) await this.#drained();
    this.#check();
  }

  #check(): void {
    if (this.#failure !== null) throw this.#failure;
    if (this.#gone || this.#stream.destroyed) throw new ReaderGoneError();
  }

  #drained(): Promise<void> {
    const stream = this.#stream;
    return new Promise((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', done);
    });
  }
}

/** Ignores EPIPE on a stream nobody awaits (stderr): a reader that left is no reason to crash. */
export function ignoreReaderGone(stream: Writable): void {
  stream.on('error', (error) => {
    if (!isReaderGone(error)) throw error;
  });
}
