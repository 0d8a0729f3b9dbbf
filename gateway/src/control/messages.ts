import type { CallRequest__Output } from '../generated/entente/control/v1/CallRequest.js';
import type { CallResponse } from '../generated/entente/control/v1/CallResponse.js';
import type { GetReceiptsResponse } from '../generated/entente/control/v1/GetReceiptsResponse.js';
import type { ListTasksRequest__Output } from '../generated/entente/control/v1/ListTasksRequest.js';
import type { ListTasksResponse } from '../generated/entente/control/v1/ListTasksResponse.js';
import type { Status } from '../generated/entente/control/v1/Status.js';
import type { TaskSummary } from '../generated/entente/control/v1/TaskSummary.js';
import type { Run } from '../generated/entente/control/v1/Run.js';
import type { RunState } from '../workflows/index.js';
import type { CallOptions, CallResult, TaskFilter, TaskReceipts, TaskRecord } from '../tasks/index.js';
import type { GatewayStatus } from './backend.js';
import { inspectCompactJws } from '../crypto/index.js';
import { ControlError } from './errors.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;

/** A Call request as the gateway's call options; refuses what is malformed, naming the field. */
export function toCallOptions(req: CallRequest__Output, deadlineInMs: number | undefined): CallOptions {
  for (const field of ['partner', 'capability', 'purpose', 'input_json'] as const) {
    if (req[field] === '') throw new ControlError('CONTROL_INVALID_ARGUMENT', `${field} is required`);
  }
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
 * One page of tasks, newest first, each with the state of its receipts. The page token is
 * the offset of the next page, opaque to callers.
 */
export async function toListTasks(
  req: ListTasksRequest__Output,
  list: (filter: TaskFilter) => Promise<readonly TaskRecord[]>,
  receiptsOf: (task: TaskRecord) => Promise<string>,
): Promise<ListTasksResponse> {
  if (req.page_size > MAX_PAGE) throw new ControlError('CONTROL_INVALID_ARGUMENT', `page_size ${req.page_size} is above the maximum of ${MAX_PAGE}`);
  const size = req.page_size === 0 ? DEFAULT_PAGE : req.page_size;
  const offset = req.page_token === '' ? 0 : decodeToken(req.page_token);
  const role = req.role === 'ROLE_REQUESTER' ? 'requester' : req.role === 'ROLE_RESPONDER' ? 'responder' : undefined;
  const tasks = await list({
    ...(req.partner !== '' ? { peerOrg: req.partner } : {}),
    ...(role !== undefined ? { role } : {}),
    offset,
    limit: size + 1,
  });
  const page = tasks.slice(0, size);
  return {
    tasks: await Promise.all(page.map(async (t) => summary(t, await receiptsOf(t)))),
    next_page_token: tasks.length > size ? Buffer.from(String(offset + size)).toString('base64url') : '',
  };
}

function decodeToken(token: string): number {
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new ControlError('CONTROL_INVALID_ARGUMENT', 'page_token is not one this gateway issued; start again with an empty page_token');
  }
  return offset;
}

export function summary(t: TaskRecord, receipts: string): TaskSummary {
  return {
    task_id: t.taskId,
    role: t.role === 'requester' ? 'ROLE_REQUESTER' : 'ROLE_RESPONDER',
    partner: t.peerOrg,
    capability: t.capability,
    purpose: t.purpose,
    status: `TASK_STATUS_${(t.status === 'received' ? 'running' : t.status).toUpperCase()}` as NonNullable<TaskSummary['status']>,
    reason: t.reason ?? '',
    created_at: new Date(t.createdAt).toISOString(),
    updated_at: new Date(t.updatedAt).toISOString(),
    receipts,
  };
}

export function toReceipts(found: readonly TaskReceipts[]): GetReceiptsResponse {
  return {
    tasks: found.map((r) => ({
      task: summary(r.task, r.verification.state),
      statements: r.statements.map((s) => ({
        kind: s.kind,
        signer_org: s.signerOrg,
        kid: s.kid,
        digest: s.digest,
        payload_json: inspectCompactJws(s.jws).payloadText,
        jws: s.jws,
      })),
      verification: { state: r.verification.state, problems: [...r.verification.problems] },
    })),
  };
}

export function toStatus(s: GatewayStatus): Status {
  const iso = (d: Date | undefined) => (d === undefined ? '' : d.toISOString());
  return {
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
    })),
    certificate_expires_at: iso(s.certificateExpiresAt),
    started_at: iso(s.startedAt),
  };
}

/** A run's state as the control API shows it. */
export function toRun(state: RunState): Run {
  const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));
  return {
    run_id: state.runId,
    workflow: state.definition.name,
    status: state.finished?.status ?? 'running',
    steps: state.definition.steps.map((s) => {
      const st = state.steps.get(s.id);
      return {
        id: s.id,
        status: st?.status ?? 'pending',
        attempt: st?.attempt ?? 0,
        task_id: st?.taskId ?? '',
        output_json: st?.status === 'completed' ? json(st.output) : '',
        reason: st?.reason ?? '',
        message: st?.message ?? '',
      };
    }),
    output_json: state.finished?.status === 'completed' ? json(state.finished.output) : '',
    reason: state.finished?.reason ?? '',
  };
}

/** The JSON text of a request field, or a refusal naming the field. */
export function parseJsonField(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ControlError('CONTROL_INVALID_ARGUMENT', `${field} is not valid JSON: ${(err as Error).message}`);
  }
}
