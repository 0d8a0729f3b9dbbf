import type { StepDefinition } from './definition.js';
import { validateWorkflow, type CapabilityCatalog } from './validate.js';

/** More steps than this in one plan is refused: a planner is not a way around review. */
export const MAX_PLAN_STEPS = 50;

export type PlanCheck = { readonly ok: true; readonly steps: readonly StepDefinition[] } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks what a plan step's agent proposed before any of it runs: it must be
 * `{"steps": [...]}`, every step a capability step (no nested plans, foreach or approvals)
 * calling a capability on the plan's allow-list, and the whole pass the same static checks as
 * a workflow file (needs within the plan, no cycles, expressions reading only steps they
 * need, providers that exist). A sub-step's `input` is the plan step's input; a sub-step at a
 * partner without a purpose gets the plan step's.
 */
export function checkPlan(parent: StepDefinition, proposed: unknown, catalog?: CapabilityCatalog): PlanCheck {
  const allow = parent.plan?.allow ?? [];
  const raw = (proposed as { steps?: unknown } | null)?.steps;
  if (proposed === null || typeof proposed !== 'object' || !Array.isArray(raw)) {
    return { ok: false, problems: ['the planner must return {"steps": [...]}, a list of step definitions'] };
  }
  if (raw.length > MAX_PLAN_STEPS) return { ok: false, problems: [`the plan has ${raw.length} steps; at most ${MAX_PLAN_STEPS} are accepted`] };
  const problems: string[] = [];
  const steps = raw.map((s: unknown, i) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return s;
    const step = s as Record<string, unknown>;
    for (const field of ['plan', 'foreach', 'approval'] as const) {
      if (step[field] !== undefined) problems.push(`steps[${i}].${field}: a planned step cannot be a ${field} step`);
    }
    if (typeof step['capability'] === 'string' && !allow.includes(step['capability'])) {
      problems.push(`steps[${i}].capability: ${step['capability']} is not on the plan's allow-list (${allow.join(', ')})`);
    }
    // A compensation calls a capability too: the allow-list bounds it as well.
    const undo = (step['compensate'] as { capability?: unknown } | undefined)?.capability;
    if (typeof undo === 'string' && !allow.includes(undo)) {
      problems.push(`steps[${i}].compensate.capability: ${undo} is not on the plan's allow-list (${allow.join(', ')})`);
    }
    const remote = step['at'] !== undefined && step['at'] !== 'local';
    return remote && step['purpose'] === undefined && parent.purpose !== undefined ? { ...step, purpose: parent.purpose } : step;
  });
  if (raw.length === 0) return problems.length > 0 ? { ok: false, problems } : { ok: true, steps: [] };
  const checked = validateWorkflow({ name: 'plan', steps }, catalog);
  if (!checked.ok) problems.push(...checked.problems);
  if (problems.length > 0 || !checked.ok) return { ok: false, problems };
  return { ok: true, steps: checked.workflow.definition.steps };
}
