import { generateKeyPairSync } from 'node:crypto';
import { KeyRing, SigningKey, newSalt, saltedDigest } from '../../../gateway/src/crypto/index.js';
import { signAck, signRequest, signResult } from '../../../gateway/src/audit/index.js';

export function es256(kid: string): SigningKey {
  return SigningKey.fromJwk({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid });
}

export function ed25519(kid: string): SigningKey {
  return SigningKey.fromJwk({ ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid });
}

/** Two organizations, a hospital (requester, ES256) and a lab (responder, EdDSA), with a ring holding both. */
export function federation() {
  const hospital = es256('hospital-1');
  const lab = ed25519('lab-1');
  const ring = new KeyRing();
  ring.addJwks('hospital', { keys: [hospital.publicJwk] });
  ring.addJwks('lab', { keys: [lab.publicJwk] });
  return { hospital, lab, ring };
}

export const decision = { decision_id: 'dec-1', policy_revision: 'sha256:rev' };

/** A completed task's full receipt, signed the way gateways sign it. */
export function completedTask(f: ReturnType<typeof federation>, taskId = 'task-1') {
  const salt = newSalt();
  const input = { condition: 'E11', from: '2026-01-01' };
  const result = { count: 3 };
  const request = signRequest(f.hospital, {
    task_id: taskId, from: 'hospital', to: 'lab', capability: 'patients.count', purpose: 'research',
    input_digest: saltedDigest(salt, input), iat: 1_800_000_000, exp: 1_800_000_600, outbound: decision,
  });
  const resultStatement = signResult(f.lab, {
    task_id: taskId, from: 'lab', to: 'hospital', request_digest: request.digest, status: 'completed',
    result_digest: saltedDigest(salt, result), inbound: decision, disclosure: decision,
  });
  const ack = signAck(f.hospital, { task_id: taskId, from: 'hospital', to: 'lab', result_statement_digest: resultStatement.digest });
  return { salt, input, result, request, resultStatement, ack };
}
