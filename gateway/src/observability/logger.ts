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
  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: opts.org === undefined ? null : { org: opts.org },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError },
      // Censored here rather than with pino's `redact` paths: a wildcard path (`*.input`) ran
      // the redaction library over every field of every line, cloning and re-parsing its
      // paths each time (~14 KB of garbage per task line, issue 11). Same fields, same depth.
      formatters: { log: censored, bindings: censored },
    },
    destination,
  );
  // pino applies the bindings formatter to the root's base only; children (and theirs, which
  // inherit this method) have their bindings censored here.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, censored(bindings), options);
  } as Logger['child'];
  return logger;
}

/** Field names whose values never reach a log line: payloads and secrets. */
const CENSORED = new Set(['input', 'result', 'payload', 'salt', 'key', 'privateKey', 'jws']);
const CENSOR = '[redacted]';

/**
 * `fields` with every censored name replaced by '[redacted]', at the top level and one level
 * below (`input`, `outcome.payload`). Copies only what it changes; errors are left to the
 * error serializer, which keeps nothing but their name, code and message.
 */
function censored(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const k in fields) {
    if (!Object.hasOwn(fields, k)) continue;
    const v = fields[k];
    const w = CENSORED.has(k) ? CENSOR : typeof v === 'object' && v !== null && !(v instanceof Error) && !Array.isArray(v) ? censoredBelow(v as Record<string, unknown>) : v;
    if (w === v) continue;
    out ??= { ...fields };
    out[k] = w;
  }
  return out ?? fields;
}

function censoredBelow(fields: Record<string, unknown>): Record<string, unknown> {
  for (const k in fields) {
    if (Object.hasOwn(fields, k) && CENSORED.has(k)) {
      const out: Record<string, unknown> = { ...fields };
      for (const c of CENSORED) if (Object.hasOwn(out, c)) out[c] = CENSOR;
      return out;
    }
  }
  return fields;
}

function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { type: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out['code'] = code;
  if (err.cause instanceof Error) out['cause'] = { type: err.cause.name, message: err.cause.message };
  return out;
}
