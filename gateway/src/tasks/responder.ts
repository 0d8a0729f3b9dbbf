import type { Logger } from '../observability/index.js';
import { systemClock, type Clock } from '../lib/index.js';
import { AgentError, type AgentRegistry } from '../agents/index.js';
import { decide, PolicyError, type Decision, type PolicyEngine } from '../policy/index.js';
import { canonicalize, saltedDigest, sha256Digest, type KeyRing, type SigningKey } from '../crypto/index.js';
import { AuditError, signResult, verifyAck, verifyRequest, type ResultStatus } from '../audit/index.js';
import type { StatementLog } from '../audit/index.js';
import type { TaskRecord, TaskStore } from './ports.js';
import { isReasonCode, TaskError, type ReasonCode } from './errors.js';
import { FINAL_STATUSES, NAME, TASK_ID, type Peer, type TaskView } from './task.js';
import { parseJsonPayload, recordStatement } from './shared.js';

export interface ResponderDeps {
  readonly org: string;
  readonly store: TaskStore & StatementLog;
  readonly policy: () => PolicyEngine;
  readonly agents: AgentRegistry;
  readonly signer: SigningKey;
  readonly partnerKeys: () => KeyRing;
  readonly maxPayloadBytes: number;
  /** How deep inputs may nest (limits.maxJsonDepth). */
  readonly maxJsonDepth: number;
  readonly log: Logger;
  /** Time for deadlines, statement times and records; the system clock by default. */
  readonly clock?: Clock;
  /** Accepted clock difference between gateways when checking statement times. */
  readonly clockSkewSeconds?: number;
}

export interface SubmitRequest {
  readonly taskId: string;
  readonly capability: string;
  readonly purpose: string;
  readonly inputBytes: Buffer;
  readonly salt: string;
  readonly requestStatement: string;
  /**
   * How long the task may take, in milliseconds from now: the transport's deadline as a
   * budget, so that it runs on this responder's clock (wall clocks of two machines differ,
   * and tests drive the clock).
   */
  readonly timeoutMs: number;
}

interface Running {
  readonly done: Promise<TaskView>;
  readonly abort: AbortController;
}

/**
 * The partner side of a task: verify the request statement, claim the task id, ask the
 * inbound policy, run the agent, ask the disclosure policy, sign the result, store it
 * durably, answer. Every task that gets past verification ends with a signed result
 * statement, whatever its outcome.
 */
export class Responder {
  private readonly running = new Map<string, Running>();

  private readonly clock: Clock;

  constructor(private readonly deps: ResponderDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  async submit(peer: Peer, req: SubmitRequest): Promise<TaskView> {
    const started = this.clock.now();
    const input = this.checkRequest(peer, req);
    const contentDigest = sha256Digest(canonicalize({ capability: req.capability, purpose: req.purpose, input }));
    const now = this.clock.now();
    const record: TaskRecord = {
      taskId: req.taskId,
      role: 'responder',
      peerOrg: peer.org,
      capability: req.capability,
      purpose: req.purpose,
      contentDigest,
      salt: req.salt,
      status: 'running',
      createdAt: now,
      updatedAt: now,
    };
    const request = recordStatement(req.taskId, 'request', peer.org, peer.org, req.requestStatement, this.clock.now());
    const claim = await this.deps.store.claimTask(record, [request]);
    if (!claim.created) return this.replay(peer, claim.existing, contentDigest);

    const abort = new AbortController();
    const done = this.execute(peer, req, record, request.digest, input, abort.signal).finally(() => {
      this.running.delete(key(peer.org, req.taskId));
    });
    this.running.set(key(peer.org, req.taskId), { done, abort });
    try {
      const view = await done;
      this.logTask(peer, record, view.status, undefined, started);
      return view;
    } catch (err) {
      this.logTask(peer, record, err instanceof TaskError ? statusOf(err.reason) : 'failed', err, started);
      throw err;
    }
  }

  /** The current state of one of `peer`'s tasks; another organization's task is "unknown". */
  async get(peer: Peer, taskId: string): Promise<TaskView> {
    const task = await this.deps.store.getTask('responder', peer.org, taskId);
    if (task === undefined) throw new TaskError('task_unknown');
    return await this.view(task);
  }

  /** The current state, then the final state once the task ends. */
  async *watch(peer: Peer, taskId: string): AsyncGenerator<TaskView> {
    const first = await this.get(peer, taskId);
    yield first;
    if (first.status !== 'running') return;
    const running = this.running.get(key(peer.org, taskId));
    if (running !== undefined) await running.done.catch(() => undefined);
    yield await this.get(peer, taskId);
  }

  async cancel(peer: Peer, taskId: string): Promise<TaskView> {
    const task = await this.deps.store.getTask('responder', peer.org, taskId);
    if (task === undefined) throw new TaskError('task_unknown');
    const running = this.running.get(key(peer.org, taskId));
    if (running !== undefined) {
      running.abort.abort();
      await running.done.catch(() => undefined);
    }
    return this.get(peer, taskId);
  }

  /** Stores the requester's countersignature of a result it received. Idempotent. */
  async acknowledge(peer: Peer, taskId: string, ackStatement: string): Promise<void> {
    const task = await this.deps.store.getTask('responder', peer.org, taskId);
    if (task === undefined) throw new TaskError('task_unknown');
    const result = (await this.deps.store.listStatements({ taskId, peerOrg: peer.org, kind: 'result' }))[0];
    if (result === undefined) throw new TaskError('task_unknown', 'this task has no result to acknowledge yet');
    try {
      verifyAck(ackStatement, this.deps.partnerKeys(), { requester: peer.org, responder: this.deps.org, taskId, resultDigest: result.digest });
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
      throw new TaskError('receipt_invalid', `the ack statement does not verify (${err.code}): ${err.message}`, {}, { cause: err });
    }
    await this.deps.store.write({ statements: [recordStatement(taskId, 'ack', peer.org, peer.org, ackStatement, this.clock.now())] });
  }

  private checkRequest(peer: Peer, req: SubmitRequest): unknown {
    if (!TASK_ID.test(req.taskId)) {
      throw new TaskError('request_invalid', 'task_id must be 1-128 characters of A-Z a-z 0-9 . _ : - (a UUID is best)');
    }
    if (!NAME.test(req.capability)) throw new TaskError('request_invalid', 'capability must match [a-z0-9][a-z0-9._-]*');
    if (!NAME.test(req.purpose)) throw new TaskError('request_invalid', 'purpose must match [a-z0-9][a-z0-9._-]*');
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(req.salt)) {
      throw new TaskError('request_invalid', 'salt must be 16-128 base64url characters');
    }
    const input = parseJsonPayload(req.inputBytes, { maxBytes: this.deps.maxPayloadBytes, maxDepth: this.deps.maxJsonDepth }, 'input');
    try {
      verifyRequest(req.requestStatement, this.deps.partnerKeys(), {
        requester: peer.org,
        responder: this.deps.org,
        taskId: req.taskId,
        capability: req.capability,
        purpose: req.purpose,
        salt: req.salt,
        input,
        nowSeconds: Math.floor(this.clock.now() / 1000),
        skewSeconds: this.deps.clockSkewSeconds ?? 60,
      });
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
      // The checks describe the partner's own statement, so the partner may read why.
      throw new TaskError('request_invalid', `the request statement does not verify (${err.code}): ${err.message}`, {}, { cause: err });
    }
    return input;
  }

  private async execute(
    peer: Peer,
    req: SubmitRequest,
    task: TaskRecord,
    requestDigest: string,
    input: unknown,
    signal: AbortSignal,
  ): Promise<TaskView> {
    const { agents } = this.deps;
    const deadline = this.clock.now() + req.timeoutMs;
    const policy = this.deps.policy();
    const requester = { org: peer.org, certificate: { serial: peer.serial, fingerprint256: peer.fingerprint256 } };
    let inbound: Decision | undefined;
    let disclosure: Decision | undefined;
    const end = (status: 'failed' | 'denied' | 'cancelled', reason: ReasonCode, message?: string, cause?: unknown) =>
      this.finishWithout(peer, task, requestDigest, { status, reason, inbound, disclosure, message, cause, policyReasons: undefined });
    const deny = (reason: ReasonCode, decision: Decision) =>
      this.finishWithout(peer, task, requestDigest, { status: 'denied', reason, inbound, disclosure, message: undefined, cause: undefined, policyReasons: decision.reasons });
    try {
      inbound = decide(policy, 'inbound', {
        task_id: task.taskId,
        requester,
        capability: task.capability,
        purpose: task.purpose,
        input,
      });
      if (!inbound.allow) return await deny('inbound_denied', inbound);
      if (inbound.requireApproval) {
        return await end('denied', 'inbound_denied', 'this request needs a human approval, which this gateway does not support yet');
      }
      if (!agents.has(task.capability)) return await end('failed', 'capability_unavailable');
      const parsed = agents.parseInput(task.capability, input);
      const output = await agents.run(
        {
          taskId: task.taskId,
          requester: peer.org,
          capability: task.capability,
          purpose: task.purpose,
          input,
          deadline,
          signal,
          log: this.deps.log.child({ task_id: task.taskId, partner: peer.org, capability: task.capability }),
        },
        parsed,
      );
      disclosure = decide(policy, 'disclosure', {
        task_id: task.taskId,
        requester,
        capability: task.capability,
        purpose: task.purpose,
        result: output,
      });
      if (!disclosure.allow) return await deny('disclosure_denied', disclosure);
      const resultJson = JSON.stringify(disclosure.payload);
      const resultBytes = Buffer.from(resultJson, 'utf8');
      if (resultBytes.length > this.deps.maxPayloadBytes) {
        return await end(
          'failed',
          'payload_too_large',
          `the result is ${resultBytes.length} bytes; this gateway's limit is ${this.deps.maxPayloadBytes} (limits.maxPayloadBytes)`,
        );
      }
      const statement = this.signResult(task, requestDigest, 'completed', undefined, inbound, disclosure, disclosure.payload);
      const finished: TaskRecord = { ...task, status: 'completed', resultJson, updatedAt: this.clock.now() };
      await this.deps.store.write({
        tasks: [finished],
        statements: [recordStatement(task.taskId, 'result', this.deps.org, peer.org, statement, this.clock.now())],
      });
      return { taskId: task.taskId, status: 'completed', resultBytes, resultStatement: statement };
    } catch (err) {
      if (err instanceof TaskError) throw err;
      if (err instanceof AgentError) {
        switch (err.code) {
          case 'INVALID_INPUT':
            return await end('failed', 'invalid_input', err.message);
          case 'CAPABILITY_UNAVAILABLE':
            return await end('failed', 'capability_unavailable');
          case 'AGENT_TIMEOUT':
            return await end('failed', 'agent_timeout', undefined, err);
          case 'AGENT_CANCELLED':
            return await end('cancelled', 'cancelled', undefined, err);
          default:
            return await end('failed', 'agent_failed', undefined, err);
        }
      }
      if (err instanceof PolicyError) return await end('failed', 'policy_error', undefined, err);
      return await end('failed', 'internal', undefined, err);
    }
  }

  /** Ends a task without a result: signs and stores the result statement, then throws. */
  private async finishWithout(
    peer: Peer,
    task: TaskRecord,
    requestDigest: string,
    outcome: {
      status: 'failed' | 'denied' | 'cancelled';
      reason: ReasonCode;
      inbound: Decision | undefined;
      disclosure: Decision | undefined;
      message: string | undefined;
      cause: unknown;
      /** Reason codes the policy chose to give the requester. */
      policyReasons: readonly string[] | undefined;
    },
  ): Promise<never> {
    const statement = this.signResult(task, requestDigest, outcome.status, outcome.reason, outcome.inbound, outcome.disclosure);
    await this.deps.store.write({
      tasks: [{ ...task, status: outcome.status, reason: outcome.reason, updatedAt: this.clock.now() }],
      statements: [recordStatement(task.taskId, 'result', this.deps.org, peer.org, statement, this.clock.now())],
    });
    const { policyReasons } = outcome;
    throw new TaskError(
      outcome.reason,
      outcome.message,
      { resultStatement: statement, ...(policyReasons ? { policyReasons } : {}) },
      { cause: outcome.cause },
    );
  }

  private signResult(
    task: TaskRecord,
    requestDigest: string,
    status: ResultStatus,
    reason: ReasonCode | undefined,
    inbound: Decision | undefined,
    disclosure: Decision | undefined,
    result?: unknown,
  ): string {
    return signResult(this.deps.signer, {
      iat: Math.floor(this.clock.now() / 1000),
      task_id: task.taskId,
      from: this.deps.org,
      to: task.peerOrg,
      request_digest: requestDigest,
      status,
      ...(status === 'completed' ? { result_digest: saltedDigest(task.salt, result) } : {}),
      ...(reason !== undefined ? { reason } : {}),
      inbound: inbound ? { decision_id: inbound.id, policy_revision: inbound.revision } : null,
      disclosure: disclosure ? { decision_id: disclosure.id, policy_revision: disclosure.revision } : null,
    }).jws;
  }

  private async replay(peer: Peer, existing: TaskRecord, contentDigest: string): Promise<TaskView> {
    if (existing.contentDigest !== contentDigest) {
      throw new TaskError('task_conflict', 'this task_id was already used with different content; choose a new task_id');
    }
    if (!FINAL_STATUSES.has(existing.status as never)) {
      const running = this.running.get(key(peer.org, existing.taskId));
      if (running !== undefined) return running.done;
      return await this.view(existing);
    }
    const view = await this.view(existing);
    if (view.status === 'completed') return view;
    throw new TaskError(
      existing.reason !== undefined && isReasonCode(existing.reason) ? existing.reason : 'internal',
      undefined,
      view.resultStatement !== undefined ? { resultStatement: view.resultStatement } : {},
    );
  }

  private async view(task: TaskRecord): Promise<TaskView> {
    const result = (await this.deps.store.listStatements({ taskId: task.taskId, peerOrg: task.peerOrg, kind: 'result' }))[0];
    const status = task.status === 'received' ? 'running' : task.status;
    return {
      taskId: task.taskId,
      status,
      ...(task.resultJson !== undefined && status === 'completed'
        ? { resultBytes: Buffer.from(task.resultJson, 'utf8') }
        : {}),
      ...(task.reason !== undefined ? { reason: task.reason } : {}),
      ...(result !== undefined ? { resultStatement: result.jws } : {}),
    };
  }

  private logTask(peer: Peer, task: TaskRecord, status: string, err: unknown, started: number): void {
    const fields = {
      task_id: task.taskId,
      role: 'responder',
      partner: peer.org,
      capability: task.capability,
      purpose: task.purpose,
      decision: status,
      ...(err instanceof TaskError ? { reason: err.reason } : {}),
      duration_ms: this.clock.now() - started,
    };
    if (err instanceof TaskError && err.reason === 'internal') this.deps.log.error({ ...fields, err: err.cause }, 'task');
    else this.deps.log.info(fields, 'task');
  }
}

function key(org: string, taskId: string): string {
  return org + '\u0000' + taskId;
}

function statusOf(reason: ReasonCode): string {
  return reason === 'inbound_denied' || reason === 'disclosure_denied' ? 'denied' : 'failed';
}
