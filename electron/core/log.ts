// The structured logger: lines on stderr (stdout is kept for what a command tells its user: `serve`'s
// start-up line, `collect --once` tables, `export`), with secrets masked however they are logged.
// JSON lines for machines; on a terminal, human-readable lines (pino-pretty), made from the JSON
// line after pino has masked it, so the pretty form cannot show what the JSON form would not.
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import { MASK, redactDeep, redactSecrets } from './secrets.js';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}

/** The format when none is asked for: pretty for a person at a terminal, JSON for a pipe, a file or a journal. */
export function defaultLogFormat(stderrIsTerminal: boolean): LogFormat {
  return stderrIsTerminal ? 'pretty' : 'json';
}

/** Fields masked by key, whatever their value looks like (pino's path syntax; `*` is one level). */
const REDACTED_PATHS = [
  'token', '*.token',
  'authorization', '*.authorization',
  'headers.authorization', '*.headers.authorization',
  'secret', '*.secret',
  'password', '*.password',
  'private_key', '*.private_key',
];

export interface LoggerOptions {
  /** One of LOG_LEVELS (loadConfig has already applied FOOTPRINT_LOG_LEVEL to config.log.level). */
  level: string;
  /** Where lines go; stderr (fd 2) unless given, e.g. a capture stream in tests. */
  destination?: DestinationStream;
  /** JSON lines (the default) or human-readable ones; see defaultLogFormat. */
  format?: LogFormat;
  /** Pretty lines in colour (only for a terminal). */
  colorize?: boolean;
}

/** Turns each masked JSON line into a pretty one, synchronously, so lines keep their order with stdout. */
function prettyDestination(destination: DestinationStream, colorize: boolean): DestinationStream {
  // Loaded only when asked for: JSON logging (services, the desktop app) never pays for it.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const options: PrettyOptions = { colorize, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true };
  const prettify = prettyFactory(options);
  return { write: (line: string) => destination.write(prettify(line)) };
}

/** Serialises an Error with pino's standard serializer, then masks its message, stack and fields. */
function serializeError(error: unknown): unknown {
  return redactDeep(error instanceof Error ? pino.stdSerializers.err(error) : error);
}

export function createLogger(options: LoggerOptions): Logger {
  if (!isLogLevel(options.level)) throw new Error(`unknown log level "${options.level}" — use one of ${LOG_LEVELS.join(', ')}`);
  const stderr = options.destination ?? pino.destination({ fd: 2, sync: true });
  const destination = options.format === 'pretty' ? prettyDestination(stderr, options.colorize ?? false) : stderr;
  const logger = pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: MASK },
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        // Every argument (message, printf-style values, merged object, Error) is masked before
        // pino formats it, so a secret cannot reach the line through interpolation either.
        logMethod(args, method) {
          const masked = args.map((arg: unknown) => (typeof arg === 'string' ? redactSecrets(arg) : redactDeep(arg)));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
      formatters: { log: (object) => redactDeep(object) },
    },
    destination,
  );
  maskBindings(logger);
  return logger;
}

/**
 * Child-logger bindings are rendered once, when the child is made, and pass through neither the
 * logMethod hook nor formatters.log: mask them on the way in. Children are created with
 * Object.create(parent), so these own properties on the root cover every descendant.
 */
function maskBindings(logger: Logger): void {
  const child = logger.child as unknown as (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
  const setBindings = logger.setBindings;
  Object.defineProperty(logger, 'child', {
    value: function maskedChild(this: Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) {
      return child.call(this, redactDeep(bindings), childOptions);
    },
  });
  Object.defineProperty(logger, 'setBindings', {
    value: function maskedSetBindings(this: Logger, bindings: pino.Bindings) {
      setBindings.call(this, redactDeep(bindings));
    },
  });
}

/** A logger that drops everything, for tests and for code paths that must not log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
