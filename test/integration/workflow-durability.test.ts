import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederation, pollUntil, type LocalFederation } from '../../gateway/src/cli/federation.js';
// @ts-expect-error: a JavaScript module of the examples, without types
import { agreements } from '../../examples/shared.mjs';
import { REPO } from '../support/paths.js';

const A = 'org-a';
const B = 'org-b';
const C = 'org-c';
const WORK = {
  'work.do': { purposes: ['research'], fields: ['n', 'delay_ms', 'slow_first'], disclose: ['n', 'by'] },
  // org-b's people approve every review org-a asks for.
  'work.review': { purposes: ['research'], fields: ['n'], disclose: ['n', 'by'], require_approval: true },
};

/**
 * Workflow runs across real gateways, each its own `entente serve` process on loopback with
 * its own store, certificates and policies: the orchestrator is killed (SIGKILL) at the points
 * where durability matters and started again, partners go down and hang. Executions are
 * counted on the partners' side, from their agents' own logs.
 */
describe('workflow runs across gateway processes', () => {
  let dir: string;
  let fed: LocalFederation;
  const log = (org: string) => join(dir, `${org}-work.log`);
  /** The tasks the partner's agent started, from its own log. */
  const started = (org: string, prefix: string) =>
    existsSync(log(org))
      ? readFileSync(log(org), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith(`start ${prefix}`))
      : [];
  const flow = (steps: string) => `name: durable\nsteps:\n${steps}`;
  const wait = pollUntil;
  /** Brings a partner back and waits until org-a's channel reaches it again. */
  const restart = async (org: string) => {
    await fed.start(org);
    await wait(async () => {
      const r = await fed.client(A).call({ partner: org, capability: 'work.do', purpose: 'research', input: { n: 0 }, timeoutMs: 2000 });
      return r.status === 'completed' ? true : undefined;
    }, `${org} to be reachable from org-a`);
  };
  const receiptsVerified = async (taskId: string, partner: string) => {
    // Acks leave off the call path: the partner's copy may take a moment to be whole.
    const end = Date.now() + 5000;
    for (;;) {
      const [here] = await fed.client(A).receipts(taskId, partner);
      const [there] = await fed.client(partner).receipts(taskId, A);
      const states = [here?.verification.state, there?.verification.state];
      if (states.every((st) => st === 'verified') || Date.now() > end) return states;
      await new Promise((done) => setTimeout(done, 20));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'entente-durable-'));
    const worker = (org: string) => [{ module: join(REPO, 'test/fixtures/agents/worker.mjs'), options: { logFile: log(org), org } }];
    fed = await createFederation(dir, [
      {
        org: A,
        policyDirs: [agreements(dir, A, { outbound: { 'work.do': [B, C], 'work.review': [B] }, options: WORK })],
        limits: { callTimeout: '5s' },
        extra: { circuits: { failures: 2, openFor: '2s' } },
      },
      { org: B, policyDirs: [agreements(dir, B, { inbound: { 'work.do': [A], 'work.review': [A] }, options: WORK })], agents: worker(B) },
      { org: C, policyDirs: [agreements(dir, C, { inbound: { 'work.do': [A] }, options: WORK })], agents: worker(C) },
    ]);
    await Promise.all([A, B, C].map((o) => fed.start(o)));
  }, 60_000);
  afterAll(async () => {
    await fed?.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when the orchestrating gateway is killed and started again', () => {
    it('before a remote step was submitted: the step is sent after the restart, and the partner runs it once', async () => {
      await fed.stop(A);
      await fed.start(A, { ENTENTE_CRASH_AT: 'workflow.step_started' });
      const seenBefore = started(B, '').length;
      // The gateway kills itself right after recording the step as started: perhaps before it
      // has answered StartRun, so the run is found in its list after the restart.
      await fed
        .client(A)
        .startRun(flow(`  - { id: x, capability: work.do, at: ${B}, purpose: research, input: '{"n": 1}' }\n`), {})
        .catch(() => undefined);
      await wait(async () => (fed.running(A) ? undefined : true), 'org-a to crash at its crash point');
      // Dead before its task left: org-b has seen nothing of the run.
      expect(started(B, '').length).toBe(seenBefore);
      await fed.stop(A);
      await fed.start(A);
      const { runs } = await fed.client(A).listRuns({});
      const run = runs[0]!;
      const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
      expect(done.status).toBe('completed');
      expect(started(B, run.runId)).toEqual([`start ${run.runId}.x.1`]);
      expect(await receiptsVerified(`${run.runId}.x.1`, B)).toEqual(['verified', 'verified']);
      // The resumed step and the restarted requester's own follow-up both went after the task:
      // one of them settled it, with one ack.
      const [held] = await fed.client(A).receipts(`${run.runId}.x.1`, B);
      expect(held?.statements.map((s) => s.kind).sort()).toEqual(['ack', 'request', 'result']);
    });

    it('while a remote step is in flight: it re-attaches to the same task, which the partner does not run again', async () => {
      const run = await fed.client(A).startRun(flow(`  - { id: x, capability: work.do, at: ${B}, purpose: research, input: '{"n": 2, "delay_ms": 1500}' }\n`), {});
      await wait(async () => (started(B, run.runId).length > 0 ? true : undefined), "org-b's agent to start");
      expect(await fed.stop(A, 'SIGKILL')).toBe('SIGKILL');
      await fed.start(A);
      const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
      expect(done.status).toBe('completed');
      expect(done.output).toEqual({ x: { n: 2, by: B } });
      expect(started(B, run.runId)).toEqual([`start ${run.runId}.x.1`]);
      expect(await receiptsVerified(`${run.runId}.x.1`, B)).toEqual(['verified', 'verified']);
      // The resumed step and the restarted requester's own follow-up both went after the task:
      // one of them settled it, with one ack.
      const [held] = await fed.client(A).receipts(`${run.runId}.x.1`, B);
      expect(held?.statements.map((s) => s.kind).sort()).toEqual(['ack', 'request', 'result']);
    });

    it('during a backoff: the retry happens after the restart, at the time it was due', async () => {
      await fed.stop(B);
      const run = await fed.client(A).startRun(
        flow(`  - { id: x, capability: work.do, at: ${B}, purpose: research, input: '{"n": 3}', retry: { initialInterval: 3s, maximumAttempts: 3 } }\n`),
        {},
      );
      // Attempt 1 finds org-b down; the retry waits in its backoff when org-a is killed.
      await wait(async () => ((await fed.client(A).getRun(run.runId)).steps[0]?.status === 'waiting' ? true : undefined), 'the step to wait for its retry');
      await fed.stop(A, 'SIGKILL');
      await fed.start(B);
      await fed.start(A);
      const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
      expect(done.status).toBe('completed');
      expect(done.steps[0]).toMatchObject({ attempt: 2, provider: B });
      expect(started(B, run.runId)).toEqual([`start ${run.runId}.x.2`]);
      expect(await receiptsVerified(`${run.runId}.x.2`, B)).toEqual(['verified', 'verified']);
    });

    it('while waiting for an approval: the approval still waits after the restart, and the run goes on once approved', async () => {
      const run = await fed.client(A).startRun(
        flow(`  - { id: ok, approval: {} }\n  - { id: x, capability: work.do, at: ${B}, purpose: research, needs: [ok], input: '{"n": 4}' }\n`),
        {},
      );
      const pending = await wait(async () => (await fed.client(A).listApprovals({ runId: run.runId }))[0], 'the approval');
      await fed.stop(A, 'SIGKILL');
      await fed.start(A);
      const after = await wait(async () => (await fed.client(A).listApprovals({ runId: run.runId }))[0], 'the approval after the restart');
      expect(after.approvalId).toBe(pending.approvalId);
      expect(started(B, run.runId)).toEqual([]);
      await fed.client(A).approve(after.approvalId, 'checked');
      const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
      expect(done.status).toBe('completed');
      expect(started(B, run.runId)).toEqual([`start ${run.runId}.x.1`]);
    });
  });

  it("survives the partner's crash while its agent runs: the partner ends that task as interrupted, and the retry is a new task", async () => {
    const run = await fed.client(A).startRun(
      flow(`  - { id: x, capability: work.do, at: ${B}, purpose: research, input: '{"n": 15, "delay_ms": 2000, "slow_first": true}', retry: { initialInterval: 1s, coefficient: 1.5, maximumAttempts: 6 } }\n`),
      {},
    );
    await wait(async () => (started(B, run.runId).length > 0 ? true : undefined), "org-b's agent to start");
    await fed.stop(B, 'SIGKILL');
    await restart(B);
    const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'completed', output: { x: { n: 15, by: B } } });
    const attempt = done.steps[0]!.attempt;
    expect(attempt).toBeGreaterThanOrEqual(2);
    // The interrupted task was never run again: org-b ended it, signed, when it started.
    expect(started(B, `${run.runId}.x.1`)).toEqual([`start ${run.runId}.x.1`]);
    let first;
    for await (const t of fed.client(B).tasks({ partner: A })) if (t.taskId === `${run.runId}.x.1`) first = t;
    expect(first).toMatchObject({ status: 'failed', reason: 'interrupted' });
    expect(await receiptsVerified(`${run.runId}.x.${attempt}`, B)).toEqual(['verified', 'verified']);
  });

  it('retries a partner that is down with backoff, then falls back to another partner', async () => {
    await fed.stop(B);
    const run = await fed.client(A).startRun(
      flow(`  - { id: x, capability: work.do, at: ${B}, fallback: [${C}], purpose: research, input: '{"n": 5}', retry: { initialInterval: 200ms, maximumAttempts: 2 } }\n`),
      {},
    );
    const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
    await restart(B);
    expect(done.status).toBe('completed');
    expect(done.steps[0]).toMatchObject({ provider: C, attempt: 3 });
    expect(done.output).toEqual({ x: { n: 5, by: C } });
    // The two attempts at org-b are on record at org-a as failed tasks, unreachable.
    const tasks = [];
    for await (const t of fed.client(A).tasks({ partner: B })) if (t.taskId.startsWith(run.runId)) tasks.push(t);
    expect(tasks.map((t) => [t.taskId, t.status, t.reason]).sort()).toEqual([
      [`${run.runId}.x.1`, 'failed', 'partner_unavailable'],
      [`${run.runId}.x.2`, 'failed', 'partner_unavailable'],
    ]);
    expect(started(C, run.runId)).toEqual([`start ${run.runId}.x.3`]);
  });

  it('skips a partner whose circuit opened (at: any), and tries it again once the circuit has cooled down', async () => {
    const any = flow(`  - { id: x, capability: work.do, at: any, prefer: [${B}, ${C}], purpose: research, input: '{"n": 14}' }\n`);
    const runOnce = async () => fed.client(A).getRun((await fed.client(A).startRun(any, {})).runId, { wait: true, timeoutMs: 20_000 });
    await fed.stop(B);
    // Earlier tests found org-b down too: let a circuit they opened cool down first.
    await new Promise((r) => setTimeout(r, 2000));
    // Runs find org-b down and go on at org-c until its circuit opens (circuits.failures: 2; a
    // circuit that had opened before opens again at its first failed probe).
    expect((await runOnce()).steps[0]).toMatchObject({ status: 'completed', provider: C, tried: [B, C] });
    let skipped = await runOnce();
    if (skipped.steps[0]?.tried.length === 2) skipped = await runOnce();
    // Open: org-b is not even tried, and the operator sees so in the gateway's status.
    expect(skipped.steps[0]).toMatchObject({ status: 'completed', provider: C, tried: [C], attempt: 1 });
    const open = (await fed.client(A).status()).partners.find((p) => p.org === B);
    expect(open?.circuitOpenUntil?.getTime()).toBeGreaterThan(Date.now());
    await restart(B);
    await new Promise((r) => setTimeout(r, 2000)); // circuits.openFor
    const probed = await runOnce();
    expect(probed.steps[0]).toMatchObject({ status: 'completed', provider: B, tried: [B] });
    expect(started(B, probed.runId)).toEqual([`start ${probed.runId}.x.1`]);
  });

  it('goes on without a partner that stays down (on_failure: continue), or asks a person (escalate), who can skip it', async () => {
    await fed.stop(B);
    const cont = await fed.client(A).startRun(
      flow(`  - { id: x, capability: work.do, at: ${B}, purpose: research, input: '{"n": 6}', on_failure: continue }\n  - { id: y, capability: work.do, at: ${C}, purpose: research, input: '{"n": 7}' }\n`),
      {},
    );
    const partial = await fed.client(A).getRun(cont.runId, { wait: true, timeoutMs: 20_000 });
    expect(partial).toMatchObject({ status: 'completed', partial: ['x'] });
    const esc = await fed.client(A).startRun(flow(`  - { id: x, capability: work.do, at: ${B}, purpose: research, input: '{"n": 8}', on_failure: escalate }\n`), {});
    const escalation = await wait(async () => (await fed.client(A).listApprovals({ runId: esc.runId }))[0], 'the escalation');
    expect(escalation).toMatchObject({ kind: 'escalation', step: 'x' });
    await fed.client(A).decideApproval(escalation.approvalId, { decision: 'skip', reason: 'org-b is in maintenance; value known', output: { n: 8, by: 'a person' } });
    const done = await fed.client(A).getRun(esc.runId, { wait: true, timeoutMs: 20_000 });
    await restart(B);
    expect(done).toMatchObject({ status: 'completed', output: { x: { n: 8, by: 'a person' } } });
  });

  it('times out a partner that hangs, retries, and records its late answer as late (receipted on both sides)', async () => {
    const run = await fed.client(A).startRun(
      flow(`  - { id: x, capability: work.do, at: ${B}, purpose: research, input: '{"n": 9, "delay_ms": 2500, "slow_first": true}', timeout: 1s, retry: { initialInterval: 100ms, maximumAttempts: 2 } }\n`),
      {},
    );
    const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
    expect(done.steps[0]).toMatchObject({ attempt: 2, status: 'completed' });
    expect(done.status).toBe('completed');
    // The first attempt's answer arrives after its timeout: recorded as late, not used.
    const late = await wait(async () => {
      const state = await fed.client(A).getRun(run.runId);
      return (state.steps[0]?.late ?? 0) > 0 ? state : undefined;
    }, 'the late answer');
    expect(late.steps[0]?.late).toBe(1);
    expect(started(B, run.runId)).toEqual([`start ${run.runId}.x.1`, `start ${run.runId}.x.2`]);
    await wait(async () => ((await receiptsVerified(`${run.runId}.x.1`, B)).every((s) => s === 'verified') ? true : undefined), 'the late task to be receipted on both sides');
  });

  it("cancels a run: the partner's task is cancelled there, with receipts on both sides, and nothing after it starts", async () => {
    const run = await fed.client(A).startRun(
      flow(`  - { id: x, capability: work.do, at: ${B}, purpose: research, input: '{"n": 10, "delay_ms": 3000}' }\n  - { id: y, capability: work.do, at: ${C}, purpose: research, needs: [x], input: '{"n": 11}' }\n`),
      {},
    );
    await wait(async () => (started(B, run.runId).length > 0 ? true : undefined), "org-b's agent to start");
    await fed.client(A).cancelRun(run.runId, 'the study was withdrawn');
    const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'cancelled', cancelReason: 'the study was withdrawn' });
    expect(done.steps.map((st) => [st.id, st.status])).toEqual([
      ['x', 'cancelled'],
      ['y', 'pending'],
    ]);
    const atB = await wait(async () => {
      for await (const t of fed.client(B).tasks({ partner: A })) if (t.taskId === `${run.runId}.x.1` && t.status !== 'running') return t;
      return undefined;
    }, "org-b's task to end");
    expect(atB).toMatchObject({ status: 'cancelled', reason: 'cancelled' });
    await wait(async () => ((await receiptsVerified(`${run.runId}.x.1`, B)).every((st) => st === 'verified') ? true : undefined), 'the cancelled task to be receipted on both sides');
    expect(started(C, run.runId)).toEqual([]);
  });

  describe("when the partner's own policy holds a step's task for its people", () => {
    const held = (runId: string) =>
      wait(async () => {
        const state = await fed.client(A).getRun(runId);
        return state.steps[0]?.status === 'awaiting_approval' ? state : undefined;
      }, 'the step to wait for the partner');
    const inboundAt = (org: string, taskId: string) =>
      wait(async () => (await fed.client(org).listApprovals({})).find((ap) => ap.kind === 'inbound' && ap.task?.taskId === taskId), `the approval at ${org}`);

    it('waits past its attempt timeout, survives a restart of the orchestrator, and goes on once approved there', async () => {
      const run = await fed.client(A).startRun(flow(`  - { id: r, capability: work.review, at: ${B}, purpose: research, input: '{"n": 12}', timeout: 1s }\n`), {});
      await held(run.runId);
      const pending = await inboundAt(B, `${run.runId}.r.1`);
      expect(pending).toMatchObject({ task: { partner: A, capability: 'work.review', purpose: 'research' }, decisions: ['approve', 'reject'] });
      expect(started(B, run.runId)).toEqual([]);
      await new Promise((r) => setTimeout(r, 1500)); // longer than the attempt timeout: a person is deciding
      expect((await fed.client(A).getRun(run.runId)).steps[0]).toMatchObject({ status: 'awaiting_approval', attempt: 1 });
      await fed.stop(A, 'SIGKILL');
      await fed.start(A);
      await held(run.runId);
      await fed.client(B).approve(pending.approvalId, 'reviewed by the data steward');
      const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'completed', output: { r: { n: 12, by: B } } });
      expect(started(B, run.runId)).toEqual([`start ${run.runId}.r.1`]);
      expect(await receiptsVerified(`${run.runId}.r.1`, B)).toEqual(['verified', 'verified']);
    });

    it('fails cleanly when they reject it: no retry, no execution, receipts on both sides', async () => {
      const run = await fed.client(A).startRun(flow(`  - { id: r, capability: work.review, at: ${B}, purpose: research, input: '{"n": 13}', retry: { maximumAttempts: 3 } }\n`), {});
      await held(run.runId);
      await fed.client(B).reject((await inboundAt(B, `${run.runId}.r.1`)).approvalId, 'not within the agreement this month');
      const done = await fed.client(A).getRun(run.runId, { wait: true, timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'failed' });
      expect(done.steps[0]).toMatchObject({ status: 'failed', reason: 'approval_rejected', attempt: 1 });
      expect(started(B, run.runId)).toEqual([]);
      expect(await receiptsVerified(`${run.runId}.r.1`, B)).toEqual(['verified', 'verified']);
    });
  });
});
