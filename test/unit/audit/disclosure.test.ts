import { describe, expect, it } from 'vitest';
import { checkInputDigest, checkResultDigest, signResult } from '../../../gateway/src/audit/index.js';
import { newSalt } from '../../../gateway/src/crypto/index.js';
import { completedTask, federation } from './fixtures.js';

const f = federation();
const t = completedTask(f);

describe('checkInputDigest and checkResultDigest', () => {
  it('accept the salt and values that were digested, in any member order', () => {
    expect(() => checkInputDigest(t.salt, { from: '2026-01-01', condition: 'E11' }, t.request.payload)).not.toThrow();
    expect(() => checkResultDigest(t.salt, t.result, t.resultStatement.payload)).not.toThrow();
  });

  it('refuse another value, or the right value with another salt, with RECEIPT_DIGEST_MISMATCH', () => {
    const mismatch = expect.objectContaining({ code: 'RECEIPT_DIGEST_MISMATCH' });
    expect(() => checkInputDigest(t.salt, { ...t.input, condition: 'E10' }, t.request.payload)).toThrow(mismatch);
    expect(() => checkInputDigest(newSalt(), t.input, t.request.payload)).toThrow(mismatch);
    expect(() => checkResultDigest(t.salt, { count: 4 }, t.resultStatement.payload)).toThrow(mismatch);
  });

  it('refuse a salt that is not a salt, saying so', () => {
    expect(() => checkInputDigest('short', t.input, t.request.payload)).toThrow(/cannot be digested: the salt must be/);
  });

  it('refuse to match a result against a statement that has no result digest', () => {
    const failed = signResult(f.lab, { ...t.resultStatement.payload, status: 'failed', reason: 'agent_failed', result_digest: undefined } as never);
    expect(() => checkResultDigest(t.salt, t.result, failed.payload)).toThrow(/a failed result statement has no result_digest/);
  });
});
