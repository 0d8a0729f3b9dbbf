/**
 * The contract between the evaluator and the builtin functions.
 *
 * A builtin receives fully evaluated (ground) argument values and returns one value, or
 * `undefined` when it is undefined for those arguments (e.g. `object.get` never is, but
 * `to_number("x")` errors). Errors are thrown as {@link BuiltinError}: in non-strict mode the
 * evaluator turns them into "undefined" and goes on; in strict mode they stop evaluation.
 * Relations (`walk`) yield several outputs instead of one.
 */
import { RegoError, type RegoErrorCode } from '../errors.js';
import type { RegoValue } from '../value.js';

export type BuiltinErrorCode = Extract<RegoErrorCode, 'eval_type_error' | 'eval_builtin_error'>;

/** A builtin failed: a wrong operand type (`eval_type_error`) or bad input (`eval_builtin_error`). */
export class BuiltinError extends RegoError {
  declare readonly code: BuiltinErrorCode;
  constructor(code: BuiltinErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, undefined, options);
  }
}

/** What a builtin may see of the evaluation it runs in. */
export interface BuiltinContext {
  /** Nanoseconds since the epoch, fixed for the whole query (time.now_ns returns it). */
  readonly nowNs: bigint;
  /** Per-query cache (compiled regexes, parsed globs …), keyed by the builtin's own prefix. */
  readonly cache: Map<string, unknown>;
  /** Lines written by `print`, or undefined when printing is off. */
  readonly print?: (line: string) => void;
}

export interface FunctionBuiltin {
  readonly kind: 'function';
  readonly name: string;
  /** Number of arguments, not counting the output. */
  readonly arity: number;
  readonly impl: (args: readonly RegoValue[], ctx: BuiltinContext) => RegoValue | undefined;
}

export interface RelationBuiltin {
  readonly kind: 'relation';
  readonly name: string;
  readonly arity: number;
  readonly impl: (args: readonly RegoValue[], ctx: BuiltinContext) => Iterable<RegoValue>;
}

export type Builtin = FunctionBuiltin | RelationBuiltin;
