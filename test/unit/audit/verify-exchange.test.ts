import { describe, expect, it } from 'vitest';
import { signAck, signResult, verifyAck, verifyRequest, verifyResult } from '../../../gateway/src/audit/index.js';
import { newSalt } from '../../../gateway/src/crypto/index.js';
import { completedTask, federation } from './fixtures.js';

const f = federation();
const t = completedTask(f);
const incoming = {
  requester: 'hospital',
  responder: 'lab',
  taskId: 'task-1',
  capability: 'patients.count',
  purpose: 'research',
  salt: t.salt,
  input: t.input,
  nowSeconds: 1_800_000_100,
  skewSeconds: 60,
};
const received = {
  requester: 'hospital',
  responder: 'lab',
  taskId: 'task-1',
  requestDigest: t.request.digest,
  salt: t.salt,
  result: { present: true as const, value: t.result },
};

describe('verifyRequest (the responder checks what arrived)', () => {
  it('accepts the statement that describes exactly this request', () => {
    expect(verifyRequest(t.request.jws, f.ring, incoming).payload.input_digest).toBe(t.request.payload.input_digest);
  });

  it('refuses a statement from another organization than the certificate proves', () => {
    expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, requester: 'lab' })).toThrow(expect.objectContaining({ code: 'RECEIPT_WRONG_SIGNER' }));
  });

  it('refuses a statement addressed to another responder', () => {
    expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, responder: 'other-lab' })).toThrow(expect.objectContaining({ code: 'RECEIPT_WRONG_RECIPIENT' }));
  });

  it.each(['capability', 'purpose'] as const)('refuses a statement for another %s, naming it', (field) => {
    expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, [field]: 'something.else' })).toThrow(
      expect.objectContaining({ code: 'RECEIPT_CONTENT_MISMATCH', message: expect.stringContaining(`statement's ${field}`) }),
    );
  });

  it('refuses an input or salt other than the digest was made of', () => {
    expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, input: { ...t.input, extra: 1 } })).toThrow(expect.objectContaining({ code: 'RECEIPT_DIGEST_MISMATCH' }));
    expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, salt: newSalt() })).toThrow(expect.objectContaining({ code: 'RECEIPT_DIGEST_MISMATCH' }));
  });

  describe('its validity window', () => {
    const exp = t.request.payload.exp;
    const iat = t.request.payload.iat;
    it('accepts it up to the clock skew past exp, and refuses it after', () => {
      expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, nowSeconds: exp + 60 })).not.toThrow();
      expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, nowSeconds: exp + 61 })).toThrow(expect.objectContaining({ code: 'RECEIPT_EXPIRED' }));
    });
    it('accepts it up to the clock skew before iat, and refuses it earlier', () => {
      expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, nowSeconds: iat - 60 })).not.toThrow();
      expect(() => verifyRequest(t.request.jws, f.ring, { ...incoming, nowSeconds: iat - 61 })).toThrow(expect.objectContaining({ code: 'RECEIPT_NOT_YET_VALID' }));
    });
  });
});

describe('verifyResult (the requester checks the answer)', () => {
  it('accepts the result statement of the request we sent, with the result it digests', () => {
    expect(verifyResult(t.resultStatement.jws, f.ring, received).payload.status).toBe('completed');
  });

  it('refuses a statement that answers another request', () => {
    expect(() => verifyResult(t.resultStatement.jws, f.ring, { ...received, requestDigest: t.ack.digest })).toThrow(expect.objectContaining({ code: 'RECEIPT_CHAIN_BROKEN' }));
  });

  it('refuses a completed statement that came without a result, or with another one', () => {
    expect(() => verifyResult(t.resultStatement.jws, f.ring, { ...received, result: { present: false } })).toThrow(expect.objectContaining({ code: 'RECEIPT_CONTENT_MISMATCH' }));
    expect(() => verifyResult(t.resultStatement.jws, f.ring, { ...received, result: { present: true, value: { count: 4 } } })).toThrow(
      expect.objectContaining({ code: 'RECEIPT_DIGEST_MISMATCH' }),
    );
  });

  it('accepts a denial without a result, and refuses a denial that came with one', () => {
    const denied = signResult(f.lab, { ...t.resultStatement.payload, status: 'denied', reason: 'inbound_denied', result_digest: undefined, inbound: null, disclosure: null } as never);
    expect(verifyResult(denied.jws, f.ring, { ...received, result: { present: false } }).payload.reason).toBe('inbound_denied');
    expect(() => verifyResult(denied.jws, f.ring, received)).toThrow(expect.objectContaining({ code: 'RECEIPT_CONTENT_MISMATCH' }));
  });

  it('refuses a result statement signed by the requester itself', () => {
    const forged = signResult(f.hospital, { ...t.resultStatement.payload, from: 'hospital' } as never);
    expect(() => verifyResult(forged.jws, f.ring, received)).toThrow(expect.objectContaining({ code: 'RECEIPT_WRONG_SIGNER' }));
  });
});

describe('verifyAck (the responder checks the countersignature)', () => {
  const got = { requester: 'hospital', responder: 'lab', taskId: 'task-1', resultDigest: t.resultStatement.digest };
  it('accepts the ack of our result statement', () => {
    expect(verifyAck(t.ack.jws, f.ring, got).payload.result_statement_digest).toBe(t.resultStatement.digest);
  });
  it('refuses an ack of another result statement', () => {
    const other = signAck(f.hospital, { task_id: 'task-1', from: 'hospital', to: 'lab', result_statement_digest: t.request.digest });
    expect(() => verifyAck(other.jws, f.ring, got)).toThrow(expect.objectContaining({ code: 'RECEIPT_CHAIN_BROKEN' }));
  });
  it('refuses an ack for another task', () => {
    expect(() => verifyAck(t.ack.jws, f.ring, { ...got, taskId: 'task-2' })).toThrow(expect.objectContaining({ code: 'RECEIPT_TASK_MISMATCH' }));
  });
});
