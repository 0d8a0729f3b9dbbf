import type { z } from 'zod';

/** What a handler may use besides its input: never another task's data. */
export interface AgentContext {
  readonly taskId: string;
  /**
   * The same for every attempt of a workflow step, also after the gateway restarts (the task
   * id otherwise): key a side effect on it (an order update, a payment) so that doing it again
   * is harmless. The gateway cannot make an effect outside it exactly-once by itself.
   */
  readonly idempotencyKey: string;
  /** The verified organization that asked (from its certificate), or the own org for local calls. */
  readonly requester: string;
  readonly capability: string;
  readonly purpose: string;
  /** Aborted when the task is cancelled or its deadline passes. */
  readonly signal: AbortSignal;
  /** Milliseconds since the epoch after which the result is no longer wanted. */
  readonly deadline: number;
  readonly log: AgentLogger;
}

/** A logger that takes structured fields; payloads must not be passed to it. */
export interface AgentLogger {
  info(fields: Record<string, unknown>, msg?: string): void;
  warn(fields: Record<string, unknown>, msg?: string): void;
  error(fields: Record<string, unknown>, msg?: string): void;
}

export interface AgentDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Unique within a gateway, e.g. `cohort-counter`. */
  readonly name: string;
  readonly description?: string;
  /** Capability names this agent serves, e.g. `patients.count`. */
  readonly capabilities: readonly string[];
  readonly input: I;
  readonly output: O;
  readonly handler: (input: z.output<I>, ctx: AgentContext) => Promise<z.input<O>> | z.input<O>;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/**
 * Declares an in-process agent. The gateway validates every input against `input` before the
 * handler runs (refusing it with INVALID_ARGUMENT naming the field) and every output against
 * `output` before disclosure policy sees it.
 *
 * @example
 * export const counter = defineAgent({
 *   name: 'cohort-counter',
 *   capabilities: ['patients.count'],
 *   input: z.strictObject({ condition: z.string() }),
 *   output: z.strictObject({ count: z.number().int() }),
 *   handler: ({ condition }) => ({ count: countPatients(condition) }),
 * });
 */
export function defineAgent<I extends z.ZodType, O extends z.ZodType>(
  definition: AgentDefinition<I, O>,
): AgentDefinition<I, O> {
  if (!NAME.test(definition.name)) {
    throw new TypeError(`defineAgent: name ${JSON.stringify(definition.name)} must match ${NAME}`);
  }
  if (definition.capabilities.length === 0) {
    throw new TypeError(`defineAgent(${definition.name}): capabilities must name at least one capability`);
  }
  for (const c of definition.capabilities) {
    if (!NAME.test(c)) {
      throw new TypeError(`defineAgent(${definition.name}): capability ${JSON.stringify(c)} must match ${NAME}`);
    }
  }
  return Object.freeze({ ...definition, capabilities: Object.freeze([...definition.capabilities]) });
}
