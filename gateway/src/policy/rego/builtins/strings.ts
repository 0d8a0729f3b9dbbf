import { formatNumber, formatValue, isArray, isSet, toJSONText, typeName, type RegoNumber, type RegoValue } from '../value.js';
import { arr, check, fail, fns, int, num, str, typeError } from './args.js';
import { BuiltinError } from './types.js';

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
    const m = /^%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/.exec(format.slice(i));
    if (m === null) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const [, flags = '', widthText, precText, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++]!;
    let s: string;
    const prec = precText === undefined ? undefined : Number(precText);
    switch (verb) {
      case 'v':
        s = typeof a === 'string' ? a : formatValue(a);
        break;
      case 's':
        s = typeof a === 'string' ? a : formatValue(a);
        break;
      case 'q':
        s = typeof a === 'string' ? JSON.stringify(a) : `%!q(${typeName(a)}=${formatValue(a)})`;
        break;
      case 'd':
        if (typeof a === 'bigint') s = a.toString();
        else if (typeof a === 'number' && Number.isInteger(a)) s = a.toFixed(0);
        else s = `%!d(${typeof a === 'number' ? 'big.Float' : typeName(a)}=${formatValue(a)})`;
        if (flags.includes('+') && !s.startsWith('-')) s = '+' + s;
        break;
      case 'f':
      case 'F':
        s = typeof a === 'number' || typeof a === 'bigint' ? Number(a).toFixed(prec ?? 6) : `%!f(${typeName(a)}=${formatValue(a)})`;
        break;
      case 'e':
        s = typeof a === 'number' || typeof a === 'bigint' ? goExp(Number(a), prec ?? 6) : `%!e(${typeName(a)})`;
        break;
      case 'g':
        s = typeof a === 'number' || typeof a === 'bigint' ? formatNumber(a as RegoNumber) : `%!g(${typeName(a)})`;
        break;
      case 'x':
      case 'X': {
        if (typeof a === 'string') s = Buffer.from(a, 'utf8').toString('hex');
        else if (typeof a === 'bigint' || (typeof a === 'number' && Number.isInteger(a))) s = (a < 0 ? '-' : '') + BigInt(a < 0 ? -BigInt(a) : BigInt(a)).toString(16);
        else s = `%!x(${typeName(a)})`;
        if (verb === 'X') s = s.toUpperCase();
        break;
      }
      case 'o':
        s = typeof a === 'number' || typeof a === 'bigint' ? BigInt(a).toString(8) : `%!o(${typeName(a)})`;
        break;
      case 'b':
        s = typeof a === 'number' || typeof a === 'bigint' ? BigInt(a).toString(2) : `%!b(${typeName(a)})`;
        break;
      case 't':
        s = typeof a === 'boolean' ? String(a) : `%!t(${typeName(a)})`;
        break;
      default:
        s = `%!${verb}(${formatValue(a)})`;
    }
    if (widthText !== undefined) {
      const w = Number(widthText);
      if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : flags.includes('0') && verb !== 's' ? padZero(s, w) : s.padStart(w);
    }
    out += s;
  }
  if (argi < args.length) out += '%!(EXTRA ' + args.slice(argi).map((a) => `${typeName(a)}=${formatValue(a)}`).join(', ') + ')';
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
    if (typeof x === 'string') {
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(x.trim()) || x.trim() !== x) {
        fail('to_number', `invalid syntax`);
      }
      const t = x.startsWith('+') ? x.slice(1) : x;
      return /^-?\d+$/.test(t) ? (Number.isSafeInteger(Number(t)) ? Number(t) : BigInt(t)) : Number(t);
    }
    return typeError('to_number', 1, x, ['null', 'boolean', 'number', 'string']);
  }],
  'internal.print_text': [1, ([v]) => (typeof v === 'string' ? v : toJSONText(v!))],
});

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
