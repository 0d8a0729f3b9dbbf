import { normalizeNumber, type RegoValue } from '../value.js';
import { fail, fns, str } from './args.js';

/** An exact rational: numerator / denominator (denominator > 0). */
interface Rat {
  readonly n: bigint;
  readonly d: bigint;
}

/** Decimal text (with optional fraction and exponent) as an exact rational, or undefined. */
function parseRat(text: string): Rat | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, int = '', frac = '', exp = '0'] = m;
  let n = BigInt((int || '0') + frac) * (sign === '-' ? -1n : 1n);
  let d = 10n ** BigInt(frac.length);
  const e = Number(exp);
  if (e >= 0) n *= 10n ** BigInt(e);
  else d *= 10n ** BigInt(-e);
  return { n, d };
}

/**
 * Splits "10KiB" into "10" and "kib"-like units: the number is digits, dots and a valid
 * exponent; the rest is the unit. Exponents longer than six digits are refused (they would
 * make enormous numbers).
 */
function splitAmount(name: string, s: string): { num: string; unit: string } {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (/[0-9.+-]/.test(c)) continue;
    if (c === 'e' || c === 'E') {
      const next = s[i + 1];
      if (next === undefined || !/[0-9+-]/.test(next)) break;
      let j = i + 1;
      if (next === '+' || next === '-') j++;
      let k = j;
      while (k < s.length && /[0-9]/.test(s[k]!)) k++;
      if (k - j > 6) fail(name, 'exponent too large');
      i = k - 1;
      continue;
    }
    break;
  }
  return { num: s.slice(0, i), unit: s.slice(i) };
}

const POW = (base: bigint, k: number): bigint => base ** BigInt(k);
const BYTES: Record<string, bigint> = {
  '': 1n,
  kb: POW(1000n, 1), k: POW(1000n, 1), kib: POW(1024n, 1), ki: POW(1024n, 1),
  mb: POW(1000n, 2), m: POW(1000n, 2), mib: POW(1024n, 2), mi: POW(1024n, 2),
  gb: POW(1000n, 3), g: POW(1000n, 3), gib: POW(1024n, 3), gi: POW(1024n, 3),
  tb: POW(1000n, 4), t: POW(1000n, 4), tib: POW(1024n, 4), ti: POW(1024n, 4),
  pb: POW(1000n, 5), p: POW(1000n, 5), pib: POW(1024n, 5), pi: POW(1024n, 5),
  eb: POW(1000n, 6), e: POW(1000n, 6), eib: POW(1024n, 6), ei: POW(1024n, 6),
};

const UNITS: Record<string, Rat> = {
  m: { n: 1n, d: 1000n },
  '': { n: 1n, d: 1n },
  k: { n: 1000n, d: 1n }, K: { n: 1000n, d: 1n }, ki: { n: 1024n, d: 1n }, Ki: { n: 1024n, d: 1n },
  M: { n: POW(1000n, 2), d: 1n }, mi: { n: POW(1024n, 2), d: 1n }, Mi: { n: POW(1024n, 2), d: 1n },
  g: { n: POW(1000n, 3), d: 1n }, G: { n: POW(1000n, 3), d: 1n }, gi: { n: POW(1024n, 3), d: 1n }, Gi: { n: POW(1024n, 3), d: 1n },
  t: { n: POW(1000n, 4), d: 1n }, T: { n: POW(1000n, 4), d: 1n }, ti: { n: POW(1024n, 4), d: 1n }, Ti: { n: POW(1024n, 4), d: 1n },
  p: { n: POW(1000n, 5), d: 1n }, P: { n: POW(1000n, 5), d: 1n }, pi: { n: POW(1024n, 5), d: 1n }, Pi: { n: POW(1024n, 5), d: 1n },
  e: { n: POW(1000n, 6), d: 1n }, E: { n: POW(1000n, 6), d: 1n }, ei: { n: POW(1024n, 6), d: 1n }, Ei: { n: POW(1024n, 6), d: 1n },
};

function ratToValue(r: Rat): RegoValue {
  if (r.n % r.d === 0n) return normalizeNumber(r.n / r.d);
  // Ten decimal places, as OPA prints non-integral amounts.
  const neg = r.n < 0n;
  const abs = neg ? -r.n : r.n;
  const scaled = (abs * 10n ** 10n + r.d / 2n) / r.d;
  const text = scaled.toString().padStart(11, '0');
  return Number(`${neg ? '-' : ''}${text.slice(0, -10)}.${text.slice(-10)}`);
}

export const UNIT_BUILTINS = fns({
  'units.parse_bytes': [1, ([v]) => {
    const s = str('units.parse_bytes', 1, v!).toLowerCase().replace(/"/g, '');
    if (s.includes(' ')) fail('units.parse_bytes', 'spaces not allowed in resource strings');
    const { num, unit } = splitAmount('units.parse_bytes', s);
    if (num === '') fail('units.parse_bytes', 'no byte amount provided');
    const mult = BYTES[unit];
    if (mult === undefined) fail('units.parse_bytes', `byte unit ${unit} not recognized`);
    const r = parseRat(num);
    if (r === undefined) fail('units.parse_bytes', 'could not parse byte amount to a number');
    // Truncated toward zero, as big.Float.Int does.
    return normalizeNumber((r!.n * mult!) / r!.d);
  }],
  'units.parse': [1, ([v]) => {
    const s = str('units.parse', 1, v!).replace(/"/g, '');
    if (s.includes(' ')) fail('units.parse', 'spaces not allowed in resource strings');
    const split = splitAmount('units.parse', s);
    if (split.num === '') fail('units.parse', 'no amount provided');
    // Only letters after the first are case-insensitive, so m (milli) and M (mega) differ.
    const unit = split.unit.length > 1 ? split.unit[0] + split.unit.slice(1).toLowerCase() : split.unit;
    const mult = UNITS[unit];
    if (mult === undefined) fail('units.parse', `unit ${unit} not recognized`);
    const r = parseRat(split.num);
    if (r === undefined) fail('units.parse', 'could not parse amount to a number');
    return ratToValue({ n: r!.n * mult!.n, d: r!.d * mult!.d });
  }],
});
