import { z } from 'zod';
import { durationSchema } from '../lib/index.js';

/** Step ids are CEL identifiers, so that `steps.<id>.output` reads naturally in expressions. */
const stepId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a step id: a lowercase letter, then lowercase letters, digits and _');
const name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'expected a name: [a-z0-9][a-z0-9._-]*');
const org = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an org id: lowercase letters, digits and -');
/** A CEL expression (see expr.ts). */
const expr = z.string().min(1, 'expected a CEL expression');

const retry = z.strictObject({
  initialInterval: durationSchema.default(1000),
  coefficient: z.number().min(1).max(10).default(2),
  maximumInterval: durationSchema.default(60_000),
  maximumAttempts: z.number().int().min(1).max(100).default(3),
});

const step = z
  .strictObject({
    id: stepId,
    description: z.string().max(500).optional(),
    /** The capability to call; absent for an approval step. */
    capability: name.optional(),
    /** `local` (an agent of this organization), a partner's org id, or `any` partner offering the capability. */
    at: z.union([z.literal('local'), z.literal('any'), org]).default('local'),
    /** With `at: any`: the partners to try, in order of preference (default: every partner that offers it). */
    prefer: z.array(org).optional(),
    /** Why the data is asked for: partners' policies decide on it. */
    purpose: name.optional(),
    /** Steps that must finish first: sequence, fan-out and fan-in. */
    needs: z.array(stepId).default([]),
    /** The step's input, built from `input` and the outputs of the steps it needs. Default: `{}`. */
    input: expr.optional(),
    /** Run the step only when this is true; otherwise it is skipped. */
    when: expr.optional(),
    /** Run the step once per item of this list (`item` in the input mapping), `concurrency` at a time. */
    foreach: z.strictObject({ items: expr, concurrency: z.number().int().min(1).max(1000).default(4) }).optional(),
    retry: retry.optional(),
    /** Per attempt. */
    timeout: durationSchema.optional(),
    /** For the step, all attempts included. */
    deadline: durationSchema.optional(),
    /** Partners to ask, in order, when the step's own provider keeps failing. */
    fallback: z.array(org).optional(),
    on_failure: z.enum(['fail', 'continue', 'escalate']).default('fail'),
    /** Undoes this step, in reverse order, when the run fails after it completed. */
    compensate: z.strictObject({ capability: name, at: z.union([z.literal('local'), org]).optional(), input: expr.optional() }).optional(),
    /** The step's agent returns further steps, run as a sub-graph once checked against `allow`. */
    plan: z.strictObject({ allow: z.array(name).min(1, 'a plan step must allow at least one capability') }).optional(),
    /** A person decides before the run goes on (the approver role). */
    approval: z.strictObject({ timeout: durationSchema.optional(), on_timeout: z.enum(['fail', 'escalate']).default('fail') }).optional(),
  })
  .check((ctx) => {
    const s = ctx.value;
    const issue = (path: string, message: string) => ctx.issues.push({ code: 'custom', path: [path], message, input: s });
    if (s.approval !== undefined && s.capability !== undefined) issue('capability', 'an approval step calls no capability: remove capability, or make it a separate step');
    if (s.approval === undefined && s.capability === undefined) issue('capability', 'required (or make it an approval step)');
    if (s.capability !== undefined && s.at !== 'local' && s.purpose === undefined) issue('purpose', 'required for a step at a partner: its policies decide on the purpose');
    if (s.prefer !== undefined && s.at !== 'any') issue('prefer', 'only with at: any');
    if (s.plan !== undefined && s.foreach !== undefined) issue('plan', 'a plan step cannot also be a foreach step');
    if (s.approval !== undefined && (s.deadline !== undefined || s.timeout !== undefined || s.retry !== undefined)) {
      issue('approval', 'an approval step waits for a person: give it approval.timeout, not deadline, timeout or retry');
    }
  });

/** A workflow definition as written (YAML/JSON) or built in TypeScript. */
export const workflowSchema = z.strictObject({
  name,
  description: z.string().max(2000).optional(),
  /** For the whole run. */
  deadline: durationSchema.optional(),
  steps: z.array(step).min(1, 'a workflow needs at least one step'),
  /** The run's output, from `input` and the steps' outputs. Default: every step's output by id. */
  output: expr.optional(),
});

export type WorkflowInput = z.input<typeof workflowSchema>;
export type WorkflowDefinition = z.output<typeof workflowSchema>;
export type StepDefinition = WorkflowDefinition['steps'][number];
