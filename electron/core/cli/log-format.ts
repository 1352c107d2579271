// `--log-format json|pretty` for the commands that log (serve, collect, backfill). Logs go to stderr:
// without the flag they are pretty when stderr is a terminal and JSON otherwise (a pipe, a file,
// journald, a container log), so a person reads lines and a collector parses them.
import { defaultLogFormat, isLogFormat, LOG_FORMATS, type LogFormat } from '../log.js';
import { UsageError } from './exit.js';

export interface LogOutput {
  readonly format: LogFormat;
  /** Colours only where a terminal shows them. */
  readonly colorize: boolean;
}

export const logFormatUsage = `      --log-format F     json or pretty (default: pretty on a terminal, JSON otherwise);
                         logs go to stderr, what the command reports to stdout`;

/** The format `flag` asks for, or the default for `stderr`; an unknown value is a UsageError naming the flag. */
export function logOutputFor(command: string, flag: unknown, stderr: { readonly isTTY?: boolean }): LogOutput {
  const terminal = stderr.isTTY === true;
  if (flag === undefined) return { format: defaultLogFormat(terminal), colorize: terminal };
  if (typeof flag !== 'string' || !isLogFormat(flag)) {
    throw new UsageError(`footprint ${command}: --log-format must be ${LOG_FORMATS.join(' or ')}, not "${String(flag)}"`);
  }
  return { format: flag, colorize: terminal && flag === 'pretty' };
}
