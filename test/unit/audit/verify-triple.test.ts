import { describe, expect, it } from 'vitest';
import { signAck, signRequest, signResult, verifyTriple } from '../../../gateway/src/audit/index.js';
import { completedTask, federation } from './fixtures.js';

const f = federation();
const t = completedTask(f);
const parties = { requester: 'hospital', responder: 'lab' };
const triple = { request: t.request.jws, result: t.resultStatement.jws, ack: t.ack.jws };

describe('verifyTriple', () => {
  it('verifies a well-formed receipt and returns all three statements', () => {
    const v = verifyTriple(triple, f.ring, parties);
    expect(v.request.payload.task_id).toBe('task-1');
    expect(v.result.payload.request_digest).toBe(v.request.digest);
    expect(v.ack.payload.result_statement_digest).toBe(v.result.digest);
  });

  it('verifies denied and failed tasks too (no result digest)', () => {
    const denied = signResult(f.lab, { ...t.resultStatement.payload, status: 'denied', reason: 'inbound_denied', result_digest: undefined, inbound: null, disclosure: null } as never);
    const ack = signAck(f.hospital, { task_id: 'task-1', from: 'hospital', to: 'lab', result_statement_digest: denied.digest });
    expect(verifyTriple({ ...triple, result: denied.jws, ack: ack.jws }, f.ring, parties).result.payload.reason).toBe('inbound_denied');
  });

  describe('when the chain is broken', () => {
    it('refuses an ack of another result with RECEIPT_CHAIN_BROKEN', () => {
      const other = signResult(f.lab, { ...t.resultStatement.payload, status: 'failed', reason: 'agent_failed', result_digest: undefined } as never);
      expect(() => verifyTriple({ ...triple, result: other.jws }, f.ring, parties)).toThrow(
        expect.objectContaining({ code: 'RECEIPT_CHAIN_BROKEN', message: expect.stringMatching(/the ack statement cites result/) }),
      );
    });

    it('refuses a result that answers another request with RECEIPT_CHAIN_BROKEN', () => {
      const otherRequest = signRequest(f.hospital, { ...t.request.payload, purpose: 'billing' });
      expect(() => verifyTriple({ ...triple, request: otherRequest.jws }, f.ring, parties)).toThrow(
        expect.objectContaining({ code: 'RECEIPT_CHAIN_BROKEN', message: expect.stringMatching(/the result statement cites request/) }),
      );
    });
  });

  it('refuses statements of another task with RECEIPT_TASK_MISMATCH', () => {
    const other = completedTask(f, 'task-2');
    expect(() => verifyTriple({ ...triple, ack: other.ack.jws }, f.ring, parties)).toThrow(expect.objectContaining({ code: 'RECEIPT_TASK_MISMATCH' }));
  });

  it('refuses swapped roles: each statement must come from the right party', () => {
    expect(() => verifyTriple(triple, f.ring, { requester: 'lab', responder: 'hospital' })).toThrow(expect.objectContaining({ code: 'RECEIPT_WRONG_SIGNER' }));
    expect(() => verifyTriple({ ...triple, ack: t.request.jws }, f.ring, parties)).toThrow(expect.objectContaining({ code: 'RECEIPT_WRONG_KIND' }));
  });

  it('refuses a statement addressed to a third party with RECEIPT_WRONG_RECIPIENT', () => {
    const ack = signAck(f.hospital, { task_id: 'task-1', from: 'hospital', to: 'bank', result_statement_digest: t.resultStatement.digest });
    expect(() => verifyTriple({ ...triple, ack: ack.jws }, f.ring, parties)).toThrow(expect.objectContaining({ code: 'RECEIPT_WRONG_RECIPIENT' }));
  });

  it('refuses a tampered result with RECEIPT_BAD_SIGNATURE', () => {
    const [h, p, s] = t.resultStatement.jws.split('.') as [string, string, string];
    const bytes = Buffer.from(p, 'base64url');
    bytes[20] = bytes[20]! ^ 0x01;
    expect(() => verifyTriple({ ...triple, result: `${h}.${bytes.toString('base64url')}.${s}` }, f.ring, parties)).toThrow(
      expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE' }),
    );
  });
});
