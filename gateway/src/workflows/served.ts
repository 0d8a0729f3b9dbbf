import { createHash } from 'node:crypto';
import type { AgentDefinition } from '@entente/sdk';
import { z } from 'zod';
import type { WorkflowEngine } from './engine.js';
import type { ValidWorkflow } from './validate.js';

/**
 * A capability this gateway offers partners that is a workflow here (nested orchestration):
 * each partner task starts one run, whose id is derived from the requester and its task id
 * (`<org>.<hash of the task id>`; the run records the task itself as its parent),
 * so that a resubmitted task re-attaches to its run instead of starting another. The run's
 * partner steps cite the task in their request statements (`parent`), hop by hop. The task's
 * result is the run's output, which the disclosure policy then filters like any agent's.
 * Cancelling the task (or its deadline) cancels the run.
 */
export function servedWorkflow(served: { readonly capability: string; readonly description?: string }, workflow: ValidWorkflow, engine: () => WorkflowEngine): AgentDefinition {
  const name = `workflow.${served.capability}`;
  return {
    name: name.slice(0, 128),
    description: served.description ?? workflow.definition.description ?? `the workflow ${workflow.definition.name}`,
    capabilities: [served.capability],
    input: z.unknown(),
    output: z.unknown(),
    handler: async (input, ctx) => {
      // The requester chose the task id: hashed, so that no choice of it can make this run's
      // task ids (`<run>.<step>.<attempt>`) those of another run.
      const runId = `${ctx.requester}.${createHash('sha256').update(ctx.taskId).digest('base64url').slice(0, 32)}`;
      await engine().start(workflow, input, { runId, parentTask: { org: ctx.requester, taskId: ctx.taskId } });
      const cancel = () => void engine().cancel(runId, `${ctx.requester} (the task was cancelled or ran out of time)`, 'the task this run serves ended').catch(() => undefined);
      ctx.signal.addEventListener('abort', cancel, { once: true });
      if (ctx.signal.aborted) cancel();
      try {
        const done = await engine().wait(runId);
        if (done.finished?.status === 'completed') return done.finished.output;
        ctx.log.warn({ run_id: runId, status: done.finished?.status }, 'the workflow serving a task did not complete');
        throw new Error(`the workflow ${workflow.definition.name} ${done.finished?.status ?? 'stopped'}`);
      } finally {
        ctx.signal.removeEventListener('abort', cancel);
      }
    },
  };
}
