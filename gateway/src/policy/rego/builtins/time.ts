import { isArray, normalizeNumber, type RegoValue } from '../value.js';
import { fail, fns, num, str, typeError } from './args.js';
import { formatLayout, NAMED_LAYOUTS, parseLayout, tokenizeLayout, type Parts } from './layout.js';

const NS_PER_MS = 1_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Times are int64 nanoseconds in OPA; anything outside is an error, not a wrapped value. */
function int64(name: string, ns: bigint): bigint {
  if (ns < INT64_MIN || ns > INT64_MAX) fail(name, 'time outside of valid range');
  return ns;
}

/** RFC 3339 with nanoseconds, exact: returns nanoseconds since the epoch as bigint. */
export function parseRfc3339Ns(name: string, s: string): bigint {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/.exec(s);
  if (m === null) return fail(name, `parsing time ${JSON.stringify(s)} as RFC 3339 failed`);
  const [, y, mo, d, h, mi, se, frac = '', tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(se) > 60) {
    return fail(name, `parsing time ${JSON.stringify(s)}: out of range`);
  }
  let offsetMin = 0;
  if (tz !== 'Z' && tz !== 'z') {
    const sign = tz!.startsWith('-') ? -1 : 1;
    offsetMin = sign * (Number(tz!.slice(1, 3)) * 60 + Number(tz!.slice(4, 6)));
  }
  return BigInt(ms - offsetMin * 60_000) * NS_PER_MS + BigInt(frac.padEnd(9, '0') || '0');
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** Go's time.ParseDuration. */
function parseDuration(s: string): bigint {
  if (s === '0') return 0n;
  const m = /^([+-])?((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (m === null) fail('time.parse_duration_ns', `time: invalid duration ${JSON.stringify(s)}`);
  let total = 0n;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    const [, value = '0', unit = 's'] = part;
    const [int = '0', frac = ''] = value.split('.');
    const u = UNITS[unit]!;
    total += BigInt(int || '0') * u;
    if (frac) total += (BigInt(frac) * u) / 10n ** BigInt(frac.length);
  }
  return s.startsWith('-') ? -total : total;
}

/** A time argument: ns, or [ns, tz]; only UTC and fixed offsets are supported here. */
function timeArg(name: string, v: RegoValue): { ns: bigint; offsetMin: number } {
  if (isArray(v)) {
    const ns = nsOf(name, v[0] ?? null);
    const tz = v[1];
    if (tz === undefined || tz === '' || tz === 'UTC') return { ns, offsetMin: 0 };
    if (typeof tz === 'string' && tz === 'Local') return { ns, offsetMin: 0 };
    return fail(name, `time zone ${JSON.stringify(tz)} is not supported (named IANA time zones are not available)`);
  }
  return { ns: nsOf(name, v), offsetMin: 0 };
}

function nsOf(name: string, v: RegoValue): bigint {
  const n = num(name, 1, v);
  if (typeof n === 'bigint') return int64(name, n);
  if (!Number.isFinite(n)) fail(name, 'timestamp out of range');
  return int64(name, BigInt(Math.trunc(n)));
}

function dateOf(ns: bigint, offsetMin: number): Date {
  const ms = Number(ns / NS_PER_MS - (ns % NS_PER_MS < 0n ? 1n : 0n)) + offsetMin * 60_000;
  return new Date(ms);
}

/** Calendar fields of an instant at a fixed offset (minutes east of UTC). */
function partsOf(name: string, ns: bigint, offsetMin: number): Parts {
  const d = dateOf(ns, offsetMin);
  if (Number.isNaN(d.getTime())) fail(name, 'time outside of valid range');
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos: Number(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n),
    offsetSeconds: offsetMin * 60,
    weekday: d.getUTCDay(),
    yday: Math.floor((d.getTime() - start) / 86_400_000) + 1,
  };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const TIME_BUILTINS = fns({
  'time.now_ns': [0, (_, ctx) => normalizeNumber(ctx.nowNs)],
  'time.parse_rfc3339_ns': [1, ([s]) => normalizeNumber(int64('time.parse_rfc3339_ns', parseRfc3339Ns('time.parse_rfc3339_ns', str('time.parse_rfc3339_ns', 1, s!))))],
  'time.parse_duration_ns': [1, ([s]) => normalizeNumber(parseDuration(str('time.parse_duration_ns', 1, s!)))],
  // OPA's test helper: pauses evaluation for a Go duration and returns null. Capped at one
  // second so that a policy cannot stall the gateway with it.
  'test.sleep': [1, ([s]) => {
    const ns = parseDuration(str('test.sleep', 1, s!));
    const ms = Math.min(1000, Math.max(0, Number(ns / 1_000_000n)));
    if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return null;
  }],
  'time.date': [1, ([v]) => {
    const { ns, offsetMin } = timeArg('time.date', v!);
    const d = dateOf(ns, offsetMin);
    return Object.freeze([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
  }],
  'time.clock': [1, ([v]) => {
    const { ns, offsetMin } = timeArg('time.clock', v!);
    const d = dateOf(ns, offsetMin);
    return Object.freeze([d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]);
  }],
  'time.weekday': [1, ([v]) => {
    const { ns, offsetMin } = timeArg('time.weekday', v!);
    return WEEKDAYS[dateOf(ns, offsetMin).getUTCDay()]!;
  }],
  'time.add_date': [4, ([t, y, m, d]) => {
    const ns = nsOf('time.add_date', t!);
    const rem = ((ns % NS_PER_MS) + NS_PER_MS) % NS_PER_MS;
    const date = dateOf(ns, 0);
    const out = Date.UTC(
      date.getUTCFullYear() + Number(num('time.add_date', 2, y!)),
      date.getUTCMonth() + Number(num('time.add_date', 3, m!)),
      date.getUTCDate() + Number(num('time.add_date', 4, d!)),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    );
    if (!Number.isFinite(out)) fail('time.add_date', 'time outside of valid range');
    return normalizeNumber(int64('time.add_date', BigInt(out) * NS_PER_MS + rem));
  }],
  'time.format': [1, ([v]) => {
    const x = v!;
    const { ns, offsetMin } = timeArg('time.format', x);
    const layout = isArray(x) && typeof x[2] === 'string' ? (NAMED_LAYOUTS[x[2]] ?? x[2]) : NAMED_LAYOUTS['RFC3339Nano']!;
    return formatLayout(tokenizeLayout(layout), partsOf('time.format', ns, offsetMin));
  }],
  'time.parse_ns': [2, ([l, v]) => {
    const layoutName = str('time.parse_ns', 1, l!);
    const layout = NAMED_LAYOUTS[layoutName] ?? layoutName;
    let p: Parts;
    try {
      p = parseLayout(tokenizeLayout(layout), str('time.parse_ns', 2, v!));
    } catch (err) {
      return fail('time.parse_ns', `parsing time ${JSON.stringify(v)} as ${JSON.stringify(layoutName)}: ${(err as Error).message}`);
    }
    const d = new Date(0);
    d.setUTCFullYear(p.year, p.month - 1, p.day);
    d.setUTCHours(p.hour, p.minute, p.second, 0);
    return normalizeNumber(int64('time.parse_ns', BigInt(d.getTime() - p.offsetSeconds * 1000) * NS_PER_MS + BigInt(p.nanos)));
  }],
  'time.diff': [2, ([a, b]) => {
    const x = dateOf(timeArg('time.diff', a!).ns, 0);
    const y = dateOf(timeArg('time.diff', b!).ns, 0);
    const [lo, hi] = x <= y ? [x, y] : [y, x];
    let years = hi.getUTCFullYear() - lo.getUTCFullYear();
    let months = hi.getUTCMonth() - lo.getUTCMonth();
    let days = hi.getUTCDate() - lo.getUTCDate();
    let hours = hi.getUTCHours() - lo.getUTCHours();
    let mins = hi.getUTCMinutes() - lo.getUTCMinutes();
    let secs = hi.getUTCSeconds() - lo.getUTCSeconds();
    if (secs < 0) (secs += 60), mins--;
    if (mins < 0) (mins += 60), hours--;
    if (hours < 0) (hours += 24), days--;
    if (days < 0) {
      days += new Date(Date.UTC(hi.getUTCFullYear(), hi.getUTCMonth(), 0)).getUTCDate();
      months--;
    }
    if (months < 0) (months += 12), years--;
    return Object.freeze([years, months, days, hours, mins, secs]);
  }],
});

export { typeError };
