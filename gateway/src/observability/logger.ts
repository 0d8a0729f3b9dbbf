import { pino, type Logger, type DestinationStream } from 'pino';
import { prettyDestination } from './pretty.js';

export type { Logger };

/** json: one JSON object a line, for collectors; pretty: lines for a person; auto: pretty on a terminal. */
export type LogFormat = 'json' | 'pretty' | 'auto';

export interface LoggerOptions {
  readonly level?: string;
  readonly org?: string;
  /** json by default. */
  readonly format?: LogFormat;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream & { readonly isTTY?: boolean };
}

/**
 * The one root logger of a gateway. Errors are reduced to their name, code and message
 * (an error's `cause` may hold a partner's data, so stacks and causes are not serialised
 * beyond that), and any field named like a payload or a secret is censored, so a new
 * field never leaks by default. The pretty format re-renders those same JSON lines.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const terminal = opts.destination === undefined ? process.stdout.isTTY === true : opts.destination.isTTY === true;
  const format = opts.format === 'auto' ? (terminal ? 'pretty' : 'json') : (opts.format ?? 'json');
  const destination =
    format === 'pretty'
      ? prettyDestination(opts.destination ?? pino.destination(1), { colors: terminal && !process.env['NO_COLOR'] })
      : opts.destination;
  return pino(
    {
      level: opts.level ?? 'info',
      base: opts.org === undefined ? null : { org: opts.org },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError },
      redact: {
        paths: [
          'input',
          'result',
          'payload',
          'salt',
          'key',
          'privateKey',
          'jws',
          '*.input',
          '*.result',
          '*.payload',
          '*.salt',
          '*.key',
          '*.privateKey',
          '*.jws',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { type: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out['code'] = code;
  if (err.cause instanceof Error) out['cause'] = { type: err.cause.name, message: err.cause.message };
  return out;
}
