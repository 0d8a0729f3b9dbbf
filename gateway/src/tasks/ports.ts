import type { StatementRecord } from '../audit/index.js';

/**
 * What tasks/ needs of storage: its task records, written together with the statements they
 * produce. Declared here, implemented by the drivers under store/.
 */

export const TASK_ROLES = ['requester', 'responder'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];
export const STORED_TASK_STATUSES = ['received', 'running', 'awaiting_approval', 'approved', 'completed', 'failed', 'denied', 'cancelled'] as const;
export type StoredTaskStatus = (typeof STORED_TASK_STATUSES)[number];

export interface TaskRecord {
  readonly taskId: string;
  readonly role: TaskRole;
  readonly peerOrg: string;
  readonly capability: string;
  readonly purpose: string;
  /** Unsalted digest of the request content, to tell a retry from a conflicting reuse of the id. */
  readonly contentDigest: string;
  /** The per-task salt of the receipts' digests: kept locally, never in a statement. */
  readonly salt: string;
  readonly status: StoredTaskStatus;
  readonly reason?: string;
  /** The minimised result that left (or arrived), so a resubmission gets the same answer. */
  readonly resultJson?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TaskFilter {
  readonly taskId?: string;
  readonly peerOrg?: string;
  readonly role?: TaskRole;
  readonly status?: StoredTaskStatus;
  /** Newest first (by createdAt, then task id); default 1000. */
  readonly limit?: number;
  /** Skip this many of the matching tasks (for paging). */
  readonly offset?: number;
}

/**
 * One durable write: tasks are upserted, statements appended to the log, inbound approvals
 * recorded (each once: a second record of the same task is refused), all or nothing.
 */
export interface WriteBatch {
  readonly tasks?: readonly TaskRecord[];
  readonly statements?: readonly StatementRecord[];
  readonly approvals?: readonly InboundApprovalRecord[];
  /**
   * Acks to deliver, entering the outbox with the ack statements they carry: written in the
   * same transaction, so that no stored ack can be forgotten by a crash. An ack already in the
   * outbox for the same (peer, task) is kept as it is.
   */
  readonly acks?: readonly OutboxAck[];
}

export type ClaimResult = { readonly created: true } | { readonly created: false; readonly existing: TaskRecord };

export const INBOUND_VERDICTS = ['approve', 'reject'] as const;
export type InboundVerdict = (typeof INBOUND_VERDICTS)[number];

/** A person's decision on a held request: who, why and when, kept as evidence. */
export interface InboundDecision {
  readonly decision: InboundVerdict;
  readonly by: string;
  readonly reason: string;
  readonly at: number;
}

/**
 * A partner's request that our inbound policy held for a person's decision. It holds nothing
 * of the input (payloads are never stored): who asks, for which capability and purpose.
 */
export interface InboundApprovalRecord {
  readonly peerOrg: string;
  readonly taskId: string;
  readonly capability: string;
  readonly purpose: string;
  /** The inbound decision that asked for the approval; the task's result statement cites it. */
  readonly inbound: { readonly decisionId: string; readonly policyRevision: string };
  readonly requestedAt: number;
  /** Once decided; never changes after. */
  readonly decided?: InboundDecision;
}

export interface InboundApprovalFilter {
  readonly peerOrg?: string;
  readonly taskId?: string;
  /** Only those waiting for a person: undecided, and their task still awaiting approval. */
  readonly pending?: boolean;
  /** Oldest first (by requestedAt, then peer and task id); default 1000. */
  readonly limit?: number;
  readonly offset?: number;
}

export type DecideResult =
  | { readonly decided: true }
  /** Nothing written: the approval as stored (undefined if there is none). */
  | { readonly decided: false; readonly existing: InboundApprovalRecord | undefined };

export const ACK_DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
/** pending: to be (re)tried; delivered: the partner took it; failed: the partner refused it for good. */
export type AckDeliveryState = (typeof ACK_DELIVERY_STATES)[number];

/**
 * An ack statement of ours in the outbox: to deliver to the partner that sent the result, with
 * its retry state. Kept once delivered or refused, as evidence of when and why.
 */
export interface OutboxAck {
  readonly peerOrg: string;
  readonly taskId: string;
  /** The ack statement (compact JWS), as it is in the log. */
  readonly ack: string;
  readonly state: AckDeliveryState;
  /** Delivery attempts made so far. */
  readonly attempts: number;
  /** When the next attempt is due (epoch ms); meaningful while pending. */
  readonly nextAt: number;
  readonly createdAt: number;
  /** Why the last attempt failed: a reason code and its message. */
  readonly lastError?: string;
  /** When the partner took it (delivered only). */
  readonly deliveredAt?: number;
  /** When the partner refused it for good (failed only). */
  readonly failedAt?: number;
}

/** How an attempt at delivering a pending ack ended, as the outbox records it. */
export type AckAttempt =
  | { readonly state: 'delivered'; readonly attempts: number; readonly at: number }
  | { readonly state: 'pending'; readonly attempts: number; readonly nextAt: number; readonly error: string }
  | { readonly state: 'failed'; readonly attempts: number; readonly at: number; readonly error: string };

export interface PendingAckFilter {
  readonly peerOrg?: string;
  readonly taskId?: string;
  /** Only those due by then (epoch ms). */
  readonly dueBy?: number;
  /** Earliest due first (by nextAt, then peer and task id); default 1000. */
  readonly limit?: number;
}

/** The outbox of acks: rows enter through {@link WriteBatch.acks}, with the ack statement. */
export interface AckOutbox {
  /** The acks not yet delivered nor refused, earliest due first: what is still owed to partners. */
  pendingAcks(filter?: PendingAckFilter): Promise<OutboxAck[]>;
  /** The outbox row of (peer, task), in whatever state; undefined if it has none. */
  getAck(peerOrg: string, taskId: string): Promise<OutboxAck | undefined>;
  /**
   * Records how an attempt ended, durably, only if the ack is still pending: a delivered or
   * refused ack never changes again. Resolves whether it wrote. A store may let a delivery's
   * record wait for the next commit (losing it in a crash only sends the ack again).
   */
  recordAckAttempt(peerOrg: string, taskId: string, attempt: AckAttempt): Promise<boolean>;
}

export interface TaskStore {
  getTask(role: TaskRole, peerOrg: string, taskId: string): Promise<TaskRecord | undefined>;
  listTasks(filter?: TaskFilter): Promise<TaskRecord[]>;
  /**
   * Upserts tasks (a task's identity, salt and content digest never change; status, reason,
   * result and updatedAt do) and appends statements, in one transaction. Resolves once
   * durable; rejects if it failed, and then none of it is stored.
   */
  write(batch: WriteBatch): Promise<void>;
  /**
   * Inserts a task unless (role, peer, id) exists, with its first statements, atomically and
   * durably; otherwise returns the existing task and writes nothing. Of two concurrent claims
   * (even from two processes sharing the store), exactly one creates. Nor does it insert when
   * the id already names a task of the other role with that peer (one id names one task between
   * two organizations): the existing task it returns then has the other role.
   */
  claimTask(task: TaskRecord, statements?: readonly StatementRecord[]): Promise<ClaimResult>;
  /**
   * Upserts `task` with `statements`, atomically and durably, only if the stored task (same
   * role, peer and id) has status `from`; resolves whether it wrote. Of two concurrent
   * transitions from one status (even from two processes), exactly one writes.
   */
  transitionTask(task: TaskRecord, from: StoredTaskStatus, statements?: readonly StatementRecord[]): Promise<boolean>;
  /**
   * A requester's end of a task: upserts `task`, appends `statements` (the partner's result,
   * our ack) and enters `ack` in the outbox, atomically and durably, only if the task owes no
   * ack yet (the outbox has no row for it); resolves whether it wrote. Of two concurrent
   * settlements of one task (a caller's retry, a resumed workflow step, the follow-up after a
   * restart), exactly one writes, so a task holds one ack of ours. Without `ack` (a call that
   * ended with no result it could take), the task is written only if no settlement came first:
   * a failed attempt never overwrites the outcome another one stored.
   */
  settleTask(task: TaskRecord, statements: readonly StatementRecord[], ack?: OutboxAck): Promise<boolean>;
  listInboundApprovals(filter?: InboundApprovalFilter): Promise<InboundApprovalRecord[]>;
  /**
   * Records a decision on (peer, task)'s approval together with `batch`, atomically and
   * durably, only if the approval is undecided and its responder task still awaits approval;
   * otherwise writes nothing. Of two concurrent decisions, exactly one is recorded.
   */
  decideInboundApproval(peerOrg: string, taskId: string, decided: InboundDecision, batch?: WriteBatch): Promise<DecideResult>;
}
