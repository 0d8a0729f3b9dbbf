import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ManualClock } from '../../../gateway/src/lib/index.js';
import { createLogger } from '../../../gateway/src/observability/index.js';
import { openSqliteStore, type SqliteStore } from '../../../gateway/src/store/index.js';
import { WorkflowEngine, type Outcome, type StepExecutor, type StepTask, type WorkflowEngineDeps } from '../../../gateway/src/workflows/index.js';

/**
 * A stand-in for the gateway's executor (which calls agents and partners): it records every
 * task it is given and answers from a script, so the engine's own behaviour can be driven step
 * by step. The integration tests run the engine against real gateways.
 */
export class ScriptedExecutor implements StepExecutor {
  readonly calls: { taskId: string; capability: string; at: string; input: unknown; idempotencyKey: string; run: StepTask['run'] }[] = [];
  readonly aborted: string[] = [];
  private readonly pending = new Map<string, (o: Outcome) => void>();
  constructor(private readonly script: (task: StepTask) => Outcome | 'hang') {}

  execute(task: StepTask): Promise<Outcome> {
    this.calls.push({ taskId: task.taskId, capability: task.capability, at: task.at, input: task.input, idempotencyKey: task.idempotencyKey, run: task.run });
    task.signal.addEventListener('abort', () => this.aborted.push(task.taskId), { once: true });
    const answer = this.script(task);
    if (answer === 'hang') return new Promise((resolve) => this.pending.set(task.taskId, resolve));
    return Promise.resolve(answer);
  }

  /** Answers a task that hung. */
  answer(taskId: string, outcome: Outcome): void {
    this.pending.get(taskId)?.(outcome);
    this.pending.delete(taskId);
  }

  ran(capability: string): string[] {
    return this.calls.filter((c) => c.capability === capability).map((c) => c.taskId);
  }
}


/** Fresh SQLite stores in temporary directories (closed and removed after each test), and engines over them. */
export function engineHarness() {
  const dirs: string[] = [];
  const stores: SqliteStore[] = [];
  const store = (dir = mkdtempSync(join(tmpdir(), 'entente-runs-'))) => {
    dirs.push(dir);
    const s = openSqliteStore(join(dir, 'entente.db'), { checkpointMs: 0 });
    stores.push(s);
    return { s, dir };
  };
  const engines: WorkflowEngine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const engine = (runs: SqliteStore, executor: StepExecutor, clock = new ManualClock(), extra: Partial<WorkflowEngineDeps> = {}) => {
    const e = new WorkflowEngine({ runs, executor, clock, log: createLogger({ org: 'hospital-a', level: 'silent' }), ...extra });
    engines.push(e);
    return e;
  };
  return { store, stores, engine };
}

export const ok = (output: unknown): Outcome => ({ ok: true, output });
export const down: Outcome = { ok: false, reason: 'partner_unavailable', message: 'the partner could not be reached', retryable: true };

/**
 * Moves the clock on in steps until the run has finished. Before each step it lets the engine
 * catch up: until the run has finished or something sleeps on the clock again (the engine waiting
 * for its next timer). A fixed pause instead let a slow store write (a real fdatasync on a busy CI
 * machine) see the clock a step later than the timer that woke it.
 */
export async function advanceUntilFinished(e: WorkflowEngine, runId: string, clock: ManualClock, stepMs = 1000, maxSteps = 200) {
  for (let i = 0; i < maxSteps; i++) {
    const state = await caughtUp(e, runId, clock);
    if (state?.finished !== undefined) return state;
    await clock.advance(stepMs);
  }
  throw new Error(`run ${runId} did not finish within ${maxSteps} steps of ${stepMs} ms`);
}

/** The run's state once it has finished or something sleeps on the clock (up to 5 s, for runs waiting on no timer). */
async function caughtUp(e: WorkflowEngine, runId: string, clock: ManualClock) {
  const give = Date.now() + 5000;
  for (;;) {
    const state = await e.get(runId);
    if (state?.finished !== undefined || clock.pending > 0 || Date.now() > give) return state;
    await new Promise((r) => setTimeout(r, 2));
  }
}
