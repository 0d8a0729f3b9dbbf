import { CryptoError } from './errors.js';

/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript's shortest form (which JSON.stringify already uses),
 * strings escaped as JSON.stringify does. Values JSON cannot carry are refused rather
 * than silently dropped, because a digest over a silently altered value proves nothing.
 */
export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CryptoError('JCS_UNSUPPORTED', `JCS cannot encode ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return '[' + value.map(canonicalize).join(',') + ']';
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalize(obj[k])).join(',') + '}';
    }
    default:
      throw new CryptoError('JCS_UNSUPPORTED', `JCS cannot encode a ${typeof value}`);
  }
}
