import type { Location } from './ast.js';

export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_conflict_error'
  | 'eval_limit_error'
  | 'eval_internal_error';

/** The policy text is wrong: parse errors, unsafe variables, recursion, unknown functions. */
export class RegoCompileError extends Error {
  constructor(
    readonly code: RegoErrorCode,
    message: string,
    readonly location?: Location,
  ) {
    super(location ? `${location.file}:${location.line}:${location.col}: ${code}: ${message}` : `${code}: ${message}`);
    this.name = 'RegoCompileError';
  }
}

/** Evaluation stopped: a conflict, a builtin error in strict mode, or a resource limit. */
export class RegoEvalError extends Error {
  constructor(
    readonly code: RegoErrorCode,
    message: string,
    readonly location?: Location,
    options?: { cause?: unknown },
  ) {
    super(location ? `${location.file}:${location.line}: ${code}: ${message}` : `${code}: ${message}`, options);
    this.name = 'RegoEvalError';
  }
}
