import { describe, expect, it } from 'vitest';
import type { StatementRecord } from '../../../gateway/src/audit/index.js';
import { ackStatusOf, verifyTaskReceipts, type OutboxAck, type TaskRecord } from '../../../gateway/src/tasks/index.js';
import { completedTask, federation } from '../audit/fixtures.js';

const task = (role: TaskRecord['role'], over: Partial<TaskRecord> = {}): TaskRecord => ({
  taskId: 'task-1', role, peerOrg: role === 'requester' ? 'lab' : 'hospital', capability: 'patients.count', purpose: 'research',
  contentDigest: 'sha256:c', salt: 's', status: 'completed', createdAt: 1, updatedAt: 1, ...over,
});
const record = (kind: StatementRecord['kind'], jws: string, signerOrg: string, peerOrg: string): StatementRecord => ({
  taskId: 'task-1', kind, signerOrg, peerOrg, kid: 'k', jws, digest: `sha256:${kind}`, storedAt: 1,
});
const outbox = (over: Partial<OutboxAck> = {}): OutboxAck => ({ peerOrg: 'lab', taskId: 'task-1', ack: 'h.a.s', state: 'pending', attempts: 2, nextAt: 5_000, createdAt: 1_000, lastError: 'partner_unavailable: down', ...over });

describe('ackStatusOf', () => {
  describe("for the requester's side", () => {
    it('reports an ack still in the outbox as pending, with its attempts, next attempt and last error', () => {
      expect(ackStatusOf(task('requester'), [], outbox())).toEqual({ state: 'pending', attempts: 2, nextAt: 5_000, lastError: 'partner_unavailable: down' });
    });

    it('reports a delivered ack with when, and a refused one with when and why', () => {
      expect(ackStatusOf(task('requester'), [], outbox({ state: 'delivered', attempts: 3, deliveredAt: 9_000 }))).toEqual({
        state: 'delivered', attempts: 3, lastError: 'partner_unavailable: down', deliveredAt: 9_000,
      });
      expect(ackStatusOf(task('requester'), [], outbox({ state: 'failed', failedAt: 9_000, lastError: 'task_unknown: gone' }))).toEqual({
        state: 'failed', attempts: 2, lastError: 'task_unknown: gone', failedAt: 9_000,
      });
    });

    it('reports no ack yet as missing, and none for a request our outbound policy refused', () => {
      expect(ackStatusOf(task('requester', { status: 'running' }), [], undefined)).toEqual({ state: 'missing' });
      expect(ackStatusOf(task('requester', { status: 'denied', reason: 'outbound_denied' }), [], undefined)).toEqual({ state: 'none' });
    });
  });

  describe("for the responder's side", () => {
    it('reports the ack delivered once it holds it, and missing until then', () => {
      expect(ackStatusOf(task('responder'), [record('ack', 'x', 'hospital', 'hospital')], undefined)).toEqual({ state: 'delivered' });
      expect(ackStatusOf(task('responder'), [record('result', 'x', 'lab', 'hospital')], undefined)).toEqual({ state: 'missing' });
    });
  });
});

describe('verifyTaskReceipts', () => {
  describe('when the ack has not arrived at the responder', () => {
    it('reports the receipt incomplete and the result as unacknowledged', () => {
      const f = federation();
      const t = completedTask(f);
      const held = [record('request', t.request.jws, 'hospital', 'hospital'), record('result', t.resultStatement.jws, 'lab', 'hospital')];
      expect(verifyTaskReceipts('lab', task('responder'), held, f.ring)).toEqual({
        state: 'incomplete',
        problems: ['unacknowledged: the requester has not acknowledged the result (no ack statement)'],
      });
      expect(verifyTaskReceipts('lab', task('responder'), [...held, record('ack', t.ack.jws, 'hospital', 'hospital')], f.ring)).toEqual({ state: 'verified', problems: [] });
    });
  });
});
