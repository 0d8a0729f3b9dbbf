import { describe, expect, it } from 'vitest';
import { signAck, signResult, verifyStatement } from '../../../gateway/src/audit/index.js';
import { KeyRing } from '../../../gateway/src/crypto/index.js';
import { completedTask, es256, federation } from './fixtures.js';

const f = federation();
const t = completedTask(f);

function flipPayloadByte(jws: string, at: number): string {
  const [h, p, s] = jws.split('.') as [string, string, string];
  const bytes = Buffer.from(p, 'base64url');
  bytes[at] = bytes[at]! ^ 0x01;
  return `${h}.${bytes.toString('base64url')}.${s}`;
}

describe('verifyStatement', () => {
  it('returns the verified payload, its digest and kid', () => {
    const v = verifyStatement(t.resultStatement.jws, f.ring, { kind: 'result', signerOrg: 'lab', recipientOrg: 'hospital', taskId: 'task-1' });
    expect(v.payload).toEqual(t.resultStatement.payload);
    expect(v.digest).toBe(t.resultStatement.digest);
    expect(v.kid).toBe('lab-1');
  });

  describe('when one byte of the payload is flipped', () => {
    it('fails with RECEIPT_BAD_SIGNATURE, wherever the byte is', () => {
      const length = Buffer.from(t.request.jws.split('.')[1]!, 'base64url').length;
      for (const at of [0, 1, length >> 1, length - 2, length - 1]) {
        expect(() => verifyStatement(flipPayloadByte(t.request.jws, at), f.ring, { kind: 'request', signerOrg: 'hospital' }), `byte ${at}`).toThrow(
          expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE' }),
        );
      }
    });
  });

  describe('when the statement is signed by another party than expected', () => {
    it("reports RECEIPT_WRONG_SIGNER when the key is a known organization's", () => {
      expect(() => verifyStatement(t.resultStatement.jws, f.ring, { kind: 'result', signerOrg: 'hospital' })).toThrow(
        expect.objectContaining({ code: 'RECEIPT_WRONG_SIGNER', message: expect.stringMatching(/signed with lab's key lab-1, expected hospital's/) }),
      );
    });

    it('reports RECEIPT_UNKNOWN_KEY when no one known has the key', () => {
      const stranger = es256('stranger-1');
      const ack = signAck(stranger, { task_id: 'task-1', from: 'hospital', to: 'lab', result_statement_digest: t.resultStatement.digest });
      expect(() => verifyStatement(ack.jws, f.ring, { kind: 'ack', signerOrg: 'hospital' })).toThrow(expect.objectContaining({ code: 'RECEIPT_UNKNOWN_KEY' }));
    });

    it('reports RECEIPT_WRONG_SIGNER when a party signs a statement claiming to be from the other', () => {
      // The lab, with its own valid key, signs a result "from" the hospital.
      const forged = signResult(f.lab, { ...t.resultStatement.payload, from: 'hospital', to: 'lab' });
      expect(() => verifyStatement(forged.jws, f.ring, { kind: 'result', signerOrg: 'lab' })).toThrow(
        expect.objectContaining({ code: 'RECEIPT_WRONG_SIGNER', message: expect.stringMatching(/says it is from hospital but is signed by lab/) }),
      );
    });
  });

  it('reports RECEIPT_WRONG_KIND for a statement of another kind', () => {
    expect(() => verifyStatement(t.ack.jws, f.ring, { kind: 'request', signerOrg: 'hospital' })).toThrow(
      expect.objectContaining({ code: 'RECEIPT_WRONG_KIND', message: expect.stringMatching(/expected a request statement, got typ entente-ack\+jws and kind "ack"/) }),
    );
  });

  it('reports RECEIPT_WRONG_KIND when typ and payload kind disagree', () => {
    const jws = f.hospital.signCompact({ ...t.ack.payload }, 'entente-request+jws');
    expect(() => verifyStatement(jws, f.ring, { kind: 'request', signerOrg: 'hospital' })).toThrow(expect.objectContaining({ code: 'RECEIPT_WRONG_KIND' }));
  });

  it('reports RECEIPT_MALFORMED for a JWS that is not a receipt', () => {
    const cases = [
      'not-a-jws',
      f.hospital.signCompact({ ...t.request.payload }, 'JWT'),
      f.hospital.signCompact({ ...t.request.payload, extra: true }, 'entente-request+jws'),
      f.hospital.signCompact({ ...t.request.payload, v: 2 }, 'entente-request+jws'),
    ];
    for (const jws of cases) {
      expect(() => verifyStatement(jws, f.ring, { kind: 'request', signerOrg: 'hospital' })).toThrow(expect.objectContaining({ code: 'RECEIPT_MALFORMED' }));
    }
  });

  it('refuses a completed result without a result digest even when validly signed', () => {
    const { result_digest: _dropped, ...rest } = t.resultStatement.payload;
    const jws = f.lab.signCompact(rest, 'entente-result+jws');
    expect(() => verifyStatement(jws, f.ring, { kind: 'result', signerOrg: 'lab' })).toThrow(
      expect.objectContaining({ code: 'RECEIPT_MALFORMED', message: expect.stringMatching(/result_digest: a completed result needs result_digest/) }),
    );
  });

  it('reports RECEIPT_WRONG_RECIPIENT and RECEIPT_TASK_MISMATCH when asked to check them', () => {
    expect(() => verifyStatement(t.request.jws, f.ring, { kind: 'request', signerOrg: 'hospital', recipientOrg: 'bank' })).toThrow(
      expect.objectContaining({ code: 'RECEIPT_WRONG_RECIPIENT' }),
    );
    expect(() => verifyStatement(t.request.jws, f.ring, { kind: 'request', signerOrg: 'hospital', taskId: 'task-2' })).toThrow(
      expect.objectContaining({ code: 'RECEIPT_TASK_MISMATCH' }),
    );
  });

  it('keeps verifying after the signer rotates its key', () => {
    const ring = new KeyRing();
    ring.addJwks('hospital', { keys: [f.hospital.publicJwk] });
    ring.addJwks('hospital', { keys: [es256('hospital-2').publicJwk] });
    expect(verifyStatement(t.request.jws, ring, { kind: 'request', signerOrg: 'hospital' }).kid).toBe('hospital-1');
  });
});
