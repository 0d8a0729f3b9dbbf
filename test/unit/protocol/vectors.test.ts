import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkInputDigest,
  checkResultDigest,
  signAck,
  signRun,
  signRequest,
  signResult,
  STATEMENT_TYP,
  verifyStatement,
  verifyTriple,
  type SignedStatement,
  type StatementKind,
} from '../../../gateway/src/audit/index.js';
import { canonicalize, KeyRing, saltedDigest, sha256Digest, SigningKey } from '../../../gateway/src/crypto/index.js';
import { isReasonCode } from '../../../gateway/src/tasks/index.js';
import { formatVector, makeVectors, readVectors, VECTORS_DIR } from '../../support/make-vectors.js';

// The shapes of docs/vectors/*.json, as far as this test reads them.
type Doc = { readonly type: string } & Record<string, unknown>;
interface KeyEntry {
  readonly WARNING: string;
  readonly alg: 'ES256' | 'EdDSA';
  readonly kid: string;
  readonly private_jwk: Record<string, unknown>;
  readonly public_jwk: Record<string, unknown>;
}
interface StatementEntry {
  readonly signer: string;
  readonly alg: string;
  readonly kid: string;
  readonly deterministic: boolean;
  readonly protected_header: string;
  readonly payload: Record<string, unknown>;
  readonly payload_canonical: string;
  readonly jws: string;
  readonly digest: string;
}
interface Chain {
  readonly requester: string;
  readonly responder: string;
  readonly task_id: string;
  readonly capability: string;
  readonly purpose: string;
  readonly salt: string;
  readonly salt_bytes_hex: string;
  readonly input_wire: string;
  readonly input_canonical: string;
  readonly input_digest: string;
  readonly result_wire?: string;
  readonly result_canonical?: string;
  readonly result_digest?: string;
  readonly submit_task_request: Record<string, string>;
  readonly submit_task_response: {
    readonly grpc_status: string;
    readonly task?: Record<string, string>;
    readonly trailing_metadata?: Record<string, string>;
  };
  readonly acknowledge_request: { readonly task_id: string; readonly ack_statement: string };
  readonly statements: { readonly request: StatementEntry; readonly result: StatementEntry; readonly ack: StatementEntry };
}
interface ErrorExpectation {
  readonly code: string;
  readonly cause?: string;
}

const vectors = readVectors() as Map<string, Doc>;
const ofType = (type: string) => [...vectors].filter(([, doc]) => doc.type === type);
const only = <T,>(type: string): T => {
  const found = ofType(type);
  expect(found, `exactly one docs/vectors file of type ${type}`).toHaveLength(1);
  return found[0]![1] as unknown as T;
};

const keys = (vectors.get('keys.json') as unknown as { orgs: Record<string, KeyEntry> } | undefined)?.orgs ?? {};
const signers = Object.fromEntries(Object.entries(keys).map(([org, k]) => [org, SigningKey.fromJwk(k.private_jwk)]));
/** A verifier's ring built from the PUBLIC keys only, as a partner or auditor would hold them. */
const ring = new KeyRing();
for (const [org, k] of Object.entries(keys)) ring.addJwks(org, { keys: [k.public_jwk] });

const SIGN = { request: signRequest, result: signResult, ack: signAck, run: signRun } as const;

/** The error a throwing call raised, so its code and its cause's code can be compared. */
function failure(run: () => unknown): { code: unknown; cause: unknown } {
  try {
    run();
  } catch (err) {
    const e = err as { code?: unknown; cause?: { code?: unknown } };
    return { code: e.code, cause: e.cause?.code };
  }
  throw new Error('expected a failure, but it passed');
}

function expectFailure(run: () => unknown, error: ErrorExpectation): void {
  const got = failure(run);
  expect(got.code).toBe(error.code);
  if (error.cause !== undefined) expect(got.cause).toBe(error.cause);
}

describe('the protocol test vectors (docs/vectors)', () => {
  it('are exactly what test/support/make-vectors.ts makes from its fixed inputs', () => {
    const made = makeVectors(vectors);
    expect([...vectors.keys()].sort()).toEqual([...made.keys()].sort());
    for (const [name, doc] of made) {
      expect(readFileSync(join(VECTORS_DIR, name), 'utf8'), `docs/vectors/${name}; run npx tsx test/support/make-vectors.ts`).toBe(formatVector(doc));
    }
  });

  it('are each of a kind this test checks', () => {
    const known = new Set(['keys', 'jcs', 'digests', 'chain', 'local-denial', 'negative', 'batch']);
    for (const [name, doc] of vectors) expect(known.has(doc.type), `${name} has type ${doc.type}`).toBe(true);
    expect(ofType('chain').length).toBeGreaterThanOrEqual(2);
  });
});

describe('keys.json', () => {
  it('says loudly that its keys are test keys, never to be used', () => {
    const doc = only<{ WARNING: string }>('keys');
    expect(doc.WARNING).toMatch(/NEVER USE/);
    for (const k of Object.values(keys)) expect(k.WARNING).toBe('test key, never use');
  });

  it('holds one ES256 (P-256) and one EdDSA (Ed25519) key whose public JWK is what the gateway publishes', () => {
    expect(Object.values(keys).map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA']);
    for (const [org, k] of Object.entries(keys)) {
      const signer = signers[org]!;
      expect(signer.alg, org).toBe(k.alg);
      expect(signer.kid, org).toBe(k.kid);
      expect(signer.publicJwk, org).toEqual(k.public_jwk);
      expect(k.public_jwk, org).not.toHaveProperty('d');
    }
  });
});

describe('jcs.json: canonicalize (RFC 8785)', () => {
  const doc = only<{
    cases: { name: string; input: string; canonical: string; canonical_utf8_hex: string }[];
    unsupported: { name: string; input?: string; depth?: number; error: string }[];
  }>('jcs');

  it.each(doc.cases.map((c) => [c.name, c] as const))('gives the expected canonical text and bytes for %s', (_, c) => {
    const canonical = canonicalize(JSON.parse(c.input));
    expect(canonical).toBe(c.canonical);
    expect(Buffer.from(canonical, 'utf8').toString('hex')).toBe(c.canonical_utf8_hex);
  });

  it.each(doc.unsupported.map((c) => [c.name, c] as const))('refuses %s with its code', (_, c) => {
    const input = c.input ?? '['.repeat(c.depth!) + ']'.repeat(c.depth!);
    expectFailure(() => canonicalize(JSON.parse(input)), { code: c.error });
  });
});

describe('digests.json', () => {
  const doc = only<{
    salt: string;
    salt_bytes_hex: string;
    salted: { name: string; input: string; canonical: string; salted_digest: string }[];
    plain: { name: string; text: string; sha256_digest: string }[];
  }>('digests');

  it('decodes the salt as unpadded base64url (RFC 4648 section 5)', () => {
    expect(Buffer.from(doc.salt, 'base64url').toString('hex')).toBe(doc.salt_bytes_hex);
    expect(doc.salt).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each(doc.salted.map((c) => [c.name, c] as const))('saltedDigest re-derives %s', (_, c) => {
    const value: unknown = JSON.parse(c.input);
    expect(canonicalize(value)).toBe(c.canonical);
    expect(saltedDigest(doc.salt, value)).toBe(c.salted_digest);
    // The documented construction, spelled out: sha256(salt bytes || UTF-8 canonical JSON).
    const bytes = Buffer.concat([Buffer.from(doc.salt_bytes_hex, 'hex'), Buffer.from(c.canonical, 'utf8')]);
    expect(c.salted_digest).toBe('sha256:' + createHash('sha256').update(bytes).digest('base64url'));
  });

  it.each(doc.plain.map((c) => [c.name, c] as const))('sha256Digest re-derives %s', (_, c) => {
    expect(sha256Digest(c.text)).toBe(c.sha256_digest);
    expect(c.sha256_digest).toBe('sha256:' + createHash('sha256').update(Buffer.from(c.text, 'utf8')).digest('base64url'));
  });
});

/** Checks one statement of a vector against our signing and verification. */
function checkStatement(kind: StatementKind, s: StatementEntry, expectation: { recipientOrg: string; taskId: string }): SignedStatement<StatementKind> {
  const [header, payload] = s.jws.split('.') as [string, string, string];
  expect(Buffer.from(header, 'base64url').toString('utf8')).toBe(s.protected_header);
  expect(JSON.parse(s.protected_header)).toEqual({ alg: s.alg, kid: s.kid, typ: STATEMENT_TYP[kind] });
  expect(Buffer.from(payload, 'base64url').toString('utf8')).toBe(s.payload_canonical);
  expect(canonicalize(s.payload)).toBe(s.payload_canonical);
  expect(s.payload['kind']).toBe(kind);

  // Our signer, given the same fields and key, makes the same header and payload; EdDSA is
  // deterministic (RFC 8032), so the whole JWS must match byte for byte.
  const signer = signers[s.signer]!;
  const again = (SIGN[kind] as (key: SigningKey, fields: object) => SignedStatement<StatementKind>)(signer, s.payload);
  if (s.deterministic) {
    expect(signer.alg).toBe('EdDSA');
    expect(again.jws).toBe(s.jws);
  } else {
    expect(again.jws.slice(0, again.jws.lastIndexOf('.'))).toBe(s.jws.slice(0, s.jws.lastIndexOf('.')));
  }

  const verified = verifyStatement(s.jws, ring, { kind, signerOrg: s.signer, recipientOrg: expectation.recipientOrg, taskId: expectation.taskId });
  expect(verified.payload).toEqual(s.payload);
  expect(verified.kid).toBe(s.kid);
  expect(verified.digest).toBe(s.digest);
  expect(sha256Digest(s.jws)).toBe(s.digest);
  return verified;
}

describe.each(ofType('chain').map(([name, doc]) => [name, doc as unknown as Chain] as const))('%s', (_, v) => {
  const { request, result, ack } = v.statements;
  const input: unknown = JSON.parse(v.input_wire);

  it('re-derives the salted input digest from the input as it travelled', () => {
    expect(Buffer.from(v.salt, 'base64url').toString('hex')).toBe(v.salt_bytes_hex);
    expect(canonicalize(input)).toBe(v.input_canonical);
    expect(saltedDigest(v.salt, input)).toBe(v.input_digest);
    expect(request.payload['input_digest']).toBe(v.input_digest);
    expect(() => checkInputDigest(v.salt, input, { task_id: v.task_id, input_digest: v.input_digest })).not.toThrow();
  });

  it("re-derives the salted result digest, or has none when the task did not complete", () => {
    if (result.payload['status'] !== 'completed') {
      expect(result.payload).not.toHaveProperty('result_digest');
      expect(v.result_wire).toBeUndefined();
      return;
    }
    const value: unknown = JSON.parse(v.result_wire!);
    expect(canonicalize(value)).toBe(v.result_canonical);
    expect(saltedDigest(v.salt, value)).toBe(v.result_digest);
    expect(result.payload['result_digest']).toBe(v.result_digest);
    expect(() =>
      checkResultDigest(v.salt, value, { task_id: v.task_id, status: 'completed', result_digest: v.result_digest! }),
    ).not.toThrow();
  });

  it('has a request statement by the requester that verifies and re-signs to the same header and payload', () => {
    checkStatement('request', request, { recipientOrg: v.responder, taskId: v.task_id });
    expect(request.payload).toMatchObject({ from: v.requester, to: v.responder, capability: v.capability, purpose: v.purpose });
  });

  it('has a result statement by the responder that verifies and cites the request statement digest', () => {
    checkStatement('result', result, { recipientOrg: v.requester, taskId: v.task_id });
    expect(result.payload['request_digest']).toBe(sha256Digest(request.jws));
    const reason = result.payload['reason'];
    if (reason !== undefined) expect(isReasonCode(reason as string)).toBe(true);
  });

  it('has an ack statement by the requester that verifies and cites the result statement digest', () => {
    checkStatement('ack', ack, { recipientOrg: v.responder, taskId: v.task_id });
    expect(ack.payload['result_statement_digest']).toBe(sha256Digest(result.jws));
  });

  it('forms one triple that verifyTriple accepts', () => {
    const triple = verifyTriple({ request: request.jws, result: result.jws, ack: ack.jws }, ring, {
      requester: v.requester,
      responder: v.responder,
    });
    expect([triple.request.digest, triple.result.digest, triple.ack.digest]).toEqual([request.digest, result.digest, ack.digest]);
  });

  it('shows the messages on the wire carrying exactly these statements', () => {
    expect(v.submit_task_request).toEqual({
      task_id: v.task_id,
      capability: v.capability,
      purpose: v.purpose,
      input: v.input_wire,
      salt: v.salt,
      request_statement: request.jws,
    });
    expect(v.acknowledge_request).toEqual({ task_id: v.task_id, ack_statement: ack.jws });
    const response = v.submit_task_response;
    if (result.payload['status'] === 'completed') {
      expect(response.grpc_status).toBe('OK');
      expect(response.task).toMatchObject({ task_id: v.task_id, status: 'TASK_STATUS_COMPLETED', result: v.result_wire, result_statement: result.jws });
    } else {
      expect(response.grpc_status).not.toBe('OK');
      expect(response.trailing_metadata).toEqual({ 'entente-reason': result.payload['reason'], 'entente-result-statement': result.jws });
    }
  });
});

describe('local-denial.json', () => {
  const v = only<Pick<Chain, 'requester' | 'responder' | 'task_id' | 'salt' | 'input_wire' | 'input_digest'> & {
    statements: { request: StatementEntry; result: StatementEntry };
  }>('local-denial');

  it('has a request statement whose input digest re-derives', () => {
    checkStatement('request', v.statements.request, { recipientOrg: v.responder, taskId: v.task_id });
    expect(saltedDigest(v.salt, JSON.parse(v.input_wire))).toBe(v.input_digest);
    expect(v.statements.request.payload['input_digest']).toBe(v.input_digest);
  });

  it('has a denial signed by the requester itself, citing the request, with no ack', () => {
    expect(v.statements.result.signer).toBe(v.requester);
    checkStatement('result', v.statements.result, { recipientOrg: v.responder, taskId: v.task_id });
    expect(v.statements.result.payload).toMatchObject({
      from: v.requester,
      to: v.responder,
      status: 'denied',
      reason: 'outbound_denied',
      inbound: null,
      disclosure: null,
      request_digest: sha256Digest(v.statements.request.jws),
    });
    expect(v.statements).not.toHaveProperty('ack');
  });
});

describe('batch.json: statements signed as one batch (§5.9)', () => {
  const doc = only<{
    signer: string;
    kid: string;
    batch: { typ: string; protected_header: string; payload_canonical: string; jws: string };
    statements: { task_id: string; payload: Record<string, unknown>; signing_input: string; leaf_hash_hex: string; proof_index: number; proof_path_hex: string[]; jws: string; digest: string }[];
  }>('batch');
  const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

  it('has a batch JWS that verifies as an ordinary JWS of the signer, over {root, size}', () => {
    const [h, p] = doc.batch.jws.split('.') as [string, string, string];
    expect(Buffer.from(h, 'base64url').toString()).toBe(doc.batch.protected_header);
    expect(JSON.parse(doc.batch.protected_header)).toEqual({ alg: 'EdDSA', kid: doc.kid, typ: 'entente-batch+jws' });
    expect(Buffer.from(p, 'base64url').toString()).toBe(doc.batch.payload_canonical);
    expect(JSON.parse(doc.batch.payload_canonical)).toMatchObject({ size: doc.statements.length });
    const lab = SigningKey.fromJwk(keys['lab']!.private_jwk as Parameters<typeof SigningKey.fromJwk>[0]);
    expect(lab.signCompact(JSON.parse(doc.batch.payload_canonical) as object, 'entente-batch+jws')).toBe(doc.batch.jws);
  });

  it('has statements whose leaves and paths lead, by RFC 9162 computed here, to the signed root', () => {
    const root = Buffer.from((JSON.parse(doc.batch.payload_canonical) as { root: string }).root, 'base64url');
    const leaves = doc.statements.map((s) => sha(Buffer.from([0]), Buffer.from(s.signing_input, 'ascii')));
    for (const [i, s] of doc.statements.entries()) {
      expect(leaves[i]!.toString('hex')).toBe(s.leaf_hash_hex);
      expect(s.jws.split('.').slice(0, 2).join('.')).toBe(s.signing_input);
      expect(s.jws.split('.').slice(3).join('.')).toBe(doc.batch.jws);
      expect(s.proof_index).toBe(i);
    }
    // Three leaves: the root is node(node(l0, l1), l2); l2's path is the left subtree alone.
    const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);
    expect(node(node(leaves[0]!, leaves[1]!), leaves[2]!)).toEqual(root);
    expect(doc.statements.map((s) => s.proof_path_hex)).toEqual([
      [leaves[1]!.toString('hex'), leaves[2]!.toString('hex')],
      [leaves[0]!.toString('hex'), leaves[2]!.toString('hex')],
      [node(leaves[0]!, leaves[1]!).toString('hex')],
    ]);
  });

  it('has statements that each verify as the signer\'s, with their digests', () => {
    for (const s of doc.statements) {
      const v = verifyStatement(s.jws, ring, { kind: 'result', signerOrg: doc.signer, recipientOrg: 'hospital', taskId: s.task_id });
      expect(v.payload).toEqual(s.payload);
      expect(v.digest).toBe(s.digest);
      expect(sha256Digest(s.jws)).toBe(s.digest);
    }
  });
});

describe('negative.json', () => {
  const doc = only<{
    statements: {
      name: string;
      jws: string;
      expect: { kind: StatementKind; signer_org: string; recipient_org?: string; task_id?: string };
      error: ErrorExpectation;
    }[];
    triples: {
      name: string;
      request: string;
      result: string;
      ack: string;
      parties: { requester: string; responder: string };
      error: ErrorExpectation;
    }[];
    digests: { name: string; salt: string; input: string; input_digest: string; error: ErrorExpectation }[];
  }>('negative');

  it.each(doc.statements.map((c) => [c.name, c] as const))('verifyStatement refuses %s with its code', (_, c) => {
    expectFailure(
      () =>
        verifyStatement(c.jws, ring, {
          kind: c.expect.kind,
          signerOrg: c.expect.signer_org,
          ...(c.expect.recipient_org !== undefined ? { recipientOrg: c.expect.recipient_org } : {}),
          ...(c.expect.task_id !== undefined ? { taskId: c.expect.task_id } : {}),
        }),
      c.error,
    );
  });

  it.each(doc.triples.map((c) => [c.name, c] as const))('verifyTriple refuses %s with its code', (_, c) => {
    expectFailure(() => verifyTriple({ request: c.request, result: c.result, ack: c.ack }, ring, c.parties), c.error);
  });

  it.each(doc.digests.map((c) => [c.name, c] as const))('checkInputDigest refuses %s with its code', (_, c) => {
    expectFailure(() => checkInputDigest(c.salt, JSON.parse(c.input), { task_id: 'negative', input_digest: c.input_digest }), c.error);
  });
});
