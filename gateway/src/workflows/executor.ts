import { AgentError, type AgentRegistry } from '../agents/index.js';
import { cancelTokenOf, Semaphore, type Clock } from '../lib/index.js';
import type { Logger } from '../observability/index.js';
import { isRetryable, TaskError, type ReasonCode, type Requester } from '../tasks/index.js';
import type { Outcome } from './decide.js';
import type { StepExecutor, StepTask } from './engine.js';

/** A local agent's failure as the reason code a partner's would carry. */
const AGENT_REASON: Record<string, ReasonCode> = {
  INVALID_INPUT: 'invalid_input',
  CAPABILITY_UNAVAILABLE: 'capability_unavailable',
  AGENT_TIMEOUT: 'agent_timeout',
  AGENT_CANCELLED: 'cancelled',
};

/**
 * Carries out a workflow's steps with the gateway's own parts: a local step runs the local
 * agent (the data does not leave, so no policy or receipt is involved); a step at a partner
 * is a task through the Requester, with its outbound policy (which sees the run and step),
 * receipts on both sides, and the step's task id as the idempotency key. An abandoned attempt
 * is aborted: the local agent's signal fires, the partner's task is cancelled there.
 */
export class GatewayStepExecutor implements StepExecutor {
  /**
   * Steps of every run share each partner's in-flight limit: a step waits here for a slot, so
   * that a thousand runs starting at once queue instead of timing out in the transport (the
   * call's deadline counts from when it leaves; the step's attempt timeout, from its start).
   */
  private readonly slots = new Map<string, Semaphore>();

  constructor(
    private readonly deps: {
      readonly org: string;
      readonly requester: Requester;
      readonly agents: AgentRegistry;
      readonly clock: Clock;
      readonly callTimeoutMs: number;
      readonly maxInFlightPerPartner: number;
      readonly log: Logger;
    },
  ) {}

  async execute(task: StepTask): Promise<Outcome> {
    return task.at === 'local' ? this.local(task) : this.remote(task);
  }

  private async local(task: StepTask): Promise<Outcome> {
    const { deps } = this;
    try {
      const parsed = deps.agents.parseInput(task.capability, task.input);
      const output = await deps.agents.run(
        {
          taskId: task.taskId,
          idempotencyKey: task.idempotencyKey,
          requester: deps.org,
          capability: task.capability,
          purpose: task.purpose,
          input: task.input,
          deadline: deps.clock.now() + (task.timeoutMs ?? deps.callTimeoutMs),
          cancel: cancelTokenOf(task.signal),
          log: () => deps.log.child({ task_id: task.taskId, run_id: task.run.runId, step: task.run.step, capability: task.capability }),
        },
        parsed,
      );
      return { ok: true, output };
    } catch (err) {
      const reason: ReasonCode = err instanceof AgentError ? (AGENT_REASON[err.code] ?? 'agent_failed') : 'internal';
      if (reason === 'internal') deps.log.error({ task_id: task.taskId, err }, 'local step failed');
      return { ok: false, reason, message: (err as Error).message, retryable: isRetryable(reason) };
    }
  }

  private async remote(task: StepTask): Promise<Outcome> {
    const { deps } = this;
    const onAbort = () => {
      deps.requester.cancel(task.at, task.taskId).catch((err: unknown) => deps.log.warn({ task_id: task.taskId, partner: task.at, err }, 'could not cancel an abandoned task at the partner'));
    };
    let slots = this.slots.get(task.at);
    if (slots === undefined) this.slots.set(task.at, (slots = new Semaphore(deps.maxInFlightPerPartner)));
    await slots.acquire();
    // Abandoned while it waited for a slot (it timed out, the run was cancelled): never sent.
    if (task.signal.aborted) {
      slots.release();
      return { ok: false, reason: 'cancelled', message: 'the attempt was abandoned before it was sent', retryable: false };
    }
    // A task the partner holds for a person frees its slot: it may wait for days.
    let holding = true;
    const release = () => {
      if (holding) slots.release();
      holding = false;
    };
    task.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const call = () =>
        deps.requester.call({
          partner: task.at,
          capability: task.capability,
          purpose: task.purpose,
          input: task.input,
          taskId: task.taskId,
          workflow: task.run,
          ...(task.run.parentTask !== undefined ? { parentTask: task.run.parentTask } : {}),
          onAwaitingApproval: () => {
            release();
            task.onHeld();
          },
          // The engine times the attempt out itself and then cancels the task at the partner;
          // the call waits longer, so that the partner's late answer is still received and
          // receipted on both sides (and recorded as late by the engine).
          ...(task.timeoutMs !== undefined ? { timeoutMs: Math.max(task.timeoutMs, deps.callTimeoutMs) } : {}),
        });
      let outcome = await call();
      // The partner holds the task for one of its people: follow it (the same task id) until
      // it is decided, or until the engine abandons the attempt (a deadline, a cancellation).
      while (outcome.status === 'awaiting_approval' && !task.signal.aborted) outcome = await call();
      if (outcome.status === 'completed') return { ok: true, output: outcome.result };
      const reason = outcome.reason ?? 'internal';
      return { ok: false, reason, message: outcome.message ?? '', retryable: isRetryable(reason) };
    } catch (err) {
      if (!(err instanceof TaskError)) throw err;
      return { ok: false, reason: err.reason, message: err.message, retryable: err.retryable };
    } finally {
      task.signal.removeEventListener('abort', onAbort);
      release();
    }
  }
}
