import { describe, expect, it } from 'vitest';
import { compactVerify, importJWK } from 'jose';
import { signAck, signRequest, signResult, verifyStatement, verifyTriple } from '../../../gateway/src/audit/index.js';
import { KeyRing, saltedDigest, newSalt, SigningKey } from '../../../gateway/src/crypto/index.js';
import { generateReceiptKey } from '../../../gateway/src/pki/index.js';

function party() {
  const k = generateReceiptKey();
  return { signer: SigningKey.fromJwk(k.privateJwk), publicJwk: k.publicJwk };
}

describe('receipt statements', () => {
  const a = party();
  const b = party();
  const ring = new KeyRing();
  ring.addJwks('org-a', { keys: [a.publicJwk] });
  ring.addJwks('org-b', { keys: [b.publicJwk] });
  const salt = newSalt();
  const decision = { decision_id: 'd1', policy_revision: 'sha256:rev' };
  const request = signRequest(a.signer, {
    task_id: 't1', from: 'org-a', to: 'org-b', capability: 'patients.count', purpose: 'research',
    input_digest: saltedDigest(salt, { condition: 'x' }), iat: 1, exp: 9_999_999_999, outbound: decision,
  });
  const result = signResult(b.signer, {
    task_id: 't1', from: 'org-b', to: 'org-a', request_digest: request.digest, status: 'completed',
    result_digest: saltedDigest(salt, { count: 3 }), inbound: decision, disclosure: decision,
  });
  const ack = signAck(a.signer, { task_id: 't1', from: 'org-a', to: 'org-b', result_statement_digest: result.digest });

  it('verifies a well-formed triple', () => {
    expect(verifyTriple({ request: request.jws, result: result.jws, ack: ack.jws }, ring, { requester: 'org-a', responder: 'org-b' }).result.payload.status).toBe('completed');
  });

  it('is standard JWS that jose verifies', async () => {
    const { protectedHeader } = await compactVerify(result.jws, await importJWK(b.publicJwk, 'ES256'));
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: b.publicJwk.kid, typ: 'entente-result+jws' });
  });

  describe('when one byte of the payload is flipped', () => {
    it('fails verification with RECEIPT_BAD_SIGNATURE', () => {
      const [h, p, s] = result.jws.split('.') as [string, string, string];
      const bytes = Buffer.from(p, 'base64url');
      const at = bytes.length >> 1;
      bytes[at] = bytes[at]! ^ 0x01;
      const tampered = `${h}.${bytes.toString('base64url')}.${s}`;
      expect(() => verifyStatement(tampered, ring, { kind: 'result', signerOrg: 'org-b' })).toThrow(expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE' }));
      expect(() => verifyTriple({ request: request.jws, result: tampered, ack: ack.jws }, ring, { requester: 'org-a', responder: 'org-b' })).toThrow();
    });
  });

  it('refuses a statement signed by another party than the one expected', () => {
    expect(() => verifyStatement(result.jws, ring, { kind: 'result', signerOrg: 'org-a' })).toThrow(expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE' }));
  });

  it('refuses a broken chain: an ack of another result', () => {
    const other = signResult(b.signer, { task_id: 't1', from: 'org-b', to: 'org-a', request_digest: request.digest, status: 'failed', reason: 'agent_failed', inbound: null, disclosure: null });
    expect(() => verifyTriple({ request: request.jws, result: other.jws, ack: ack.jws }, ring, { requester: 'org-a', responder: 'org-b' })).toThrow(expect.objectContaining({ code: 'RECEIPT_CHAIN_BROKEN' }));
  });

  it('keeps small results unguessable without the salt', () => {
    expect(saltedDigest(newSalt(), { count: 3 })).not.toBe(saltedDigest(newSalt(), { count: 3 }));
  });
});
