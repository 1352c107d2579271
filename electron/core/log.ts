// The structured logger: JSON lines on stderr (stdout is kept for command output such as
// `collect --once` tables and `export`), with secrets masked however they are logged.
import { pino, type DestinationStream, type Logger } from 'pino';
import { MASK, redactDeep, redactSecrets } from './secrets.js';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
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
  /** Where JSON lines go; stderr (fd 2) unless given, e.g. a capture stream in tests. */
  destination?: DestinationStream;
}

/** Serialises an Error with pino's standard serializer, then masks its message, stack and fields. */
function serializeError(error: unknown): unknown {
  return redactDeep(error instanceof Error ? pino.stdSerializers.err(error) : error);
}

export function createLogger(options: LoggerOptions): Logger {
  if (!isLogLevel(options.level)) throw new Error(`unknown log level "${options.level}" — use one of ${LOG_LEVELS.join(', ')}`);
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
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
