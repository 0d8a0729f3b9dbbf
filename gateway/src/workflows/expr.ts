import { celEnv, isCelError, isCelList, isCelMap, isCelUint, parse, plan } from '@bufbuild/cel';

/**
 * Input mappings and `when` conditions are CEL (https://cel.dev, through @bufbuild/cel), the
 * expression language Kubernetes and Envoy use for the same job: side-effect free, no loops
 * or recursion, so every expression terminates, and strictly typed. Chosen over JSONata,
 * whose user-defined recursive functions make termination a matter of timeouts.
 *
 * An expression sees `input` (the run's input) and `steps.<id>.output` (the outputs of steps
 * it may depend on); in a foreach step's input mapping also `item` and `index`. JSON numbers that are whole become CEL `int` (as Kubernetes does), others
 * `double`; results come back as plain JSON.
 */
export interface CompiledExpr {
  readonly text: string;
  /** The step ids the expression reads (`steps.<id>` or `steps["<id>"]`). */
  readonly steps: ReadonlySet<string>;
  evaluate(bindings: { readonly input: unknown; readonly steps: Readonly<Record<string, { readonly output: unknown }>>; readonly item?: unknown; readonly index?: number }): unknown;
}

const env = celEnv();

/** Parses an expression; throws with CEL's message (line and column) when it does not parse. */
export function compileExpr(text: string): CompiledExpr {
  const parsed = parse(text);
  const run = plan(env, parsed);
  const steps = new Set<string>();
  collectStepRefs(parsed, steps);
  return {
    text,
    steps,
    evaluate(bindings) {
      const vars: Record<string, unknown> = { input: toCel(bindings.input), steps: toCel(bindings.steps) };
      if ('item' in bindings) vars['item'] = toCel(bindings.item);
      if (bindings.index !== undefined) vars['index'] = toCel(bindings.index);
      const result = run(vars as never);
      if (isCelError(result)) throw new Error(result.message);
      return fromCel(result);
    },
  };
}

/** Finds `steps.X` selections and `steps["X"]` indexes anywhere in a parsed expression. */
function collectStepRefs(node: unknown, out: Set<string>): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === null || typeof n !== 'object') continue;
    const kind = (n as { exprKind?: { case?: string; value?: Record<string, unknown> } }).exprKind;
    if (kind?.case === 'selectExpr' && isIdent(kind.value?.['operand'], 'steps') && typeof kind.value?.['field'] === 'string') {
      out.add(kind.value['field']);
    }
    if (kind?.case === 'callExpr' && kind.value?.['function'] === '_[_]') {
      const [target, index] = (kind.value['args'] as unknown[] | undefined) ?? [];
      const constant = (index as { exprKind?: { case?: string; value?: { constantKind?: { case?: string; value?: unknown } } } })?.exprKind;
      if (isIdent(target, 'steps') && constant?.case === 'constExpr' && constant.value?.constantKind?.case === 'stringValue') {
        out.add(String(constant.value.constantKind.value));
      }
    }
    for (const v of Object.values(n)) if (v !== null && typeof v === 'object') stack.push(v);
  }
}

function isIdent(node: unknown, name: string): boolean {
  const kind = (node as { exprKind?: { case?: string; value?: { name?: string } } } | undefined)?.exprKind;
  return kind?.case === 'identExpr' && kind.value?.name === name;
}

/** JSON to CEL input: whole numbers as int (bigint), objects as maps. */
function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

/** A CEL value back to JSON; refuses what JSON cannot carry (bytes, types, integers beyond 2^53). */
function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error(`the integer ${value} is beyond what JSON carries exactly`);
    return Number(value);
  }
  if (isCelUint(value)) return fromCel(value.value);
  if (isCelMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.entries()) {
      if (typeof k !== 'string') throw new Error('a map with non-string keys has no JSON form');
      out[k] = fromCel(v);
    }
    return out;
  }
  if (isCelList(value)) return [...(value as Iterable<unknown>)].map(fromCel);
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  throw new Error(`a value of this type has no JSON form`);
}
