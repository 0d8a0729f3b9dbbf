import type { Logger } from '../observability/index.js';
import { Canceller, crashPoint, systemClock, type CancelToken, type Clock } from '../lib/index.js';
import { AgentError, type AgentRegistry } from '../agents/index.js';
import { decide, PolicyError, type Decision, type PolicyEngine } from '../policy/index.js';
import { Canonical, canonicalize, saltedDigestOfCanonical, sha256Digest, type KeyRing, type SigningKey } from '../crypto/index.js';
import { AuditError, signResult, verifyAck, verifyRequest, type ResultStatus } from '../audit/index.js';
import type { SignedStatement, StatementLog, StatementRecord } from '../audit/index.js';
import type { InboundApprovalRecord, InboundDecision, TaskRecord, TaskStore } from './ports.js';
import { InboundApprovalError, isDenial, isReasonCode, TaskError, type ReasonCode } from './errors.js';
import { inboundApprovalId, parseInboundApprovalId } from './approval-id.js';
import { FINAL_STATUSES, NAME, TASK_ID, type Peer, type TaskView } from './task.js';
import { knowSignerKey, parseJsonPayload, recordStatement, signFor, type ParsedPayload, type StatementSigner } from './shared.js';

export interface ResponderDeps extends StatementSigner {
  readonly org: string;
  readonly store: TaskStore & StatementLog;
  readonly policy: () => PolicyEngine;
  readonly agents: AgentRegistry;
  readonly partnerKeys: () => KeyRing;
  /** Asks a partner's card for its receipt keys (after a rotation); see knowSignerKey. */
  readonly learnPartnerKeys?: (org: string) => Promise<unknown>;
  readonly maxPayloadBytes: number;
  /** How deep inputs may nest (limits.maxJsonDepth). */
  readonly maxJsonDepth: number;
  /** How long a task an approval starts may run (limits.callTimeout): no call's deadline applies to it. */
  readonly callTimeoutMs: number;
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

/**
 * A partner's request waiting for a person here, as an approver sees it: who asks, for which
 * capability and purpose. Never the input: it is not stored, and the approver judges the
 * request (the agreement, the purpose, the partner), not the data.
 */
export interface PendingInbound {
  /** `inbound:<partner org>.<task id>`: printable and unambiguous (see approval-id.ts). */
  readonly approvalId: string;
  readonly partner: string;
  readonly taskId: string;
  readonly capability: string;
  readonly purpose: string;
  readonly requestedAt: number;
}

export interface DecidedInbound extends PendingInbound {
  readonly decided: InboundDecision;
}

interface Running {
  readonly done: Promise<TaskView>;
  readonly cancel: Canceller;
}

/** A held request whose input this process still has, so that an approval can run it at once. */
interface Held {
  readonly peer: Peer;
  readonly input: ParsedPayload;
  readonly bytes: number;
}

/** The policy decision a result statement cites. */
type DecisionRef = Pick<Decision, 'id' | 'revision'>;

/**
 * Most input bytes kept in memory for held requests. Beyond it a held request keeps only its
 * record, and runs when the requester submits it again after the approval: a partner cannot
 * fill our memory with requests nobody has decided yet.
 */
const MAX_HELD_BYTES = 64 * 1024 * 1024;

/**
 * The partner side of a task: verify the request statement, claim the task id, ask the
 * inbound policy, run the agent, ask the disclosure policy, sign the result, store it
 * durably, answer. Every task that gets past verification ends with a signed result
 * statement, whatever its outcome. A request the inbound policy holds for approval waits,
 * durably, for a person here (see {@link Responder.decideApproval}).
 */
export class Responder {
  private readonly running = new Map<string, Running>();
  private readonly held = new Map<string, Held>();
  private heldBytes = 0;
  /** Who waits for a task's next change of state (WatchTask streams). */
  private readonly waiters = new Map<string, Set<() => void>>();

  private readonly clock: Clock;

  constructor(private readonly deps: ResponderDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /**
   * Ends the tasks an earlier process of this gateway left running (it stopped or crashed while
   * their agents ran): each fails with `interrupted` and a signed result statement, so that its
   * requester gets a final answer at its next resubmission, watch or get. Their agents are not
   * run again: the input is not kept, and a second execution could repeat an effect. Call it
   * before serving. Resolves with how many it ended.
   */
  async recoverInterrupted(): Promise<number> {
    const stale = (await this.deps.store.listTasks({ role: 'responder', status: 'running', limit: 100_000 })).filter((t) => !this.running.has(key(t.peerOrg, t.taskId)));
    for (const task of stale) {
      const request = await this.storedRequest(task);
      if (request === undefined) continue;
      const statement = await this.signResult(task, request.digest, 'failed', 'interrupted', undefined, undefined);
      await this.deps.store.write({
        tasks: [{ ...task, status: 'failed', reason: 'interrupted', updatedAt: this.clock.now() }],
        statements: [recordStatement(task.taskId, 'result', this.deps.org, task.peerOrg, statement, this.clock.now())],
      });
      this.deps.log.warn({ task_id: task.taskId, partner: task.peerOrg, capability: task.capability }, 'task interrupted by the last stop: ended as failed (interrupted)');
    }
    return stale.length;
  }

  async submit(peer: Peer, req: SubmitRequest): Promise<TaskView> {
    const started = this.clock.now();
    const { input, verified } = await this.checkRequest(peer, req);
    const contentDigest = sha256Digest(canonicalize({ capability: req.capability, purpose: req.purpose, input: input.canonical }));
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
    const request = recordStatement(req.taskId, 'request', peer.org, peer.org, verified, this.clock.now());
    const claim = await this.deps.store.claimTask(record, [request]);
    if (!claim.created && claim.existing.role !== 'responder') throw crossingId(req.taskId, peer.org, this.deps.org);
    if (!claim.created) return this.replay(peer, req, input, claim.existing, contentDigest);
    crashPoint('task.claimed');
    return this.logged(peer, record, started, this.launch(peer, record, request.digest, input, now + req.timeoutMs));
  }

  /** The current state of one of `peer`'s tasks; another organization's task is "unknown". */
  async get(peer: Peer, taskId: string): Promise<TaskView> {
    const task = await this.deps.store.getTask('responder', peer.org, taskId);
    if (task === undefined) throw new TaskError('task_unknown');
    return await this.view(task);
  }

  /**
   * The current state, then each change of state as it happens. Ends after a final state,
   * after `approved` (only the requester's resubmission moves the task on), when the task is
   * running but executes nowhere (it was running when this process stopped), or when `signal`
   * aborts.
   */
  async *watch(peer: Peer, taskId: string, signal?: AbortSignal): AsyncGenerator<TaskView> {
    const k = key(peer.org, taskId);
    let last: TaskView['status'] | undefined;
    for (;;) {
      // Listen before reading, so that a change between the read and the wait is not missed.
      const change = this.nextChange(k, signal);
      try {
        const view = await this.get(peer, taskId);
        if (view.status !== last) yield view;
        last = view.status;
        const stuck = view.status === 'running' && !this.running.has(k);
        if (FINAL_STATUSES.has(view.status) || view.status === 'approved' || stuck || signal?.aborted) return;
        await change.promise;
      } finally {
        change.cancel();
      }
    }
  }

  /** Stops a running task, or withdraws one that awaits approval or was approved; it ends `cancelled`. */
  async cancel(peer: Peer, taskId: string): Promise<TaskView> {
    const task = await this.deps.store.getTask('responder', peer.org, taskId);
    if (task === undefined) throw new TaskError('task_unknown');
    if (task.status === 'awaiting_approval' || task.status === 'approved') await this.withdraw(task);
    // Also when the withdrawal lost to an approval that has just started the task.
    const running = this.running.get(key(peer.org, taskId));
    if (running !== undefined) {
      running.cancel.cancel();
      await running.done.catch(() => undefined);
    }
    return this.get(peer, taskId);
  }

  /** Stores the requester's countersignature of a result it received. Idempotent. */
  async acknowledge(peer: Peer, taskId: string, ackStatement: string): Promise<void> {
    await this.deps.store.write({ statements: [await this.checkAck(peer, taskId, ackStatement)] });
  }

  /**
   * Many acks of one requester, each checked as acknowledge() does and the valid ones stored
   * in one write: each one's outcome, in order (no reason: stored).
   */
  async acknowledgeMany(peer: Peer, acks: readonly { readonly taskId: string; readonly ackStatement: string }[]): Promise<{ taskId: string; reason?: ReasonCode; message?: string }[]> {
    const checked = await Promise.all(
      acks.map(async (a) => {
        try {
          return { taskId: a.taskId, record: await this.checkAck(peer, a.taskId, a.ackStatement) };
        } catch (err) {
          if (!(err instanceof TaskError)) throw err;
          return { taskId: a.taskId, reason: err.reason, message: err.message };
        }
      }),
    );
    const records = checked.flatMap((c) => ('record' in c && c.record !== undefined ? [c.record] : []));
    if (records.length > 0) await this.deps.store.write({ statements: records });
    return checked.map((c) => ('record' in c ? { taskId: c.taskId } : c));
  }

  /** The ack's statement record, once it verifies against this task's result; a TaskError otherwise. */
  private async checkAck(peer: Peer, taskId: string, ackStatement: string): Promise<StatementRecord> {
    crashPoint('task.ack_received');
    // A result exists only for a task of this peer's; which of the two is missing is looked up
    // only when one is.
    const resultDigest = await this.deps.store.firstStatementDigest(peer.org, taskId, 'result', this.deps.org);
    if (resultDigest === undefined) {
      if ((await this.deps.store.getTask('responder', peer.org, taskId)) === undefined) throw new TaskError('task_unknown');
      throw new TaskError('task_unknown', 'this task has no result to acknowledge yet');
    }
    await knowSignerKey(this.deps, peer.org, ackStatement);
    let verified: SignedStatement<'ack'>;
    try {
      verified = verifyAck(ackStatement, this.deps.partnerKeys(), { requester: peer.org, responder: this.deps.org, taskId, resultDigest });
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
      throw new TaskError('receipt_invalid', `the ack statement does not verify (${err.code}): ${err.message}`, {}, { cause: err });
    }
    return recordStatement(taskId, 'ack', peer.org, peer.org, verified, this.clock.now());
  }


  /**
   * Partners' requests that wait for a person here, oldest first. Each shows who asks, for
   * which capability and purpose, and nothing of the input.
   */
  async pendingApprovals(): Promise<PendingInbound[]> {
    return (await this.deps.store.listInboundApprovals({ pending: true })).map(pendingOf);
  }

  /**
   * Records a person's decision on a held request (`by`: the caller's verified identity) and
   * acts on it: a rejection ends the task `denied` / `approval_rejected` with a signed result
   * statement; an approval runs the task now if this process still holds its input, or marks
   * it `approved` so that it runs when the requester submits it again. Refused, writing
   * nothing, with APPROVAL_UNKNOWN, APPROVAL_DECIDED or APPROVAL_DECISION_INVALID.
   *
   * @example await responder.decideApproval('inbound:hospital-a.7d1e4c2a', { decision: 'approve', by: 'bob', reason: 'agreement 2026-04' });
   */
  async decideApproval(approvalId: string, d: { readonly decision: string; readonly by: string; readonly reason: string }): Promise<DecidedInbound> {
    const id = parseInboundApprovalId(approvalId);
    if (id === undefined) throw unknownApproval(approvalId);
    if (d.decision !== 'approve' && d.decision !== 'reject') {
      throw new InboundApprovalError('APPROVAL_DECISION_INVALID', `${approvalId} is a partner's request: its decisions are approve, reject, not ${d.decision}`);
    }
    if (d.reason.trim() === '') throw new InboundApprovalError('APPROVAL_DECISION_INVALID', 'a decision needs a reason: it is recorded with the decider');
    const { store } = this.deps;
    const approval = (await store.listInboundApprovals({ peerOrg: id.org, taskId: id.taskId }))[0];
    const task = await store.getTask('responder', id.org, id.taskId);
    if (approval === undefined || task === undefined) throw unknownApproval(approvalId);
    if (approval.decided !== undefined || task.status !== 'awaiting_approval') throw notWaiting(approval, task);
    const decided: InboundDecision = { decision: d.decision, by: d.by, reason: d.reason, at: this.clock.now() };
    const k = key(id.org, id.taskId);
    const requestDigest = await this.requestDigestOf(task);
    const inbound = refOf(approval);
    const held = this.held.get(k);
    let outcome;
    if (d.decision === 'reject') {
      const statement = await this.signResult(task, requestDigest, 'denied', 'approval_rejected', inbound, undefined);
      outcome = await store.decideInboundApproval(id.org, id.taskId, decided, {
        tasks: [{ ...task, status: 'denied', reason: 'approval_rejected', updatedAt: this.clock.now() }],
        statements: [recordStatement(task.taskId, 'result', this.deps.org, task.peerOrg, statement, this.clock.now())],
      });
    } else {
      outcome = await store.decideInboundApproval(id.org, id.taskId, decided, {
        tasks: [{ ...task, status: held !== undefined ? 'running' : 'approved', updatedAt: this.clock.now() }],
      });
    }
    if (!outcome.decided) throw notWaiting(outcome.existing ?? approval, await store.getTask('responder', id.org, id.taskId));
    this.deps.log.info({ task_id: task.taskId, partner: task.peerOrg, approval_id: approvalId, decision: d.decision, by: d.by }, 'inbound approval decided');
    this.release(k);
    if (d.decision === 'approve' && held !== undefined) {
      const started = this.clock.now();
      const runningTask: TaskRecord = { ...task, status: 'running' };
      // Nobody's call waits for this run: the requester follows it with WatchTask. Its outcome is logged and receipted.
      this.logged(held.peer, runningTask, started, this.launch(held.peer, runningTask, requestDigest, held.input, started + this.deps.callTimeoutMs, inbound)).catch(
        () => undefined,
      );
    }
    this.changed(k);
    return { ...pendingOf(approval), decided };
  }

  /** The request's input, and its statement as verified. */
  private async checkRequest(peer: Peer, req: SubmitRequest): Promise<{ input: ParsedPayload; verified: SignedStatement<'request'> }> {
    if (!TASK_ID.test(req.taskId)) {
      throw new TaskError('request_invalid', 'task_id must be 1-128 characters of A-Z a-z 0-9 . _ : - (a UUID is best)');
    }
    if (!NAME.test(req.capability)) throw new TaskError('request_invalid', 'capability must match [a-z0-9][a-z0-9._-]*');
    if (!NAME.test(req.purpose)) throw new TaskError('request_invalid', 'purpose must match [a-z0-9][a-z0-9._-]*');
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(req.salt)) {
      throw new TaskError('request_invalid', 'salt must be 16-128 base64url characters');
    }
    const input = parseJsonPayload(req.inputBytes, { maxBytes: this.deps.maxPayloadBytes, maxDepth: this.deps.maxJsonDepth }, 'input');
    await knowSignerKey(this.deps, peer.org, req.requestStatement);
    const verifyAt = (nowMs: number) =>
      verifyRequest(req.requestStatement, this.deps.partnerKeys(), {
        requester: peer.org,
        responder: this.deps.org,
        taskId: req.taskId,
        capability: req.capability,
        purpose: req.purpose,
        salt: req.salt,
        input: input.canonical,
        nowSeconds: Math.floor(nowMs / 1000),
        skewSeconds: this.deps.clockSkewSeconds ?? 60,
      });
    try {
      try {
        return { input, verified: verifyAt(this.clock.now()) };
      } catch (err) {
        // The statement this task was claimed with, resent after a long approval: its time
        // window held when it was first stored, and a stored task cannot be claimed again.
        const first = err instanceof AuditError && err.code === 'RECEIPT_EXPIRED' ? await this.firstStored(peer, req) : undefined;
        if (first === undefined) throw err;
        return { input, verified: verifyAt(first.storedAt) };
      }
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
      // The checks describe the partner's own statement, so the partner may read why.
      throw new TaskError('request_invalid', `the request statement does not verify (${err.code}): ${err.message}`, {}, { cause: err });
    }
  }

  /** The stored request statement of (peer, task) if it is exactly the one in `req`. */
  private async firstStored(peer: Peer, req: SubmitRequest): Promise<StatementRecord | undefined> {
    const digest = sha256Digest(req.requestStatement);
    const stored = await this.deps.store.listStatements({ taskId: req.taskId, peerOrg: peer.org, kind: 'request' });
    return stored.find((s) => s.signerOrg === peer.org && s.digest === digest);
  }

  /** Runs a claimed task in the background of `running`, so that resubmissions, watches and cancels find it. */
  private launch(peer: Peer, task: TaskRecord, requestDigest: string, input: ParsedPayload, deadline: number, approved?: DecisionRef): Promise<TaskView> {
    const k = key(peer.org, task.taskId);
    const cancel = new Canceller();
    const entry: Running = {
      cancel,
      done: this.execute(peer, task, requestDigest, input, deadline, cancel, approved).finally(() => {
        if (this.running.get(k) === entry) this.running.delete(k);
        this.changed(k);
      }),
    };
    this.running.set(k, entry);
    return entry.done;
  }

  /**
   * Inbound policy (unless an approval already decided it), agent, disclosure policy, result
   * statement. A request the inbound policy holds for approval is recorded as awaiting it.
   */
  private async execute(
    peer: Peer,
    task: TaskRecord,
    requestDigest: string,
    input: ParsedPayload,
    deadline: number,
    cancel: CancelToken,
    approved: DecisionRef | undefined,
  ): Promise<TaskView> {
    const { agents } = this.deps;
    const policy = this.deps.policy();
    const requester = { org: peer.org, certificate: { serial: peer.serial, fingerprint256: peer.fingerprint256 } };
    let inbound: DecisionRef | undefined = approved;
    let disclosure: Decision | undefined;
    const end = (status: 'failed' | 'denied' | 'cancelled', reason: ReasonCode, message?: string, cause?: unknown) =>
      this.finishWithout(peer, task, requestDigest, { status, reason, inbound, disclosure, message, cause, policyReasons: undefined });
    const deny = (reason: ReasonCode, decision: Decision) =>
      this.finishWithout(peer, task, requestDigest, { status: 'denied', reason, inbound, disclosure, message: undefined, cause: undefined, policyReasons: decision.reasons });
    try {
      if (approved === undefined) {
        const asked = { task_id: task.taskId, requester, capability: task.capability, purpose: task.purpose };
        // The record takes the input's canonical form as it is: it was made once, on arrival.
        const decision = decide(policy, 'inbound', { ...asked, input: input.value }, { recordedInput: { ...asked, input: input.canonical } });
        inbound = decision;
        if (!decision.allow) return await deny('inbound_denied', decision);
        if (decision.requireApproval) return await this.hold(peer, task, decision, input);
      }
      if (!agents.has(task.capability)) return await end('failed', 'capability_unavailable');
      const parsed = agents.parseInput(task.capability, input.value);
      const output = await agents.run(
        {
          taskId: task.taskId,
          requester: peer.org,
          capability: task.capability,
          purpose: task.purpose,
          input: input.value,
          deadline,
          cancel,
          log: () => this.deps.log.child({ task_id: task.taskId, partner: peer.org, capability: task.capability }),
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
      // The result leaves in its canonical form: the requester finds it canonical without
      // building the form, and the result digest is made of the same text.
      const result = new Canonical(canonicalize(disclosure.payload));
      const resultBytes = Buffer.from(result.text, 'utf8');
      if (resultBytes.length > this.deps.maxPayloadBytes) {
        return await end(
          'failed',
          'payload_too_large',
          `the result is ${resultBytes.length} bytes; this gateway's limit is ${this.deps.maxPayloadBytes} (limits.maxPayloadBytes)`,
        );
      }
      const statement = await this.signResult(task, requestDigest, 'completed', undefined, inbound, disclosure, result);
      const finished: TaskRecord = { ...task, status: 'completed', resultJson: result.text, updatedAt: this.clock.now() };
      await this.deps.store.write({
        tasks: [finished],
        statements: [recordStatement(task.taskId, 'result', this.deps.org, peer.org, statement, this.clock.now())],
      });
      crashPoint('task.result_stored');
      return { taskId: task.taskId, status: 'completed', resultBytes, resultStatement: statement.jws };
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

  /**
   * Records the task as awaiting a person's approval, durably, with the inbound decision that
   * asked for it; keeps its input in memory while the budget allows, so that an approval can
   * run it at once.
   */
  private async hold(peer: Peer, task: TaskRecord, inbound: Decision, input: ParsedPayload): Promise<TaskView> {
    const now = this.clock.now();
    const approval: InboundApprovalRecord = {
      peerOrg: task.peerOrg,
      taskId: task.taskId,
      capability: task.capability,
      purpose: task.purpose,
      inbound: { decisionId: inbound.id, policyRevision: inbound.revision },
      requestedAt: now,
    };
    await this.deps.store.write({ tasks: [{ ...task, status: 'awaiting_approval', updatedAt: now }], approvals: [approval] });
    this.keep(peer, task, input);
    this.deps.log.info({ task_id: task.taskId, partner: peer.org, capability: task.capability, approval_id: inboundApprovalId(peer.org, task.taskId) }, 'request held for approval');
    return { taskId: task.taskId, status: 'awaiting_approval' };
  }

  /** Keeps a held request's input in memory, within MAX_HELD_BYTES. */
  private keep(peer: Peer, task: TaskRecord, input: ParsedPayload): void {
    const k = key(peer.org, task.taskId);
    const bytes = Buffer.byteLength(input.canonical.text, 'utf8');
    if (this.held.has(k) || this.heldBytes + bytes > MAX_HELD_BYTES) return;
    this.held.set(k, { peer, input, bytes });
    this.heldBytes += bytes;
  }

  private release(k: string): void {
    const held = this.held.get(k);
    if (held === undefined) return;
    this.held.delete(k);
    this.heldBytes -= held.bytes;
  }

  /** Ends a held or approved task `cancelled` at the requester's request, unless a decision got there first. */
  private async withdraw(task: TaskRecord): Promise<void> {
    const statement = await this.signResult(task, await this.requestDigestOf(task), 'cancelled', 'cancelled', await this.heldBy(task), undefined);
    const wrote = await this.deps.store.transitionTask({ ...task, status: 'cancelled', reason: 'cancelled', updatedAt: this.clock.now() }, task.status, [
      recordStatement(task.taskId, 'result', this.deps.org, task.peerOrg, statement, this.clock.now()),
    ]);
    if (!wrote) return;
    const k = key(task.peerOrg, task.taskId);
    this.release(k);
    this.changed(k);
  }

  /** Ends a task without a result: signs and stores the result statement, then throws. */
  private async finishWithout(
    peer: Peer,
    task: TaskRecord,
    requestDigest: string,
    outcome: {
      status: 'failed' | 'denied' | 'cancelled';
      reason: ReasonCode;
      inbound: DecisionRef | undefined;
      disclosure: Decision | undefined;
      message: string | undefined;
      cause: unknown;
      /** Reason codes the policy chose to give the requester. */
      policyReasons: readonly string[] | undefined;
    },
  ): Promise<never> {
    const statement = await this.signResult(task, requestDigest, outcome.status, outcome.reason, outcome.inbound, outcome.disclosure);
    await this.deps.store.write({
      tasks: [{ ...task, status: outcome.status, reason: outcome.reason, updatedAt: this.clock.now() }],
      statements: [recordStatement(task.taskId, 'result', this.deps.org, peer.org, statement, this.clock.now())],
    });
    const { policyReasons } = outcome;
    throw new TaskError(
      outcome.reason,
      outcome.message,
      { resultStatement: statement.jws, ...(policyReasons ? { policyReasons } : {}) },
      { cause: outcome.cause },
    );
  }

  private async signResult(
    task: TaskRecord,
    requestDigest: string,
    status: ResultStatus,
    reason: ReasonCode | undefined,
    inbound: DecisionRef | undefined,
    disclosure: DecisionRef | undefined,
    result?: Canonical,
  ): Promise<SignedStatement<'result'>> {
    const statement = await signFor(this.deps, 'result', {
      iat: Math.floor(this.clock.now() / 1000),
      task_id: task.taskId,
      from: this.deps.org,
      to: task.peerOrg,
      request_digest: requestDigest,
      status,
      // The schema refuses a completed statement without a result digest, and any other with one.
      ...(result !== undefined ? { result_digest: saltedDigestOfCanonical(task.salt, result.text) } : {}),
      ...(reason !== undefined ? { reason } : {}),
      inbound: inbound ? { decision_id: inbound.id, policy_revision: inbound.revision } : null,
      disclosure: disclosure ? { decision_id: disclosure.id, policy_revision: disclosure.revision } : null,
    });
    return statement;
  }

  /** A resubmission of a claimed task with the same content: answered from its record, or run if it was approved. */
  private async replay(peer: Peer, req: SubmitRequest, input: ParsedPayload, existing: TaskRecord, contentDigest: string): Promise<TaskView> {
    if (existing.contentDigest !== contentDigest) {
      throw new TaskError('task_conflict', 'this task_id was already used with different content; choose a new task_id');
    }
    const k = key(peer.org, existing.taskId);
    if (existing.status === 'approved') {
      const started = this.clock.now();
      const runningTask: TaskRecord = { ...existing, status: 'running', updatedAt: started };
      // Of two resubmissions (or a resubmission and a withdrawal), one moves the task on.
      if (await this.deps.store.transitionTask(runningTask, 'approved')) {
        const run = this.launch(peer, runningTask, await this.requestDigestOf(existing), input, started + req.timeoutMs, await this.heldBy(existing));
        this.changed(k);
        return this.logged(peer, runningTask, started, run);
      }
      return this.replay(peer, req, input, (await this.deps.store.getTask('responder', peer.org, existing.taskId)) ?? existing, contentDigest);
    }
    if (!FINAL_STATUSES.has(existing.status as never)) {
      const running = this.running.get(k);
      if (running !== undefined) return running.done;
      // Held by a process that has since stopped: the resent input lets an approval run it at once.
      if (existing.status === 'awaiting_approval') this.keep(peer, existing, input);
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
    const result = await this.deps.store.firstStatement(task.peerOrg, task.taskId, 'result', this.deps.org);
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

  /** The digest of the request statement the task was claimed with: the one its result statement cites. */
  private async requestDigestOf(task: TaskRecord): Promise<string> {
    const request = await this.storedRequest(task);
    if (request === undefined) throw new TaskError('internal', `task ${task.taskId} has no stored request statement`);
    return request.digest;
  }

  /** The request statement a task was claimed with (the requester's, so signed by the peer). */
  private storedRequest(task: TaskRecord): Promise<StatementRecord | undefined> {
    return this.deps.store.firstStatement(task.peerOrg, task.taskId, 'request', task.peerOrg);
  }

  /** The inbound decision that held the task for approval: its result statement cites it. */
  private async heldBy(task: TaskRecord): Promise<DecisionRef | undefined> {
    const approval = (await this.deps.store.listInboundApprovals({ peerOrg: task.peerOrg, taskId: task.taskId }))[0];
    return approval === undefined ? undefined : refOf(approval);
  }

  /** Resolves at the next change of the task's state, or when `signal` aborts; `cancel` stops listening. */
  private nextChange(k: string, signal: AbortSignal | undefined): { promise: Promise<void>; cancel: () => void } {
    let wake: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const set = this.waiters.get(k) ?? new Set();
    this.waiters.set(k, set);
    set.add(wake);
    const cancel = () => {
      set.delete(wake);
      if (set.size === 0 && this.waiters.get(k) === set) this.waiters.delete(k);
      signal?.removeEventListener('abort', cancel);
      wake();
    };
    signal?.addEventListener('abort', cancel, { once: true });
    return { promise, cancel };
  }

  private changed(k: string): void {
    const set = this.waiters.get(k);
    if (set === undefined) return;
    this.waiters.delete(k);
    for (const wake of set) wake();
  }

  /** Logs a task's outcome once `work` settles, and passes it on. */
  private async logged(peer: Peer, task: TaskRecord, started: number, work: Promise<TaskView>): Promise<TaskView> {
    try {
      const view = await work;
      this.logTask(peer, task, view.status, undefined, started);
      return view;
    } catch (err) {
      this.logTask(peer, task, err instanceof TaskError && isDenial(err.reason) ? 'denied' : 'failed', err, started);
      throw err;
    }
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

function refOf(approval: InboundApprovalRecord): DecisionRef {
  return { id: approval.inbound.decisionId, revision: approval.inbound.policyRevision };
}

function pendingOf(a: InboundApprovalRecord): PendingInbound {
  return {
    approvalId: inboundApprovalId(a.peerOrg, a.taskId),
    partner: a.peerOrg,
    taskId: a.taskId,
    capability: a.capability,
    purpose: a.purpose,
    requestedAt: a.requestedAt,
  };
}

function unknownApproval(approvalId: string): InboundApprovalError {
  return new InboundApprovalError('APPROVAL_UNKNOWN', `no approval ${JSON.stringify(approvalId)} waits here; entente approvals list shows the ones that do`);
}

/** Why a held request takes no decision any more: decided by someone, or withdrawn or ended. */
function notWaiting(approval: InboundApprovalRecord, task: TaskRecord | undefined): InboundApprovalError {
  const id = inboundApprovalId(approval.peerOrg, approval.taskId);
  const d = approval.decided;
  if (d !== undefined) return new InboundApprovalError('APPROVAL_DECIDED', `${id} was already decided: ${d.decision} by ${d.by} (${d.reason})`);
  return new InboundApprovalError('APPROVAL_DECIDED', `${id} no longer waits: the task is ${task?.status ?? 'gone'} (the partner withdrew it)`);
}

/** A task id that already names a task in the other direction between the two organizations. */
function crossingId(taskId: string, requester: string, responder: string): TaskError {
  return new TaskError('task_conflict', `task id ${taskId} already names a task ${responder} asked of ${requester}; one id names one task between two organizations: choose a new taskId`);
}
