import { z } from 'zod';
import type { AgentContext, AgentDefinition, AgentLogger } from '@entente/sdk';
import { systemClock, type CancelToken, type Clock } from '../lib/index.js';
import { AgentError } from './errors.js';

export interface CapabilityInfo {
  readonly name: string;
  readonly agent: string;
  readonly description: string;
  readonly inputSchema: unknown;
  readonly outputSchema: unknown;
}

export interface RunRequest {
  readonly taskId: string;
  /** Stable across a workflow step's attempts (the task id otherwise). */
  readonly idempotencyKey?: string;
  readonly requester: string;
  readonly capability: string;
  readonly purpose: string;
  readonly input: unknown;
  readonly deadline: number;
  /** The caller's way to stop the run (its reason reaches the agent's signal). */
  readonly cancel?: CancelToken;
  /** The agent's logger, made the first time the agent uses it. */
  readonly log: () => AgentLogger;
}

/** The in-process agents of one gateway, by the capabilities they serve. */
export class AgentRegistry {
  private readonly byCapability = new Map<string, AgentDefinition>();
  private readonly names = new Set<string>();

  constructor(
    agents: readonly AgentDefinition[] = [],
    private readonly clock: Clock = systemClock,
  ) {
    for (const a of agents) this.register(a);
  }

  register(agent: AgentDefinition): void {
    if (this.names.has(agent.name)) throw new AgentError('AGENT_DUPLICATE', `agent ${agent.name} is registered twice; give each agent its own name`);
    for (const c of agent.capabilities) {
      const other = this.byCapability.get(c);
      if (other !== undefined) {
        throw new AgentError('AGENT_DUPLICATE', `capability ${c} is served by both ${other.name} and ${agent.name}; remove one of them`);
      }
    }
    this.names.add(agent.name);
    for (const c of agent.capabilities) this.byCapability.set(c, agent);
  }

  has(capability: string): boolean {
    return this.byCapability.has(capability);
  }

  capabilities(): CapabilityInfo[] {
    return [...this.byCapability.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, a]) => ({
        name,
        agent: a.name,
        description: a.description ?? '',
        inputSchema: z.toJSONSchema(a.input, { unrepresentable: 'any' }),
        outputSchema: z.toJSONSchema(a.output, { unrepresentable: 'any' }),
      }));
  }

  /** Checks `input` against the agent's schema without running it. */
  parseInput(capability: string, input: unknown): unknown {
    const agent = this.agentFor(capability);
    const parsed = agent.input.safeParse(input);
    if (!parsed.success) {
      throw new AgentError('INVALID_INPUT', `input does not match ${capability}: ${describeIssues(parsed.error)}`);
    }
    return parsed.data;
  }

  /**
   * Runs the agent for `capability` on an input already checked by {@link parseInput}, and
   * checks its output. Ends at the deadline or on abort, whichever comes first.
   */
  async run(req: RunRequest, parsedInput: unknown): Promise<unknown> {
    const agent = this.agentFor(req.capability);
    // The agent's AbortSignal and logger are made only when it asks for them: each cost ~5 µs
    // and a child logger's bindings pass the log redaction, for every task (issue 11).
    let controller: AbortController | undefined;
    let log: AgentLogger | undefined;
    let stopped: { readonly reason: unknown; readonly error: AgentError } | undefined;
    let reject!: (err: AgentError) => void;
    const stop = new Promise<never>((_, r) => (reject = r));
    // The race below observes it; a run stopped before it began never reaches the race.
    stop.catch(() => undefined);
    const abort = (reason: unknown): void => {
      if (stopped !== undefined) return;
      stopped = { reason, error: reason instanceof AgentError ? reason : new AgentError('AGENT_CANCELLED', `${req.capability} was cancelled`) };
      controller?.abort(reason);
      reject(stopped.error);
    };
    const endTimer = this.clock.timer(Math.max(0, req.deadline - this.clock.now()), () =>
      abort(new AgentError('AGENT_TIMEOUT', `${req.capability} did not finish before the deadline`)),
    );
    const ctx: AgentContext = {
      taskId: req.taskId,
      idempotencyKey: req.idempotencyKey ?? req.taskId,
      requester: req.requester,
      capability: req.capability,
      purpose: req.purpose,
      get signal(): AbortSignal {
        if (controller === undefined) {
          controller = new AbortController();
          if (stopped !== undefined) controller.abort(stopped.reason);
        }
        return controller.signal;
      },
      deadline: req.deadline,
      get log(): AgentLogger {
        return (log ??= req.log());
      },
    };
    const stopListening = req.cancel?.onCancel(abort);
    try {
      // A run cancelled before it began ends here: its agent is not called.
      if (stopped !== undefined) throw stopped.error;
      let output: unknown;
      try {
        output = await Promise.race([Promise.resolve().then(() => agent.handler(parsedInput, ctx)), stop]);
      } catch (err) {
        if (err instanceof AgentError) throw err;
        throw new AgentError('AGENT_FAILED', `${req.capability} failed`, { cause: err });
      }
      const checked = agent.output.safeParse(output);
      if (!checked.success) {
        throw new AgentError(
          'INVALID_OUTPUT',
          `${req.capability} produced output that does not match its schema`,
          { cause: checked.error },
        );
      }
      return checked.data;
    } finally {
      endTimer();
      stopListening?.();
    }
  }

  private agentFor(capability: string): AgentDefinition {
    const agent = this.byCapability.get(capability);
    if (agent === undefined) {
      throw new AgentError('CAPABILITY_UNAVAILABLE', `capability ${capability} is not available here`);
    }
    return agent;
  }
}

/** `count: expected number, received string; filters.age.min: …` — field paths first. */
/** The first few problems, each bounded, and how many more: a status message must stay small. */
function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((i) => {
    const text = `${i.path.length > 0 ? i.path.map(String).join('.') : '(input)'}: ${i.message}`;
    return text.length > 200 ? text.slice(0, 199) + '…' : text;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more problem${more > 1 ? 's' : ''}` : '');
}
