// How the CLI writes to stdout and reports errors it did not expect.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeUnexpected } from '../../electron/core/cli/main.js';
import { CommandOutput, ReaderGoneError } from '../../electron/core/cli/output.js';
import { MASK, registerSecrets } from '../../electron/core/secrets.js';

/** A stream whose reader takes each chunk only on a later turn of the event loop, like a slow pipe. */
function slowReader(highWaterMark: number): { stream: Writable; received: string[] } {
  const received: string[] = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      setImmediate(() => {
        received.push(chunk);
        callback();
      });
    },
  });
  return { stream, received };
}

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

describe('CommandOutput', () => {
  it('waits for a slow reader instead of piling the output up in memory', async () => {
    const { stream, received } = slowReader(64);
    const out = new CommandOutput(stream);
    let most = 0;
    for (let i = 0; i < 200; i++) {
      await out.write(`line ${i.toString().padStart(4, '0')} of the export\n`);
      most = Math.max(most, stream.writableLength);
    }
    expect(most).toBeLessThan(64 + 32);
    await new Promise<void>((resolve) => stream.end(resolve));
    expect(received).toHaveLength(200);
  });

  it('turns a reader that went away (EPIPE) into ReaderGoneError, also while waiting for it', async () => {
    const stalled = new Writable({ highWaterMark: 1, write() {} });
    const out = new CommandOutput(stalled);
    const waiting = out.write('more than one byte');
    stalled.destroy(errnoError('EPIPE'));
    await expect(waiting).rejects.toBeInstanceOf(ReaderGoneError);
    await expect(out.write('again')).rejects.toBeInstanceOf(ReaderGoneError);
  });

  it('reports any other write error (a full disk) as it is', async () => {
    const full = new Writable({ write(_chunk, _encoding, callback) { callback(errnoError('ENOSPC')); } });
    const out = new CommandOutput(full);
    await out.write('first').catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(out.write('second')).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});

describe('describeUnexpected', () => {
  it('is the first line of the message with secrets masked, never the stack', () => {
    const secret = `pw-${randomUUID()}`;
    registerSecrets([secret]);
    const error = new SyntaxError(`Invalid thing: /${secret}/\nsecond line\n    at somewhere (file.ts:1:1)`);
    expect(describeUnexpected(error)).toBe(`Invalid thing: /${MASK}/`);
    expect(describeUnexpected('plain text')).toBe('plain text');
  });

  it('cuts an overlong line, and says nothing when the text cannot be read safely', () => {
    expect(describeUnexpected(new Error('x'.repeat(50_000)))).toBe(`${'x'.repeat(1000)}…`);
    const hostile = { toString: () => { throw new Error('no'); } };
    expect(describeUnexpected(hostile)).toBe('an unexpected error (its text is not shown: it could not be checked for secrets)');
  });
});
