import { leafHash, STATEMENT_KINDS, type StatementRecord } from '../../audit/index.js';
import {
  ACK_DELIVERY_STATES,
  INBOUND_VERDICTS,
  STORED_TASK_STATUSES,
  TASK_ROLES,
  type AckAttempt,
  type InboundApprovalRecord,
  type InboundDecision,
  type OutboxAck,
  type TaskRecord,
} from '../../tasks/index.js';
import { StoreInvalidRecordError } from '../errors.js';

/**
 * Records are checked before they join a group commit, so a caller's bad record is refused
 * on its own and never fails the neighbours that share its transaction.
 */

function text(value: unknown, where: string, allowEmpty = false): void {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw new StoreInvalidRecordError(`${where} must be a ${allowEmpty ? '' : 'non-empty '}string`);
  }
}

function optionalText(value: unknown, where: string): void {
  if (value !== undefined) text(value, where, true);
}

function millis(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StoreInvalidRecordError(`${where} must be a non-negative integer (epoch milliseconds)`);
  }
}

function oneOf(value: unknown, allowed: readonly string[], where: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new StoreInvalidRecordError(`${where} is ${JSON.stringify(value) ?? 'undefined'}; expected one of ${allowed.join(', ')}`);
  }
}

export function checkTask(t: TaskRecord, where: string): void {
  text(t.taskId, `${where}.taskId`);
  oneOf(t.role, TASK_ROLES, `${where}.role`);
  text(t.peerOrg, `${where}.peerOrg`);
  text(t.capability, `${where}.capability`);
  text(t.purpose, `${where}.purpose`);
  text(t.contentDigest, `${where}.contentDigest`);
  text(t.salt, `${where}.salt`);
  oneOf(t.status, STORED_TASK_STATUSES, `${where}.status`);
  optionalText(t.reason, `${where}.reason`);
  optionalText(t.resultJson, `${where}.resultJson`);
  millis(t.createdAt, `${where}.createdAt`);
  millis(t.updatedAt, `${where}.updatedAt`);
}

export function checkDecision(d: InboundDecision, where: string): void {
  oneOf(d.decision, INBOUND_VERDICTS, `${where}.decision`);
  text(d.by, `${where}.by`);
  text(d.reason, `${where}.reason`);
  millis(d.at, `${where}.at`);
}

export function checkApproval(a: InboundApprovalRecord, where: string): void {
  text(a.peerOrg, `${where}.peerOrg`);
  text(a.taskId, `${where}.taskId`);
  text(a.capability, `${where}.capability`);
  text(a.purpose, `${where}.purpose`);
  text(a.inbound?.decisionId, `${where}.inbound.decisionId`);
  text(a.inbound?.policyRevision, `${where}.inbound.policyRevision`);
  millis(a.requestedAt, `${where}.requestedAt`);
  if (a.decided !== undefined) checkDecision(a.decided, `${where}.decided`);
}

function count(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StoreInvalidRecordError(`${where} must be a non-negative integer`);
  }
}

/** An ack entering the outbox; its state and settlement times must agree (as the table's CHECK says). */
export function checkAck(a: OutboxAck, where: string): void {
  text(a.peerOrg, `${where}.peerOrg`);
  text(a.taskId, `${where}.taskId`);
  text(a.ack, `${where}.ack`);
  oneOf(a.state, ACK_DELIVERY_STATES, `${where}.state`);
  count(a.attempts, `${where}.attempts`);
  millis(a.nextAt, `${where}.nextAt`);
  millis(a.createdAt, `${where}.createdAt`);
  optionalText(a.lastError, `${where}.lastError`);
  if ((a.state === 'delivered') !== (a.deliveredAt !== undefined)) throw new StoreInvalidRecordError(`${where}.deliveredAt must be set exactly when state is delivered`);
  if ((a.state === 'failed') !== (a.failedAt !== undefined)) throw new StoreInvalidRecordError(`${where}.failedAt must be set exactly when state is failed`);
  if (a.deliveredAt !== undefined) millis(a.deliveredAt, `${where}.deliveredAt`);
  if (a.failedAt !== undefined) millis(a.failedAt, `${where}.failedAt`);
}

export function checkAckAttempt(a: AckAttempt, where: string): void {
  oneOf(a.state, ACK_DELIVERY_STATES, `${where}.state`);
  count(a.attempts, `${where}.attempts`);
  if (a.state === 'pending') millis(a.nextAt, `${where}.nextAt`);
  else millis(a.at, `${where}.at`);
  if (a.state !== 'delivered') text(a.error, `${where}.error`);
}

export function checkStatement(s: StatementRecord, where: string): void {
  text(s.taskId, `${where}.taskId`);
  oneOf(s.kind, STATEMENT_KINDS, `${where}.kind`);
  text(s.signerOrg, `${where}.signerOrg`);
  text(s.peerOrg, `${where}.peerOrg`);
  text(s.kid, `${where}.kid`, true);
  text(s.jws, `${where}.jws`);
  text(s.digest, `${where}.digest`);
  millis(s.storedAt, `${where}.storedAt`);
}

/** A task as its SQL parameters (named after the record's fields). */
export interface TaskParams {
  readonly taskId: string;
  readonly role: string;
  readonly peerOrg: string;
  readonly capability: string;
  readonly purpose: string;
  readonly contentDigest: string;
  readonly salt: string;
  readonly status: string;
  readonly reason: string | null;
  readonly resultJson: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function taskParams(t: TaskRecord): TaskParams {
  return {
    taskId: t.taskId,
    role: t.role,
    peerOrg: t.peerOrg,
    capability: t.capability,
    purpose: t.purpose,
    contentDigest: t.contentDigest,
    salt: t.salt,
    status: t.status,
    reason: t.reason ?? null,
    resultJson: t.resultJson ?? null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** A statement as its SQL parameters; its log position is the log's to assign, never the caller's. */
export function statementParams(s: StatementRecord): Omit<StatementRecord, 'index'> & { leafHash: Buffer } {
  return {
    leafHash: leafHash(s.jws),
    taskId: s.taskId,
    kind: s.kind,
    signerOrg: s.signerOrg,
    peerOrg: s.peerOrg,
    kid: s.kid,
    jws: s.jws,
    digest: s.digest,
    storedAt: s.storedAt,
  };
}

export interface TaskRow {
  role: TaskRecord['role'];
  peer_org: string;
  task_id: string;
  capability: string;
  purpose: string;
  content_digest: string;
  salt: string;
  status: TaskRecord['status'];
  reason: string | null;
  result_json: string | null;
  created_at: number;
  updated_at: number;
}

export interface StatementRow {
  log_index: number;
  task_id: string;
  kind: StatementRecord['kind'];
  signer_org: string;
  peer_org: string;
  kid: string;
  jws: string;
  digest: string;
  stored_at: number;
}

export function toTask(r: TaskRow): TaskRecord {
  return {
    taskId: r.task_id,
    role: r.role,
    peerOrg: r.peer_org,
    capability: r.capability,
    purpose: r.purpose,
    contentDigest: r.content_digest,
    salt: r.salt,
    status: r.status,
    ...(r.reason !== null ? { reason: r.reason } : {}),
    ...(r.result_json !== null ? { resultJson: r.result_json } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toStatement(r: StatementRow): StatementRecord {
  return {
    index: r.log_index,
    taskId: r.task_id,
    kind: r.kind,
    signerOrg: r.signer_org,
    peerOrg: r.peer_org,
    kid: r.kid,
    jws: r.jws,
    digest: r.digest,
    storedAt: r.stored_at,
  };
}

/** An inbound approval as its SQL parameters. */
export function approvalParams(a: InboundApprovalRecord) {
  return {
    peerOrg: a.peerOrg,
    taskId: a.taskId,
    capability: a.capability,
    purpose: a.purpose,
    decisionId: a.inbound.decisionId,
    policyRevision: a.inbound.policyRevision,
    requestedAt: a.requestedAt,
    ...decisionParams(a.decided),
  };
}

export function decisionParams(d: InboundDecision | undefined) {
  return { decision: d?.decision ?? null, decidedBy: d?.by ?? null, decidedReason: d?.reason ?? null, decidedAt: d?.at ?? null };
}

export interface ApprovalRow {
  peer_org: string;
  task_id: string;
  capability: string;
  purpose: string;
  inbound_decision_id: string;
  inbound_policy_revision: string;
  requested_at: number;
  decision: InboundDecision['decision'] | null;
  decided_by: string | null;
  decided_reason: string | null;
  decided_at: number | null;
}

export function toApproval(r: ApprovalRow): InboundApprovalRecord {
  return {
    peerOrg: r.peer_org,
    taskId: r.task_id,
    capability: r.capability,
    purpose: r.purpose,
    inbound: { decisionId: r.inbound_decision_id, policyRevision: r.inbound_policy_revision },
    requestedAt: r.requested_at,
    ...(r.decision !== null ? { decided: { decision: r.decision, by: r.decided_by!, reason: r.decided_reason!, at: r.decided_at! } } : {}),
  };
}

/** An outbox ack as its SQL parameters. */
export function ackParams(a: OutboxAck) {
  return {
    peerOrg: a.peerOrg,
    taskId: a.taskId,
    ack: a.ack,
    state: a.state,
    attempts: a.attempts,
    nextAt: a.nextAt,
    createdAt: a.createdAt,
    lastError: a.lastError ?? null,
    deliveredAt: a.deliveredAt ?? null,
    failedAt: a.failedAt ?? null,
  };
}

/** An attempt's outcome as the parameters of the outbox's update (null: left as it is). */
export function ackAttemptParams(peerOrg: string, taskId: string, a: AckAttempt) {
  return {
    peerOrg,
    taskId,
    state: a.state,
    attempts: a.attempts,
    nextAt: a.state === 'pending' ? a.nextAt : null,
    lastError: a.state === 'delivered' ? null : a.error,
    deliveredAt: a.state === 'delivered' ? a.at : null,
    failedAt: a.state === 'failed' ? a.at : null,
  };
}

export interface AckRow {
  peer_org: string;
  task_id: string;
  ack_jws: string;
  state: OutboxAck['state'];
  attempts: number;
  next_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  failed_at: number | null;
}

export function toAck(r: AckRow): OutboxAck {
  return {
    peerOrg: r.peer_org,
    taskId: r.task_id,
    ack: r.ack_jws,
    state: r.state,
    attempts: r.attempts,
    nextAt: r.next_at,
    createdAt: r.created_at,
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    ...(r.delivered_at !== null ? { deliveredAt: r.delivered_at } : {}),
    ...(r.failed_at !== null ? { failedAt: r.failed_at } : {}),
  };
}
