import { formatNumber, formatValue, isArray, isSet, literalText, parseNumberText, toJSONText, typeName, type RegoNumber, type RegoValue } from '../value.js';
import { arr, check, fail, fns, int, num, str, typeError } from './args.js';
import { BuiltinError } from './types.js';

/**
 * An argument as OPA hands it to Go's fmt: integers that fit int64 as `int`, larger ones as
 * `*big.Int`, other numbers as `float64`, strings as strings, and everything else (and numbers
 * beyond float64's range) as the string of their Rego text.
 */
type GoArg = { t: 'int' | 'big.Int'; v: bigint } | { t: 'float64'; v: number } | { t: 'string'; v: string };

const INT64 = 1n << 63n;

function goArg(a: RegoValue): GoArg {
  if (typeof a === 'string') return { t: 'string', v: a };
  if (typeof a === 'number') return Number.isInteger(a) ? { t: 'int', v: BigInt(a) } : { t: 'float64', v: a };
  if (typeof a === 'bigint') {
    const text = literalText(a);
    if (text !== undefined) return { t: 'string', v: text };
    return { t: a >= -INT64 && a < INT64 ? 'int' : 'big.Int', v: a };
  }
  return { t: 'string', v: formatValue(a) };
}

const bad = (verb: string, a: GoArg): string => `%!${verb}(${a.t}=${a.t === 'float64' ? goFloatV(a.v) : String(a.v)})`;

/** Go's %v of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e6 on. */
function goFloatV(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [m, e] = n.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** Go's fmt verbs as OPA's sprintf uses them. */
export function sprintf(format: string, args: readonly RegoValue[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%([-+# 0]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])/.exec(format.slice(i));
    if (m === null) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const [, flags = '', widthText, precText, verb = 'v'] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = goArg(args[argi++]!);
    const prec = precText === undefined ? undefined : Number(precText || '0');
    let s: string;
    switch (verb) {
      case 'v':
      case 's':
        if (a.t === 'string') s = prec === undefined ? a.v : [...a.v].slice(0, prec).join('');
        else if (a.t === 'float64') s = verb === 'v' ? goFloatV(a.v) : bad(verb, a);
        else s = verb === 'v' || a.t === 'big.Int' ? a.v.toString() : bad(verb, a);
        break;
      case 'q':
        s = a.t === 'string' ? JSON.stringify(a.v) : bad(verb, a);
        break;
      case 'd':
        s = a.t === 'int' || a.t === 'big.Int' ? a.v.toString() : bad(verb, a);
        if (s[0] !== '%' && flags.includes('+') && !s.startsWith('-')) s = '+' + s;
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
        if (a.t !== 'float64') {
          s = bad(verb, a);
          break;
        }
        if (verb === 'f' || verb === 'F') s = a.v.toFixed(prec ?? 6);
        else if (verb === 'e' || verb === 'E') s = goExp(a.v, prec ?? 6);
        else s = prec === undefined ? goFloatV(a.v) : String(Number(a.v.toPrecision(prec || 1)));
        if (verb === 'E' || verb === 'G') s = s.toUpperCase();
        if (flags.includes('+') && !s.startsWith('-')) s = '+' + s;
        break;
      case 'x':
      case 'X':
        if (a.t === 'string') s = Buffer.from(a.v, 'utf8').toString('hex');
        else if (a.t === 'int' || a.t === 'big.Int') s = (a.v < 0n ? '-' : '') + (a.v < 0n ? -a.v : a.v).toString(16);
        else s = bad(verb, a);
        if (verb === 'X' && s[0] !== '%') s = s.toUpperCase();
        break;
      case 'o':
      case 'b':
        s = a.t === 'int' || a.t === 'big.Int' ? (a.v < 0n ? '-' : '') + (a.v < 0n ? -a.v : a.v).toString(verb === 'o' ? 8 : 2) : bad(verb, a);
        break;
      case 'c':
        s = a.t === 'int' ? String.fromCodePoint(Number(a.v)) : bad(verb, a);
        break;
      default:
        s = bad(verb, a);
    }
    if (widthText !== undefined) {
      const w = Number(widthText);
      if ([...s].length < w) s = flags.includes('-') ? s.padEnd(w) : flags.includes('0') && verb !== 's' && verb !== 'v' ? padZero(s, w) : s.padStart(w);
    }
    out += s;
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((x) => {
      const a = goArg(x);
      return `${a.t}=${a.t === 'float64' ? goFloatV(a.v) : String(a.v)}`;
    }).join(', ') + ')';
  }
  return out;
}

function padZero(s: string, w: number): string {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  return (neg ? '-' : '') + body.padStart(w - (neg ? 1 : 0), '0');
}

function goExp(n: number, prec: number): string {
  const [m, e] = n.toExponential(prec).split('e') as [string, string];
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

const cps = (s: string): string[] => [...s];

function toStringList(name: string, pos: number, v: RegoValue): string[] {
  if (isArray(v)) return v.map((x) => str(name, pos, x));
  if (isSet(v)) return v.sortedValues().map((x) => str(name, pos, x));
  return typeError(name, pos, v, ['array', 'set']);
}

export const STRING_BUILTINS = fns({
  concat: [2, ([d, xs]) => toStringList('concat', 2, xs!).join(str('concat', 1, d!))],
  startswith: [2, ([a, b]) => str('startswith', 1, a!).startsWith(str('startswith', 2, b!))],
  endswith: [2, ([a, b]) => str('endswith', 1, a!).endsWith(str('endswith', 2, b!))],
  contains: [2, ([a, b]) => str('contains', 1, a!).includes(str('contains', 2, b!))],
  lower: [1, ([a]) => str('lower', 1, a!).toLowerCase()],
  upper: [1, ([a]) => str('upper', 1, a!).toUpperCase()],
  split: [2, ([a, b]) => Object.freeze(splitGo(str('split', 1, a!), str('split', 2, b!)))],
  replace: [3, ([s, o, n]) => {
    const old = str('replace', 2, o!);
    const src = str('replace', 1, s!);
    const rep = str('replace', 3, n!);
    return old === '' ? interleave(src, rep) : src.split(old).join(rep);
  }],
  'strings.replace_n': [2, ([pairs, s]) => {
    let src = str('strings.replace_n', 2, s!);
    const o = pairs!;
    if (o === null || typeof o !== 'object' || isArray(o) || isSet(o)) return typeError('strings.replace_n', 1, o, ['object']);
    const entries = o.sortedEntries().map(([k, v]) => [str('strings.replace_n', 1, k), str('strings.replace_n', 1, v)] as const);
    // Go's strings.NewReplacer: at each position, the first matching old string (in argument order) wins.
    let out = '';
    outer: for (let i = 0; i < src.length; ) {
      for (const [k, v] of entries) {
        if (k !== '' && src.startsWith(k, i)) {
          out += v;
          i += k.length;
          continue outer;
        }
      }
      out += src[i];
      i++;
    }
    src = out;
    return src;
  }],
  trim: [2, ([s, c]) => trimChars(str('trim', 1, s!), str('trim', 2, c!), true, true)],
  trim_left: [2, ([s, c]) => trimChars(str('trim_left', 1, s!), str('trim_left', 2, c!), true, false)],
  trim_right: [2, ([s, c]) => trimChars(str('trim_right', 1, s!), str('trim_right', 2, c!), false, true)],
  trim_prefix: [2, ([s, p]) => {
    const x = str('trim_prefix', 1, s!);
    const pre = str('trim_prefix', 2, p!);
    return x.startsWith(pre) ? x.slice(pre.length) : x;
  }],
  trim_suffix: [2, ([s, p]) => {
    const x = str('trim_suffix', 1, s!);
    const suf = str('trim_suffix', 2, p!);
    return suf !== '' && x.endsWith(suf) ? x.slice(0, x.length - suf.length) : x;
  }],
  trim_space: [1, ([s]) => str('trim_space', 1, s!).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/gu, '')],
  substring: [3, ([s, o, l]) => {
    const chars = cps(str('substring', 1, s!));
    const off = int('substring', 2, o!);
    const len = int('substring', 3, l!);
    if (off < 0) fail('substring', 'negative offset');
    if (off >= chars.length) return '';
    return chars.slice(off, len < 0 ? undefined : off + len).join('');
  }],
  indexof: [2, ([s, sub]) => {
    const x = str('indexof', 1, s!);
    const y = str('indexof', 2, sub!);
    const i = x.indexOf(y);
    return i < 0 ? -1 : cps(x.slice(0, i)).length;
  }],
  indexof_n: [2, ([s, sub]) => {
    const x = str('indexof_n', 1, s!);
    const y = str('indexof_n', 2, sub!);
    const out: number[] = [];
    if (y === '') return Object.freeze(out);
    for (let i = x.indexOf(y); i >= 0; i = x.indexOf(y, i + 1)) out.push(cps(x.slice(0, i)).length);
    return Object.freeze(out);
  }],
  'strings.split_n': [3, ([a, b, n]) => {
    const parts = splitGo(str('strings.split_n', 1, a!), str('strings.split_n', 2, b!));
    const count = int('strings.split_n', 3, n!);
    // The first n parts when n >= 0, the last -n parts when negative.
    return Object.freeze(count >= 0 ? parts.slice(0, count) : parts.slice(Math.max(parts.length + count, 0)));
  }],
  'strings.reverse': [1, ([s]) => cps(str('strings.reverse', 1, s!)).reverse().join('')],
  'strings.count': [2, ([s, sub]) => {
    const x = str('strings.count', 1, s!);
    const y = str('strings.count', 2, sub!);
    if (y === '') return cps(x).length + 1;
    let n = 0;
    for (let i = x.indexOf(y); i >= 0; i = x.indexOf(y, i + y.length)) n++;
    return n;
  }],
  'strings.any_prefix_match': [2, ([s, p]) => {
    const xs = stringOrList('strings.any_prefix_match', 1, s!);
    const ps = stringOrList('strings.any_prefix_match', 2, p!);
    return xs.some((x) => ps.some((q) => x.startsWith(q)));
  }],
  'strings.any_suffix_match': [2, ([s, p]) => {
    const xs = stringOrList('strings.any_suffix_match', 1, s!);
    const ps = stringOrList('strings.any_suffix_match', 2, p!);
    return xs.some((x) => ps.some((q) => x.endsWith(q)));
  }],
  format_int: [2, ([n, b]) => {
    const x = num('format_int', 1, n!);
    const base = int('format_int', 2, b!);
    if (![2, 8, 10, 16].includes(base)) throw new BuiltinError('eval_type_error', 'format_int: operand 2 must be one of {2, 8, 10, 16}');
    const i = typeof x === 'bigint' ? x : BigInt(Math.trunc(x));
    return i.toString(base);
  }],
  sprintf: [2, ([f, a]) => sprintf(str('sprintf', 1, f!), arr('sprintf', 2, a!))],
  to_number: [1, ([v]) => {
    const x = v!;
    if (typeof x === 'number' || typeof x === 'bigint') return x;
    if (x === null) return 0;
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (typeof x === 'string') return stringToNumber(x);
    return typeError('to_number', 1, x, ['null', 'boolean', 'number', 'string']);
  }],
  'internal.print_text': [1, ([v]) => (typeof v === 'string' ? v : toJSONText(v!))],
});

/**
 * `to_number` of a string, as OPA: the spellings of infinity and NaN (any case, any signs)
 * are not numbers (a type error); otherwise the text must be a Go float literal within
 * float64's range (else a builtin error).
 */
function stringToNumber(x: string): RegoValue {
  const word = x.replace(/^[+-]+/, '').toLowerCase();
  if (word === 'inf' || word === 'infinity' || word === 'nan') {
    throw new BuiltinError('eval_type_error', 'to_number: operand 1 must be valid number string but got string');
  }
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(x)) fail('to_number', `strconv.ParseFloat: parsing ${JSON.stringify(x)}: invalid syntax`);
  const t = x.startsWith('+') ? x.slice(1) : x;
  if (/^-?\d+$/.test(t)) return parseNumberText(t);
  const n = Number(t);
  if (!Number.isFinite(n)) fail('to_number', `strconv.ParseFloat: parsing ${JSON.stringify(x)}: value out of range`);
  return parseNumberText(t);
}

function stringOrList(name: string, pos: number, v: RegoValue): string[] {
  if (typeof v === 'string') return [v];
  check(name, pos, v, 'string', 'array', 'set');
  return toStringList(name, pos, v);
}

function splitGo(s: string, sep: string): string[] {
  if (sep === '') return cps(s);
  return s.split(sep);
}

function interleave(s: string, rep: string): string {
  const chars = cps(s);
  return rep + chars.map((c) => c + rep).join('');
}

function trimChars(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set(cps(cutset));
  const chars = cps(s);
  let a = 0;
  let b = chars.length;
  if (left) while (a < b && set.has(chars[a]!)) a++;
  if (right) while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}
