import { isArray, isObject, isSet, normalizeNumber, typeName, type RegoArray, type RegoNumber, type RegoObject, type RegoSet, type RegoValue } from '../value.js';
import { BuiltinError, type Builtin, type BuiltinContext } from './types.js';

export type TypeSpec = 'any' | 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set';

/** Throws OPA's type error: `count: operand 1 must be one of {array, object} but got number`. */
export function typeError(name: string, pos: number, v: RegoValue, expected: readonly TypeSpec[]): never {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`;
  throw new BuiltinError('eval_type_error', `${name}: operand ${pos} must be ${want} but got ${typeName(v)}`);
}

export function check(name: string, pos: number, v: RegoValue, ...expected: TypeSpec[]): void {
  if (expected.includes('any')) return;
  if (!expected.includes(typeName(v))) typeError(name, pos, v, expected);
}

export const str = (name: string, pos: number, v: RegoValue): string => (typeof v === 'string' ? v : typeError(name, pos, v, ['string']));
export const num = (name: string, pos: number, v: RegoValue): RegoNumber =>
  typeof v === 'number' || typeof v === 'bigint' ? v : typeError(name, pos, v, ['number']);
export const arr = (name: string, pos: number, v: RegoValue): RegoArray => (isArray(v) ? v : typeError(name, pos, v, ['array']));
export const obj = (name: string, pos: number, v: RegoValue): RegoObject => (isObject(v) ? v : typeError(name, pos, v, ['object']));
export const set = (name: string, pos: number, v: RegoValue): RegoSet => (isSet(v) ? v : typeError(name, pos, v, ['set']));
export const bool = (name: string, pos: number, v: RegoValue): boolean => (typeof v === 'boolean' ? v : typeError(name, pos, v, ['boolean']));

/** An integer argument as a JS number (within safe range), or a type/builtin error. */
export function int(name: string, pos: number, v: RegoValue): number {
  const n = num(name, pos, v);
  if (typeof n === 'bigint') {
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new BuiltinError('eval_builtin_error', `${name}: operand ${pos} is out of range`);
    }
    return Number(n);
  }
  if (!Number.isInteger(n)) throw new BuiltinError('eval_type_error', `${name}: operand ${pos} must be integer number but got floating-point number`);
  return n;
}

export function fail(name: string, message: string): never {
  throw new BuiltinError('eval_builtin_error', `${name}: ${message}`);
}

export const nums = normalizeNumber;

type Impl = (args: readonly RegoValue[], ctx: BuiltinContext) => RegoValue | undefined;

/** Registers function builtins by name. */
export function fns(table: Record<string, readonly [number, Impl]>): Builtin[] {
  return Object.entries(table).map(([name, [arity, impl]]) => ({ kind: 'function', name, arity, impl }));
}
