import { compile, toJS } from '../../../../../gateway/src/policy/rego/index.js';

/** The first value of `x` in a query, as JSON data; undefined when the query has no result. */
export function queryValue(query: string, opts: { input?: unknown; strict?: boolean } = {}): unknown {
  const rows = compile({ modules: {} }).query(query, { input: opts.input, strictBuiltinErrors: opts.strict ?? true });
  return rows.length === 0 ? undefined : toJS(rows[0]!.x!);
}

/** The error code a query stops with in strict mode, or 'none'. */
export function errorCode(query: string, input?: unknown): string {
  try {
    compile({ modules: {} }).query(query, { input, strictBuiltinErrors: true });
    return 'none';
  } catch (err) {
    return (err as { code?: string }).code ?? 'unknown';
  }
}
