import type { Location } from './ast.js';

/**
 * Every way a Rego module can fail to compile or a query fail to evaluate. The codes are OPA's
 * own, so messages read like `opa eval`'s. The keys are the closed set of `code`s.
 */
export const REGO_ERROR_CODES = {
  rego_parse_error: 'the policy text (or a query or data reference) does not parse as Rego v1',
  rego_compile_error: 'the modules and their data cannot be compiled together (the data document is not an object)',
  rego_unsafe_var_error: 'a variable is used where nothing binds it (an unsafe variable)',
  rego_recursion_error: 'a rule or function depends on itself',
  rego_type_error: 'rules conflict (kinds, defaults, arities), a call names an unknown function or passes the wrong number of arguments, or a with target is not input, data or a function',
  eval_type_error: 'a builtin got an argument of the wrong type while evaluating (strict builtin errors)',
  eval_builtin_error: 'a builtin failed on its arguments while evaluating (strict builtin errors)',
  eval_conflict_error: 'a complete rule or function produced two different values, or object keys conflict',
  eval_limit_error: 'evaluation exceeded a resource limit: steps, time, function recursion depth or input nesting',
  eval_internal_error: 'the evaluator reached a state it should not (a bug in Entente)',
} as const;

export type RegoErrorCode = keyof typeof REGO_ERROR_CODES;

/**
 * The base of the evaluator's errors: `code`, `message`, `cause` and a subclass `name`, the
 * same shape as the gateway's `EntenteError`. It is its own class because this folder imports
 * nothing else of the gateway, so that it can be published alone.
 */
export class RegoError extends Error {
  constructor(
    readonly code: RegoErrorCode,
    message: string,
    readonly location?: Location,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The policy text is wrong: parse errors, unsafe variables, recursion, unknown functions. */
export class RegoCompileError extends RegoError {
  constructor(code: RegoErrorCode, message: string, location?: Location) {
    super(code, location ? `${location.file}:${location.line}:${location.col}: ${code}: ${message}` : `${code}: ${message}`, location);
  }
}

/** Evaluation stopped: a conflict, a builtin error in strict mode, or a resource limit. */
export class RegoEvalError extends RegoError {
  constructor(code: RegoErrorCode, message: string, location?: Location, options?: ErrorOptions) {
    super(code, location ? `${location.file}:${location.line}: ${code}: ${message}` : `${code}: ${message}`, location, options);
  }
}
