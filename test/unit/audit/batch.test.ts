import { describe, expect, it } from 'vitest';
import { compactVerify, importJWK } from 'jose';
import { createHash } from 'node:crypto';
import { BATCH_TYP, signToSend, signRequest, verifyStatement } from '../../../gateway/src/audit/index.js';
import { KeyRing, newSalt, saltedDigest } from '../../../gateway/src/crypto/index.js';
import { decision, ed25519, es256, federation } from './fixtures.js';

const f = federation();

function requestFields(taskId: string, to = 'lab') {
  return {
    task_id: taskId, from: 'hospital', to, capability: 'patients.count', purpose: 'research',
    input_digest: saltedDigest(newSalt(), { n: taskId }), iat: 1_800_000_000, exp: 1_800_000_600, outbound: decision,
  };
}

/** n request statements signed in one turn, as the requester signs a burst. */
async function burst(n: number, key = f.hospital, to = 'lab') {
  return await Promise.all(Array.from({ length: n }, (_, i) => signToSend(key, 'request', requestFields(`task-${i}`, to), to)));
}

const expectRequest = (taskId: string) => ({ kind: 'request' as const, signerOrg: 'hospital', recipientOrg: 'lab', taskId });

describe('batch signatures', () => {
  it('signs a burst of statements with one signature, each verifying on its own', async () => {
    const before = { signatures: f.hospital.signatures, statements: f.hospital.statements };
    const signed = await burst(7);
    expect(f.hospital.signatures - before.signatures).toBe(1);
    expect(f.hospital.statements - before.statements).toBe(7);
    for (const [i, s] of signed.entries()) {
      expect(s.jws.split('.')).toHaveLength(6);
      const fresh = new KeyRing();
      fresh.addJwks('hospital', { keys: [f.hospital.publicJwk] });
      const v = verifyStatement(s.jws, fresh, expectRequest(`task-${i}`));
      expect(v.payload).toEqual(s.payload);
      expect(v.digest).toBe(s.digest);
    }
  });

  it('signs a statement alone in its turn in the single form, as an ordinary JWS', async () => {
    const [only] = await burst(1);
    expect(only!.jws.split('.')).toHaveLength(3);
    expect(verifyStatement(only!.jws, f.ring, expectRequest('task-0')).payload).toEqual(only!.payload);
  });

  it('never mixes two recipients in one batch', async () => {
    const ring = new KeyRing();
    ring.addJwks('hospital', { keys: [f.hospital.publicJwk] });
    const [toLab, toBank] = await Promise.all([signToSend(f.hospital, 'request', requestFields('a', 'lab'), 'lab'), signToSend(f.hospital, 'request', requestFields('b', 'bank'), 'bank')]);
    expect(toLab!.jws.split('.')).toHaveLength(3);
    expect(toBank!.jws.split('.')).toHaveLength(3);
  });

  it('keeps header and payload exactly those of the single form', async () => {
    const [batched] = await burst(3);
    const [h, p] = batched!.jws.split('.');
    const single = signRequest(f.hospital, batched!.payload);
    expect(single.jws.split('.').slice(0, 2)).toEqual([h, p]);
  });

  it('has a batch JWS that a standard JOSE library verifies, whose root the proof reaches', async () => {
    const signed = await burst(5);
    const parts = signed[3]!.jws.split('.');
    const { payload, protectedHeader } = await compactVerify(parts.slice(3).join('.'), await importJWK(f.hospital.publicJwk, 'ES256'));
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'hospital-1', typ: BATCH_TYP });
    const batch = JSON.parse(Buffer.from(payload).toString('utf8')) as { root: string; size: number };
    expect(batch.size).toBe(5);
    // The RFC 9162 path, by hand: leaf index 3 of 5 has siblings leaf 2, then node(0,1), then leaf 4.
    const proof = Buffer.from(parts[2]!, 'base64url');
    expect(proof.readUInt32BE(0)).toBe(3);
    const sha = (...b: Buffer[]) => createHash('sha256').update(Buffer.concat(b)).digest();
    const leaf = (i: number) => sha(Buffer.from([0]), Buffer.from(signed[i]!.jws.split('.').slice(0, 2).join('.'), 'ascii'));
    const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);
    const root = node(node(node(leaf(0), leaf(1)), node(leaf(2), leaf(3))), leaf(4));
    expect(Buffer.from(batch.root, 'base64url')).toEqual(root);
    expect(proof.subarray(4)).toEqual(Buffer.concat([leaf(2), node(leaf(0), leaf(1)), leaf(4)]));
  });

  describe('refuses', () => {
    const swap = (jws: string, at: number, part: string) => {
      const parts = jws.split('.');
      parts[at] = part;
      return parts.join('.');
    };

    it('a statement moved to another leaf of its batch, or given another statement\'s proof', async () => {
      const signed = await burst(4);
      const other = signed[1]!.jws.split('.')[2]!;
      expect(() => verifyStatement(swap(signed[0]!.jws, 2, other), f.ring, expectRequest('task-0'))).toThrow(
        expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE', message: expect.stringMatching(/not in the batch its signature covers/) }),
      );
    });

    it('a proof with any one hash altered, after every statement of its batch verified (interior hashes are remembered)', async () => {
      const signed = await burst(8);
      for (const [i, s] of signed.entries()) verifyStatement(s.jws, f.ring, expectRequest(`task-${i}`));
      for (const [i, s] of signed.entries()) {
        const proof = Buffer.from(s.jws.split('.')[2]!, 'base64url');
        for (let at = 4; at < proof.length; at += 32) {
          const bent = Buffer.from(proof);
          bent[at + 31]! ^= 1;
          expect(() => verifyStatement(swap(s.jws, 2, bent.toString('base64url')), f.ring, expectRequest(`task-${i}`)), `statement ${i}, hash ${(at - 4) / 32}`).toThrow(
            expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE' }),
          );
        }
        expect(verifyStatement(s.jws, f.ring, expectRequest(`task-${i}`)).digest).toBe(s.digest);
      }
    });

    it('a statement whose payload was altered', async () => {
      const signed = await burst(2);
      const tampered = swap(signed[0]!.jws, 1, signed[1]!.jws.split('.')[1]!);
      expect(() => verifyStatement(tampered, f.ring, expectRequest('task-1'))).toThrow(expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE' }));
    });

    it("a batch signed by another key of the same organization, or by another organization's key", async () => {
      const second = es256('hospital-2');
      const ring = new KeyRing();
      ring.addJwks('hospital', { keys: [f.hospital.publicJwk, second.publicJwk] });
      ring.addJwks('lab', { keys: [f.lab.publicJwk] });
      const mine = await burst(2);
      const theirs = await burst(2, second);
      const mixed = [...mine[0]!.jws.split('.').slice(0, 3), ...theirs[0]!.jws.split('.').slice(3)].join('.');
      expect(() => verifyStatement(mixed, ring, expectRequest('task-0'))).toThrow(expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE', message: expect.stringMatching(/names key hospital-1 but its batch is signed with "hospital-2"/) }));
      const labBatch = (await Promise.all([0, 1].map((i) => signToSend(f.lab, 'request', requestFields(`x${i}`), 'lab'))))[0]!.jws.split('.').slice(3);
      const foreign = [...mine[0]!.jws.split('.').slice(0, 3), ...labBatch].join('.');
      expect(() => verifyStatement(foreign, ring, expectRequest('task-0'))).toThrow(
        expect.objectContaining({ code: 'RECEIPT_BAD_SIGNATURE', message: expect.stringMatching(/names key hospital-1 but its batch is signed with "lab-1"/) }),
      );
    });

    it('a batch JWS that is a statement, not a batch', async () => {
      const [a, b] = await burst(2);
      const single = signRequest(f.hospital, requestFields('z'));
      const fake = [...a!.jws.split('.').slice(0, 3), ...single.jws.split('.')].join('.');
      expect(() => verifyStatement(fake, f.ring, expectRequest('task-0'))).toThrow(expect.objectContaining({ code: 'RECEIPT_MALFORMED', message: expect.stringMatching(/typ "entente-request\+jws", not entente-batch\+jws/) }));
      expect(b).toBeDefined();
    });

    it('a proof that is not an index and whole hashes', async () => {
      const [a] = await burst(2);
      expect(() => verifyStatement(swap(a!.jws, 2, Buffer.alloc(7).toString('base64url')), f.ring, expectRequest('task-0'))).toThrow(
        expect.objectContaining({ code: 'RECEIPT_MALFORMED', message: expect.stringMatching(/batch proof/) }),
      );
    });

    it('a statement with another number of parts', async () => {
      const [a] = await burst(2);
      expect(() => verifyStatement(a!.jws.split('.').slice(0, 5).join('.'), f.ring, expectRequest('task-0'))).toThrow(
        expect.objectContaining({ code: 'RECEIPT_MALFORMED', message: expect.stringMatching(/expected 3 dot-separated parts \(6 for a batched statement\), got 5/) }),
      );
    });
  });

  it('works the same with an EdDSA key', async () => {
    const lab = ed25519('lab-2');
    const ring = new KeyRing();
    ring.addJwks('hospital', { keys: [lab.publicJwk] });
    const signed = await burst(3, lab);
    for (const [i, s] of signed.entries()) expect(verifyStatement(s.jws, ring, expectRequest(`task-${i}`)).digest).toBe(s.digest);
  });
});
