import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, type LocalFederation } from '../../gateway/src/cli/federation.js';
import { REPO } from '../support/paths.js';
import { A, B, receiptsAt, workerFederation } from '../support/processes.js';

/** The `entente` CLI, as an operator runs it. */
const entente = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', import.meta.resolve('tsx'), join(REPO, 'gateway/src/cli/main.ts'), ...args], { timeout: 60_000 });

/**
 * The ack outbox across real gateway processes on loopback: a responder that goes down before
 * the requester's ack reaches it, and a requester killed between storing its ack and sending
 * it. Each side's receipts are read from its own store, through its control API.
 */
describe('acks that always arrive', () => {
  let dir: string;
  let fed: LocalFederation;
  /** The statements `org` holds for the task, kind → compact JWS. */
  const held = async (org: string, taskId: string, partner: string) => (await receiptsAt(fed, org, taskId, partner)).jws;
  /** Where the task's ack stands at `org`, as its receipts show it. */
  const ackAt = async (org: string, taskId: string, partner: string) => (await fed.client(org).receipts(taskId, partner))[0]!.ack;
  /** The same, as the task list shows it. */
  const listedAck = async (org: string, taskId: string, partner: string) => {
    for await (const t of fed.client(org).tasks({ partner })) if (t.taskId === taskId) return t.ack;
    return undefined;
  };
  /** `entente receipts list` of `org`'s gateway, the task's row. */
  const listedRow = async (org: string, taskId: string, ...flags: string[]) =>
    (await entente('receipts', 'list', '--config', fed.configs[org]!, ...flags)).stdout.split('\n').find((l) => l.startsWith(taskId));
  const call = (taskId: string, n: number) => fed.client(A).call({ partner: B, capability: 'work.do', purpose: 'research', input: { n }, taskId, timeoutMs: 5000 });

  beforeAll(async () => {
    ({ dir, fed } = await workerFederation('entente-acks-'));
    await Promise.all([fed.start(A), fed.start(B)]);
  }, 60_000);
  afterAll(async () => {
    await fed?.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the ack once the partner is back, when it went down after answering and before the ack arrived', async () => {
    await fed.stop(B);
    // org-b kills itself when the ack reaches it, before storing it.
    await fed.start(B, { ENTENTE_CRASH_AT: 'task.ack_received' });
    const taskId = randomUUID();
    const out = await call(taskId, 1);
    // The caller has its result, though the ack could not be delivered.
    expect(out).toMatchObject({ status: 'completed', result: { n: 1, by: B } });
    await pollUntil(async () => (fed.running(B) ? undefined : true), 'org-b to crash when the ack arrives');
    expect(Object.keys(await held(A, taskId, B)).sort()).toEqual(['ack', 'request', 'result']);
    // org-a's receipt verifies, and shows its ack waiting in the outbox, with why.
    expect((await fed.client(A).receipts(taskId, B))[0]?.verification.state).toBe('verified');
    // (The failed attempt is recorded after the call has answered.)
    const waiting = await pollUntil(async () => {
      const a = await ackAt(A, taskId, B);
      return a.attempts > 0 ? a : undefined;
    }, 'org-a to record its failed attempt');
    expect(waiting).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^partner_unavailable: /) });
    expect(waiting.nextAttemptAt).toBeInstanceOf(Date);
    expect(await listedAck(A, taskId, B)).toBe('pending');
    const shown = (await entente('receipts', 'show', '--config', fed.configs[A]!, taskId)).stdout;
    expect(shown).toMatch(/\n {2}ack: pending — \d+ attempts?, next at \S+, last error: partner_unavailable: /);
    await fed.stop(B);
    await fed.start(B);
    const theirs = await pollUntil(async () => {
      const h = await held(B, taskId, A);
      return h['ack'] !== undefined ? h : undefined;
    }, 'org-b to hold the ack');
    // Both sides hold the same triple: the ack org-a signed is the one org-b stored.
    expect(theirs).toEqual(await held(A, taskId, B));
    expect(theirs['ack']).toBe(out.receipts.ack);
    const [there] = await fed.client(B).receipts(taskId, A);
    expect(there?.verification.state).toBe('verified');
    expect((await ackAt(B, taskId, A)).state).toBe('delivered');
    expect(await listedAck(B, taskId, A)).toBe('delivered');
    // org-a records the delivery once org-b has answered.
    const delivered = await pollUntil(async () => {
      const a = await ackAt(A, taskId, B);
      return a.state === 'delivered' ? a : undefined;
    }, "org-a to record the ack's delivery");
    expect(delivered.deliveredAt).toBeInstanceOf(Date);
  });

  it('delivers the ack after the requester restarts, when it was killed between storing the ack and sending it', async () => {
    await fed.stop(A);
    await fed.start(A, { ENTENTE_CRASH_AT: 'task.ack_stored' });
    const taskId = randomUUID();
    // org-a dies inside the call: its caller gets no answer.
    await expect(call(taskId, 2)).rejects.toThrow();
    await pollUntil(async () => (fed.running(A) ? undefined : true), 'org-a to crash after storing the ack');
    // org-b answered and holds the result, but no ack: unacknowledged, as its operator sees.
    expect(Object.keys(await held(B, taskId, A)).sort()).toEqual(['request', 'result']);
    const [unacked] = await fed.client(B).receipts(taskId, A);
    expect(unacked?.verification).toEqual({ state: 'incomplete', problems: ['unacknowledged: the requester has not acknowledged the result (no ack statement)'] });
    expect((await ackAt(B, taskId, A)).state).toBe('missing');
    expect(await listedAck(B, taskId, A)).toBe('missing');
    expect(await listedRow(B, taskId)).toMatch(/\sincomplete\s+missing$/);
    // org-a, down, holds the ack and owes it: its store, read offline, shows it pending.
    await fed.stop(A);
    expect(await listedRow(A, taskId, '--offline')).toMatch(/\scompleted\s+verified\s+pending$/);
    await fed.start(A);
    const theirs = await pollUntil(async () => {
      const h = await held(B, taskId, A);
      return h['ack'] !== undefined ? h : undefined;
    }, 'org-b to hold the ack org-a stored before it was killed');
    expect(theirs).toEqual(await held(A, taskId, B));
    const [there] = await fed.client(B).receipts(taskId, A);
    expect(there?.verification.state).toBe('verified');
    expect((await ackAt(B, taskId, A)).state).toBe('delivered');
    // The first attempt was made by the process that restarted.
    expect(await pollUntil(async () => {
      const a = await ackAt(A, taskId, B);
      return a.state === 'delivered' ? a : undefined;
    }, "org-a to record the ack's delivery")).toMatchObject({ attempts: 1 });
  });
});
