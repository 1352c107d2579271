import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, defaultLogFormat, LOG_LEVELS, silentLogger, type Logger } from '../../electron/core/log.js';
import { MASK, registerSecrets } from '../../electron/core/secrets.js';

/** A destination that keeps every line pino writes. */
function capture() {
  const lines: string[] = [];
  return {
    lines,
    destination: { write: (chunk: string) => void lines.push(chunk) },
    records: () => lines.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Logs `secret` every way a line can carry it: message, printf values, fields, errors, child bindings; 17 lines. */
function logEveryWay(log: Logger, secret: string): void {
  log.info(`message with ${secret} inside`);
  log.info('printf %s and %d', secret, 3);
  log.info('printf object %o / json %j', { nested: secret }, { nested: secret });
  log.info({ value: secret }, 'top-level field');
  log.info({ a: { b: { c: [`deep ${secret}`] } } }, 'nested field');
  log.info({ msg: secret });
  log.warn({ headers: { authorization: `token ${secret}` } }, 'header');
  log.error(new Error(`failed with ${secret}`));
  log.error(new Error(`failed again with ${secret}`), 'error plus message');
  log.error({ err: new Error(`as err field ${secret}`) }, 'err field');
  log.error({ error: new Error(`as error field ${secret}`) }, 'error field');
  log.error({ err: new Error('outer', { cause: new Error(`cause ${secret}`) }) }, 'cause');
  const withField = Object.assign(new Error('with a field'), { detail: secret, response: { data: { message: secret } } });
  log.error(withField);
  const child = log.child({ target: secret, token: secret });
  child.info(`child message ${secret}`);
  child.child({ deeper: [secret] }).debug('grandchild');
  log.trace({ list: new Set([secret]), map: new Map([['k', secret]]) }, 'collections');
  const rebound = log.child({ stage: 'start' });
  rebound.setBindings({ stage: secret });
  rebound.info('rebound');
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time and message', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.destination });
    log.info({ source: 'github' }, 'collected');
    log.debug('hidden at info');
    const [record, ...rest] = out.records();
    expect(rest).toEqual([]);
    expect(record).toMatchObject({ level: 30, msg: 'collected', source: 'github' });
    expect(Date.parse(String(record!.time))).toBeGreaterThan(0);
  });

  it('writes to stderr (fd 2), never stdout, by default', () => {
    const writes: { fd: number; text: string }[] = [];
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: string | NodeJS.ArrayBufferView) => {
      const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString();
      writes.push({ fd, text });
      return Buffer.byteLength(text);
    }) as typeof fs.writeSync);
    const marker = `marker-${randomUUID()}`;
    createLogger({ level: 'info' }).info(marker);
    const ours = writes.filter((write) => write.text.includes(marker));
    expect(ours.map((write) => write.fd)).toEqual([2]);
    expect(JSON.parse(ours[0]!.text)).toMatchObject({ msg: marker });
  });

  it('rejects an unknown level with the accepted ones', () => {
    expect(() => createLogger({ level: 'verbose' })).toThrow(`unknown log level "verbose" — use one of ${LOG_LEVELS.join(', ')}`);
  });

  it('never lets a registered secret reach a line, however it is logged', () => {
    const secret = `pw-${randomUUID()}`;
    registerSecrets([secret]);
    const out = capture();
    logEveryWay(createLogger({ level: 'trace', destination: out.destination }), secret);

    const text = out.lines.join('');
    expect(out.lines).toHaveLength(17);
    expect(text).not.toContain(secret);
    // Each way of logging left a mask where the secret was.
    expect(text.split(MASK).length - 1).toBeGreaterThanOrEqual(20);
    const records = out.records();
    expect(records[0]!.msg).toBe(`message with ${MASK} inside`);
    expect(records[1]!.msg).toBe(`printf ${MASK} and 3`);
    expect(records[7]!.msg).toBe(`failed with ${MASK}`);
    expect((records[7]!.err as { stack: string }).stack).toContain(`failed with ${MASK}`);
    expect((records[9]!.err as { message: string }).message).toBe(`as err field ${MASK}`);
    expect((records[10]!.error as { message: string }).message).toBe(`as error field ${MASK}`);
    expect(records[13]).toMatchObject({ target: MASK, token: MASK, msg: `child message ${MASK}` });
    expect(records[14]).toMatchObject({ target: MASK, deeper: [MASK], msg: 'grandchild' });
    expect(records[16]).toMatchObject({ stage: MASK, msg: 'rebound' });
  });

  it('masks credential-shaped values and secret keys nobody registered', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.destination });
    const token = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    log.info({ token: 'plain-value', password: 'hunter22', private_key: 'pk', secret: 's', request: { headers: { authorization: 'Bearer abcdefghij' } } }, `using ${token}`);
    const [record] = out.records();
    expect(record).toMatchObject({ msg: `using ${MASK}`, token: MASK, password: MASK, private_key: MASK, secret: MASK, request: { headers: { authorization: MASK } } });
    expect(out.lines.join('')).not.toMatch(/plain-value|hunter22|abcdefghij|ghp_/);
  });

  it('does not alter the objects it is given', () => {
    const secret = `pw-${randomUUID()}`;
    registerSecrets([secret]);
    const out = capture();
    const fields = { token: secret, nested: { value: secret } };
    const error = new Error(secret);
    createLogger({ level: 'info', destination: out.destination }).info({ ...fields, err: error }, 'x');
    expect(fields).toEqual({ token: secret, nested: { value: secret } });
    expect(error.message).toBe(secret);
  });
});

describe('the pretty format (--log-format pretty, or a terminal)', () => {
  it('is chosen for a terminal; JSON for anything else', () => {
    expect(defaultLogFormat(true)).toBe('pretty');
    expect(defaultLogFormat(false)).toBe('json');
  });

  it('writes one readable line per record: time, level, message, then the fields', () => {
    const out = capture();
    const log = createLogger({ level: 'info', format: 'pretty', destination: out.destination });
    log.info({ source: 'github' }, 'collected');
    log.warn('slow');
    expect(out.lines).toHaveLength(2);
    expect(out.lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] INFO: collected \{"source":"github"\}\n$/);
    expect(out.lines[1]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] WARN: slow\n$/);
    expect(out.lines.join('')).not.toContain('\x1b['); // no colours unless asked for (a terminal)
  });

  it('is made from the masked line: no registered secret, secret key or credential-shaped value gets through', () => {
    const secret = `pw-${randomUUID()}`;
    registerSecrets([secret]);
    const out = capture();
    const log = createLogger({ level: 'trace', format: 'pretty', colorize: true, destination: out.destination });
    logEveryWay(log, secret);
    const token = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    log.info({ password: 'hunter22', request: { headers: { authorization: 'Bearer abcdefghij' } } }, `using ${token}`);
    const text = out.lines.join('');
    expect(out.lines).toHaveLength(18);
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/hunter22|abcdefghij|ghp_/);
    expect(text.split(MASK).length - 1).toBeGreaterThanOrEqual(22);
    expect(text).toContain('\x1b['); // colorize: true is honoured
  });
});

describe('silentLogger', () => {
  it('is enabled for no level', () => {
    const log = silentLogger();
    expect(LOG_LEVELS.filter((level) => level !== 'silent' && log.isLevelEnabled(level))).toEqual([]);
  });
});
