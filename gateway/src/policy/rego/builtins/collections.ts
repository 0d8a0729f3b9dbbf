import { compare, equals, isArray, isObject, isSet, parseJSON, RegoObject, RegoSet, toJSONText, typeName, type RegoValue } from '../value.js';
import { arr, check, fail, fns, int, obj, set, typeError } from './args.js';
import type { Builtin } from './types.js';

function keysOf(name: string, pos: number, v: RegoValue): RegoValue[] {
  if (isArray(v)) return [...v];
  if (isSet(v)) return [...v.sortedValues()];
  if (isObject(v)) return v.keys();
  return typeError(name, pos, v, ['array', 'object', 'set']);
}

function union(a: RegoObject, b: RegoObject): RegoObject {
  const out = new RegoObject();
  for (const [k, v] of a.unorderedEntries()) out.set(k, v);
  for (const [k, v] of b.unorderedEntries()) {
    const prev = out.get(k);
    out.set(k, prev !== undefined && isObject(prev) && isObject(v) ? union(prev, v) : v);
  }
  return out;
}

/** Follows a JSON-pointer-like path of keys into a value. */
function getPath(v: RegoValue, path: readonly RegoValue[]): RegoValue | undefined {
  let cur: RegoValue | undefined = v;
  for (const seg of path) {
    if (cur === undefined) return undefined;
    if (isObject(cur)) cur = cur.get(seg);
    else if (isArray(cur)) cur = typeof seg === 'number' && Number.isInteger(seg) && seg >= 0 ? cur[seg] : undefined;
    else if (isSet(cur)) cur = cur.has(seg) ? seg : undefined;
    else return undefined;
  }
  return cur;
}

/** `a/b/c` or ["a","b"] paths of json.filter / json.remove. */
function parsePaths(name: string, v: RegoValue): RegoValue[][] {
  const list = isArray(v) ? v : isSet(v) ? v.sortedValues() : typeError(name, 2, v, ['array', 'set']);
  return list.map((p) => {
    if (typeof p === 'string') {
      return p
        .replace(/^\//, '')
        .split('/')
        .filter((s, i, all) => !(s === '' && all.length === 1))
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    }
    if (isArray(p)) return [...p];
    return typeError(name, 2, p, ['string', 'array']);
  });
}

function filterValue(v: RegoValue, paths: readonly RegoValue[][]): RegoValue | undefined {
  if (paths.some((p) => p.length === 0)) return v;
  if (isObject(v)) {
    const out = new RegoObject();
    for (const [k, val] of v.sortedEntries()) {
      const sub = paths.filter((p) => equals(p[0]!, k) || (typeof k !== 'string' && toJSONText(k) === p[0])).map((p) => p.slice(1));
      if (sub.length === 0) continue;
      const f = filterValue(val, sub);
      if (f !== undefined) out.set(k, f);
    }
    return out;
  }
  if (isArray(v)) {
    const out: RegoValue[] = [];
    v.forEach((val, i) => {
      const sub = paths.filter((p) => equals(p[0]!, i) || p[0] === String(i)).map((p) => p.slice(1));
      if (sub.length === 0) return;
      const f = filterValue(val, sub);
      if (f !== undefined) out.push(f);
    });
    return Object.freeze(out);
  }
  if (isSet(v)) {
    const out = new RegoSet();
    for (const val of v.sortedValues()) {
      const sub = paths.filter((p) => equals(p[0]!, val) || p[0] === toJSONText(val)).map((p) => p.slice(1));
      if (sub.length === 0) continue;
      const f = filterValue(val, sub);
      if (f !== undefined) out.add(f);
    }
    return out;
  }
  return v;
}

function removeValue(v: RegoValue, paths: readonly RegoValue[][]): RegoValue | undefined {
  if (paths.some((p) => p.length === 0)) return undefined;
  const matches = (p: RegoValue[], k: RegoValue) => equals(p[0]!, k) || (typeof k !== 'string' && p[0] === toJSONText(k)) || (typeof k === 'number' && p[0] === String(k));
  if (isObject(v)) {
    const out = new RegoObject();
    for (const [k, val] of v.sortedEntries()) {
      const sub = paths.filter((p) => matches(p, k)).map((p) => p.slice(1));
      if (sub.length === 0) out.set(k, val);
      else {
        const r = removeValue(val, sub);
        if (r !== undefined) out.set(k, r);
      }
    }
    return out;
  }
  if (isArray(v)) {
    const out: RegoValue[] = [];
    v.forEach((val, i) => {
      const sub = paths.filter((p) => matches(p, i)).map((p) => p.slice(1));
      if (sub.length === 0) out.push(val);
      else {
        const r = removeValue(val, sub);
        if (r !== undefined) out.push(r);
      }
    });
    return Object.freeze(out);
  }
  if (isSet(v)) {
    const out = new RegoSet();
    for (const val of v.sortedValues()) {
      const sub = paths.filter((p) => matches(p, val)).map((p) => p.slice(1));
      if (sub.length === 0) out.add(val);
      else {
        const r = removeValue(val, sub);
        if (r !== undefined) out.add(r);
      }
    }
    return out;
  }
  return v;
}

/** RFC 6902 JSON Patch over Rego values (objects, arrays; sets by member). */
function applyPatch(doc: RegoValue, ops: readonly RegoValue[]): RegoValue | undefined {
  let cur = doc;
  for (const op of ops) {
    if (!isObject(op)) fail('json.patch', 'each operation must be an object');
    const kind = op.get('op');
    const pathV = op.get('path');
    if (typeof kind !== 'string' || pathV === undefined) fail('json.patch', 'operations need op and path');
    const path = pointer(pathV);
    const value = op.get('value');
    switch (kind) {
      case 'add':
        if (value === undefined) return undefined;
        cur = setAt(cur, path, value, 'add');
        break;
      case 'replace':
        if (value === undefined) return undefined;
        if (pointerGet(cur, path) === undefined) return undefined;
        cur = setAt(cur, path, value, 'replace');
        break;
      case 'remove':
        if (pointerGet(cur, path) === undefined) return undefined;
        cur = removeAt(cur, path);
        break;
      case 'copy':
      case 'move': {
        const from = op.get('from');
        if (from === undefined) return undefined;
        const fp = pointer(from);
        const v = pointerGet(cur, fp);
        if (v === undefined) return undefined;
        if (kind === 'move') cur = removeAt(cur, fp);
        cur = setAt(cur, path, v, 'add');
        break;
      }
      case 'test': {
        const v = pointerGet(cur, path);
        if (v === undefined || value === undefined || !equals(v, value)) return undefined;
        break;
      }
      default:
        return undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** A JSON Pointer lookup: array indices may be written as decimal strings. */
function pointerGet(v: RegoValue, path: readonly RegoValue[]): RegoValue | undefined {
  let cur: RegoValue | undefined = v;
  for (const seg of path) {
    if (cur !== undefined && isArray(cur) && typeof seg === 'string' && /^(0|[1-9]\d*)$/.test(seg)) cur = cur[Number(seg)];
    else cur = cur === undefined ? undefined : getPath(cur, [seg]);
  }
  return cur;
}

function pointer(v: RegoValue): RegoValue[] {
  if (isArray(v)) return [...v];
  if (typeof v !== 'string') fail('json.patch', 'path must be a string or an array');
  if (v === '') return [];
  return (v as string)
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function setAt(doc: RegoValue, path: readonly RegoValue[], value: RegoValue, mode: 'add' | 'replace'): RegoValue {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [RegoValue, ...RegoValue[]];
  if (isObject(doc)) {
    const out = RegoObject.from(doc.unorderedEntries());
    if (rest.length === 0) {
      out.set(head, value);
      return out;
    }
    const child = doc.get(head);
    if (child === undefined) throw new PatchMiss();
    out.set(head, setAt(child, rest, value, mode));
    return out;
  }
  if (isArray(doc)) {
    const items = [...doc];
    const idx = head === '-' ? items.length : typeof head === 'number' ? head : /^\d+$/.test(String(head)) ? Number(head) : -1;
    if (idx < 0 || idx > items.length) throw new PatchMiss();
    if (rest.length === 0) {
      if (mode === 'add') items.splice(idx, 0, value);
      else items[idx] = value;
      return Object.freeze(items);
    }
    if (idx >= items.length) throw new PatchMiss();
    items[idx] = setAt(items[idx]!, rest, value, mode);
    return Object.freeze(items);
  }
  if (isSet(doc)) {
    // A set member is its own key: adding puts the value under the key it equals, and a
    // longer path edits inside the member it names.
    if (rest.length === 0) {
      if (!equals(head, value)) throw new PatchMiss();
      const out = RegoSet.from(doc.unorderedValues());
      out.add(value);
      return out;
    }
    if (!doc.has(head)) throw new PatchMiss();
    const out = RegoSet.from(doc.unorderedValues());
    out.delete(head);
    out.add(setAt(head, rest, value, mode));
    return out;
  }
  throw new PatchMiss();
}

function removeAt(doc: RegoValue, path: readonly RegoValue[]): RegoValue {
  const [head, ...rest] = path as [RegoValue, ...RegoValue[]];
  if (isObject(doc)) {
    const out = RegoObject.from(doc.unorderedEntries());
    if (rest.length === 0) out.delete(head);
    else out.set(head, removeAt(doc.get(head)!, rest));
    return out;
  }
  if (isArray(doc)) {
    const items = [...doc];
    const idx = typeof head === 'number' ? head : Number(head);
    if (rest.length === 0) items.splice(idx, 1);
    else items[idx] = removeAt(items[idx]!, rest);
    return Object.freeze(items);
  }
  if (isSet(doc)) {
    const out = RegoSet.from(doc.unorderedValues());
    out.delete(head);
    if (rest.length > 0) out.add(removeAt(head, rest));
    return out;
  }
  throw new PatchMiss();
}

class PatchMiss extends Error {}

export const COLLECTION_BUILTINS: Builtin[] = fns({
  'object.get': [3, ([o, k, d]) => {
    const x = o!;
    check('object.get', 1, x, 'object');
    if (isArray(k)) return getPath(x, k) ?? d!;
    return (x as RegoObject).get(k!) ?? d!;
  }],
  'object.keys': [1, ([o]) => RegoSet.from(obj('object.keys', 1, o!).keys())],
  'object.union': [2, ([a, b]) => union(obj('object.union', 1, a!), obj('object.union', 2, b!))],
  'object.union_n': [1, ([xs]) => arr('object.union_n', 1, xs!).reduce<RegoObject>((acc, x) => union(acc, obj('object.union_n', 1, x)), new RegoObject())],
  'object.remove': [2, ([o, ks]) => {
    const x = obj('object.remove', 1, o!);
    const drop = RegoSet.from(keysOf('object.remove', 2, ks!));
    return RegoObject.from([...x.unorderedEntries()].filter(([k]) => !drop.has(k)));
  }],
  'object.filter': [2, ([o, ks]) => {
    const x = obj('object.filter', 1, o!);
    const keep = RegoSet.from(keysOf('object.filter', 2, ks!));
    return RegoObject.from([...x.unorderedEntries()].filter(([k]) => keep.has(k)));
  }],
  'object.subset': [2, ([a, b]) => subset(a!, b!)],
  'json.filter': [2, ([o, p]) => filterValue(obj('json.filter', 1, o!), parsePaths('json.filter', p!))],
  'json.remove': [2, ([o, p]) => removeValue(obj('json.remove', 1, o!), parsePaths('json.remove', p!))],
  'json.patch': [2, ([o, p]) => {
    const ops = arr('json.patch', 2, p!);
    try {
      return applyPatch(o!, ops);
    } catch (err) {
      if (err instanceof PatchMiss) return undefined;
      throw err;
    }
  }],
  'array.concat': [2, ([a, b]) => Object.freeze([...arr('array.concat', 1, a!), ...arr('array.concat', 2, b!)])],
  'array.slice': [3, ([a, s, e]) => {
    const xs = arr('array.slice', 1, a!);
    let start = int('array.slice', 2, s!);
    let end = int('array.slice', 3, e!);
    if (start < 0) start = 0;
    if (end > xs.length) end = xs.length;
    return Object.freeze(start >= end ? [] : xs.slice(start, end));
  }],
  'array.reverse': [1, ([a]) => Object.freeze([...arr('array.reverse', 1, a!)].reverse())],
  intersection: [1, ([s]) => {
    const sets = set('intersection', 1, s!).sortedValues().map((x) => set('intersection', 1, x));
    if (sets.length === 0) return new RegoSet();
    return RegoSet.from([...sets[0]!.unorderedValues()].filter((v) => sets.every((x) => x.has(v))));
  }],
  union: [1, ([s]) => RegoSet.from(set('union', 1, s!).sortedValues().flatMap((x) => [...set('union', 1, x).unorderedValues()]))],
  is_number: [1, ([v]) => typeof v === 'number' || typeof v === 'bigint'],
  is_string: [1, ([v]) => typeof v === 'string'],
  is_boolean: [1, ([v]) => typeof v === 'boolean'],
  is_array: [1, ([v]) => isArray(v)],
  is_set: [1, ([v]) => isSet(v)],
  is_object: [1, ([v]) => isObject(v)],
  is_null: [1, ([v]) => v === null],
  type_name: [1, ([v]) => typeName(v!)],
  'json.unmarshal': [1, ([s]) => {
    const text = s!;
    if (typeof text !== 'string') return typeError('json.unmarshal', 1, text, ['string']);
    try {
      return parseJSON(text);
    } catch (err) {
      return fail('json.unmarshal', (err as Error).message);
    }
  }],
  'json.is_valid': [1, ([s]) => {
    if (typeof s !== 'string') return false;
    try {
      parseJSON(s);
      return true;
    } catch {
      return false;
    }
  }],
});

function subset(sup: RegoValue, sub: RegoValue): boolean {
  if (isObject(sup) && isObject(sub)) {
    for (const [k, v] of sub.unorderedEntries()) {
      const s = sup.get(k);
      if (s === undefined) return false;
      // Nested values are compared by the same relation when their kinds allow it.
      const nested = (isObject(s) && isObject(v)) || (isSet(s) && isSet(v)) || (isArray(s) && (isArray(v) || isSet(v)));
      if (nested ? !subset(s, v) : !equals(s, v)) return false;
    }
    return true;
  }
  if (isSet(sup) && isSet(sub)) return [...sub.unorderedValues()].every((v) => sup.has(v));
  if (isArray(sup) && isArray(sub)) {
    if (sub.length === 0) return true;
    for (let i = 0; i + sub.length <= sup.length; i++) if (sub.every((v, j) => equals(v, sup[i + j]!))) return true;
    return false;
  }
  if (isArray(sup) && isSet(sub)) return [...sub.unorderedValues()].every((v) => sup.some((x) => equals(x, v)));
  if (!isObject(sup) && !isSet(sup) && !isArray(sup)) return typeError('object.subset', 1, sup, ['object', 'set', 'array']);
  return typeError('object.subset', 2, sub, [typeName(sup) as 'object']);
}

export { compare };
