import type { Approval } from '../generated/entente/control/v1/Approval.js';
import type { CallRequest__Output } from '../generated/entente/control/v1/CallRequest.js';
import type { CallResponse } from '../generated/entente/control/v1/CallResponse.js';
import type { CancelRunRequest__Output } from '../generated/entente/control/v1/CancelRunRequest.js';
import type { DecideApprovalRequest__Output } from '../generated/entente/control/v1/DecideApprovalRequest.js';
import type { Decision } from '../generated/entente/control/v1/Decision.js';
import type { GetReceiptsResponse } from '../generated/entente/control/v1/GetReceiptsResponse.js';
import type { ListRunsRequest__Output } from '../generated/entente/control/v1/ListRunsRequest.js';
import type { ListRunsResponse } from '../generated/entente/control/v1/ListRunsResponse.js';
import type { ListTasksRequest__Output } from '../generated/entente/control/v1/ListTasksRequest.js';
import type { ListTasksResponse } from '../generated/entente/control/v1/ListTasksResponse.js';
import type { RunEvent as RunEventMessage } from '../generated/entente/control/v1/RunEvent.js';
import type { Status } from '../generated/entente/control/v1/Status.js';
import type { StepRun } from '../generated/entente/control/v1/StepRun.js';
import type { TaskSummary } from '../generated/entente/control/v1/TaskSummary.js';
import type { Run } from '../generated/entente/control/v1/Run.js';
import { APPROVAL_DECISIONS, type ApprovalDecision, type PendingApproval, type RunEvent, type RunFilter, type RunState, type RunSummary, type StepState } from '../workflows/index.js';
import type { AckStatus as AckStatusMessage } from '../generated/entente/control/v1/AckStatus.js';
import type { AckStatus, CallOptions, CallResult, TaskFilter, TaskReceipts, TaskRecord } from '../tasks/index.js';
import type { ExportAuditRequest__Output } from '../generated/entente/control/v1/ExportAuditRequest.js';
import type { AuditLogState, ControlBackend, GatewayStatus } from './backend.js';
import { inspectCompactJws } from '../crypto/index.js';
import { ControlError } from './errors.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;

/** A Call request as the gateway's call options; refuses what is malformed, naming the field. */
export function toCallOptions(req: CallRequest__Output, deadlineInMs: number | undefined): CallOptions {
  requireFields(req, ['partner', 'capability', 'purpose', 'input_json']);
  const input = parseJsonField(req.input_json, 'input_json');
  const timeouts = [req.timeout_ms > 0 ? req.timeout_ms : undefined, deadlineInMs].filter((t): t is number => t !== undefined);
  return {
    partner: req.partner,
    capability: req.capability,
    purpose: req.purpose,
    input,
    ...(req.task_id !== '' ? { taskId: req.task_id } : {}),
    ...(timeouts.length > 0 ? { timeoutMs: Math.max(1, Math.min(...timeouts)) } : {}),
  };
}

export function toCallResponse(r: CallResult): CallResponse {
  return {
    task_id: r.taskId,
    partner: r.partner,
    capability: r.capability,
    status: `TASK_STATUS_${r.status.toUpperCase()}` as NonNullable<CallResponse['status']>,
    ...(r.result !== undefined ? { result_json: JSON.stringify(r.result) } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.message !== undefined ? { message: r.message } : {}),
    policy_reasons: [...(r.policyReasons ?? [])],
    receipts: { request: r.receipts.request ?? '', result: r.receipts.result ?? '', ack: r.receipts.ack ?? '' },
  };
}

/**
 * One page of tasks, newest first, each with the state of its receipts and of its ack. The
 * page token is the offset of the next page, opaque to callers.
 */
export async function toListTasks(
  req: ListTasksRequest__Output,
  list: (filter: TaskFilter) => Promise<readonly TaskRecord[]>,
  receiptsOf: (task: TaskRecord) => Promise<{ readonly receipts: string; readonly ack: string }>,
): Promise<ListTasksResponse> {
  const role = req.role === 'ROLE_REQUESTER' ? 'requester' : req.role === 'ROLE_RESPONDER' ? 'responder' : undefined;
  const { items, next_page_token } = await page(req, (window) =>
    list({ ...(req.partner !== '' ? { peerOrg: req.partner } : {}), ...(role !== undefined ? { role } : {}), ...window }),
  );
  return {
    tasks: await Promise.all(
      items.map(async (t) => {
        const held = await receiptsOf(t);
        return summary(t, held.receipts, held.ack);
      }),
    ),
    next_page_token,
  };
}

const RUN_STATUSES: readonly RunSummary['status'][] = ['running', 'completed', 'failed', 'cancelled'];

/** One page of runs, newest first, paged like tasks. */
export async function toListRuns(req: ListRunsRequest__Output, list: ControlBackend['listRuns']): Promise<ListRunsResponse> {
  const status = RUN_STATUSES.find((s) => s === req.status);
  if (req.status !== '' && status === undefined) {
    throw new ControlError('CONTROL_INVALID_ARGUMENT', `status ${JSON.stringify(req.status)} is not a run status: expected ${RUN_STATUSES.join(', ')}, or empty for every run`);
  }
  const filter: Pick<RunFilter, 'status'> = status !== undefined ? { status } : {};
  const { items, next_page_token } = await page(req, (window) => list({ ...filter, ...window }));
  return {
    runs: items.map((r) => ({ run_id: r.runId, workflow: r.workflow, status: r.status, started_at: iso(r.startedAt), updated_at: iso(r.updatedAt) })),
    next_page_token,
  };
}

/**
 * The page a request's page_size and page_token ask for, fetched one item past the page to
 * know whether another follows. The token is the next page's offset, opaque to callers.
 */
async function page<T>(
  req: { readonly page_size: number; readonly page_token: string },
  fetch: (window: { readonly offset: number; readonly limit: number }) => Promise<readonly T[]>,
): Promise<{ items: readonly T[]; next_page_token: string }> {
  if (req.page_size > MAX_PAGE) throw new ControlError('CONTROL_INVALID_ARGUMENT', `page_size ${req.page_size} is above the maximum of ${MAX_PAGE}`);
  const size = req.page_size === 0 ? DEFAULT_PAGE : req.page_size;
  const offset = req.page_token === '' ? 0 : decodeToken(req.page_token);
  const found = await fetch({ offset, limit: size + 1 });
  return {
    items: found.slice(0, size),
    next_page_token: found.length > size ? Buffer.from(String(offset + size)).toString('base64url') : '',
  };
}

function decodeToken(token: string): number {
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new ControlError('CONTROL_INVALID_ARGUMENT', 'page_token is not one this gateway issued; start again with an empty page_token');
  }
  return offset;
}

export function summary(t: TaskRecord, receipts: string, ack: string): TaskSummary {
  return {
    task_id: t.taskId,
    role: t.role === 'requester' ? 'ROLE_REQUESTER' : 'ROLE_RESPONDER',
    partner: t.peerOrg,
    capability: t.capability,
    purpose: t.purpose,
    status: `TASK_STATUS_${(t.status === 'received' ? 'running' : t.status).toUpperCase()}` as NonNullable<TaskSummary['status']>,
    reason: t.reason ?? '',
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
    receipts,
    ack,
  };
}

export function toReceipts(found: readonly TaskReceipts[]): GetReceiptsResponse {
  return {
    tasks: found.map((r) => ({
      task: summary(r.task, r.verification.state, r.ack.state),
      statements: r.statements.map((s) => ({
        kind: s.kind,
        signer_org: s.signerOrg,
        kid: s.kid,
        digest: s.digest,
        payload_json: inspectCompactJws(s.jws).payloadText,
        jws: s.jws,
        log_index: String(s.index ?? 0),
      })),
      verification: { state: r.verification.state, problems: [...r.verification.problems] },
      ack: toAckStatus(r.ack),
    })),
  };
}

function toAckStatus(a: AckStatus): AckStatusMessage {
  return {
    state: a.state,
    attempts: a.attempts ?? 0,
    next_attempt_at: iso(a.nextAt),
    last_error: a.lastError ?? '',
    delivered_at: iso(a.deliveredAt),
    failed_at: iso(a.failedAt),
  };
}

export function toStatus(s: GatewayStatus, log: AuditLogState): Status {
  return {
    audit_log: {
      origin: log.origin,
      log_key: log.logKey,
      size: String(log.size),
      checkpoint: log.checkpoint,
      cosigned_by: Object.fromEntries(Object.entries(log.cosignedBy).map(([k, v]) => [k, String(v)])),
      witnessed: log.witnessed.map((w) => ({ partner: w.partner, size: String(w.size), verified_at: iso(w.verifiedAt) })),
      alarm_count: log.alarmCount,
      alarms: log.alarms.map((a) => ({ partner: a.partner, at: iso(a.at), code: a.code, message: a.message })),
    },
    org: s.org,
    version: s.version,
    policy_revision: s.policyRevision,
    federation_address: s.federationAddress,
    capabilities: s.capabilities.map((c) => ({ name: c.name, description: c.description, agent: c.agent })),
    partners: s.partners.map((p) => ({
      org: p.org,
      address: p.address,
      reachability: p.reachability,
      last_seen_at: iso(p.lastSeenAt),
      last_error: p.lastError ?? '',
      ca_expires_at: iso(p.caExpiresAt),
      certificate_expires_at: iso(p.certificateExpiresAt),
      circuit_open_until: iso(p.circuitOpenUntil),
    })),
    certificate_expires_at: iso(s.certificateExpiresAt),
    started_at: iso(s.startedAt),
    process: {
      cpu_user_us: String(s.process.cpuUserUs),
      cpu_system_us: String(s.process.cpuSystemUs),
      event_loop_active_ms: s.process.eventLoopActiveMs,
      event_loop_idle_ms: s.process.eventLoopIdleMs,
      store_commits: String(s.process.storeCommits),
      store_writes: String(s.process.storeWrites),
      store_syncs: String(s.process.storeSyncs),
      store_sync_ms: s.process.storeSyncMs,
      signatures: String(s.process.signatures),
      statements_signed: String(s.process.statementsSigned),
    },
  };
}

/** A run's state as the control API shows it: every node, in the order the nodes came to exist. */
export function toRun(state: RunState): Run {
  const { finished } = state;
  return {
    run_id: state.runId,
    workflow: state.definition.name,
    status: state.status,
    steps: [...state.steps.values()].map(toStepRun),
    output_json: finished?.status === 'completed' ? json(finished.output) : '',
    reason: finished?.reason ?? '',
    started_at: iso(state.startedAt),
    finished_at: iso(finished?.at),
    partial: [...(finished?.partial ?? [])],
    cancel_reason: state.cancel?.reason ?? '',
    parent_org: state.parentTask?.org ?? '',
    parent_task_id: state.parentTask?.taskId ?? '',
  };
}

function toStepRun(n: StepState): StepRun {
  return {
    id: n.id,
    status: n.status,
    attempt: n.attempt,
    task_id: n.taskId ?? '',
    output_json: n.status === 'completed' ? json(n.output) : '',
    reason: n.reason ?? '',
    message: n.message ?? '',
    parent: n.parent ?? '',
    provider: n.provider ?? '',
    tried: [...n.tried],
    started_at: iso(n.startedAt),
    finished_at: iso(n.finishedAt),
    item: n.item === undefined ? null : { index: n.item.index, value_json: json(n.item.value) },
    late: n.late,
    approval_id: n.approval?.approvalId ?? '',
    compensation: n.compensation === undefined ? null : { status: n.compensation.status, task_id: n.compensation.taskId ?? '', reason: n.compensation.reason ?? '' },
    decided: n.decided === undefined ? null : toDecisionMessage(n.decided),
  };
}

/** One event of a watched run, with the run's state after it. */
export function toRunEvent(e: { readonly seq: number; readonly event: RunEvent; readonly state: RunState }): RunEventMessage {
  return { seq: e.seq, type: e.event.type, event_json: JSON.stringify(e.event), run: toRun(e.state) };
}

export function toApproval(a: PendingApproval): Approval {
  return {
    approval_id: a.approvalId,
    kind: a.kind,
    run_id: a.runId ?? '',
    workflow: a.workflow ?? '',
    step: a.step ?? '',
    task: a.task === undefined ? null : { task_id: a.task.taskId, partner: a.task.partner, capability: a.task.capability, purpose: a.task.purpose },
    details_json: json(a.details),
    requested_at: iso(a.requestedAt),
    expires_at: iso(a.expiresAt),
    decisions: [...a.decisions],
    decided: a.decided === undefined ? null : toDecisionMessage(a.decided),
  };
}

function toDecisionMessage(d: { readonly decision: ApprovalDecision; readonly by: string; readonly reason: string; readonly at?: number }): Decision {
  return { decision: d.decision, by: d.by, reason: d.reason, decided_at: iso(d.at) };
}

/** A CancelRun request as the backend takes it; refuses one without a run id or a reason. */
export function toCancel(req: CancelRunRequest__Output): { readonly runId: string; readonly reason: string } {
  requireFields(req, ['run_id']);
  return { runId: req.run_id, reason: requiredReason(req.reason, 'the run') };
}

const DECISIONS: ReadonlySet<string> = new Set(Object.values(APPROVAL_DECISIONS).flat());

/**
 * A DecideApproval request as the backend takes it, decided `by` the caller (never a field of
 * the request: who decided is what the listener established). Whether the decision is one the
 * approval takes is the backend's to say; this refuses what no approval takes.
 */
export function toDecision(
  req: DecideApprovalRequest__Output,
  by: string,
): { readonly approvalId: string; readonly decision: Parameters<ControlBackend['decideApproval']>[1] } {
  requireFields(req, ['approval_id']);
  if (!DECISIONS.has(req.decision)) {
    const given = req.decision === '' ? 'decision is required' : `decision ${JSON.stringify(req.decision)} is not one`;
    throw new ControlError('CONTROL_INVALID_ARGUMENT', `${given}: approve or reject (an approval), retry, skip or fail (an escalation)`);
  }
  const decision = req.decision as ApprovalDecision;
  if (req.output_json !== '' && decision !== 'skip') {
    throw new ControlError('CONTROL_INVALID_ARGUMENT', `output_json is only for skip (the output the skipped step gets), not for ${decision}`);
  }
  const reason = requiredReason(req.reason, 'your decision');
  return {
    approvalId: req.approval_id,
    decision: { decision, by, reason, ...(req.output_json !== '' ? { output: parseJsonField(req.output_json, 'output_json') } : {}) },
  };
}

function requiredReason(text: string, what: string): string {
  const reason = text.trim();
  if (reason === '') throw new ControlError('CONTROL_INVALID_ARGUMENT', `reason is required: say why; it is kept with ${what} and who asked`);
  return reason;
}

/** Refuses a request whose named string fields are empty, naming the first. */
function requireFields<R extends object>(req: R, fields: readonly { [K in keyof R]: R[K] extends string ? K : never }[keyof R][]): void {
  for (const field of fields) {
    if (req[field] === '') throw new ControlError('CONTROL_INVALID_ARGUMENT', `${String(field)} is required`);
  }
}

/** RFC 3339, or empty for a time that has not come. */
function iso(t: Date | number | undefined): string {
  return t === undefined ? '' : new Date(t).toISOString();
}

function json(v: unknown): string {
  return v === undefined ? '' : JSON.stringify(v);
}

/** The JSON text of a request field, or a refusal naming the field. */
export function parseJsonField(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ControlError('CONTROL_INVALID_ARGUMENT', `${field} is not valid JSON: ${(err as Error).message}`);
  }
}

/** ExportAudit's selection: RFC 3339 bounds and a partner, each optional. */
export function toExportSelection(req: ExportAuditRequest__Output): { since?: Date; until?: Date; partner?: string } {
  const time = (value: string, field: string): Date | undefined => {
    if (value === '') return undefined;
    const t = Date.parse(value);
    if (!Number.isFinite(t) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw new ControlError('CONTROL_INVALID_ARGUMENT', `${field} ${JSON.stringify(value.slice(0, 40))} is not an RFC 3339 time, e.g. 2026-12-01T00:00:00Z`);
    return new Date(t);
  };
  const since = time(req.since, 'since');
  const until = time(req.until, 'until');
  if (since !== undefined && until !== undefined && until < since) throw new ControlError('CONTROL_INVALID_ARGUMENT', 'until is before since');
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}), ...(req.partner !== '' ? { partner: req.partner } : {}) };
}

/** A byte string as the chunks a stream sends (gRPC messages stay well under their size limit). */
export async function* chunks(data: Buffer, size = 1 << 20): AsyncIterable<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
