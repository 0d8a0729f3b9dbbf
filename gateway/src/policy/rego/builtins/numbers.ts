import { compare, equals, isArray, isSet, normalizeNumber, RegoSet, type RegoNumber, type RegoValue } from '../value.js';
import { BuiltinError } from './types.js';
import { arr, fail, fns, int, num, set, typeError } from './args.js';

const isInt = (n: RegoNumber): boolean => typeof n === 'bigint' || Number.isInteger(n);
const big = (n: RegoNumber): bigint => (typeof n === 'bigint' ? n : BigInt(n));
const float = (n: RegoNumber): number => Number(n);

/** Integers stay exact (bigint when large); anything with a fraction is a float. */
export function add(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (isInt(a) && isInt(b)) {
    if (typeof a === 'number' && typeof b === 'number') {
      const r = a + b;
      if (Number.isSafeInteger(r)) return r;
    }
    return normalizeNumber(big(a) + big(b));
  }
  return normalizeNumber(float(a) + float(b));
}

export function sub(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (isInt(a) && isInt(b)) {
    if (typeof a === 'number' && typeof b === 'number') {
      const r = a - b;
      if (Number.isSafeInteger(r)) return r;
    }
    return normalizeNumber(big(a) - big(b));
  }
  return normalizeNumber(float(a) - float(b));
}

export function mul(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (isInt(a) && isInt(b)) {
    if (typeof a === 'number' && typeof b === 'number') {
      const r = a * b;
      if (Number.isSafeInteger(r)) return r;
    }
    return normalizeNumber(big(a) * big(b));
  }
  return normalizeNumber(float(a) * float(b));
}

function numOrSet(name: string, a: RegoValue, b: RegoValue): 'num' | 'set' {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return 'num';
  if (isSet(a) && isSet(b)) return 'set';
  if (typeof a === 'number' || typeof a === 'bigint' || isSet(a)) {
    typeError(name, 2, b, [isSet(a) ? 'set' : 'number']);
  }
  return typeError(name, 1, a, ['number', 'set']);
}

export const NUMBER_BUILTINS = fns({
  plus: [2, ([a, b]) => add(num('plus', 1, a!), num('plus', 2, b!))],
  minus: [
    2,
    ([a, b]) => {
      if (numOrSet('minus', a!, b!) === 'num') return sub(a as RegoNumber, b as RegoNumber);
      const bs = b as RegoSet;
      return RegoSet.from([...(a as RegoSet).unorderedValues()].filter((x) => !bs.has(x)));
    },
  ],
  mul: [2, ([a, b]) => mul(num('mul', 1, a!), num('mul', 2, b!))],
  div: [
    2,
    ([a, b]) => {
      const x = num('div', 1, a!);
      const y = num('div', 2, b!);
      if (float(y) === 0 && (typeof y !== 'bigint' || y === 0n)) fail('div', 'divide by zero');
      if (isInt(x) && isInt(y) && big(x) % big(y) === 0n) return normalizeNumber(big(x) / big(y));
      return normalizeNumber(float(x) / float(y));
    },
  ],
  rem: [
    2,
    ([a, b]) => {
      const x = num('rem', 1, a!);
      const y = num('rem', 2, b!);
      if (!isInt(x) || !isInt(y)) fail('rem', 'modulo on floating-point number');
      if (big(y) === 0n) fail('rem', 'modulo by zero');
      return normalizeNumber(big(x) % big(y));
    },
  ],
  abs: [1, ([a]) => {
    const x = num('abs', 1, a!);
    return typeof x === 'bigint' ? normalizeNumber(x < 0n ? -x : x) : Math.abs(x);
  }],
  round: [1, ([a]) => {
    const x = num('round', 1, a!);
    if (typeof x === 'bigint') return x;
    // Go's math.Round: half away from zero.
    return normalizeNumber(Math.sign(x) * Math.round(Math.abs(x)));
  }],
  ceil: [1, ([a]) => {
    const x = num('ceil', 1, a!);
    return typeof x === 'bigint' ? x : normalizeNumber(Math.ceil(x));
  }],
  floor: [1, ([a]) => {
    const x = num('floor', 1, a!);
    return typeof x === 'bigint' ? x : normalizeNumber(Math.floor(x));
  }],
  'numbers.range': [2, ([a, b]) => range('numbers.range', a!, b!, 1n)],
  'numbers.range_step': [
    3,
    ([a, b, s]) => {
      const step = bigInt('numbers.range_step', 3, s!);
      if (step <= 0n) fail('numbers.range_step', 'step must be a positive integer');
      return range('numbers.range_step', a!, b!, step);
    },
  ],
  equal: [2, ([a, b]) => equals(a!, b!)],
  neq: [2, ([a, b]) => !equals(a!, b!)],
  lt: [2, ([a, b]) => compare(a!, b!) < 0],
  lte: [2, ([a, b]) => compare(a!, b!) <= 0],
  gt: [2, ([a, b]) => compare(a!, b!) > 0],
  gte: [2, ([a, b]) => compare(a!, b!) >= 0],
  and: [2, ([a, b]) => {
    const x = set('and', 1, a!);
    const y = set('and', 2, b!);
    return RegoSet.from([...x.unorderedValues()].filter((v) => y.has(v)));
  }],
  or: [2, ([a, b]) => {
    const x = set('or', 1, a!);
    const y = set('or', 2, b!);
    return RegoSet.from([...x.unorderedValues(), ...y.unorderedValues()]);
  }],
  count: [1, ([a]) => {
    const v = a!;
    if (typeof v === 'string') return [...v].length;
    if (isArray(v)) return v.length;
    if (v instanceof RegoSet) return v.size;
    if (v !== null && typeof v === 'object') return v.size;
    return typeError('count', 1, v, ['array', 'object', 'set', 'string']);
  }],
  sum: [1, ([a]) => aggregate('sum', a!).reduce<RegoNumber>((acc, x) => add(acc, num('sum', 1, x)), 0)],
  product: [1, ([a]) => aggregate('product', a!).reduce<RegoNumber>((acc, x) => mul(acc, num('product', 1, x)), 1)],
  max: [1, ([a]) => {
    const xs = aggregate('max', a!);
    return xs.length === 0 ? undefined : xs.reduce((m, x) => (compare(x, m) > 0 ? x : m));
  }],
  min: [1, ([a]) => {
    const xs = aggregate('min', a!);
    return xs.length === 0 ? undefined : xs.reduce((m, x) => (compare(x, m) < 0 ? x : m));
  }],
  sort: [1, ([a]) => {
    const v = a!;
    if (isArray(v)) return Object.freeze([...v].sort(compare));
    if (isSet(v)) return Object.freeze([...v.sortedValues()]);
    return typeError('sort', 1, v, ['array', 'set']);
  }],
});

function aggregate(name: string, v: RegoValue): readonly RegoValue[] {
  if (isArray(v)) return v;
  if (isSet(v)) return v.sortedValues();
  return typeError(name, 1, v, ['array', 'set']);
}

/** An integer argument of any size (OPA's ranges use big integers). */
function bigInt(name: string, pos: number, v: RegoValue): bigint {
  const n = num(name, pos, v);
  if (typeof n === 'bigint') return n;
  if (!Number.isInteger(n)) throw new BuiltinError('eval_type_error', `${name}: operand ${pos} must be integer number but got floating-point number`);
  return BigInt(n);
}

function range(name: string, a: RegoValue, b: RegoValue, step: bigint): RegoValue {
  const from = bigInt(name, 1, a);
  const to = bigInt(name, 2, b);
  const span = to >= from ? to - from : from - to;
  const n = span / step + 1n;
  if (n > 10_000_000n) throw new BuiltinError('eval_builtin_error', `${name}: range too large`);
  const out: RegoNumber[] = new Array(Number(n));
  const dir = to >= from ? step : -step;
  const small = BigInt(Number.MAX_SAFE_INTEGER);
  if (from <= small && from >= -small && to <= small && to >= -small && step <= small) {
    const f = Number(from);
    const d = Number(dir);
    for (let i = 0; i < out.length; i++) out[i] = f + i * d;
    return Object.freeze(out);
  }
  for (let i = 0n; i < n; i++) out[Number(i)] = normalizeNumber(from + i * dir);
  return Object.freeze(out);
}

export { arr };
