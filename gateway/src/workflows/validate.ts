import type { z } from 'zod';
import { nearest } from '../lib/index.js';
import { workflowSchema, type StepDefinition, type WorkflowDefinition } from './definition.js';
import { compileExpr, type CompiledExpr } from './expr.js';

/** Who offers what, as far as the validating gateway knows (partners it has no card of are not checked). */
export interface CapabilityCatalog {
  readonly local: ReadonlySet<string>;
  /** Configured partners, each with the capabilities its card shows us, when known. */
  readonly partners: ReadonlyMap<string, ReadonlySet<string> | undefined>;
}

/** A workflow that passed every static check, with its steps in an order that respects `needs`. */
export interface ValidWorkflow {
  readonly definition: WorkflowDefinition;
  readonly order: readonly string[];
}

export type Validation = { readonly ok: true; readonly workflow: ValidWorkflow } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks a workflow before anything runs, listing every problem with its location
 * (`steps[2].needs: unknown step "stok"`): the schema; duplicate ids; unknown, cyclic and
 * self needs; expressions that do not parse or read steps outside what the step needs (they
 * cannot have run); steps that can never run; and, with a catalog, capabilities and partners
 * nobody offers, plan allow-lists included.
 */
export function validateWorkflow(raw: unknown, catalog?: CapabilityCatalog): Validation {
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(describeIssue) };
  const def = parsed.data;
  const problems: string[] = [];
  const index = new Map<string, number>();
  def.steps.forEach((s, i) => {
    const first = index.get(s.id);
    if (first !== undefined) problems.push(`steps[${i}].id: duplicate step "${s.id}" (also steps[${first}])`);
    else index.set(s.id, i);
  });
  def.steps.forEach((s, i) => {
    for (const n of s.needs) {
      if (n === s.id) problems.push(`steps[${i}].needs: a step cannot need itself`);
      else if (!index.has(n)) problems.push(`steps[${i}].needs: unknown step "${n}"${suggest(n, [...index.keys()])}`);
    }
  });
  const { order, cyclic } = topologicalOrder(def.steps, index);
  for (const cycle of cyclic) problems.push(`steps[${index.get(cycle[0]!)}].needs: cycle ${[...cycle, cycle[0]].join(' -> ')}`);
  const inCycle = new Set(cyclic.flat());
  const ancestors = ancestorsOf(def.steps, index);
  const never = new Set<string>();
  def.steps.forEach((s, i) => {
    const compile = (field: string, text: string | undefined, extra: readonly string[] = []) => {
      if (text === undefined) return undefined;
      let compiled: CompiledExpr;
      try {
        compiled = compileExpr(text);
      } catch (err) {
        problems.push(`steps[${i}].${field}: ${(err as Error).message}`);
        return undefined;
      }
      for (const ref of compiled.steps) {
        if (extra.includes(ref)) continue;
        if (!index.has(ref)) problems.push(`steps[${i}].${field}: reads steps.${ref}, an unknown step${suggest(ref, [...index.keys()])}`);
        else if (!ancestors.get(s.id)?.has(ref)) problems.push(`steps[${i}].${field}: reads steps.${ref}, which may not have run: add "${ref}" to needs`);
      }
      return compiled;
    };
    compile('input', s.input);
    const when = compile('when', s.when);
    compile('foreach.items', s.foreach?.items);
    compile('compensate.input', s.compensate?.input, [s.id]);
    if (when !== undefined && when.steps.size === 0 && !/\binput\b/.test(when.text)) {
      let constant: unknown;
      try {
        constant = when.evaluate({ input: null, steps: {} });
      } catch {
        constant = undefined;
      }
      if (constant === false) never.add(s.id);
    }
    checkPlacement(s, i, catalog, problems);
  });
  if (def.output !== undefined) {
    try {
      const out = compileExpr(def.output);
      for (const ref of out.steps) if (!index.has(ref)) problems.push(`output: reads steps.${ref}, an unknown step${suggest(ref, [...index.keys()])}`);
    } catch (err) {
      problems.push(`output: ${(err as Error).message}`);
    }
  }
  // A step whose `when` is constantly false never runs, nor does anything that needs it; a
  // step downstream of a cycle never runs either (the cycle itself is reported above).
  def.steps.forEach((s, i) => {
    if (inCycle.has(s.id)) return;
    const blocked = [...(ancestors.get(s.id) ?? [])].find((a) => never.has(a) || inCycle.has(a));
    if (never.has(s.id)) problems.push(`steps[${i}].when: is always false: the step can never run`);
    else if (blocked !== undefined) problems.push(`steps[${i}].needs: can never run: it needs "${blocked}", which never runs`);
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, workflow: { definition: def, order } };
}

/** Where a step runs must exist, and offer the capability, as far as the catalog knows. */
function checkPlacement(s: StepDefinition, i: number, catalog: CapabilityCatalog | undefined, problems: string[]): void {
  if (catalog === undefined) return;
  const offeredBy = (capability: string): string[] => [
    ...(catalog.local.has(capability) ? ['local'] : []),
    ...[...catalog.partners].filter(([, caps]) => caps?.has(capability) ?? false).map(([o]) => o),
  ];
  const place = (where: string, capability: string, field: string) => {
    if (where === 'local') {
      if (!catalog.local.has(capability)) problems.push(`steps[${i}].${field}: no local agent serves ${capability}; register one in agents, or run the step at a partner`);
    } else if (where !== 'any') {
      if (!catalog.partners.has(where)) problems.push(`steps[${i}].${field}: ${where} is not a partner of this gateway; import its bundle first`);
      else if (catalog.partners.get(where)?.has(capability) === false) problems.push(`steps[${i}].${field}: ${where} does not offer ${capability} to us`);
    } else if (offeredBy(capability).filter((o) => o !== 'local').length === 0 && [...catalog.partners.values()].every((c) => c !== undefined)) {
      problems.push(`steps[${i}].${field}: no partner offers ${capability}`);
    }
  };
  if (s.capability !== undefined) place(s.at, s.capability, 'at');
  for (const [j, p] of (s.prefer ?? []).entries()) if (!catalog.partners.has(p)) problems.push(`steps[${i}].prefer[${j}]: ${p} is not a partner of this gateway`);
  for (const [j, p] of (s.fallback ?? []).entries()) if (!catalog.partners.has(p)) problems.push(`steps[${i}].fallback[${j}]: ${p} is not a partner of this gateway`);
  if (s.compensate !== undefined) place(s.compensate.at ?? s.at, s.compensate.capability, 'compensate');
  for (const [j, c] of (s.plan?.allow ?? []).entries()) {
    const known = catalog.local.has(c) || [...catalog.partners.values()].some((caps) => caps === undefined || caps.has(c));
    if (!known) problems.push(`steps[${i}].plan.allow[${j}]: nobody offers ${c}, locally or at a partner`);
  }
}

/** Kahn's algorithm; what remains are the cycles, each listed once. */
function topologicalOrder(steps: readonly StepDefinition[], index: ReadonlyMap<string, number>): { order: string[]; cyclic: string[][] } {
  const pending = new Map(steps.map((s) => [s.id, new Set(s.needs.filter((n) => index.has(n) && n !== s.id))]));
  const order: string[] = [];
  for (let ready = [...pending].filter(([, n]) => n.size === 0).map(([id]) => id); ready.length > 0; ) {
    const id = ready.shift()!;
    order.push(id);
    pending.delete(id);
    for (const [other, needs] of pending) if (needs.delete(id) && needs.size === 0) ready.push(other);
  }
  const cyclic: string[][] = [];
  const seen = new Set<string>();
  for (const start of pending.keys()) {
    if (seen.has(start)) continue;
    // Walk needs from `start` until a step repeats: that loop is a cycle.
    const path: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !path.includes(at)) {
      path.push(at);
      at = [...(pending.get(at) ?? [])][0];
    }
    if (at !== undefined) {
      const cycle = path.slice(path.indexOf(at));
      if (!cycle.some((c) => seen.has(c))) cyclic.push(cycle);
      for (const c of cycle) seen.add(c);
    }
    for (const p of path) seen.add(p);
  }
  return { order, cyclic };
}

/** Every step each step transitively needs (what has surely finished when it starts). */
function ancestorsOf(steps: readonly StepDefinition[], index: ReadonlyMap<string, number>): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const s of steps) {
    const seen = new Set<string>();
    const stack = [...s.needs];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n) || !index.has(n)) continue;
      seen.add(n);
      stack.push(...(steps[index.get(n)!]?.needs ?? []));
    }
    result.set(s.id, seen);
  }
  return result;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(workflow)';
  if (issue.code === 'unrecognized_keys') return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return `${path}: ${issue.message}`;
}

/** ` (did you mean "stock"?)` for a near miss among `known`. */
function suggest(word: string, known: readonly string[]): string {
  const near = nearest(word, known);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
