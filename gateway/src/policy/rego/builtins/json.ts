import { parseDocument, stringify as yamlStringify } from 'yaml';
import { compareStrings, formatNumber, fromJS, isArray, isObject, isSet, type RegoValue } from '../value.js';
import { arr, fail, fns, obj, str, typeError } from './args.js';
import { BuiltinError } from './types.js';

/** A string as Go's encoding/json writes it: HTML-significant characters escaped. */
function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * Go's json.Marshal / MarshalIndent of a Rego value: object keys sorted, sets as arrays,
 * HTML escaping. Non-string object keys are written as their JSON text, as OPA does.
 */
export function goJSON(v: RegoValue, indent?: { prefix: string; indent: string }, level = 0): string {
  const nl = (n: number) => (indent ? '\n' + indent.prefix + indent.indent.repeat(n) : '');
  const sep = indent ? ': ' : ':';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return formatNumber(v);
  if (typeof v === 'string') return goString(v);
  const items = isArray(v) ? v : isSet(v) ? v.sortedValues() : undefined;
  if (items !== undefined) {
    if (items.length === 0) return '[]';
    return '[' + items.map((x) => nl(level + 1) + goJSON(x, indent, level + 1)).join(',') + nl(level) + ']';
  }
  if (isObject(v)) {
    if (v.size === 0) return '{}';
    const entries = v
      .sortedEntries()
      .map(([k, x]) => [typeof k === 'string' ? k : goJSON(k), x] as const)
      .sort(([a], [b]) => compareStrings(a, b));
    return '{' + entries.map(([k, x]) => nl(level + 1) + goString(k) + sep + goJSON(x, indent, level + 1)).join(',') + nl(level) + '}';
  }
  return 'null';
}

/** One level: nested arrays inside the inner arrays stay. */
function flatten(v: readonly RegoValue[]): RegoValue[] {
  return v.flatMap((x) => (isArray(x) ? [...x] : [x]));
}

export const JSON_BUILTINS = fns({
  'json.marshal': [1, ([v]) => goJSON(v!)],
  'json.marshal_with_options': [2, ([v, o]) => {
    const opts = obj('json.marshal_with_options', 2, o!);
    let prefix = '';
    let indent = '\t';
    let implicit = false;
    let explicit: boolean | undefined;
    for (const [k, val] of opts.sortedEntries()) {
      if (typeof k !== 'string') throw new BuiltinError('eval_type_error', `json.marshal_with_options: operand 2 failed to stringify key ${goJSON(k)}`);
      switch (k) {
        case 'prefix':
          if (typeof val !== 'string') throw new BuiltinError('eval_type_error', 'json.marshal_with_options: operand 2 key prefix failed cast to string');
          prefix = val;
          implicit = true;
          break;
        case 'indent':
          if (typeof val !== 'string') throw new BuiltinError('eval_type_error', 'json.marshal_with_options: operand 2 key indent failed cast to string');
          indent = val;
          implicit = true;
          break;
        case 'pretty':
          if (typeof val !== 'boolean') throw new BuiltinError('eval_type_error', 'json.marshal_with_options: operand 2 key pretty failed cast to bool');
          explicit = val;
          break;
        default:
          throw new BuiltinError('eval_type_error', `json.marshal_with_options: operand 2 object contained unknown key ${k}`);
      }
    }
    const pretty = explicit ?? implicit;
    return pretty ? prefix + goJSON(v!, { prefix, indent }) : goJSON(v!);
  }],
  'array.flatten': [1, ([a]) => Object.freeze(flatten(arr('array.flatten', 1, a!)))],
  'yaml.marshal': [1, ([v]) => yamlStringify(JSON.parse(goJSON(v!)) as unknown, { lineWidth: 0 })],
  'yaml.unmarshal': [1, ([s]) => {
    const doc = parseDocument(str('yaml.unmarshal', 1, s!), { uniqueKeys: true });
    if (doc.errors.length > 0) fail('yaml.unmarshal', doc.errors[0]!.message);
    return fromJS(doc.toJS() ?? null);
  }],
  'yaml.is_valid': [1, ([s]) => {
    if (typeof s !== 'string') return false;
    return parseDocument(s).errors.length === 0;
  }],
});

export { typeError };
