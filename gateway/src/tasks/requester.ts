import type { Logger } from '../observability/index.js';
import { crashPoint, systemClock, timeOrderedId, type Clock } from '../lib/index.js';
import { decide, PolicyError, type Decision, type PolicyEngine } from '../policy/index.js';
import { Canonical, canonicalize, JcsUnsupportedError, newSalt, saltedDigestOfCanonical, sha256Digest, type KeyRing, type SigningKey } from '../crypto/index.js';
import { signResult, verifyResult, type ResultStatus, type SignedStatement } from '../audit/index.js';
import type { StatementLog, StatementRecord } from '../audit/index.js';
import type { AckDeliverer } from './ack-deliverer.js';
import type { TaskRecord, TaskStore } from './ports.js';
import { isDenial, isReasonCode, REASONS, TaskError, type ReasonCode } from './errors.js';
import { FINAL_STATUSES, NAME, TASK_ID, type TaskView } from './task.js';
import { canonicalInputOf, knowSignerKey, parseJsonPayload, recordStatement, signFor, type StatementSigner } from './shared.js';
import { signerOf, statementsOfTask } from './receipts.js';

/** How requests reach partners; the federation transport implements it over mutual-TLS gRPC. */
export interface PartnerTransport {
  has(partner: string): boolean;
  submit(
    partner: string,
    req: {
      taskId: string;
      capability: string;
      purpose: string;
      inputBytes: Buffer;
      salt: string;
      requestStatement: string;
    },
    deadline: number,
  ): Promise<TaskView>;
  acknowledge(partner: string, taskId: string, ackStatement: string, deadline: number): Promise<void>;
  cancelTask(partner: string, taskId: string, deadline: number): Promise<TaskView>;
  /** Follows a task: `onUpdate` gets each state the partner reports; settles when the stream ends (or `signal` aborts it). */
  watchTask(partner: string, taskId: string, deadline: number, onUpdate: (view: TaskView) => void, signal?: AbortSignal): Promise<unknown>;
}

export interface RequesterDeps extends StatementSigner {
  readonly org: string;
  readonly store: TaskStore & StatementLog;
  readonly policy: () => PolicyEngine;
  readonly partnerKeys: () => KeyRing;
  /** Asks a partner's card for its receipt keys (after a rotation); see knowSignerKey. */
  readonly learnPartnerKeys?: (org: string) => Promise<unknown>;
  readonly transport: PartnerTransport;
  /** Delivers our acks: the first attempt at once, the rest from the durable outbox. */
  readonly acks: AckDeliverer;
  readonly maxPayloadBytes: number;
  /** How deep inputs and results may nest (limits.maxJsonDepth). */
  readonly maxJsonDepth: number;
  readonly callTimeoutMs: number;
  readonly log: Logger;
  /** Time for deadlines, statement times and records; the system clock by default. */
  readonly clock?: Clock;
}

export interface CallOptions {
  readonly partner: string;
  readonly capability: string;
  readonly purpose: string;
  readonly input: unknown;
  /** Reuse to retry a call idempotently; a new UUID by default. */
  readonly taskId?: string;
  /** Milliseconds for the whole call; the gateway's limits.callTimeout by default. */
  readonly timeoutMs?: number;
  /** The workflow run and step this call is part of: the outbound policy sees them as `input.workflow`. */
  readonly workflow?: { readonly runId: string; readonly workflow: string; readonly step: string };
  /** The partner's task this call serves (a step of a nested workflow): cited in the request statement. */
  readonly parentTask?: { readonly org: string; readonly taskId: string };
  /**
   * Called once when the partner holds the task for a person's approval: the call then waits,
   * up to its deadline, for the decision (a workflow stops the step's attempt timeout here).
   */
  readonly onAwaitingApproval?: () => void;
}

export interface CallResult {
  readonly taskId: string;
  readonly partner: string;
  readonly capability: string;
  /**
   * `awaiting_approval`: the deadline passed while the partner held the task for a person's
   * approval; calling again with the same taskId and content follows it on.
   */
  readonly status: 'completed' | 'denied' | 'failed' | 'cancelled' | 'awaiting_approval';
  /** The minimised result the partner's disclosure policy let leave (completed only). */
  readonly result?: unknown;
  readonly reason?: ReasonCode;
  /** Human-readable explanation of `reason`; names what to do where possible. */
  readonly message?: string;
  /** Reason codes the partner's policy chose to give. */
  readonly policyReasons?: readonly string[];
  readonly receipts: { readonly request?: string; readonly result?: string; readonly ack?: string };
}

/**
 * The requesting side of a task: outbound policy, request statement, durable record, the
 * call, verification of the partner's result statement, our ack. A partner's denial or
 * failure is a result (with receipts), not an exception; exceptions are for calls that could
 * not be made at all (unknown partner, bad arguments).
 */
export class Requester {
  private readonly clock: Clock;
  /** Tasks calls of ours are sending or following now (how many calls each): those calls settle their receipts. */
  private readonly following = new Map<string, number>();
  /** Aborted by stop(): the follow-ups of tasks a last stop left running end at once. */
  private readonly stopping = new AbortController();
  private recovering: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RequesterDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  async call(opts: CallOptions): Promise<CallResult> {
    const started = this.clock.now();
    const { partner, capability, purpose } = opts;
    if (!this.deps.transport.has(partner)) {
      throw new TaskError('partner_unknown', `no partner named ${JSON.stringify(partner)} in this gateway's configuration`);
    }
    if (!NAME.test(capability)) throw new TaskError('request_invalid', 'capability must match [a-z0-9][a-z0-9._-]*');
    if (!NAME.test(purpose)) throw new TaskError('request_invalid', 'purpose must match [a-z0-9][a-z0-9._-]*');
    const taskId = opts.taskId ?? timeOrderedId();
    if (!TASK_ID.test(taskId)) throw new TaskError('request_invalid', 'taskId must be 1-128 characters of A-Z a-z 0-9 . _ : -');
    const deadline = started + (opts.timeoutMs ?? this.deps.callTimeoutMs);
    const input = canonicalInputOf(opts.input, this.deps.maxJsonDepth);
    const contentDigest = sha256Digest(canonicalize({ partner, capability, purpose, input }));

    // Only a caller's own id can name an earlier task: ours are fresh UUIDv7s.
    const existing = opts.taskId === undefined ? undefined : await this.deps.store.getTask('requester', partner, taskId);
    // A caller's own id may already name a task the partner asked of us (ours never do: they
    // are fresh UUIDv7s). The partner would refuse it; say so before anything is signed.
    if (existing === undefined && opts.taskId !== undefined && (await this.deps.store.getTask('responder', partner, taskId)) !== undefined) {
      throw new TaskError('task_conflict', `taskId ${taskId} already names a task ${partner} asked of this gateway; one id names one task between two organizations: choose a new taskId`);
    }
    let outcome: CallResult;
    if (existing !== undefined) {
      if (existing.contentDigest !== contentDigest) {
        throw new TaskError('task_conflict', 'this taskId was already used with different content; choose a new taskId');
      }
      if (existing.status === 'running' || existing.status === 'awaiting_approval' || existing.reason === 'partner_unavailable') {
        // A retry: the partner answers an already-claimed task id from its own record, so the
        // input that left the first time is sent again with the stored request statement.
        const { inputBytes } = this.outbound(opts, taskId, input);
        const request = (await this.statement(existing, 'request'))?.jws;
        if (request === undefined) throw new TaskError('internal', `task ${taskId} has no stored request statement`);
        outcome = await this.send(existing, deadline, { inputBytes, request, onAwaitingApproval: opts.onAwaitingApproval });
      } else {
        outcome = await this.stored(existing);
      }
    } else {
      outcome = await this.start({ ...opts, taskId }, input, contentDigest, deadline);
    }
    this.deps.log.info(
      {
        task_id: taskId,
        role: 'requester',
        partner,
        capability,
        purpose,
        decision: outcome.status,
        ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
        duration_ms: this.clock.now() - started,
      },
      'task',
    );
    return outcome;
  }

  /**
   * Settles, in the background, the tasks an earlier process of this gateway left running: it
   * stopped or crashed while their calls waited, so nothing would store the partner's answer or
   * acknowledge it, and the partner would hold an unacknowledged result for good. Each is
   * followed at its partner (WatchTask, which needs no input) for up to limits.callTimeout; a
   * final answer is verified, stored and acknowledged as the call's own would have been. A task
   * the partner never received ends as failed (partner_unavailable), which a retry with the
   * same taskId sends again. A task still running there, or whose partner is down, stays
   * running: a caller's retry or the next start takes it up. Returns how many it follows.
   */
  async recoverLeftRunning(): Promise<number> {
    const left = await this.deps.store.listTasks({ role: 'requester', status: 'running', limit: 100_000 });
    const queue = left.filter((t) => this.deps.transport.has(t.peerOrg));
    const { signal } = this.stopping;
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let task = queue[next++]; task !== undefined && !signal.aborted; task = queue[next++]) {
        // A resumed workflow step or a caller's retry may have taken it up since (settleTask
        // keeps one settlement in any case).
        if (this.following.has(followKey(task.peerOrg, task.taskId))) continue;
        try {
          await this.followed(task, () => this.settleLeft(task!, signal));
        } catch (err) {
          if (!signal.aborted) this.deps.log.error({ task_id: task.taskId, partner: task.peerOrg, err }, 'could not settle a task the last stop left running; the next start tries again');
        }
      }
    };
    const count = queue.length;
    this.recovering = Promise.all(Array.from({ length: Math.min(RECOVERY_FOLLOWS, count) }, worker)).then(() => undefined);
    return count;
  }

  /** Ends the follow-ups recoverLeftRunning started; resolves once none writes any more. */
  stop(): Promise<void> {
    this.stopping.abort();
    return this.recovering;
  }

  private async settleLeft(task: TaskRecord, signal: AbortSignal): Promise<void> {
    const request = (await this.statement(task, 'request'))?.jws;
    if (request === undefined) return;
    const deadline = this.clock.now() + this.deps.callTimeoutMs;
    const next = await this.follow(task, deadline, signal);
    if (next === undefined || signal.aborted) return;
    const { view, remote } = next;
    const resultStatement = remote?.details.resultStatement ?? view.resultStatement;
    if (resultStatement === undefined) {
      if (view.status === 'approved') {
        this.deps.log.warn({ task_id: task.taskId, partner: task.peerOrg }, 'a task the last stop left running was approved at the partner, which needs its input again: left running until a retry with its taskId sends it');
      }
      if (remote?.reason !== 'task_unknown') return;
      // Only if nothing settled it meanwhile (a caller's retry, a resumed workflow step).
      const ended = { ...task, status: 'failed', reason: 'partner_unavailable', updatedAt: this.clock.now() } as const;
      if (await this.deps.store.transitionTask(ended, 'running')) {
        this.deps.log.warn({ task_id: task.taskId, partner: task.peerOrg }, 'a task the last stop left running never reached the partner: ended as failed (partner_unavailable); a retry with its taskId sends it again');
      }
      return;
    }
    const settled = await this.settle(task, request, resultStatement, view, remote, deadline);
    this.deps.log.info({ task_id: task.taskId, partner: task.peerOrg, decision: settled.status, ...(settled.reason !== undefined ? { reason: settled.reason } : {}) }, 'followed up a task the last stop left running');
  }

  private async start(opts: CallOptions & { taskId: string }, input: Canonical, contentDigest: string, deadline: number): Promise<CallResult> {
    const { org, signer } = this.deps;
    const salt = newSalt();
    const now = this.clock.now();
    const task: TaskRecord = {
      taskId: opts.taskId,
      role: 'requester',
      peerOrg: opts.partner,
      capability: opts.capability,
      purpose: opts.purpose,
      contentDigest,
      salt,
      status: 'running',
      createdAt: now,
      updatedAt: now,
    };
    const { decision: outbound, leaving, inputBytes } = this.outbound(opts, opts.taskId, input);
    const iat = Math.floor(now / 1000);
    const signedRequest = await signFor(this.deps, 'request', {
        task_id: opts.taskId,
        from: org,
        to: opts.partner,
        capability: opts.capability,
        purpose: opts.purpose,
        input_digest: saltedDigestOfCanonical(salt, leaving.text),
        iat,
        exp: Math.ceil(deadline / 1000) + 60,
        outbound: { decision_id: outbound.id, policy_revision: outbound.revision },
        ...(opts.parentTask !== undefined ? { parent: { org: opts.parentTask.org, task_id: opts.parentTask.taskId } } : {}),
      });
    const request = signedRequest.jws;
    const requestRecord = recordStatement(opts.taskId, 'request', org, opts.partner, signedRequest, this.clock.now());

    if (!outbound.allow) {
      // Nothing leaves. The refusal is receipted locally: our request statement and our own
      // result statement saying that our policy denied it.
      const result = signResult(signer, {
        iat: Math.floor(this.clock.now() / 1000),
        task_id: opts.taskId,
        from: org,
        to: opts.partner,
        request_digest: requestRecord.digest,
        status: 'denied',
        reason: 'outbound_denied',
        inbound: null,
        disclosure: null,
      }).jws;
      await this.deps.store.write({
        tasks: [{ ...task, status: 'denied', reason: 'outbound_denied' }],
        statements: [requestRecord, recordStatement(opts.taskId, 'result', org, opts.partner, result, this.clock.now())],
      });
      return {
        taskId: opts.taskId,
        partner: opts.partner,
        capability: opts.capability,
        status: 'denied',
        reason: 'outbound_denied',
        message: REASONS.outbound_denied,
        policyReasons: outbound.reasons,
        receipts: { request, result },
      };
    }
    // Durable before anything leaves: if we crash after sending, the record shows it.
    await this.deps.store.write({ tasks: [task], statements: [requestRecord] });
    crashPoint('task.request_stored');
    return this.send(task, deadline, { inputBytes, request, onAwaitingApproval: opts.onAwaitingApproval });
  }

  /**
   * Sends (or resends, idempotently) a recorded task and settles its receipts. A task the
   * partner holds for approval is recorded as awaiting it and followed until it is decided,
   * resubmitted when the partner answers APPROVED (it no longer has the input), and left
   * awaiting approval if the deadline passes first.
   */
  private send(task: TaskRecord, deadline: number, prepared: Prepared): Promise<CallResult> {
    return this.followed(task, () => this.sendAndFollow(task, deadline, prepared));
  }

  /** Runs `work` counted in `following`: cancel() and recovery leave the task's receipts to it. */
  private async followed<T>(task: TaskRecord, work: () => Promise<T>): Promise<T> {
    const key = followKey(task.peerOrg, task.taskId);
    this.following.set(key, (this.following.get(key) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.following.get(key) ?? 1) - 1;
      if (left === 0) this.following.delete(key);
      else this.following.set(key, left);
    }
  }

  private async sendAndFollow(
    task: TaskRecord,
    deadline: number,
    prepared: Prepared,
  ): Promise<CallResult> {
    const { request } = prepared;
    let { view, remote } = await this.submit(task, deadline, prepared);
    let held = false;
    let resubmitted = false;
    while (remote === undefined && (view.status === 'awaiting_approval' || view.status === 'approved')) {
      if (view.status === 'approved') {
        // Approved where the partner no longer holds the input: our resubmission runs it.
        if (resubmitted) {
          ({ view, remote } = failed(task, new TaskError('internal', 'the partner answered APPROVED to the resubmission of an approved task')));
          break;
        }
        resubmitted = true;
        ({ view, remote } = await this.submit(task, deadline, prepared));
        continue;
      }
      if (!held) {
        held = true;
        await this.deps.store.write({ tasks: [{ ...task, status: 'awaiting_approval', updatedAt: this.clock.now() }] });
        this.notifyHeld(task, prepared.onAwaitingApproval);
      }
      const next = await this.follow(task, deadline);
      if (next === undefined) {
        return {
          taskId: task.taskId,
          partner: task.peerOrg,
          capability: task.capability,
          status: 'awaiting_approval',
          message: "the partner holds this task for a person's approval; call again with the same taskId to follow it",
          receipts: { request },
        };
      }
      ({ view, remote } = next);
    }
    const resultStatement = remote?.details.resultStatement ?? view.resultStatement;
    if (resultStatement === undefined) {
      const reason = remote?.reason ?? 'internal';
      if (!(await this.deps.store.settleTask({ ...task, status: 'failed', reason, updatedAt: this.clock.now() }, []))) return this.settledElsewhere(task);
      return this.outcome(task, 'failed', reason, remote?.message, { request });
    }
    return this.settle(task, request, resultStatement, view, remote, deadline);
  }

  private async submit(
    task: TaskRecord,
    deadline: number,
    prepared: { inputBytes: Buffer; request: string },
  ): Promise<{ view: TaskView; remote: TaskError | undefined }> {
    try {
      const view = await this.deps.transport.submit(
        task.peerOrg,
        { taskId: task.taskId, capability: task.capability, purpose: task.purpose, inputBytes: prepared.inputBytes, salt: task.salt, requestStatement: prepared.request },
        deadline,
      );
      return { view, remote: undefined };
    } catch (err) {
      if (!(err instanceof TaskError)) throw err;
      return failed(task, err);
    }
  }

  /**
   * Follows a task the partner holds for approval until it is approved or final, calling
   * WatchTask again (with backoff) when the stream breaks or ends early; undefined if the
   * deadline passes first. Refusals (the task is unknown there, our identity refused) end it.
   */
  private async follow(task: TaskRecord, deadline: number, signal?: AbortSignal): Promise<{ view: TaskView; remote: TaskError | undefined } | undefined> {
    // A function: TypeScript would narrow a property read to its value at the loop's test.
    const stopped = () => signal?.aborted === true;
    for (let attempt = 0; this.clock.now() < deadline && !stopped(); attempt++) {
      let last: TaskView | undefined;
      try {
        await this.deps.transport.watchTask(
          task.peerOrg,
          task.taskId,
          deadline,
          (view) => {
            last = view;
          },
          signal,
        );
      } catch (err) {
        if (stopped()) return undefined;
        if (!(err instanceof TaskError)) throw err;
        if (!FOLLOW_AGAIN.has(err.reason)) return failed(task, err);
      }
      // Assigned in the callback, which TypeScript's narrowing does not see.
      const seen = last as TaskView | undefined;
      if (seen !== undefined && (FINAL_STATUSES.has(seen.status) || seen.status === 'approved')) return { view: seen, remote: undefined };
      const wait = Math.min(100 * 2 ** Math.min(attempt, 5), 2000, deadline - this.clock.now());
      if (wait > 0) await this.clock.sleep(wait, signal).catch(() => undefined);
    }
    return undefined;
  }

  private notifyHeld(task: TaskRecord, onAwaitingApproval: (() => void) | undefined): void {
    try {
      onAwaitingApproval?.();
    } catch (err) {
      this.deps.log.warn({ task_id: task.taskId, partner: task.peerOrg, err }, 'onAwaitingApproval threw');
    }
  }

  /** Verifies the partner's result statement against what we sent and got, then acknowledges it. */
  private async settle(
    task: TaskRecord,
    request: string,
    resultStatement: string,
    view: TaskView,
    remote: TaskError | undefined,
    deadline: number,
  ): Promise<CallResult> {
    crashPoint('task.result_received');
    const { org } = this.deps;
    let result: unknown;
    let verified: SignedStatement<'result'>;
    try {
      const limits = { maxBytes: this.deps.maxPayloadBytes, maxDepth: this.deps.maxJsonDepth };
      const parsed = view.resultBytes === undefined ? undefined : parseJsonPayload(view.resultBytes, limits, 'result');
      await knowSignerKey(this.deps, task.peerOrg, resultStatement);
      verified = verifyResult(resultStatement, this.deps.partnerKeys(), {
        requester: org,
        responder: task.peerOrg,
        taskId: task.taskId,
        requestDigest: sha256Digest(request),
        salt: task.salt,
        result: parsed === undefined ? { present: false } : { present: true, value: parsed.canonical },
      });
      result = parsed?.value;
    } catch (err) {
      this.deps.log.warn({ task_id: task.taskId, partner: task.peerOrg, err }, 'result statement rejected');
      if (!(await this.deps.store.settleTask({ ...task, status: 'failed', reason: 'receipt_invalid', updatedAt: this.clock.now() }, []))) return this.settledElsewhere(task);
      return this.outcome(task, 'failed', 'receipt_invalid', `the partner's result statement did not verify: ${(err as Error).message}`, {
        request,
      });
    }
    const status: ResultStatus = verified.payload.status;
    const resultRecord = recordStatement(task.taskId, 'result', task.peerOrg, task.peerOrg, verified, this.clock.now());
    const signedAck = await signFor(this.deps, 'ack', {
      iat: Math.floor(this.clock.now() / 1000),
      task_id: task.taskId,
      from: org,
      to: task.peerOrg,
      result_statement_digest: resultRecord.digest,
    });
    const ack = signedAck.jws;
    const reason = status === 'completed' ? undefined : (remote?.reason ?? (view.reason !== undefined && isReasonCode(view.reason) ? view.reason : 'internal'));
    // The duty to deliver the ack is stored with it, in the same write: no crash can leave an
    // ack signed here and owed to the partner without the outbox knowing.
    const owed = this.deps.acks.entry(task.peerOrg, task.taskId, ack);
    const settled: TaskRecord = {
      ...task,
      status,
      ...(reason !== undefined ? { reason } : {}),
      ...(status === 'completed' ? { resultJson: JSON.stringify(result) } : {}),
      updatedAt: this.clock.now(),
    };
    const ackRecord = recordStatement(task.taskId, 'ack', org, task.peerOrg, signedAck, this.clock.now());
    // Ours is dropped unsent if another settlement came first.
    if (!(await this.deps.store.settleTask(settled, [resultRecord, ackRecord], owed))) return this.settledElsewhere(task);
    crashPoint('task.ack_stored');
    // The ack is durable and owed: the caller has its result now, and the ack leaves at once,
    // off the call path (awaiting it made every call wait for the partner's ack commit too, and
    // made calls in flight move in waves); if the partner does not take it, the outbox retries.
    void this.deps.acks.deliver(owed, Math.max(deadline, this.clock.now() + 2000)).catch((err: unknown) =>
      this.deps.log.error({ task_id: task.taskId, partner: task.peerOrg, err }, 'ack delivery failed; the outbox retries it'),
    );
    const receipts = { request, result: resultStatement, ack };
    if (status === 'completed') {
      return { taskId: task.taskId, partner: task.peerOrg, capability: task.capability, status, result, receipts };
    }
    return this.outcome(task, status, reason ?? 'internal', remote?.message, receipts, remote?.details.policyReasons);
  }

  /**
   * Cancels a task at the partner (a workflow abandoned the attempt). While our call is still
   * waiting, the partner's answer to it carries the cancelled (or, if the agent finished
   * first, completed) result statement and is receipted as usual; if our call had already
   * given up, the statement CancelTask returns is verified and receipted here, so both sides
   * still hold the whole triple.
   */
  async cancel(partner: string, taskId: string): Promise<void> {
    const task = await this.deps.store.getTask('requester', partner, taskId);
    if (task === undefined || !this.deps.transport.has(partner)) return;
    const deadline = this.clock.now() + this.deps.callTimeoutMs;
    const view = await this.deps.transport.cancelTask(partner, taskId, deadline);
    if (this.following.has(followKey(partner, taskId)) || view.resultStatement === undefined) return;
    if ((await this.statement(task, 'result')) !== undefined) return;
    const request = (await this.statement(task, 'request'))?.jws;
    if (request === undefined) return;
    await this.settle(task, request, view.resultStatement, view, undefined, deadline);
  }

  /**
   * Asks the outbound policy what may leave. The input itself is never stored (receipts hold
   * digests only), so a retry with the same taskId re-derives it from the caller's input.
   */
  private outbound(opts: CallOptions, taskId: string, input: Canonical): { decision: Decision; leaving: Canonical; inputBytes: Buffer } {
    let decision: Decision;
    const asked = {
      task_id: taskId,
      partner: opts.partner,
      capability: opts.capability,
      purpose: opts.purpose,
      ...(opts.workflow !== undefined ? { workflow: { run_id: opts.workflow.runId, name: opts.workflow.workflow, step: opts.workflow.step } } : {}),
    };
    try {
      // The policy judges the input as call() took it, the text its record takes as it is: what
      // a caller changes in its object meanwhile can make neither differ from the other.
      decision = decide(this.deps.policy(), 'outbound', { ...asked, input: JSON.parse(input.text) as unknown }, { recordedInput: { ...asked, input } });
    } catch (err) {
      if (err instanceof PolicyError) {
        this.deps.log.error({ task_id: taskId, err }, 'outbound policy failed; failing closed');
        throw new TaskError('policy_error', REASONS.policy_error, {}, { cause: err });
      }
      throw err;
    }
    // What leaves is sent in its canonical form: the partner then finds it canonical without
    // building the form, and the request's input digest is made of the same text.
    let leaving = input;
    if (decision.allow) {
      try {
        leaving = new Canonical(canonicalize(decision.payload));
      } catch (err) {
        if (!(err instanceof JcsUnsupportedError)) throw err;
        this.deps.log.error({ task_id: taskId, err }, 'the outbound policy let an input leave that has no canonical JSON form; failing closed');
        throw new TaskError('policy_error', REASONS.policy_error, {}, { cause: err });
      }
    }
    const inputBytes = Buffer.from(leaving.text, 'utf8');
    if (decision.allow && inputBytes.length > this.deps.maxPayloadBytes) {
      throw new TaskError(
        'payload_too_large',
        `the input is ${inputBytes.length} bytes; the limit is ${this.deps.maxPayloadBytes} bytes (limits.maxPayloadBytes)`,
      );
    }
    return { decision, leaving, inputBytes };
  }

  /**
   * The outcome another settlement of the task stored first (a caller's retry, a resumed
   * workflow step, the follow-up after a restart): its outcome and its ack stand.
   */
  private async settledElsewhere(task: TaskRecord): Promise<CallResult> {
    const stored = await this.deps.store.getTask('requester', task.peerOrg, task.taskId);
    if (stored === undefined) throw new TaskError('internal', `task ${task.taskId} was settled but is not stored`);
    return this.stored(stored);
  }

  private async stored(task: TaskRecord): Promise<CallResult> {
    const held = statementsOfTask(this.deps.org, task, await this.deps.store.listStatements({ taskId: task.taskId, peerOrg: task.peerOrg }));
    const jwsOf = (kind: StatementRecord['kind']) => held.find((s) => s.kind === kind)?.jws;
    const receipts = { request: jwsOf('request'), result: jwsOf('result'), ack: jwsOf('ack') };
    const clean = Object.fromEntries(Object.entries(receipts).filter(([, v]) => v !== undefined)) as CallResult['receipts'];
    if (task.status === 'completed') {
      return {
        taskId: task.taskId,
        partner: task.peerOrg,
        capability: task.capability,
        status: 'completed',
        result: task.resultJson === undefined ? undefined : (JSON.parse(task.resultJson) as unknown),
        receipts: clean,
      };
    }
    const status = task.status === 'denied' || task.status === 'cancelled' ? task.status : 'failed';
    const reason = task.reason !== undefined && isReasonCode(task.reason) ? task.reason : 'internal';
    return this.outcome(task, status, reason, undefined, clean);
  }

  private outcome(
    task: TaskRecord,
    status: 'denied' | 'failed' | 'cancelled',
    reason: ReasonCode,
    message: string | undefined,
    receipts: CallResult['receipts'],
    policyReasons?: readonly string[],
  ): CallResult {
    return {
      taskId: task.taskId,
      partner: task.peerOrg,
      capability: task.capability,
      status: isDenial(reason) ? 'denied' : status,
      reason,
      message: message ?? REASONS[reason],
      ...(policyReasons !== undefined && policyReasons.length > 0 ? { policyReasons } : {}),
      receipts,
    };
  }

  private async statement(task: TaskRecord, kind: 'request' | 'result' | 'ack'): Promise<StatementRecord | undefined> {
    return this.deps.store.firstStatement(task.peerOrg, task.taskId, kind, signerOf(this.deps.org, task, kind));
  }
}

/** What a (re)submission sends, and whom to tell when the partner holds the task for approval. */
interface Prepared {
  readonly inputBytes: Buffer;
  readonly request: string;
  readonly onAwaitingApproval: (() => void) | undefined;
}

/** Tasks a last stop left running that recovery follows at once. */
const RECOVERY_FOLLOWS = 8;

/** Why a WatchTask stream may have broken on the way, not at the partner's word: follow it again. */
const FOLLOW_AGAIN: ReadonlySet<ReasonCode> = new Set(['partner_unavailable', 'deadline_exceeded', 'internal']);

function followKey(partner: string, taskId: string): string {
  return partner + '\u0000' + taskId;
}

/** A call that got no task back: a failure, with the partner's result statement if it sent one. */
function failed(task: TaskRecord, err: TaskError): { view: TaskView; remote: TaskError } {
  return { view: { taskId: task.taskId, status: 'failed', reason: err.reason }, remote: err };
}
