/**
 * Rego values: the data model shared by the evaluator and the builtins.
 *
 * JavaScript primitives carry the scalars (`null`, `boolean`, `string`, and numbers: a
 * `number` for every float and for integers within ±(2^53 − 1), a `bigint` for integers
 * beyond, so that big integers stay exact). Arrays are frozen JavaScript arrays. Objects and
 * sets need non-string keys and Rego's equality (1 == 1.0, structural keys), so they are
 * classes over a `Map` keyed by {@link keyOf}.
 *
 * Values are immutable once built; `RegoObject.set`/`RegoSet.add` exist for construction
 * only (by the evaluator while it builds a document, and by builtins on fresh values).
 */

export type RegoNumber = number | bigint;
export type RegoScalar = null | boolean | RegoNumber | string;
export type RegoValue = RegoScalar | RegoArray | RegoObject | RegoSet;
export type RegoArray = readonly RegoValue[];

/** Rego type names as `type_name` reports them. */
export type RegoTypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set';

/** A primitive that identifies a value up to Rego equality; usable as a `Map` key. */
export type ValueKey = null | boolean | number | bigint | string;

const COMPOSITE = '\u0000';

/** Brings a number to its canonical form: integral floats beyond 2^53 become bigint, small bigints become number, -0 becomes 0. */
export function normalizeNumber(n: RegoNumber): RegoNumber {
  if (typeof n === 'bigint') {
    return n >= -MAX_SAFE && n <= MAX_SAFE ? Number(n) : n;
  }
  if (n === 0) return 0;
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return BigInt(n);
  return n;
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class RegoObject {
  private readonly entries = new Map<ValueKey, readonly [RegoValue, RegoValue]>();
  private sorted: (readonly [RegoValue, RegoValue])[] | undefined;
  private cachedKey: string | undefined;

  static from(pairs: Iterable<readonly [RegoValue, RegoValue]>): RegoObject {
    const o = new RegoObject();
    for (const [k, v] of pairs) o.set(k, v);
    return o;
  }

  /** Builds an object from a plain record with string keys. */
  static fromRecord(record: Readonly<Record<string, RegoValue>>): RegoObject {
    const o = new RegoObject();
    for (const k of Object.keys(record)) o.set(k, record[k] as RegoValue);
    return o;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: RegoValue): RegoValue | undefined {
    return this.entries.get(keyOf(key))?.[1];
  }

  has(key: RegoValue): boolean {
    return this.entries.has(keyOf(key));
  }

  /** Construction only: sets `key` to `value`, replacing any equal key. */
  set(key: RegoValue, value: RegoValue): this {
    this.entries.set(keyOf(key), [key, value]);
    this.sorted = undefined;
    this.cachedKey = undefined;
    return this;
  }

  /** Construction only. */
  delete(key: RegoValue): boolean {
    this.sorted = undefined;
    this.cachedKey = undefined;
    return this.entries.delete(keyOf(key));
  }

  /** Entries in Rego's standard key order (the order OPA iterates objects in). */
  sortedEntries(): readonly (readonly [RegoValue, RegoValue])[] {
    if (this.sorted === undefined) {
      this.sorted = [...this.entries.values()].sort((a, b) => compare(a[0], b[0]));
    }
    return this.sorted;
  }

  /** Keys in standard order. */
  keys(): RegoValue[] {
    return this.sortedEntries().map((e) => e[0]);
  }

  /** Entries in insertion order; cheaper than {@link sortedEntries} where order does not matter. */
  unorderedEntries(): IterableIterator<readonly [RegoValue, RegoValue]> {
    return this.entries.values();
  }

  /** @internal canonical key, cached */
  canonicalKey(): string {
    if (this.cachedKey === undefined) {
      const parts = this.sortedEntries().map(([k, v]) => canonical(k) + ':' + canonical(v));
      this.cachedKey = 'o{' + parts.join(',') + '}';
    }
    return this.cachedKey;
  }
}

export class RegoSet {
  private readonly members = new Map<ValueKey, RegoValue>();
  private sorted: RegoValue[] | undefined;
  private cachedKey: string | undefined;

  static from(values: Iterable<RegoValue>): RegoSet {
    const s = new RegoSet();
    for (const v of values) s.add(v);
    return s;
  }

  get size(): number {
    return this.members.size;
  }

  has(value: RegoValue): boolean {
    return this.members.has(keyOf(value));
  }

  /** Construction only. Returns true if the value was new. */
  add(value: RegoValue): boolean {
    const k = keyOf(value);
    if (this.members.has(k)) return false;
    this.members.set(k, value);
    this.sorted = undefined;
    this.cachedKey = undefined;
    return true;
  }

  /** Construction only. */
  delete(value: RegoValue): boolean {
    this.sorted = undefined;
    this.cachedKey = undefined;
    return this.members.delete(keyOf(value));
  }

  /** Members in Rego's standard order (the order OPA iterates sets in). */
  sortedValues(): readonly RegoValue[] {
    if (this.sorted === undefined) this.sorted = [...this.members.values()].sort(compare);
    return this.sorted;
  }

  unorderedValues(): IterableIterator<RegoValue> {
    return this.members.values();
  }

  /** @internal canonical key, cached */
  canonicalKey(): string {
    if (this.cachedKey === undefined) {
      this.cachedKey = 's{' + this.sortedValues().map(canonical).join(',') + '}';
    }
    return this.cachedKey;
  }
}

export function isObject(v: RegoValue | undefined): v is RegoObject {
  return v instanceof RegoObject;
}
export function isSet(v: RegoValue | undefined): v is RegoSet {
  return v instanceof RegoSet;
}
export function isArray(v: RegoValue | undefined): v is RegoArray {
  return Array.isArray(v);
}
export function isNumber(v: RegoValue | undefined): v is RegoNumber {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function typeName(v: RegoValue): RegoTypeName {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    default:
      if (Array.isArray(v)) return 'array';
      return v instanceof RegoSet ? 'set' : 'object';
  }
}

const TYPE_RANK: Record<RegoTypeName, number> = {
  null: 0,
  boolean: 1,
  number: 2,
  string: 3,
  array: 4,
  object: 5,
  set: 6,
};

/** The Map key of a value: equal Rego values (1 and 1.0, equal sets) get the same key. */
export function keyOf(v: RegoValue): ValueKey {
  switch (typeof v) {
    case 'string':
      // A string that begins like a composite key is escaped so the two can never collide.
      return v.charCodeAt(0) === 0 ? COMPOSITE + 'S' + v : v;
    case 'number':
      return v === 0 ? 0 : Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v) : v;
    case 'bigint':
      return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
    case 'boolean':
      return v;
    default:
      return v === null ? null : COMPOSITE + canonical(v);
  }
}

function canonical(v: RegoValue): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
    case 'bigint': {
      const n = normalizeNumber(v);
      return 'n' + String(n);
    }
    case 'boolean':
      return v ? 't' : 'f';
    default:
      if (v === null) return 'z';
      if (Array.isArray(v)) return 'a[' + v.map(canonical).join(',') + ']';
      return (v as RegoObject | RegoSet).canonicalKey();
  }
}

/** Compares two strings by Unicode code point (UTF-8 byte order), as Go and OPA do. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code-point order only between surrogates (U+10000 and up)
    // and U+E000..U+FFFF: a surrogate unit encodes a larger code point.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

export function compareNumbers(a: RegoNumber, b: RegoNumber): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  // Mixed: JavaScript's relational operators compare bigint and number exactly.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rego's standard order: null < boolean < number < string < array < object < set. */
export function compare(a: RegoValue, b: RegoValue): number {
  if (a === b) return 0;
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return TYPE_RANK[ta] < TYPE_RANK[tb] ? -1 : 1;
  switch (ta) {
    case 'null':
      return 0;
    case 'boolean':
      return a === b ? 0 : a ? 1 : -1;
    case 'number':
      return compareNumbers(a as RegoNumber, b as RegoNumber);
    case 'string':
      return compareStrings(a as string, b as string);
    case 'array':
      return compareSequences(a as RegoArray, b as RegoArray);
    case 'set':
      return compareSequences((a as RegoSet).sortedValues(), (b as RegoSet).sortedValues());
    case 'object': {
      const ea = (a as RegoObject).sortedEntries();
      const eb = (b as RegoObject).sortedEntries();
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const [ka, va] = ea[i]!;
        const [kb, vb] = eb[i]!;
        const c = compare(ka, kb) || compare(va, vb);
        if (c !== 0) return c;
      }
      return ea.length < eb.length ? -1 : ea.length > eb.length ? 1 : 0;
    }
  }
}

function compareSequences(a: readonly RegoValue[], b: readonly RegoValue[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Rego equality: structural, with 1 == 1.0. */
export function equals(a: RegoValue, b: RegoValue): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === 'string' || ta === 'boolean' || a === null || b === null) return false;
  if (ta === 'number' || ta === 'bigint') {
    return (typeof b === 'number' || typeof b === 'bigint') && compareNumbers(a as RegoNumber, b) === 0;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof RegoObject) {
    if (!(b instanceof RegoObject) || a.size !== b.size) return false;
    for (const [k, v] of a.unorderedEntries()) {
      const w = b.get(k);
      if (w === undefined || !equals(v, w)) return false;
    }
    return true;
  }
  if (a instanceof RegoSet) {
    if (!(b instanceof RegoSet) || a.size !== b.size) return false;
    for (const v of a.unorderedValues()) if (!b.has(v)) return false;
    return true;
  }
  return false;
}

/**
 * Converts parsed JSON (or any plain JavaScript data) into a Rego value. Plain objects become
 * RegoObjects, arrays are copied and frozen; `undefined` members are dropped as JSON would.
 */
export function fromJS(data: unknown): RegoValue {
  switch (typeof data) {
    case 'string':
    case 'boolean':
      return data;
    case 'number':
      if (!Number.isFinite(data)) throw new TypeError(`not representable in Rego: ${data}`);
      return normalizeNumber(data);
    case 'bigint':
      return normalizeNumber(data);
    case 'object': {
      if (data === null) return null;
      if (data instanceof RegoObject || data instanceof RegoSet) return data;
      if (Array.isArray(data)) return Object.freeze(data.map(fromJS));
      if (data instanceof Map) {
        const o = new RegoObject();
        for (const [k, v] of data) o.set(fromJS(k), fromJS(v));
        return o;
      }
      if (data instanceof Set) return RegoSet.from([...data].map(fromJS));
      const o = new RegoObject();
      for (const [k, v] of Object.entries(data)) if (v !== undefined) o.set(k, fromJS(v));
      return o;
    }
    default:
      throw new TypeError(`not representable in Rego: ${typeof data}`);
  }
}

/**
 * Converts a Rego value to plain JSON data the way OPA serialises results: sets become arrays
 * in standard order, non-string object keys become their compact JSON text. A bigint stays a
 * bigint (JSON.stringify cannot write it; use {@link toJSONText} for exact text).
 */
export function toJS(v: RegoValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJS);
  if (v instanceof RegoSet) return v.sortedValues().map(toJS);
  const out: Record<string, unknown> = {};
  for (const [k, val] of (v as RegoObject).sortedEntries()) {
    out[typeof k === 'string' ? k : toJSONText(k)] = toJS(val);
  }
  return out;
}

/** Compact JSON text of a value, exact for big integers (sets as sorted arrays). */
export function toJSONText(v: RegoValue): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return formatNumber(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return '[' + v.map(toJSONText).join(',') + ']';
      if (v instanceof RegoSet) return '[' + v.sortedValues().map(toJSONText).join(',') + ']';
      return (
        '{' +
        (v as RegoObject)
          .sortedEntries()
          .map(([k, val]) => JSON.stringify(typeof k === 'string' ? k : toJSONText(k)) + ':' + toJSONText(val))
          .join(',') +
        '}'
      );
  }
}

/** Number text as OPA prints it: integers without exponent, floats in shortest round-trip form. */
export function formatNumber(n: RegoNumber): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Rego source text of a value (sets as `{…}`/`set()`), as `sprintf("%v")` and error messages show it. */
export function formatValue(v: RegoValue): string {
  if (v instanceof RegoSet) {
    return v.size === 0 ? 'set()' : '{' + v.sortedValues().map(formatValue).join(', ') + '}';
  }
  if (v instanceof RegoObject) {
    return '{' + v.sortedEntries().map(([k, val]) => formatValue(k) + ': ' + formatValue(val)).join(', ') + '}';
  }
  if (Array.isArray(v)) return '[' + v.map(formatValue).join(', ') + ']';
  return toJSONText(v);
}

/**
 * Parses JSON text into Rego values without losing integer precision (JSON.parse would round
 * integers beyond 2^53). Throws SyntaxError with the offset on malformed input.
 */
export function parseJSON(text: string): RegoValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}: ${what}`);
  };
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const value = (depth: number): RegoValue => {
    if (depth > 10_000) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o = new RegoObject();
      ws();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        o.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return o;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const a: RegoValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return Object.freeze(a);
      }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return Object.freeze(a);
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const r = m.exec(text);
    if (r === null) return fail('unexpected character');
    i += r[0].length;
    return parseNumberText(r[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    let simple = true;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c === 0x5c) {
        simple = false;
        i += 2;
        continue;
      }
      if (c < 0x20) fail('control character in string');
      i++;
    }
    i++;
    const raw = text.slice(start, i);
    return simple ? raw.slice(1, -1) : (JSON.parse(raw) as string);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/**
 * The literal text of numbers written beyond float64's range (`2e308`): they are kept as exact
 * integers, and OPA shows such a number as it was written (sprintf's %v). Keyed by value; the
 * table is bounded, as literals this large are rare.
 */
const LITERALS = new Map<bigint, string>();

export function literalText(n: bigint): string | undefined {
  return LITERALS.size === 0 ? undefined : LITERALS.get(n);
}

/** Parses a JSON/Rego number literal, keeping integers exact. */
export function parseNumberText(text: string): RegoNumber {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  // Integral values written with a fraction or exponent (1e3, 2.0) stay exact when they are big.
  const n = Number(text);
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && Number.isFinite(n)) {
    const exact = decimalToBigInt(text);
    if (exact !== undefined) return exact;
  }
  if (!Number.isFinite(n)) {
    const exact = decimalToBigInt(text);
    if (exact !== undefined) {
      if (LITERALS.size < 10_000) LITERALS.set(exact, text);
      return exact;
    }
  }
  return normalizeNumber(n);
}

function decimalToBigInt(text: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const [, sign, int, frac = '', exp = '0'] = m;
  const e = Number(exp) - frac.length;
  let digits = (int ?? '') + frac;
  if (e >= 0) digits += '0'.repeat(e);
  else {
    const cut = digits.slice(digits.length + e);
    if (/[^0]/.test(cut)) return undefined;
    digits = digits.slice(0, digits.length + e);
  }
  return BigInt((sign ?? '') + (digits || '0'));
}
