import { RE2JS } from 're2js';
import { isArray, type RegoValue } from '../value.js';
import { fail, fns, str, typeError } from './args.js';
import type { BuiltinContext } from './types.js';

const quote = (c: string): string => RE2JS.quote(c);

/**
 * Translates a glob (gobwas/glob syntax, as OPA uses) into an anchored RE2 pattern:
 * `*` any run of non-delimiters, `**` any run at all, `?` one non-delimiter, `[a-z]` and
 * `[!a-z]` classes, `{a,b}` alternatives, `\` escapes.
 */
function globToRegex(pattern: string, delimiters: readonly string[]): string {
  const notDelim = delimiters.length === 0 ? '.' : `[^${delimiters.map((d) => quote(d)).join('')}]`;
  let i = 0;
  const chars = [...pattern];
  const parse = (inAlt: boolean): string => {
    let out = '';
    while (i < chars.length) {
      const c = chars[i]!;
      if (inAlt && (c === ',' || c === '}')) return out;
      i++;
      switch (c) {
        case '\\': {
          if (i >= chars.length) fail('glob.match', 'unexpected end of input');
          out += quote(chars[i++]!);
          break;
        }
        case '*':
          if (chars[i] === '*') {
            i++;
            out += '.*';
          } else out += `${notDelim}*`;
          break;
        case '?':
          out += notDelim;
          break;
        case '[': {
          let cls = '';
          let negate = false;
          if (chars[i] === '!') {
            negate = true;
            i++;
          }
          while (i < chars.length && chars[i] !== ']') {
            const a = chars[i++]!;
            if (chars[i] === '-' && chars[i + 1] !== undefined && chars[i + 1] !== ']') {
              const b = chars[i + 1]!;
              i += 2;
              cls += `${quote(a)}-${quote(b)}`;
            } else cls += a === '\\' ? quote(chars[i++] ?? '\\') : quote(a);
          }
          if (chars[i] !== ']') fail('glob.match', 'unexpected end of input');
          i++;
          out += `[${negate ? '^' : ''}${cls}]`;
          break;
        }
        case '{': {
          const alts: string[] = [];
          for (;;) {
            alts.push(parse(true));
            const sep = chars[i];
            if (sep === undefined) fail('glob.match', 'unexpected end of input');
            i++;
            if (sep === '}') break;
          }
          out += `(?:${alts.join('|')})`;
          break;
        }
        default:
          out += quote(c);
      }
    }
    return out;
  };
  const body = parse(false);
  return `(?s)^${body}$`;
}

function compiled(pattern: string, delimiters: readonly string[], ctx: BuiltinContext): RE2JS {
  const key = `glob:${delimiters.join('')}\u0000${pattern}`;
  const hit = ctx.cache.get(key);
  if (hit instanceof RE2JS) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(globToRegex(pattern, delimiters));
  } catch (err) {
    return fail('glob.match', (err as Error).message);
  }
  ctx.cache.set(key, re);
  return re;
}

export const GLOB_BUILTINS = fns({
  'glob.match': [3, ([p, d, s], ctx) => {
    const pattern = str('glob.match', 1, p!);
    let delimiters: string[];
    if (d === null) delimiters = [];
    else if (isArray(d)) {
      delimiters = (d as readonly RegoValue[]).map((x) => str('glob.match', 2, x));
      if (delimiters.length === 0) delimiters = ['.'];
    } else return typeError('glob.match', 2, d!, ['array', 'null']);
    return compiled(pattern, delimiters, ctx).matcher(str('glob.match', 3, s!)).matches();
  }],
  'glob.quote_meta': [1, ([p]) => str('glob.quote_meta', 1, p!).replace(/[*?\\[\]{}]/g, (c) => '\\' + c)],
});
