import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { RE2JS } from 're2js';
import { isArray, isObject, isSet, parseJSON, RegoObject, RegoSet, type RegoValue } from '../value.js';
import { arr, fail, fns, int, obj, str, typeError } from './args.js';
import type { BuiltinContext } from './types.js';

/**
 * Rego regexes are Go RE2 syntax with linear-time matching: re2js gives both (JavaScript's
 * RegExp gives neither, and a hostile pattern could hang the gateway). Compiled patterns
 * are cached per query.
 */
function re(name: string, pattern: string, ctx: BuiltinContext): RE2JS {
  const key = 're:' + pattern;
  const cached = ctx.cache.get(key);
  if (cached instanceof RE2JS) return cached;
  try {
    const compiled = RE2JS.compile(pattern);
    ctx.cache.set(key, compiled);
    return compiled;
  } catch (err) {
    return fail(name, `error parsing regexp: ${(err as Error).message}`);
  }
}

function findAll(p: RE2JS, s: string, n: number): { start: number; end: number; groups: (string | null)[] }[] {
  const out: { start: number; end: number; groups: (string | null)[] }[] = [];
  const m = p.matcher(s);
  let from = 0;
  while ((n < 0 || out.length < n) && from <= s.length && m.find(from)) {
    const groups: (string | null)[] = [];
    for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g));
    out.push({ start: m.start(), end: m.end(), groups });
    from = m.end() === m.start() ? m.end() + 1 : m.end();
  }
  return out;
}

const b64 = (name: string, s: string, url: boolean, strict = true): string => {
  const alphabet = url ? /^[A-Za-z0-9_-]*=*$/ : /^[A-Za-z0-9+/]*=*$/;
  if (strict && (!alphabet.test(s) || (s.replace(/=+$/, '').length % 4 === 1))) fail(name, 'illegal base64 data');
  return Buffer.from(s, url ? 'base64url' : 'base64').toString('utf8');
};

/**
 * `io.jwt.decode`: a JWS in compact form as [header, payload, signature as hex]. A token whose
 * header says `cty: JWT` carries another token as its payload, which is decoded in turn; a JWE
 * (header with `enc`) is refused, as in OPA.
 */
function decodeJWT(token: string, depth: number): RegoValue {
  const name = 'io.jwt.decode';
  if (depth > 16) fail(name, 'nested JWT too deep');
  if (!token.includes('.')) fail(name, 'encoded JWT had no period separators');
  const parts = token.split('.');
  if (parts.length !== 3) fail(name, `encoded JWT must have 3 sections, found ${parts.length}`);
  const [h, p, sig] = parts as [string, string, string];
  const header = jsonObject(name, 'header', base64url(name, 'header', h).toString('utf8'));
  if (header.has('enc')) fail(name, 'JWT is a JWE object, which is not supported');
  const payloadText = base64url(name, 'payload', p).toString('utf8');
  if (header.get('cty') === 'JWT') return decodeJWT(payloadText.replace(/^["']+|["']+$/g, ''), depth + 1);
  const payload = jsonObject(name, 'payload', payloadText);
  const signature = base64url(name, 'signature', sig).toString('hex');
  return Object.freeze([header, payload, signature]);
}

/** Base64url with or without padding, as OPA accepts it; errors name the first bad byte. */
function base64url(name: string, what: string, s: string): Buffer {
  const data = s.replace(/=+$/, '');
  for (let i = 0; i < data.length; i++) {
    if (!/[A-Za-z0-9_-]/.test(data[i]!)) fail(name, `JWT ${what} had invalid encoding: illegal base64 data at input byte ${i}`);
  }
  if (data.length % 4 === 1) fail(name, `JWT ${what} had invalid encoding: illegal base64 data at input byte ${data.length}`);
  return Buffer.from(data, 'base64url');
}

function jsonObject(name: string, what: string, text: string): RegoObject {
  let v: RegoValue;
  try {
    v = parseJSON(text);
  } catch (err) {
    return fail(name, `bad JWT ${what}: invalid JSON: ${(err as Error).message}`);
  }
  if (!isObject(v)) fail(name, `bad JWT ${what}: decoded JSON type was not an Object`);
  return v as RegoObject;
}

function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export const TEXT_BUILTINS = fns({
  'regex.match': [2, ([p, s], ctx) => re('regex.match', str('regex.match', 1, p!), ctx).matcher(str('regex.match', 2, s!)).find()],
  'regex.is_valid': [1, ([p]) => {
    if (typeof p !== 'string') return false;
    try {
      RE2JS.compile(p);
      return true;
    } catch {
      return false;
    }
  }],
  'regex.split': [2, ([p, s], ctx) => {
    const text = str('regex.split', 2, s!);
    const matches = findAll(re('regex.split', str('regex.split', 1, p!), ctx), text, -1);
    const out: string[] = [];
    let last = 0;
    for (const m of matches) {
      if (m.end === 0 && m.start === 0) continue;
      out.push(text.slice(last, m.start));
      last = m.end;
    }
    out.push(text.slice(last));
    return Object.freeze(out);
  }],
  'regex.find_n': [3, ([p, s, n], ctx) =>
    Object.freeze(findAll(re('regex.find_n', str('regex.find_n', 1, p!), ctx), str('regex.find_n', 2, s!), int('regex.find_n', 3, n!)).map((m) => m.groups[0] ?? ''))],
  'regex.find_all_string_submatch_n': [3, ([p, s, n], ctx) =>
    Object.freeze(
      findAll(re('regex.find_all_string_submatch_n', str('regex.find_all_string_submatch_n', 1, p!), ctx), str('regex.find_all_string_submatch_n', 2, s!), int('regex.find_all_string_submatch_n', 3, n!)).map((m) =>
        Object.freeze(m.groups.map((g) => g ?? '')),
      ),
    )],
  'regex.replace': [3, ([s, p, r], ctx) => {
    const text = str('regex.replace', 1, s!);
    const rep = str('regex.replace', 3, r!);
    const pattern = re('regex.replace', str('regex.replace', 2, p!), ctx);
    let out = '';
    let last = 0;
    for (const m of findAll(pattern, text, -1)) {
      out += text.slice(last, m.start) + expandTemplate(rep, m.groups);
      last = m.end;
    }
    return out + text.slice(last);
  }],
  'regex.template_match': [4, ([t, s, ds, de], ctx) => {
    const template = str('regex.template_match', 1, t!);
    const open = str('regex.template_match', 3, ds!);
    const close = str('regex.template_match', 4, de!);
    let pattern = '^';
    let i = 0;
    while (i < template.length) {
      const a = template.indexOf(open, i);
      if (a < 0) {
        pattern += RE2JS.quote(template.slice(i));
        break;
      }
      const b = template.indexOf(close, a + open.length);
      if (b < 0) fail('regex.template_match', 'unbalanced delimiters');
      pattern += RE2JS.quote(template.slice(i, a)) + '(?:' + template.slice(a + open.length, b) + ')';
      i = b + close.length;
    }
    return re('regex.template_match', pattern + '$', ctx).matcher(str('regex.template_match', 2, s!)).find();
  }],
  'base64.encode': [1, ([s]) => Buffer.from(str('base64.encode', 1, s!), 'utf8').toString('base64')],
  'base64.decode': [1, ([s]) => b64('base64.decode', str('base64.decode', 1, s!), false)],
  'base64.is_valid': [1, ([s]) => typeof s === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0],
  'base64url.encode': [1, ([s]) => Buffer.from(str('base64url.encode', 1, s!), 'utf8').toString('base64url').padEnd(Math.ceil(Buffer.byteLength(s as string) / 3) * 4, '=')],
  'base64url.encode_no_pad': [1, ([s]) => Buffer.from(str('base64url.encode_no_pad', 1, s!), 'utf8').toString('base64url')],
  'base64url.decode': [1, ([s]) => b64('base64url.decode', str('base64url.decode', 1, s!), true)],
  'hex.encode': [1, ([s]) => Buffer.from(str('hex.encode', 1, s!), 'utf8').toString('hex')],
  'hex.decode': [1, ([s]) => {
    const x = str('hex.decode', 1, s!);
    if (!/^([0-9a-fA-F]{2})*$/.test(x)) fail('hex.decode', `invalid byte in hex string`);
    return Buffer.from(x, 'hex').toString('utf8');
  }],
  'urlquery.encode': [1, ([s]) => queryEscape(str('urlquery.encode', 1, s!))],
  'urlquery.decode': [1, ([s]) => {
    try {
      return decodeURIComponent(str('urlquery.decode', 1, s!).replace(/\+/g, ' '));
    } catch {
      return fail('urlquery.decode', 'invalid URL escape');
    }
  }],
  'urlquery.encode_object': [1, ([o]) => {
    const parts: string[] = [];
    for (const [k, v] of obj('urlquery.encode_object', 1, o!).sortedEntries()) {
      const key = queryEscape(str('urlquery.encode_object', 1, k));
      const vals = typeof v === 'string' ? [v] : isArray(v) ? v : isSet(v) ? v.sortedValues() : typeError('urlquery.encode_object', 1, v, ['string', 'array', 'set']);
      for (const x of vals) parts.push(`${key}=${queryEscape(str('urlquery.encode_object', 1, x))}`);
    }
    return parts.join('&');
  }],
  'urlquery.decode_object': [1, ([s]) => {
    const out = new Map<string, string[]>();
    for (const part of str('urlquery.decode_object', 1, s!).split(/[&;]/)) {
      if (part === '') continue;
      const [k = '', v = ''] = part.split(/=(.*)/s);
      const dk = decodeURIComponent(k.replace(/\+/g, ' '));
      out.set(dk, [...(out.get(dk) ?? []), decodeURIComponent(v.replace(/\+/g, ' '))]);
    }
    return RegoObject.from([...out].map(([k, v]) => [k, Object.freeze(v)]));
  }],
  'crypto.md5': [1, ([s]) => createHash('md5').update(str('crypto.md5', 1, s!)).digest('hex')],
  'crypto.sha1': [1, ([s]) => createHash('sha1').update(str('crypto.sha1', 1, s!)).digest('hex')],
  'crypto.sha256': [1, ([s]) => createHash('sha256').update(str('crypto.sha256', 1, s!)).digest('hex')],
  'crypto.hmac.md5': [2, ([s, k]) => createHmac('md5', str('crypto.hmac.md5', 2, k!)).update(str('crypto.hmac.md5', 1, s!)).digest('hex')],
  'crypto.hmac.sha1': [2, ([s, k]) => createHmac('sha1', str('crypto.hmac.sha1', 2, k!)).update(str('crypto.hmac.sha1', 1, s!)).digest('hex')],
  'crypto.hmac.sha256': [2, ([s, k]) => createHmac('sha256', str('crypto.hmac.sha256', 2, k!)).update(str('crypto.hmac.sha256', 1, s!)).digest('hex')],
  'crypto.hmac.sha512': [2, ([s, k]) => createHmac('sha512', str('crypto.hmac.sha512', 2, k!)).update(str('crypto.hmac.sha512', 1, s!)).digest('hex')],
  'crypto.hmac.equal': [2, ([a, b]) => {
    const x = Buffer.from(str('crypto.hmac.equal', 1, a!));
    const y = Buffer.from(str('crypto.hmac.equal', 2, b!));
    return x.length === y.length && timingSafeEqual(x, y);
  }],
  'io.jwt.decode': [1, ([t]) => decodeJWT(str('io.jwt.decode', 1, t!), 0)],
  trace: [1, () => true],
  'opa.runtime': [0, () => new RegoObject()],
});

/** `$1`, `${1}` and `${name}` in replacements, as Go's Regexp.Expand. */
function expandTemplate(rep: string, groups: readonly (string | null)[]): string {
  return rep.replace(/\$(\d+|\{\d+\})/g, (_, g: string) => groups[Number(g.replace(/[{}]/g, ''))] ?? '');
}

export { arr, RegoSet };
