import { signRun, type RunStatement, type StatementFields, type StatementRecord } from '../audit/index.js';
import { canonicalize, sha256Digest, type SigningKey } from '../crypto/index.js';
import type { RunEvent } from './ports.js';

type Fields = StatementFields<RunStatement>;
/** What a run event says in the log, without the parts every run statement has. */
type Said = RunStatement extends infer R ? (R extends unknown ? Omit<R, 'v' | 'kind' | 'run_id' | 'from' | 'seq' | 'iat'> : never) : never;

/**
 * The statements a run's events put into the orchestrator's audit log (typ entente-run+jws):
 * its start, each attempt with the task it caused, each step's end, each person's decision,
 * its end. Timers, held and late answers, expansions and approval requests stay in the run's
 * events only: they change no outcome a compliance officer asks about.
 */
export function runStatements(
  signer: SigningKey,
  org: string,
  runId: string,
  from: number,
  events: readonly RunEvent[],
  now: number,
): StatementRecord[] {
  const records: StatementRecord[] = [];
  events.forEach((e, i) => {
    const said = statementOf(e);
    if (said === undefined) return;
    const signed = signRun(signer, { ...said, run_id: runId, from: org, seq: from + i, iat: Math.floor(e.at / 1000) } as Fields);
    records.push({ taskId: runId, kind: 'run', signerOrg: org, peerOrg: org, kid: signed.kid, jws: signed.jws, digest: signed.digest, storedAt: now });
  });
  return records;
}

function statementOf(e: RunEvent): Said | undefined {
  switch (e.type) {
    case 'run_started':
      return {
        event: 'started',
        workflow: e.definition.name,
        definition_digest: sha256Digest(canonicalize(e.definition)),
        ...(e.parentTask !== undefined ? { parent: { org: e.parentTask.org, task_id: e.parentTask.taskId } } : {}),
      };
    case 'step_started':
    case 'compensation_started':
      return {
        event: 'step_started',
        step: e.step,
        attempt: e.attempt,
        provider: e.provider,
        task_id: e.taskId,
        ...(e.type === 'compensation_started' ? { compensation: true as const } : {}),
      };
    case 'step_completed':
      return { event: 'step_ended', step: e.step, status: 'completed' };
    case 'step_failed':
      return { event: 'step_ended', step: e.step, status: 'failed', reason: reasonOf(e.reason) };
    case 'step_skipped':
      return { event: 'step_ended', step: e.step, status: 'skipped' };
    case 'step_cancelled':
      return { event: 'step_ended', step: e.step, status: 'cancelled' };
    case 'compensation_completed':
      return { event: 'step_ended', step: e.step, status: 'compensated' };
    case 'compensation_failed':
      return { event: 'step_ended', step: e.step, status: 'compensation_failed', reason: reasonOf(e.reason) };
    case 'approval_decided':
      return { event: 'approval_decided', step: e.step, decision: e.decision, by: e.by.slice(0, 256) };
    case 'run_finished':
      return { event: 'finished', status: e.status, ...(e.reason !== undefined ? { reason: reasonOf(e.reason) } : {}) };
    default:
      return undefined;
  }
}

/** Reasons are codes; a longer text is cut to what the statement holds. */
function reasonOf(reason: string): string {
  return (reason === '' ? 'unknown' : reason).slice(0, 64);
}
