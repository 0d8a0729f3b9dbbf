import { describe, expect, it } from 'vitest';
import { signAck, signRequest, signResult, STATEMENT_TYP } from '../../../gateway/src/audit/index.js';
import { sha256Digest } from '../../../gateway/src/crypto/index.js';
import { completedTask, decision, federation } from './fixtures.js';

const f = federation();
const t = completedTask(f);
const header = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
const body = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('signRequest, signResult, signAck', () => {
  it('sign the payload shapes of DESIGN.md with v, kind and their typ', () => {
    expect(body(t.request.jws)).toEqual({
      v: 1, kind: 'request', task_id: 'task-1', from: 'hospital', to: 'lab', capability: 'patients.count', purpose: 'research',
      input_digest: t.request.payload.input_digest, iat: 1_800_000_000, exp: 1_800_000_600, outbound: decision,
    });
    expect(header(t.request.jws)).toMatchObject({ typ: STATEMENT_TYP.request, kid: 'hospital-1', alg: 'ES256' });
    expect(header(t.resultStatement.jws)).toMatchObject({ typ: 'entente-result+jws', kid: 'lab-1', alg: 'EdDSA' });
    expect(header(t.ack.jws)).toMatchObject({ typ: 'entente-ack+jws' });
    expect(body(t.ack.jws)).toMatchObject({ v: 1, kind: 'ack', result_statement_digest: t.resultStatement.digest });
  });

  it('return the digest of the compact JWS text, the payload and the kid', () => {
    expect(t.request.digest).toBe(sha256Digest(t.request.jws));
    expect(t.resultStatement.payload.status).toBe('completed');
    expect(t.ack.kid).toBe('hospital-1');
  });

  it('never put the salt in a statement', () => {
    for (const s of [t.request, t.resultStatement, t.ack]) {
      expect(Buffer.from(s.jws.split('.')[1]!, 'base64url').toString()).not.toContain(t.salt);
    }
  });

  it('default iat to now, in integer seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const ack = signAck(f.hospital, { task_id: 'x', from: 'hospital', to: 'lab', result_statement_digest: t.resultStatement.digest });
    expect(ack.payload.iat).toBeGreaterThanOrEqual(before);
    expect(ack.payload.iat).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });

  describe('when the fields are not a valid statement', () => {
    const base = {
      task_id: 't', from: 'lab', to: 'hospital', request_digest: t.request.digest, inbound: null, disclosure: null,
    } as const;
    const cases: [string, () => unknown, RegExp][] = [
      ['a completed result without result_digest', () => signResult(f.lab, { ...base, status: 'completed' }), /result_digest: a completed result needs result_digest/],
      ['a denied result with a result_digest', () => signResult(f.lab, { ...base, status: 'denied', result_digest: t.request.digest }), /a denied result must not carry result_digest/],
      ['a reason that is policy text, not a code', () => signResult(f.lab, { ...base, status: 'denied', reason: 'Denied: purpose not in agreement' }), /reason: expected a reason code/],
      ['a malformed digest', () => signResult(f.lab, { ...base, status: 'failed', request_digest: 'md5:abc' }), /request_digest: expected sha256:/],
      ['an org id with capitals', () => signAck(f.lab, { task_id: 't', from: 'Lab', to: 'hospital', result_statement_digest: t.request.digest }), /from: expected an org id/],
      ['a task id with a slash', () => signAck(f.lab, { task_id: 'a/b', from: 'lab', to: 'hospital', result_statement_digest: t.request.digest }), /task_id/],
      ['exp before iat', () => signRequest(f.hospital, { ...t.request.payload, iat: 10, exp: 9 }), /exp: exp is before iat/],
      ['a fractional iat', () => signAck(f.lab, { task_id: 't', from: 'lab', to: 'hospital', result_statement_digest: t.request.digest, iat: 1.5 }), /iat/],
      ['an unknown field', () => signAck(f.lab, { task_id: 't', from: 'lab', to: 'hospital', result_statement_digest: t.request.digest, extra: 1 } as never), /Unrecognized key/],
    ];
    for (const [what, sign, message] of cases) {
      it(`refuses ${what} with RECEIPT_MALFORMED before signing`, () => {
        expect(sign).toThrow(expect.objectContaining({ code: 'RECEIPT_MALFORMED', name: 'ReceiptMalformedError' }));
        expect(sign).toThrow(message);
      });
    }
  });
});
