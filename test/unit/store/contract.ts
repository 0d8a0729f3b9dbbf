import { afterEach, describe, expect, it } from 'vitest';
import type { StatementRecord } from '../../../gateway/src/audit/index.js';
import type { Store } from '../../../gateway/src/store/index.js';
import type { InboundApprovalRecord, OutboxAck, TaskRecord } from '../../../gateway/src/tasks/index.js';
import type { DecisionRecord, PolicyContent, RetainedInput } from '../../../gateway/src/policy/index.js';

export const task = (id: string, over: Partial<TaskRecord> = {}): TaskRecord => ({
  taskId: id, role: 'responder', peerOrg: 'org-a', capability: 'patients.count', purpose: 'research',
  contentDigest: `sha256:content-${id}`, salt: `salt-${id}`, status: 'running', createdAt: 1_000, updatedAt: 1_000, ...over,
});

export const statement = (id: string, n: number, over: Partial<StatementRecord> = {}): StatementRecord => ({
  taskId: id, kind: 'request', signerOrg: 'org-a', peerOrg: 'org-a', kid: 'k1', jws: `h.p${n}.s`, digest: `sha256:d${n}`, storedAt: 2_000, ...over,
});

export const approval = (id: string, over: Partial<InboundApprovalRecord> = {}): InboundApprovalRecord => ({
  peerOrg: 'org-a', taskId: id, capability: 'patients.count', purpose: 'research',
  inbound: { decisionId: `decision-${id}`, policyRevision: 'sha256:rev' }, requestedAt: 1_000, ...over,
});

export const decisionRecord = (id: string, over: Partial<DecisionRecord> = {}): DecisionRecord => ({
  decisionId: id, point: 'inbound', revision: 'sha256:rev', decidedAt: 5_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA', inputDigest: `sha256:input-${id}`,
  outcome: { kind: 'decision', allow: true, reasons: [], requireApproval: false }, ...over,
});

export const retainedInput = (id: string, over: Partial<RetainedInput> = {}): RetainedInput => ({
  decisionId: id, keyId: 'key:abc', sealed: new Uint8Array([1, 2, 3, 4, 5]), keptAt: 5_000, ...over,
});

export const outboxAck = (id: string, over: Partial<OutboxAck> = {}): OutboxAck => ({
  peerOrg: 'org-b', taskId: id, ack: `h.ack-${id}.s`, state: 'pending', attempts: 0, nextAt: 3_000, createdAt: 2_000, ...over,
});

/** A place a driver can open, reopen (same data) and forget. */
export interface StoreHarness {
  /** A new, empty location; returns a key to open it by. */
  fresh(): string;
  open(location: string): Store;
}

/**
 * The contract every storage driver must keep: the task and statement-log ports, durable,
 * atomic, idempotent, gapless. A new driver (PostgreSQL) proves itself by passing it.
 */
export function describeStoreContract(name: string, harness: StoreHarness): void {
  describe(`${name}: the store contract`, () => {
    const opened: Store[] = [];
    const open = (location: string): Store => {
      const store = harness.open(location);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    describe('durability', () => {
      it('keeps every acknowledged write after closing and reopening', async () => {
        const where = harness.fresh();
        const store = open(where);
        await Promise.all(Array.from({ length: 50 }, (_, i) => store.write({ tasks: [task(`t${i}`)], statements: [statement(`t${i}`, i)] })));
        await store.close();
        const again = open(where);
        expect(await again.listTasks()).toHaveLength(50);
        expect((await again.listStatements()).map((s) => s.taskId).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`).sort());
        expect(await again.getTask('responder', 'org-a', 't7')).toEqual(task('t7'));
      });

      it('refuses reads and writes once closed, with STORE_CLOSED', async () => {
        const store = open(harness.fresh());
        await store.close();
        await expect(store.write({ tasks: [task('after')] })).rejects.toMatchObject({ code: 'STORE_CLOSED' });
        await expect(store.getTask('responder', 'org-a', 'x')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
        await expect(store.listStatements()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      });
    });

    describe('atomic writes', () => {
      it('stores a task with its statements, or neither: an invalid record fails its own write only', async () => {
        const store = open(harness.fresh());
        const results = await Promise.allSettled([
          store.write({ tasks: [task('fine')], statements: [statement('fine', 1)] }),
          store.write({ tasks: [task('bad')], statements: [{ ...statement('bad', 2), kind: 'receipt' as never }] }),
          store.write({ tasks: [{ ...task('bad2'), status: 'exploded' as never }], statements: [statement('bad2', 3)] }),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
        expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE_INVALID_RECORD', message: expect.stringMatching(/statements\[0\]\.kind/) });
        expect((await store.listTasks()).map((t) => t.taskId)).toEqual(['fine']);
        expect((await store.listStatements()).map((s) => s.taskId)).toEqual(['fine']);
      });
    });

    describe('tasks', () => {
      it('upserts status, reason, result and updatedAt but never a task identity, salt or content digest', async () => {
        const store = open(harness.fresh());
        await store.write({ tasks: [task('t', { reason: 'x' })] });
        await store.write({ tasks: [task('t', { status: 'completed', resultJson: '{"count":3}', updatedAt: 5_000, salt: 'other', contentDigest: 'other' })] });
        expect(await store.getTask('responder', 'org-a', 't')).toEqual({ ...task('t'), status: 'completed', resultJson: '{"count":3}', updatedAt: 5_000 });
      });

      it('lists tasks newest first, with filters, a limit and an offset', async () => {
        const store = open(harness.fresh());
        await store.write({
          tasks: [
            task('old', { createdAt: 1 }),
            task('mid', { createdAt: 2, peerOrg: 'org-b', status: 'failed' }),
            task('new', { createdAt: 3, role: 'requester' }),
          ],
        });
        const ids = async (filter: Parameters<Store['listTasks']>[0]) => (await store.listTasks(filter)).map((t) => t.taskId);
        expect(await ids({})).toEqual(['new', 'mid', 'old']);
        expect(await ids({ limit: 2 })).toEqual(['new', 'mid']);
        expect(await ids({ limit: 2, offset: 2 })).toEqual(['old']);
        expect(await ids({ peerOrg: 'org-b' })).toEqual(['mid']);
        expect(await ids({ role: 'requester' })).toEqual(['new']);
        expect(await ids({ status: 'failed', taskId: 'mid' })).toEqual(['mid']);
        await expect(store.listTasks({ limit: -1 })).rejects.toThrow(/limit -1/);
      });
    });

    describe('claimTask', () => {
      it('lets exactly one of many concurrent claims of a task id create it, with its statements only', async () => {
        const store = open(harness.fresh());
        const claims = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.claimTask(task('same', { contentDigest: `c${i}` }), [statement('same', i)])),
        );
        expect(claims.filter((c) => c.created)).toHaveLength(1);
        const winner = claims.findIndex((c) => c.created);
        for (const c of claims) if (!c.created) expect(c.existing.contentDigest).toBe(`c${winner}`);
        expect((await store.listStatements({ taskId: 'same' })).map((s) => s.digest)).toEqual([`sha256:d${winner}`]);
      });

      it('is race-free between two stores opened on the same data', async () => {
        const where = harness.fresh();
        const a = open(where);
        const b = open(where);
        const [x, y] = await Promise.all([a.claimTask(task('shared')), b.claimTask(task('shared', { contentDigest: 'other' }))]);
        expect([x.created, y.created].sort()).toEqual([false, true]);
      });

      it('returns the existing task on a resubmission, and is per (role, peer, id)', async () => {
        const store = open(harness.fresh());
        expect(await store.claimTask(task('t'))).toEqual({ created: true });
        expect(await store.claimTask(task('t', { status: 'received' }))).toEqual({ created: false, existing: task('t') });
        expect((await store.claimTask(task('t', { peerOrg: 'org-b' }))).created).toBe(true);
        // One id names one task between two organizations: not also one in the other direction.
        expect(await store.claimTask(task('t', { role: 'requester' }))).toEqual({ created: false, existing: task('t') });
        expect((await store.claimTask(task('t2', { role: 'requester' }))).created).toBe(true);
        expect(await store.claimTask(task('t2'))).toEqual({ created: false, existing: task('t2', { role: 'requester' }) });
      });

      it('refuses an invalid claim', async () => {
        const store = open(harness.fresh());
        await expect(store.claimTask({ ...task('t'), role: 'observer' as never })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
      });
    });

    describe('transitionTask', () => {
      it('writes for exactly one of many concurrent transitions from one status, with its statements only', async () => {
        const store = open(harness.fresh());
        await store.write({ tasks: [task('t', { status: 'approved' })] });
        const wrote = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.transitionTask(task('t', { status: 'running', updatedAt: 2_000 + i }), 'approved', [statement('t', i)])),
        );
        expect(wrote.filter(Boolean)).toHaveLength(1);
        const winner = wrote.indexOf(true);
        expect(await store.getTask('responder', 'org-a', 't')).toEqual(task('t', { status: 'running', updatedAt: 2_000 + winner }));
        expect((await store.listStatements({ taskId: 't' })).map((s) => s.digest)).toEqual([`sha256:d${winner}`]);
      });

      it('writes nothing when the task is in another status, or unknown', async () => {
        const store = open(harness.fresh());
        await store.write({ tasks: [task('t', { status: 'completed' })] });
        expect(await store.transitionTask(task('t', { status: 'cancelled' }), 'awaiting_approval', [statement('t', 1)])).toBe(false);
        expect(await store.transitionTask(task('unknown', { status: 'running' }), 'approved')).toBe(false);
        expect(await store.getTask('responder', 'org-a', 't')).toEqual(task('t', { status: 'completed' }));
        expect(await store.getTask('responder', 'org-a', 'unknown')).toBeUndefined();
        expect(await store.listStatements()).toEqual([]);
        await expect(store.transitionTask({ ...task('t'), status: 'exploded' as never }, 'completed')).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
      });
    });

    describe('inbound approvals', () => {
      const held = (id: string, over: Partial<TaskRecord> = {}) => task(id, { status: 'awaiting_approval', ...over });
      const bob = { decision: 'approve' as const, by: 'bob', reason: 'agreed', at: 3_000 };

      it('records approvals with their task, lists them oldest first with filters, and keeps them across a reopen', async () => {
        const where = harness.fresh();
        const store = open(where);
        await store.write({ tasks: [held('late'), held('early'), held('other', { peerOrg: 'org-b' })], approvals: [approval('late', { requestedAt: 3 }), approval('early', { requestedAt: 1 }), approval('other', { peerOrg: 'org-b', requestedAt: 2 })] });
        await store.close();
        const again = open(where);
        expect((await again.listInboundApprovals()).map((a) => a.taskId)).toEqual(['early', 'other', 'late']);
        expect(await again.listInboundApprovals({ peerOrg: 'org-b' })).toEqual([approval('other', { peerOrg: 'org-b', requestedAt: 2 })]);
        expect((await again.listInboundApprovals({ taskId: 'late' })).map((a) => a.taskId)).toEqual(['late']);
        expect((await again.listInboundApprovals({ limit: 1, offset: 1 })).map((a) => a.taskId)).toEqual(['other']);
      });

      it('lists as pending only undecided approvals whose task still awaits approval', async () => {
        const store = open(harness.fresh());
        await store.write({
          tasks: [held('waiting'), held('decided'), task('withdrawn', { status: 'cancelled' })],
          approvals: [approval('waiting'), approval('decided', { decided: bob }), approval('withdrawn')],
        });
        expect((await store.listInboundApprovals({ pending: true })).map((a) => a.taskId)).toEqual(['waiting']);
        expect((await store.listInboundApprovals({ pending: true, peerOrg: 'org-b' }))).toEqual([]);
      });

      it('records exactly one of concurrent decisions, with its batch only, and never changes it', async () => {
        const where = harness.fresh();
        const store = open(where);
        await store.write({ tasks: [held('t')], statements: [statement('t', 0)], approvals: [approval('t')] });
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.decideInboundApproval('org-a', 't', { ...bob, by: `p${i}` }, { tasks: [task('t', { status: 'denied', reason: `r${i}` })], statements: [statement('t', i + 1, { kind: 'result' })] }),
          ),
        );
        const winner = results.findIndex((r) => r.decided);
        expect(results.filter((r) => r.decided)).toHaveLength(1);
        for (const r of results) if (!r.decided) expect(r.existing?.decided).toEqual({ ...bob, by: `p${winner}` });
        expect((await store.getTask('responder', 'org-a', 't'))?.reason).toBe(`r${winner}`);
        expect((await store.listStatements({ taskId: 't', kind: 'result' })).map((s) => s.digest)).toEqual([`sha256:d${winner + 1}`]);
        await store.close();
        const again = open(where);
        expect((await again.listInboundApprovals({ taskId: 't' }))[0]?.decided).toEqual({ ...bob, by: `p${winner}` });
        expect(await again.decideInboundApproval('org-a', 't', { ...bob, decision: 'reject' })).toEqual({ decided: false, existing: approval('t', { decided: { ...bob, by: `p${winner}` } }) });
      });

      it('decides nothing for an unknown approval, or one whose task no longer awaits approval', async () => {
        const store = open(harness.fresh());
        await store.write({ tasks: [task('withdrawn', { status: 'cancelled' })], approvals: [approval('withdrawn')] });
        expect(await store.decideInboundApproval('org-a', 'nope', bob)).toEqual({ decided: false, existing: undefined });
        expect(await store.decideInboundApproval('org-a', 'withdrawn', bob, { tasks: [task('withdrawn', { status: 'running' })] })).toEqual({ decided: false, existing: approval('withdrawn') });
        expect((await store.getTask('responder', 'org-a', 'withdrawn'))?.status).toBe('cancelled');
      });

      it('refuses an invalid approval or decision, and a second record of the same approval', async () => {
        const store = open(harness.fresh());
        await expect(store.write({ approvals: [approval('t', { capability: '' })] })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD', message: expect.stringMatching(/approvals\[0\]\.capability/) });
        await expect(store.write({ approvals: [approval('t', { decided: { ...bob, decision: 'maybe' as never } })] })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
        await expect(store.decideInboundApproval('org-a', 't', { ...bob, by: '' })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
        await store.write({ tasks: [held('t')], approvals: [approval('t')] });
        await expect(store.write({ approvals: [approval('t')] })).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
        expect(await store.listInboundApprovals()).toEqual([approval('t')]);
      });
    });

    describe('the statement log', () => {
      it('appends idempotently on (taskId, kind, signerOrg, digest): a duplicate takes no position', async () => {
        const store = open(harness.fresh());
        const s = statement('t', 1);
        await Promise.all([store.append([s, s]), store.write({ statements: [s] })]);
        await store.append([s]);
        // Stored for another peer, it is still the same statement.
        await store.append([{ ...s, peerOrg: 'org-b', storedAt: 9 }]);
        expect(await store.listStatements()).toHaveLength(1);
        await store.append([statement('t', 2), { ...s, kind: 'ack' }, { ...s, taskId: 'u' }]);
        expect((await store.listStatements()).map((r) => r.index)).toEqual([0, 1, 2, 3]);
      });

      it('numbers statements 0, 1, 2, … without gaps under concurrent appends and failed writes, and across a reopen', async () => {
        const where = harness.fresh();
        const store = open(where);
        await Promise.allSettled(
          Array.from({ length: 200 }, (_, i) =>
            i % 10 === 3
              ? store.write({ tasks: [{ ...task(`bad${i}`), status: 'exploded' as never }], statements: [statement(`bad${i}`, 10_000 + i)] })
              : store.append([statement(`t${i}`, i)]),
          ),
        );
        await store.close();
        const again = open(where);
        await again.append([statement('later', 99_999)]);
        const indexes = (await again.listStatements()).map((s) => s.index);
        expect(indexes).toEqual(Array.from({ length: 181 }, (_, i) => i));
      });

      it('lists in log order with filters, afterIndex paging and a limit', async () => {
        const store = open(harness.fresh());
        await store.append([
          statement('a', 1),
          statement('a', 2, { kind: 'result', signerOrg: 'org-b' }),
          statement('b', 3, { peerOrg: 'org-b' }),
          statement('a', 4, { kind: 'ack' }),
        ]);
        const all = await store.listStatements();
        expect(all.map((s) => s.index)).toEqual([0, 1, 2, 3]);
        expect(all[1]).toEqual({ ...statement('a', 2, { kind: 'result', signerOrg: 'org-b' }), index: 1 });
        expect((await store.listStatements({ taskId: 'a', kind: 'ack' })).map((s) => s.index)).toEqual([3]);
        expect((await store.listStatements({ peerOrg: 'org-b' })).map((s) => s.index)).toEqual([2]);
        expect((await store.listStatements({ afterIndex: 1, limit: 1 })).map((s) => s.index)).toEqual([2]);
      });

      it("finds the first statement of a kind and signer for a peer's task, in log order", async () => {
        const store = open(harness.fresh());
        await store.append([
          statement('a', 1),
          statement('a', 2, { kind: 'ack' }),
          statement('a', 3, { kind: 'ack' }),
          statement('a', 4, { kind: 'ack', signerOrg: 'org-b' }),
          statement('a', 5, { peerOrg: 'org-b', kind: 'ack' }),
        ]);
        expect(await store.firstStatement('org-a', 'a', 'ack', 'org-a')).toEqual({ ...statement('a', 2, { kind: 'ack' }), index: 1 });
        expect((await store.firstStatement('org-a', 'a', 'ack', 'org-b'))?.index).toBe(3);
        expect((await store.firstStatement('org-b', 'a', 'ack', 'org-a'))?.index).toBe(4);
        expect(await store.firstStatement('org-a', 'a', 'result', 'org-a')).toBeUndefined();
        expect(await store.firstStatement('org-a', 'b', 'request', 'org-a')).toBeUndefined();
        for (const [peer, kind, signer] of [['org-a', 'ack', 'org-a'], ['org-a', 'ack', 'org-b'], ['org-b', 'ack', 'org-a'], ['org-a', 'result', 'org-a']] as const) {
          expect(await store.firstStatementDigest(peer, 'a', kind, signer)).toBe((await store.firstStatement(peer, 'a', kind, signer))?.digest);
        }
        expect(await store.firstStatementDigest('org-a', 'a', 'ack', 'org-a')).toBe(statement('a', 2, { kind: 'ack' }).digest);
      });

      it("ignores a caller-chosen index: positions are the log's to assign", async () => {
        const store = open(harness.fresh());
        await store.append([statement('a', 1, { index: 99 })]);
        expect((await store.listStatements())[0]?.index).toBe(0);
      });
    });

    describe('the ack outbox', () => {
      const requested = (id: string) => task(id, { role: 'requester', peerOrg: 'org-b', status: 'completed' });
      const ackStatement = (id: string, n: number) => statement(id, n, { kind: 'ack', signerOrg: 'org-a', peerOrg: 'org-b' });

      it('takes an ack in the same write as its statement, all or nothing, and keeps it across a reopen', async () => {
        const where = harness.fresh();
        const store = open(where);
        const results = await Promise.allSettled([
          store.write({ tasks: [requested('ok')], statements: [ackStatement('ok', 1)], acks: [outboxAck('ok')] }),
          store.write({ tasks: [requested('bad')], statements: [{ ...ackStatement('bad', 2), kind: 'receipt' as never }], acks: [outboxAck('bad')] }),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
        await store.close();
        const again = open(where);
        expect(await again.getAck('org-b', 'ok')).toEqual(outboxAck('ok'));
        expect(await again.getAck('org-b', 'bad')).toBeUndefined();
        expect(await again.pendingAcks()).toEqual([outboxAck('ok')]);
      });

      it('lists the pending acks earliest due first, with filters and a limit', async () => {
        const store = open(harness.fresh());
        await store.write({
          acks: [
            outboxAck('late', { nextAt: 9_000 }),
            outboxAck('soon', { nextAt: 4_000 }),
            outboxAck('other', { peerOrg: 'org-c', nextAt: 5_000 }),
            outboxAck('done', { state: 'delivered', deliveredAt: 2_500, nextAt: 1 }),
            outboxAck('refused', { state: 'failed', failedAt: 2_500, lastError: 'task_unknown: no such task', nextAt: 1 }),
          ],
        });
        const ids = async (filter: Parameters<Store['pendingAcks']>[0]) => (await store.pendingAcks(filter)).map((a) => a.taskId);
        expect(await ids({})).toEqual(['soon', 'other', 'late']);
        expect(await ids({ dueBy: 5_000 })).toEqual(['soon', 'other']);
        expect(await ids({ peerOrg: 'org-b' })).toEqual(['soon', 'late']);
        expect(await ids({ taskId: 'late' })).toEqual(['late']);
        expect(await ids({ limit: 1 })).toEqual(['soon']);
        expect(await store.getAck('org-b', 'refused')).toEqual(outboxAck('refused', { state: 'failed', failedAt: 2_500, lastError: 'task_unknown: no such task', nextAt: 1 }));
        await expect(store.pendingAcks({ limit: -1 })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
      });

      it('records attempts on a pending ack, keeps the last error once delivered, and never changes a settled ack', async () => {
        const where = harness.fresh();
        const store = open(where);
        await store.write({ acks: [outboxAck('t'), outboxAck('u')] });
        expect(await store.recordAckAttempt('org-b', 't', { state: 'pending', attempts: 1, nextAt: 5_000, error: 'partner_unavailable: down' })).toBe(true);
        expect(await store.getAck('org-b', 't')).toEqual(outboxAck('t', { attempts: 1, nextAt: 5_000, lastError: 'partner_unavailable: down' }));
        expect(await store.recordAckAttempt('org-b', 't', { state: 'delivered', attempts: 2, at: 6_000 })).toBe(true);
        const delivered = outboxAck('t', { state: 'delivered', attempts: 2, nextAt: 5_000, lastError: 'partner_unavailable: down', deliveredAt: 6_000 });
        expect(await store.getAck('org-b', 't')).toEqual(delivered);
        expect(await store.recordAckAttempt('org-b', 't', { state: 'failed', attempts: 3, at: 7_000, error: 'receipt_invalid: no' })).toBe(false);
        expect(await store.recordAckAttempt('org-b', 'u', { state: 'failed', attempts: 1, at: 7_000, error: 'receipt_invalid: no' })).toBe(true);
        expect(await store.recordAckAttempt('org-b', 'u', { state: 'pending', attempts: 2, nextAt: 8_000, error: 'again' })).toBe(false);
        expect(await store.recordAckAttempt('org-b', 'unknown', { state: 'delivered', attempts: 1, at: 7_000 })).toBe(false);
        await store.close();
        const again = open(where);
        expect(await again.getAck('org-b', 't')).toEqual(delivered);
        expect(await again.getAck('org-b', 'u')).toMatchObject({ state: 'failed', failedAt: 7_000, lastError: 'receipt_invalid: no' });
        expect(await again.pendingAcks()).toEqual([]);
      });

      it('settles an ack once when outcomes race, and keeps the first ack of a task', async () => {
        const store = open(harness.fresh());
        await store.write({ acks: [outboxAck('t')] });
        await store.write({ acks: [outboxAck('t', { ack: 'h.second.s', nextAt: 1 })] });
        expect((await store.getAck('org-b', 't'))?.ack).toBe('h.ack-t.s');
        const wrote = await Promise.all([
          store.recordAckAttempt('org-b', 't', { state: 'delivered', attempts: 1, at: 4_000 }),
          store.recordAckAttempt('org-b', 't', { state: 'failed', attempts: 1, at: 4_000, error: 'task_unknown: gone' }),
        ]);
        expect(wrote.filter(Boolean)).toHaveLength(1);
        expect((await store.getAck('org-b', 't'))?.state).toBe(wrote[0] ? 'delivered' : 'failed');
      });

      it('settles a task once: of concurrent settlements, the first writes its task, statements and ack; the others write nothing', async () => {
        const store = open(harness.fresh());
        await store.write({ tasks: [task('t', { role: 'requester', peerOrg: 'org-b', status: 'running' })] });
        const result = statement('t', 0, { kind: 'result', signerOrg: 'org-b', peerOrg: 'org-b' });
        const wrote = await Promise.all(
          [1, 2, 3].map((n) =>
            store.settleTask(task('t', { role: 'requester', peerOrg: 'org-b', status: 'completed', updatedAt: 2_000 + n }), [result, ackStatement('t', n)], outboxAck('t', { ack: `h.ack-${n}.s` })),
          ),
        );
        expect(wrote.filter(Boolean)).toHaveLength(1);
        const n = wrote.indexOf(true) + 1;
        expect(await store.getTask('requester', 'org-b', 't')).toMatchObject({ status: 'completed', updatedAt: 2_000 + n });
        expect((await store.listStatements({ taskId: 't' })).map((s) => `${s.kind} ${s.digest}`)).toEqual(['result sha256:d0', `ack sha256:d${n}`]);
        expect((await store.getAck('org-b', 't'))?.ack).toBe(`h.ack-${n}.s`);
        // Later too: a task that owes an ack is settled, and a failure with no result does not overwrite it.
        expect(await store.settleTask(task('t', { role: 'requester', peerOrg: 'org-b', status: 'failed' }), [ackStatement('t', 9)], outboxAck('t'))).toBe(false);
        expect(await store.settleTask(task('t', { role: 'requester', peerOrg: 'org-b', status: 'failed', reason: 'partner_unavailable' }), [])).toBe(false);
        expect(await store.getTask('requester', 'org-b', 't')).toMatchObject({ status: 'completed', updatedAt: 2_000 + n });
        // A task not settled takes such a failure.
        await store.write({ tasks: [task('v', { role: 'requester', peerOrg: 'org-b', status: 'running' })] });
        expect(await store.settleTask(task('v', { role: 'requester', peerOrg: 'org-b', status: 'failed', reason: 'partner_unavailable' }), [])).toBe(true);
        expect(await store.getTask('requester', 'org-b', 'v')).toMatchObject({ status: 'failed', reason: 'partner_unavailable' });
        await expect(store.settleTask(task('u'), [], { ...outboxAck('u'), state: 'lost' as never })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
      });

      it('refuses an invalid ack or attempt, naming the field', async () => {
        const store = open(harness.fresh());
        await expect(store.write({ acks: [outboxAck('t', { ack: '' })] })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD', message: expect.stringMatching(/acks\[0\]\.ack/) });
        await expect(store.write({ acks: [outboxAck('t', { state: 'lost' as never })] })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
        await expect(store.write({ acks: [outboxAck('t', { state: 'delivered' })] })).rejects.toMatchObject({ message: expect.stringMatching(/deliveredAt/) });
        await expect(store.write({ acks: [outboxAck('t', { attempts: -1 })] })).rejects.toMatchObject({ message: expect.stringMatching(/attempts/) });
        await store.write({ acks: [outboxAck('t')] });
        await expect(store.recordAckAttempt('org-b', 't', { state: 'pending', attempts: 1, nextAt: 1.5, error: 'x' })).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
        await expect(store.recordAckAttempt('org-b', 't', { state: 'failed', attempts: 1, at: 1, error: '' })).rejects.toMatchObject({ message: expect.stringMatching(/attempt\.error/) });
        expect(await store.getAck('org-b', 't')).toEqual(outboxAck('t'));
      });
    });

    describe('run events', () => {
      const started = { type: 'run_started' as const, at: 1, definition: { name: 'w', steps: [{ id: 'a', capability: 'x.a', at: 'local', needs: [], on_failure: 'fail' as const }] }, input: { n: 1 } };
      it('appends at the position given, reads back in order, and lists unfinished runs', async () => {
        const store = open(harness.fresh());
        await store.appendRunEvents('r1', 0, [started]);
        await store.appendRunEvents('r1', 1, [{ type: 'step_started', at: 2, step: 'a', attempt: 1, taskId: 'r1.a.1', input: {}, provider: 'local' }]);
        await store.appendRunEvents('r2', 0, [started]);
        expect((await store.readRun('r1')).map((e) => e.type)).toEqual(['run_started', 'step_started']);
        expect(await store.readRun('r1')).toContainEqual(started);
        expect(await store.unfinishedRuns()).toEqual(['r1', 'r2']);
        await store.appendRunEvents('r2', 1, [{ type: 'run_finished', at: 3, status: 'completed', output: 1 }]);
        expect(await store.unfinishedRuns()).toEqual(['r1']);
        // Listed newest first, with the status and the time of their last event.
        expect(await store.listRuns()).toEqual([
          { runId: 'r1', workflow: 'w', status: 'running', startedAt: 1, updatedAt: 2 },
          { runId: 'r2', workflow: 'w', status: 'completed', startedAt: 1, updatedAt: 3 },
        ]);
        expect(await store.listRuns({ status: 'completed' })).toEqual([{ runId: 'r2', workflow: 'w', status: 'completed', startedAt: 1, updatedAt: 3 }]);
        expect(await store.listRuns({ limit: 1, offset: 1 })).toHaveLength(1);
      });

      it('refuses an append at a position already taken (two writers) with RUN_CONFLICT, writing nothing', async () => {
        const store = open(harness.fresh());
        await store.appendRunEvents('r', 0, [started]);
        const results = await Promise.allSettled([
          store.appendRunEvents('r', 1, [{ type: 'step_skipped', at: 2, step: 'a', why: 'one' }]),
          store.appendRunEvents('r', 1, [{ type: 'step_skipped', at: 2, step: 'a', why: 'two' }]),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'RUN_CONFLICT' } });
        expect(await store.readRun('r')).toHaveLength(2);
      });
    });

    describe('the decision log', () => {
      const rego: PolicyContent = { engine: 'rego', roots: 2, files: [{ root: 0, path: 'a.rego', text: 'package a\n' }, { root: 1, path: 'x/data.json', text: '{"é": 1}' }] };
      const wasm: PolicyContent = { engine: 'opa-wasm', archive: new Uint8Array([0x1f, 0x8b, 0, 255]) };

      it('keeps decisions with their outcome and, when given, their sealed input, across a reopen', async () => {
        const where = harness.fresh();
        const store = open(where);
        const card = decisionRecord('d-card', { point: 'card', outcome: { kind: 'card', visible: ['a.b', 'c'] } });
        const out = decisionRecord('d-out', { point: 'outbound', outcome: { kind: 'decision', allow: true, reasons: ['r'], requireApproval: false, payloadDigest: 'sha256:p' } });
        await Promise.all([store.recordDecision(card), store.recordDecision(out, retainedInput('d-out'))]);
        await store.close();
        const again = open(where);
        expect(await again.getDecision('d-card')).toEqual(card);
        expect(await again.getDecision('d-out')).toEqual(out);
        expect(await again.getDecision('nope')).toBeUndefined();
        expect(await again.getRetainedInput('d-out')).toEqual(retainedInput('d-out'));
        expect(await again.getRetainedInput('d-card')).toBeUndefined();
      });

      it('keeps a policy revision once, under its hash, byte for byte', async () => {
        const store = open(harness.fresh());
        await store.storePolicyRevision('sha256:r1', rego);
        await store.storePolicyRevision('sha256:r1', { ...rego, roots: 1 });
        await store.storePolicyRevision('sha256:w1', wasm);
        expect(await store.getPolicyRevision('sha256:r1')).toEqual(rego);
        expect(await store.getPolicyRevision('sha256:w1')).toEqual(wasm);
        expect(await store.getPolicyRevision('sha256:none')).toBeUndefined();
      });

      it('deletes the inputs kept before a time, oldest first and in batches, and remembers when; the decisions stay', async () => {
        const store = open(harness.fresh());
        await Promise.all(
          [3, 1, 2, 9].map((n) => store.recordDecision(decisionRecord(`d${n}`, { decidedAt: n * 1000 }), retainedInput(`d${n}`, { keptAt: n * 1000 }))),
        );
        expect(await store.deleteRetainedInputs(5_000, 7_000, 2)).toEqual(['d1', 'd2']);
        expect(await store.deleteRetainedInputs(5_000, 7_000, 2)).toEqual(['d3']);
        expect(await store.deleteRetainedInputs(5_000, 7_000, 2)).toEqual([]);
        expect(await store.getRetainedInput('d1')).toEqual({ decisionId: 'd1', keyId: 'key:abc', keptAt: 1000, deletedAt: 7_000 });
        expect(await store.getRetainedInput('d9')).toEqual(retainedInput('d9', { keptAt: 9000 }));
        expect(await store.getDecision('d1')).toEqual(decisionRecord('d1', { decidedAt: 1000 }));
      });

      it('records a decision without a commit of its own: with the next write, or on its own soon after', async () => {
        const store = open(harness.fresh());
        const deferred = store.recordDecision(decisionRecord('soon'));
        await store.write({ tasks: [task('with-it')] });
        await deferred;
        expect(await store.getDecision('soon')).toBeDefined();
        await store.recordDecision(decisionRecord('alone'));
        expect(await store.getDecision('alone')).toBeDefined();
      });

      it('refuses an invalid record on its own, and a second record of the same decision', async () => {
        const store = open(harness.fresh());
        await expect(store.recordDecision(decisionRecord('', {}))).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD', message: 'record.decisionId must be a non-empty string' });
        await expect(store.recordDecision(decisionRecord('x', { point: 'sideways' as never }))).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
        await expect(store.recordDecision(decisionRecord('x', { point: 'card' }))).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD', message: expect.stringContaining("a card decision's is card") });
        await expect(store.recordDecision(decisionRecord('x'), retainedInput('y'))).rejects.toMatchObject({ code: 'STORE_INVALID_RECORD' });
        const results = await Promise.allSettled([store.recordDecision(decisionRecord('twice')), store.recordDecision(decisionRecord('twice', { revision: 'sha256:other' })), store.write({ tasks: [task('neighbour')] })]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await store.getDecision('twice'))?.revision).toBe('sha256:rev');
        expect(await store.getTask('responder', 'org-a', 'neighbour')).toBeDefined();
      });
    });
  });
}
