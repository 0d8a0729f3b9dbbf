// `npx tsx test/bench/micro-crypto.ts`: per-operation cost of receipt crypto: JCS, ES256 and
// EdDSA compact signing and verification with pre-parsed node:crypto keys, jose awaited one
// at a time for comparison, and a full receipt statement sign + verify.
import { generateKeyPairSync } from 'node:crypto';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { signRequest, verifyStatement } from '../../gateway/src/audit/index.js';
import { KeyRing, SigningKey, canonicalize, newSalt, saltedDigest, verifyCompactJws } from '../../gateway/src/crypto/index.js';

const N = Number(process.env['BENCH_CRYPTO_ITERATIONS'] ?? 5000);

function time(name: string, op: () => unknown): { name: string; us_per_op: number } {
  for (let i = 0; i < 1000; i++) op();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) op();
  return { name, us_per_op: +(Number(process.hrtime.bigint() - t0) / 1000 / N).toFixed(1) };
}

/** jose is awaited one operation at a time, as a request handler would. */
async function timeAsync(name: string, op: () => Promise<unknown>): Promise<{ name: string; us_per_op: number }> {
  for (let i = 0; i < 1000; i++) await op();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await op();
  return { name, us_per_op: +(Number(process.hrtime.bigint() - t0) / 1000 / N).toFixed(1) };
}

const esJwk = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'es' };
const edJwk = { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'ed' };
const es = SigningKey.fromJwk(esJwk);
const ed = SigningKey.fromJwk(edJwk);
const ring = new KeyRing();
ring.addJwks('org-a', { keys: [es.publicJwk, ed.publicJwk] });
const salt = newSalt();
const fields = {
  task_id: 'task-0001', from: 'org-a', to: 'org-b', capability: 'patients.count', purpose: 'research',
  input_digest: saltedDigest(salt, { condition: 'E11', since: '2026-01-01' }), iat: 1_800_000_000, exp: 1_800_000_600,
  outbound: { decision_id: 'dec-0001', policy_revision: 'sha256:rev' },
};
const payload = { v: 1, kind: 'request', ...fields };
const esJws = es.signCompact(payload, 'entente-request+jws');
const edJws = ed.signCompact(payload, 'entente-request+jws');
const request = signRequest(es, fields).jws;
const joseKey = await importJWK(esJwk, 'ES256');
const josePub = await importJWK(es.publicJwk, 'ES256');
const bytes = Buffer.from(canonicalize(payload));

console.table([
  time('canonicalize (request payload)', () => canonicalize(payload)),
  time('saltedDigest', () => saltedDigest(salt, payload)),
  time('ES256 signCompact (node:crypto)', () => es.signCompact(payload, 'entente-request+jws')),
  await timeAsync('ES256 sign (jose, awaited)', () => new CompactSign(bytes).setProtectedHeader({ alg: 'ES256', kid: 'es' }).sign(joseKey)),
  time('ES256 verifyCompactJws', () => verifyCompactJws(esJws, ring, 'org-a')),
  await timeAsync('ES256 verify (jose, awaited)', () => compactVerify(esJws, josePub)),
  time('EdDSA signCompact', () => ed.signCompact(payload, 'entente-request+jws')),
  time('EdDSA verifyCompactJws', () => verifyCompactJws(edJws, ring, 'org-a')),
  time('signRequest (validate + sign + digest)', () => signRequest(es, fields)),
  time('verifyStatement (request)', () => verifyStatement(request, ring, { kind: 'request', signerOrg: 'org-a' })),
]);
