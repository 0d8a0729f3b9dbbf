import type { DestinationStream } from 'pino';

const LEVELS: Readonly<Record<number, readonly [label: string, color: string]>> = {
  10: ['TRACE', '90'],
  20: ['DEBUG', '36'],
  30: ['INFO', '32'],
  40: ['WARN', '33'],
  50: ['ERROR', '31'],
  60: ['FATAL', '35'],
};
/** Fields every line has, shown in its head rather than as key=value. */
const HEAD = new Set(['time', 'level', 'msg', 'org']);

export interface PrettyOptions {
  /** ANSI colours for the level and the keys. */
  readonly colors: boolean;
}

/**
 * A destination that turns pino's JSON lines into lines for a person at a terminal:
 *
 *     14:03:07.412 INFO  [bank-a] gateway serving listen=127.0.0.1:7443 port=7443 partners=[bank-b]
 *
 * It only re-renders what pino has already serialised, so redaction and the error
 * serializer have run: a payload or a key cannot reach the terminal that the JSON would not
 * have carried.
 */
export function prettyDestination(out: DestinationStream, opts: PrettyOptions): DestinationStream {
  return {
    write(chunk: string): void {
      for (const line of chunk.split('\n')) if (line !== '') out.write(prettyLine(line, opts) + '\n');
    },
  };
}

/** One JSON log line as text; a line that is not a JSON object is passed through as it is. */
export function prettyLine(json: string, opts: PrettyOptions): string {
  let entry: unknown;
  try {
    entry = JSON.parse(json);
  } catch {
    return json;
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return json;
  const e = entry as Record<string, unknown>;
  const paint = (code: string, text: string): string => (opts.colors ? `\u001b[${code}m${text}\u001b[0m` : text);
  const [label, color] = LEVELS[e['level'] as number] ?? [String(e['level'] ?? '?'), '0'];
  const head = [
    paint('2', timeOfDay(e['time'])),
    paint(color, label.padEnd(5)),
    ...(typeof e['org'] === 'string' ? [`[${e['org']}]`] : []),
    ...(typeof e['msg'] === 'string' ? [paint('1', e['msg'])] : []),
  ];
  const fields = Object.entries(e)
    .filter(([k]) => !HEAD.has(k))
    .flatMap(([k, v]) => flatten(k, v))
    .map(([k, v]) => `${paint('2', `${k}=`)}${v}`);
  return [...head, ...fields].join(' ');
}

/** HH:MM:SS.mmm in local time, from pino's ISO time (or epoch milliseconds). */
function timeOfDay(time: unknown): string {
  const d = new Date(typeof time === 'string' || typeof time === 'number' ? time : Number.NaN);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Nested objects become dotted keys; arrays of plain values stay on one line as [a,b]. */
function flatten(key: string, value: unknown): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? [[key, '{}']] : entries.flatMap(([k, v]) => flatten(`${key}.${k}`, v));
  }
  if (Array.isArray(value)) {
    const plain = value.every((v) => v === null || typeof v !== 'object');
    return [[key, plain ? `[${value.map((v) => scalar(v, true)).join(',')}]` : JSON.stringify(value)]];
  }
  return [[key, scalar(value, false)]];
}

/** A value as logfmt writes it: bare when it can be read back unambiguously, JSON-quoted otherwise. */
function scalar(value: unknown, inList: boolean): string {
  if (typeof value !== 'string') return String(value);
  const bare = value !== '' && !/[\s"=\\[\],]/.test(value) && (!inList || !value.includes(','));
  return bare ? value : JSON.stringify(value);
}
