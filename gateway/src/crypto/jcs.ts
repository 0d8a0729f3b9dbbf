import { JcsUnsupportedError } from './errors.js';

/**
 * Deeper nesting is refused: recursion would otherwise overflow the stack on hostile input
 * (JSON.parse itself accepts far deeper documents), and a cycle ends here too.
 */
const MAX_DEPTH = 1000;

/** A lone (unpaired) surrogate: with the u flag, paired surrogates read as one astral code point. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript's shortest round-trip form, strings escaped as
 * ECMAScript's JSON.stringify does. Values JSON cannot carry (non-finite numbers, undefined,
 * functions, bigint, symbols, lone surrogates, Dates, Maps, class instances) are refused
 * with a JcsUnsupportedError naming where they are, rather than silently dropped or
 * converted: a digest over a silently altered value proves nothing.
 *
 * @example canonicalize({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalize(value: unknown): string {
  try {
    return encode(value, 0);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    const at = err.path.length === 0 ? 'the value' : 'value' + err.path.reverse().join('');
    throw new JcsUnsupportedError(`${at}: ${err.reason}`);
  }
}

/**
 * Whether `text`, a JSON text that JSON.parse turned into `value`, is exactly `value`'s
 * canonical form; throws JcsUnsupportedError where canonicalize would. Decided without
 * building the form where it can be: ECMAScript's JSON.stringify writes numbers and strings
 * as RFC 8785 does, and members in the order the object enumerates them, so a text it reproduces whose
 * members are sorted at every level, and which has no \u escape (the only way to a lone
 * surrogate), is canonical. Any other text is compared with the form built the long way.
 */
export function isCanonicalJson(text: string, value: unknown): boolean {
  return canonicalFormOf(text, value) === text;
}

/**
 * The canonical form of `value`, which JSON.parse made of `text`: `text` itself when it already
 * is one (decided natively, as isCanonicalJson says), else built. Throws JcsUnsupportedError
 * where canonicalize would.
 */
export function canonicalFormOf(text: string, value: unknown): string {
  if (!text.includes('\\u') && membersSorted(value, 0) && JSON.stringify(value) === text) return text;
  return canonicalize(value);
}

/**
 * A JSON value already in its canonical form, for a value that several digests cover (a task's
 * input: its content digest, its salted input digest, its decision records): canonicalize()
 * writes `text` where it meets one instead of walking the value again. Make it only of
 * canonicalize()'s output or of a text canonicalFormOf() returned. Anything else that reads it
 * as JSON (JSON.stringify) gets the value itself.
 *
 * @example canonicalize({ b: 1, a: new Canonical('{"x":[1]}') }) === '{"a":{"x":[1]},"b":1}'
 */
export class Canonical {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}

/** Every object's members, in enumeration order, strictly ascending by UTF-16 code units. */
function membersSorted(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!membersSorted(item, depth + 1)) return false;
    return true;
  }
  let previous: string | undefined;
  for (const key in value) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!membersSorted((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * Thrown inside the walk; each container adds its step while unwinding, so the hot path
 * never builds path strings.
 */
class Unsupported {
  readonly path: string[] = [];
  constructor(readonly reason: string) {}
}

function encode(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Unsupported(`JSON has no ${value}; send a finite number or a string`);
      // ECMAScript Number::toString is exactly RFC 8785's number form (and turns -0 into 0).
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Canonical) return value.text;
      if (depth >= MAX_DEPTH) throw new Unsupported(`nested deeper than ${MAX_DEPTH} levels (or contains a cycle); flatten the value`);
      return Array.isArray(value) ? encodeArray(value, depth + 1) : encodeObject(value, depth + 1);
    case 'undefined':
      throw new Unsupported('undefined is not JSON; omit the member instead');
    default:
      throw new Unsupported(`JSON cannot carry a ${typeof value}; convert it to a JSON value first`);
  }
}

function encodeString(s: string): string {
  if (LONE_SURROGATE.test(s)) throw new Unsupported('the string contains a lone UTF-16 surrogate, which is not valid Unicode');
  return JSON.stringify(s);
}

function encodeArray(items: readonly unknown[], depth: number): string {
  let out = '[';
  let i = 0;
  try {
    // A hole in a sparse array reads as undefined and is refused like any undefined.
    for (; i < items.length; i++) out += (i === 0 ? '' : ',') + encode(items[i], depth);
  } catch (err) {
    if (err instanceof Unsupported) err.path.push(`[${i}]`);
    throw err;
  }
  return out + ']';
}

function encodeObject(value: object, depth: number): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    throw new Unsupported(`a ${typeof name === 'string' && name !== '' ? name : 'non-plain object'} is not JSON data; convert it to a plain object, array or string first`);
  }
  const obj = value as Record<string, unknown>;
  const keys = sortedByCodeUnits(Object.keys(obj));
  let out = '{';
  let key = '';
  try {
    for (let i = 0; i < keys.length; i++) {
      key = keys[i]!;
      out += (i === 0 ? '' : ',') + encodeString(key) + ':' + encode(obj[key], depth);
    }
  } catch (err) {
    if (err instanceof Unsupported) err.path.push(`.${key}`);
    throw err;
  }
  return out + '}';
}

/**
 * `keys` sorted in place by UTF-16 code units, as JCS asks (and as `<` compares strings). An
 * insertion sort for the few members objects here have: Array.prototype.sort copied each
 * array into a work area of its own (4% of a task's garbage, issue 11).
 */
function sortedByCodeUnits(keys: string[]): string[] {
  if (keys.length > 24) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}
