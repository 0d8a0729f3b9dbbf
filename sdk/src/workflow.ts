/** A duration: milliseconds, or text like "10s", "250ms", "5m", "1h". */
export type Duration = number | string;

/** One step of a workflow: a capability called somewhere, or a person's approval. */
export interface WorkflowStep {
  /** A lowercase letter, then lowercase letters, digits and _ (expressions read `steps.<id>.output`). */
  readonly id: string;
  readonly description?: string;
  /** The capability to call; absent for an approval step. */
  readonly capability?: string;
  /** `local`, a partner's org id, or `any` partner offering the capability (default `local`). */
  readonly at?: string;
  /** With `at: any`: partners in order of preference. */
  readonly prefer?: readonly string[];
  /** Why the data is asked for (required at a partner: its policies decide on it). */
  readonly purpose?: string;
  readonly needs?: readonly string[];
  /** CEL: the step's input, from `input` and `steps.<id>.output` of the steps it needs. */
  readonly input?: string;
  /** CEL: run the step only when true. */
  readonly when?: string;
  readonly foreach?: { readonly items: string; readonly concurrency?: number };
  readonly retry?: { readonly initialInterval?: Duration; readonly coefficient?: number; readonly maximumInterval?: Duration; readonly maximumAttempts?: number };
  readonly timeout?: Duration;
  readonly deadline?: Duration;
  readonly fallback?: readonly string[];
  readonly on_failure?: 'fail' | 'continue' | 'escalate';
  readonly compensate?: { readonly capability: string; readonly at?: string; readonly input?: string };
  readonly plan?: { readonly allow: readonly string[] };
  readonly approval?: { readonly timeout?: Duration; readonly on_timeout?: 'fail' | 'escalate' };
}

export interface WorkflowDefinition {
  readonly name: string;
  readonly description?: string;
  readonly deadline?: Duration;
  readonly steps: readonly WorkflowStep[];
  /** CEL: the run's output; every step's output by id when absent. */
  readonly output?: string;
}

/**
 * Declares a workflow in TypeScript, the same as a YAML or JSON file: the gateway checks it
 * (schema, needs, expressions, providers) before anything runs.
 *
 * @example
 * export default defineWorkflow({
 *   name: 'cohort-study',
 *   steps: [
 *     { id: 'b', capability: 'patients.count', at: 'hospital-b', purpose: 'research', input: 'input.cohort', on_failure: 'continue' },
 *     { id: 'c', capability: 'patients.count', at: 'hospital-c', purpose: 'research', input: 'input.cohort', on_failure: 'continue' },
 *   ],
 * });
 */
export function defineWorkflow<const W extends WorkflowDefinition>(definition: W): W {
  return definition;
}
