import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, type LocalFederation } from '../../gateway/src/cli/federation.js';
import { REPO } from '../support/paths.js';
import { callPastReconnect } from '../support/federation.js';
import { A, B, receiptsAt, workerFederation } from '../support/processes.js';

/**
 * Issue 11's guarantees, across real gateway processes on loopback: a side answers or acts on a
 * statement only once its real fdatasync of the WAL has returned; a crash at any durable step
 * loses nothing that was answered, and a retry of the same task id runs the partner's agent at
 * most once. Crash points (ENTENTE_CRASH_AT) kill a gateway with SIGKILL between two steps.
 */
describe('durability and crashes', () => {
  let dir: string;
  let fed: LocalFederation;
  let workLog: string;
  /** The partner's agent's own record: how many times it started the task. */
  const runsOf = (taskId: string) => (existsSync(workLog) ? readFileSync(workLog, 'utf8').split('\n').filter((l) => l === `start ${taskId}`).length : 0);
  const call = (taskId: string, n: number) => fed.client(A).call({ partner: B, capability: 'work.do', purpose: 'research', input: { n }, taskId, timeoutMs: 5000 });
  const receiptsOf = (org: string, taskId: string, partner: string) => receiptsAt(fed, org, taskId, partner);
  /** Both sides end with the same verified request, result and ack. */
  const settledOnBoth = async (taskId: string) => {
    const atA = await receiptsOf(A, taskId, B);
    expect(atA).toMatchObject({ kinds: ['ack', 'request', 'result'], verification: 'verified' });
    const atB = await pollUntil(async () => {
      const r = await receiptsOf(B, taskId, A);
      return r.kinds.includes('ack') ? r : undefined;
    }, `${B} to hold the ack of ${taskId}`);
    expect(atB).toMatchObject({ kinds: ['ack', 'request', 'result'], verification: 'verified' });
    expect(atB.jws).toEqual(atA.jws);
  };
  /** The call, made again with the same task id past A's reconnect backoff after B restarted. */
  const callPast = (taskId: string, n: number) => callPastReconnect(() => call(taskId, n));
  /** Calls B with the same task id until B has crashed at its armed point (see callPast). */
  const crashB = async (taskId: string, n: number) => {
    await pollUntil(async () => {
      await call(taskId, n).catch(() => undefined);
      return fed.running(B) ? undefined : true;
    }, `${B} to crash`, 15_000, 200);
  };
  /**
   * A call whose requester, A, kills itself at crash point `point`: its caller gets no answer.
   * Resolves with the task's id once A has died (restart it with restart(A)).
   */
  const callKillingA = async (point: string, n: number) => {
    await restart(A, { ENTENTE_CRASH_AT: point });
    const taskId = randomUUID();
    await expect(call(taskId, n)).rejects.toThrow();
    await pollUntil(async () => (fed.running(A) ? undefined : true), `${A} to crash at ${point}`);
    return taskId;
  };
  /** Restarts a crashed (or running) gateway without crash points or held syncs. */
  const restart = async (org: string, env?: Record<string, string>) => {
    if (fed.running(org)) await fed.stop(org);
    await fed.start(org, env);
  };

  beforeAll(async () => {
    ({ dir, fed, workLog } = await workerFederation('entente-crash-'));
    await Promise.all([fed.start(A), fed.start(B)]);
  }, 60_000);
  afterAll(async () => {
    await fed?.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a statement is durable before its side answers or acts on it', () => {
    const flag = () => join(dir, 'hold-sync');
    const holding = (org: string) => restart(org, { NODE_OPTIONS: `--import=${pathToFileURL(join(REPO, 'test/fixtures/hold-wal-sync.mjs')).href}`, ENTENTE_TEST_HOLD_SYNC: flag() });
    const settles = (p: Promise<unknown>) => Promise.race([p.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 500))]);
    // Released whatever happened: a gateway whose syncs stay held cannot stop, and would outlive the suite.
    afterEach(() => {
      rmSync(flag(), { force: true });
      rmSync(`${flag()}.held`, { force: true });
    });

    it("the responder runs no agent and answers nothing while the request's fdatasync has not returned", async () => {
      await holding(B);
      // A's channel to the restarted B is ready before anything is held.
      expect((await callPast(randomUUID(), 0)).status).toBe('completed');
      writeFileSync(flag(), '');
      const taskId = randomUUID();
      const out = call(taskId, 7);
      await pollUntil(async () => (existsSync(`${flag()}.held`) ? true : undefined), `${B} to reach an fdatasync of its WAL`);
      expect(await settles(out)).toBe(false);
      // B committed the claim to its WAL, but it is not on disk yet: the agent must not start.
      expect(runsOf(taskId)).toBe(0);
      rmSync(flag());
      expect(await out).toMatchObject({ status: 'completed', result: { n: 7, by: B } });
      expect(runsOf(taskId)).toBe(1);
      await settledOnBoth(taskId);
      await restart(B);
    });

    it('the requester sends nothing while its request statement is not yet on disk', async () => {
      await holding(A);
      writeFileSync(flag(), '');
      const taskId = randomUUID();
      const out = call(taskId, 8);
      await pollUntil(async () => (existsSync(`${flag()}.held`) ? true : undefined), `${A} to reach an fdatasync of its WAL`);
      expect(await settles(out)).toBe(false);
      // Nothing reached B: it holds no trace of the task.
      await expect(fed.client(B).receipts(taskId, A)).rejects.toThrow(/holds no task/);
      expect(runsOf(taskId)).toBe(0);
      rmSync(flag());
      expect(await out).toMatchObject({ status: 'completed', result: { n: 8, by: B } });
      await settledOnBoth(taskId);
      await restart(A);
    });
  });

  it("answers a retry from the stored result when the responder was killed after storing it and before answering: the agent ran once", async () => {
    await restart(B, { ENTENTE_CRASH_AT: 'task.result_stored' });
    const taskId = randomUUID();
    await crashB(taskId, 1);
    expect(runsOf(taskId)).toBe(1);
    // A holds no result: B died before answering.
    expect((await receiptsOf(A, taskId, B)).kinds).toEqual(['request']);
    await restart(B);
    expect(await callPast(taskId, 1)).toMatchObject({ status: 'completed', result: { n: 1, by: B } });
    expect(runsOf(taskId)).toBe(1);
    await settledOnBoth(taskId);
  });

  it('ends a task as interrupted, without running its agent, when the responder was killed after claiming it', async () => {
    await restart(B, { ENTENTE_CRASH_AT: 'task.claimed' });
    const taskId = randomUUID();
    await crashB(taskId, 2);
    await restart(B);
    const again = await callPast(taskId, 2);
    expect(again).toMatchObject({ status: 'failed', reason: 'interrupted' });
    // The agent never started: at restart the input is no longer kept, and running it now
    // could repeat an effect the partner cannot see.
    expect(runsOf(taskId)).toBe(0);
    await settledOnBoth(taskId);
  });

  it('settles, once restarted, a task whose requester was killed holding its unstored result: nobody retries, the agent ran once', async () => {
    // The caller never calls again.
    const taskId = await callKillingA('task.result_received', 3);
    expect(runsOf(taskId)).toBe(1);
    await restart(A);
    // The restarted A follows the task up at B, stores B's result and acknowledges it.
    await pollUntil(async () => ((await receiptsOf(A, taskId, B)).kinds.length === 3 ? true : undefined), `${A} to settle ${taskId} by itself`);
    await settledOnBoth(taskId);
    expect(runsOf(taskId)).toBe(1);
    // A retry, late, is answered from A's own record.
    expect(await call(taskId, 3)).toMatchObject({ status: 'completed', result: { n: 3, by: B } });
    expect(runsOf(taskId)).toBe(1);
  });

  it('follows up a task still running at the partner when the requester restarts, stops without waiting for it, and settles it at the next start', async () => {
    const taskId = randomUUID();
    const slow = fed
      .client(A)
      .call({ partner: B, capability: 'work.do', purpose: 'research', input: { n: 6, delay_ms: 6000 }, taskId, timeoutMs: 20_000 })
      .then(() => 'answered', () => 'no answer');
    await pollUntil(async () => (runsOf(taskId) === 1 ? true : undefined), `${B}'s agent to start ${taskId}`);
    await fed.stop(A, 'SIGKILL');
    expect(await slow).toBe('no answer');
    await restart(A);
    // A follows the task at B, which is still running it; a stop ends that follow-up at once
    // instead of waiting for B (a liveness bound: B's agent has seconds left to run).
    await new Promise((r) => setTimeout(r, 300));
    const stopping = Date.now();
    expect(await fed.stop(A)).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(3000);
    expect(existsSync(workLog) && readFileSync(workLog, 'utf8').includes(`done ${taskId}`)).toBe(false);
    await restart(A);
    await pollUntil(async () => ((await receiptsOf(A, taskId, B)).kinds.length === 3 ? true : undefined), `${A} to settle ${taskId} once B has finished`);
    await settledOnBoth(taskId);
    expect(runsOf(taskId)).toBe(1);
  });

  it('keeps one settlement and one ack when retries race the follow-up after a restart', async () => {
    const taskId = await callKillingA('task.result_received', 5);
    await restart(A);
    // At once, twice, while the restarted A follows the task up by itself too.
    const [one, two] = await Promise.all([call(taskId, 5), call(taskId, 5)]);
    expect(one).toMatchObject({ status: 'completed', result: { n: 5, by: B } });
    expect(two).toMatchObject({ status: 'completed', result: { n: 5, by: B } });
    expect(two.receipts).toEqual(one.receipts);
    // One ack on each side (settledOnBoth lists every statement held): not one per settlement.
    await settledOnBoth(taskId);
    expect((await receiptsOf(A, taskId, B)).jws['ack']).toBe(one.receipts.ack);
    expect(runsOf(taskId)).toBe(1);
  });

  it('ends as partner_unavailable, once restarted, a task whose requester was killed before its request left; a retry then runs it once', async () => {
    const taskId = await callKillingA('task.request_stored', 4);
    await restart(A);
    const ended = await pollUntil(async () => {
      const [held] = await fed.client(A).receipts(taskId, B);
      return held?.task.status === 'failed' ? held.task : undefined;
    }, `${A} to end ${taskId}`);
    expect(ended.reason).toBe('partner_unavailable');
    await expect(fed.client(B).receipts(taskId, A)).rejects.toThrow(/holds no task/);
    expect(runsOf(taskId)).toBe(0);
    expect(await callPast(taskId, 4)).toMatchObject({ status: 'completed', result: { n: 4, by: B } });
    expect(runsOf(taskId)).toBe(1);
    await settledOnBoth(taskId);
  });
});
