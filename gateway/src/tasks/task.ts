/**
 * The state of a task as the transports show it. `awaiting_approval`: the responder's inbound
 * policy holds it for a person's decision; `approved`: decided, but the responder no longer
 * holds the input, so it runs when the requester submits it again.
 */
export type TaskStatus = 'awaiting_approval' | 'approved' | 'running' | 'completed' | 'failed' | 'denied' | 'cancelled';

export interface TaskView {
  readonly taskId: string;
  readonly status: TaskStatus;
  /** The minimised result as UTF-8 JSON bytes, only when completed. */
  readonly resultBytes?: Buffer;
  readonly reason?: string;
  /** The responder's signed result statement, once final. */
  readonly resultStatement?: string;
}

/** The verified identity of the organization on the other end of a connection. */
export interface Peer {
  readonly org: string;
  readonly serial: string;
  readonly fingerprint256: string;
}

export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'denied', 'cancelled']);

/** Task ids are chosen by requesters: bounded and printable, since they end up in logs and keys. */
export const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Capability and purpose names. */
export const NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;
