import { createHash } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { defineAgent } from '@entente/sdk';
import { EntenteError, federationProto } from '../../gateway/src/lib/index.js';
import { signAck } from '../../gateway/src/audit/index.js';
import { sha256Digest } from '../../gateway/src/crypto/index.js';
import { decodeAckOutcomes } from '../../gateway/src/federation/ack-rides.js';
import { PKI_FILES } from '../../gateway/src/pki/index.js';
import { acked, countAgreements, orgFile, partnerClient, receiptKeyOf, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const C = 'hospital-c';

/** `org`'s receipt keys as it publishes them (receipt-jwks.json, the JWKS of its federation bundle). */
const publishedKeys = (fed: TestFederation, org: string) => (JSON.parse(orgFile(fed, org, PKI_FILES.jwks).toString('utf8')) as { keys: JWK[] }).keys;
/** The statement's signer: the requester signs requests and acks, the responder results. */
const signerOf = (kind: string, requester: string, responder: string) => (kind === 'result' ? responder : requester);
const sha256 = (...parts: (Buffer | string)[]) => createHash('sha256').update(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'ascii') : p)))).digest();
/** The digest statements cite a statement by (docs/protocol.md §6), computed here with node:crypto alone. */
const statementDigest = (jws: string) => 'sha256:' + sha256(jws).toString('base64url');

/**
 * Verifies a single-form statement (a compact JWS) with jose alone, under the key of `keys`
 * its header names; resolves with its header and payload.
 */
async function joseVerify(jws: string, keys: readonly JWK[]) {
  expect(jws.split('.'), 'a single-form statement is three parts').toHaveLength(3);
  const { kid, alg } = decodeProtectedHeader(jws);
  const jwk = keys.find((k) => k.kid === kid);
  expect(jwk, `a published key with kid ${kid}`).toBeDefined();
  const { payload, protectedHeader } = await compactVerify(jws, await importJWK(jwk!, alg));
  return { header: protectedHeader, statement: JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown> };
}

/**
 * RFC 9162 §2.1.3.2 with node:crypto alone: the root that an inclusion proof (uint32 index ‖
 * 32-byte hashes, docs/protocol.md §5.9) leads to from a leaf's input, in a tree of `size`
 * leaves; undefined when the proof does not fit the tree.
 */
function rootOf(leafInput: string, proof: Buffer, size: number): string | undefined {
  let fn = proof.readUInt32BE(0);
  let sn = size - 1;
  if (fn > sn) return undefined;
  let r = sha256(Buffer.from([0]), leafInput);
  for (let at = 4; at < proof.length; at += 32) {
    if (sn === 0) return undefined;
    const p = proof.subarray(at, at + 32);
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([1]), p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = sha256(Buffer.from([1]), r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 ? r.toString('base64url') : undefined;
}

/**
 * Verifies a statement in the batched form (docs/protocol.md §5.9) with standard tools only:
 * the batch JWS (its last three parts) with jose under the key the statement names, then the
 * inclusion proof from the statement's leaf to the batch's root (rootOf). Resolves with the
 * statement's header and payload, and the batch's root and size.
 */
async function joseVerifyBatched(jws: string, keys: readonly JWK[]) {
  const parts = jws.split('.');
  expect(parts, 'a batched statement is six parts').toHaveLength(6);
  const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg: string; kid: string; typ: string };
  const batch = await joseVerify(parts.slice(3).join('.'), keys);
  expect(batch.header).toEqual({ alg: header.alg, kid: header.kid, typ: 'entente-batch+jws' });
  const { root, size } = batch.statement as { root: string; size: number };
  expect(rootOf(`${parts[0]}.${parts[1]}`, Buffer.from(parts[2]!, 'base64url'), size), 'the proof leads to the batch root').toBe(root);
  return { header, statement: JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>, root, size };
}

/** Counts how often the agent really ran, so tests can say "never ran" / "ran once". */
function counterAgent(counts: number[]) {
  const runs = { n: 0 };
  const agent = defineAgent({
    name: 'cohort-counter',
    capabilities: ['patients.count'],
    input: z.strictObject({ condition: z.string(), min_age: z.number().int().optional(), max_age: z.number().int().optional() }),
    output: z.strictObject({ count: z.number().int() }),
    handler: ({ condition }) => {
      runs.n++;
      return { count: condition === 'rare' ? counts[1]! : counts[0]! };
    },
  });
  return { agent, runs };
}

describe('a federation of real gateways over mutual TLS', () => {
  let fed: TestFederation;
  const bAgent = counterAgent([12, 3]);

  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B, C]) },
      [B]: {
        agents: [bAgent.agent],
        // B has agreed nothing with C: C's requests are denied by B's inbound policy.
        agreements: countAgreements(B, [A]),
        limits: { maxPayloadBytes: 4096 },
      },
      [C]: { agreements: countAgreements(C, [A, B]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  describe('the happy path', () => {
    it('returns only what B\'s disclosure policy lets leave, and both sides hold the same verified triple', async () => {
      const before = bAgent.runs.n;
      const r = await fed.gateways[A]!.call({
        partner: B,
        capability: 'patients.count',
        purpose: 'research',
        input: { condition: 'diabetes', min_age: 40, secret_note: 'must not leave A' },
      });
      expect(r.status).toBe('completed');
      expect(r.result).toEqual({ count: 12 });
      expect(bAgent.runs.n).toBe(before + 1);

      await acked(fed.gateways[A]!, B, r.taskId);
      const atA = await fed.gateways[A]!.receipts(r.taskId, B);
      const atB = await fed.gateways[B]!.receipts(r.taskId, A);
      expect(atA).toHaveLength(1);
      expect(atB).toHaveLength(1);
      expect(atA[0]!.verification).toEqual({ state: 'verified', problems: [] });
      expect(atB[0]!.verification).toEqual({ state: 'verified', problems: [] });
      const jws = (side: typeof atA) => Object.fromEntries(side[0]!.statements.map((s) => [s.kind, s.jws]));
      expect(jws(atA)).toEqual(jws(atB));
      expect(Object.keys(jws(atA)).sort()).toEqual(['ack', 'request', 'result']);
    });

    it('suppresses small cells: a count under 5 leaves as "<5"', async () => {
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'rare' } });
      expect(r.result).toEqual({ count: '<5' });
    });

    it('signs standard JWS that jose verifies with the partner\'s published key', async () => {
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' } });
      const bKeys = fed.config(A).partners.find((p) => p.org === B)!.receiptJwks.keys;
      const header = JSON.parse(Buffer.from(r.receipts.result!.split('.')[0]!, 'base64url').toString()) as { kid: string };
      const jwk = bKeys.find((k: { kid?: string }) => k.kid === header.kid)!;
      const { payload } = await compactVerify(r.receipts.result!, await importJWK(jwk, 'ES256'));
      const statement = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      expect(statement).toMatchObject({ kind: 'result', task_id: r.taskId, from: B, to: A, status: 'completed' });
      // Receipts carry digests, never the result itself.
      expect(Object.keys(statement).sort()).toEqual(
        ['disclosure', 'from', 'iat', 'inbound', 'kind', 'request_digest', 'result_digest', 'status', 'task_id', 'to', 'v'],
      );
      expect(JSON.stringify(statement)).not.toContain('"count"');
    });

    it('signs the request and the ack as standard JWS too: jose verifies each with its signer\'s published key, and they chain', async () => {
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma', min_age: 40 } });
      expect(r.status).toBe('completed');
      // A call alone: every statement in the single form, an ordinary compact JWS.
      const request = await joseVerify(r.receipts.request!, publishedKeys(fed, A));
      const result = await joseVerify(r.receipts.result!, publishedKeys(fed, B));
      const ack = await joseVerify(r.receipts.ack!, publishedKeys(fed, A));
      expect([request, result, ack].map((v) => v.header.typ)).toEqual(['entente-request+jws', 'entente-result+jws', 'entente-ack+jws']);
      expect(request.statement).toMatchObject({ v: 1, kind: 'request', task_id: r.taskId, from: A, to: B, capability: 'patients.count', purpose: 'research' });
      expect(Object.keys(request.statement).sort()).toEqual(['capability', 'exp', 'from', 'iat', 'input_digest', 'kind', 'outbound', 'purpose', 'task_id', 'to', 'v']);
      expect(ack.statement).toEqual({ v: 1, kind: 'ack', task_id: r.taskId, from: A, to: B, result_statement_digest: statementDigest(r.receipts.result!), iat: expect.any(Number) });
      expect(result.statement['request_digest']).toBe(statementDigest(r.receipts.request!));
      // The request carries a digest of the input, never the input.
      expect(JSON.stringify(request.statement)).not.toContain('asthma');
      // Each verifies with its own signer's key only: A's request does not verify under B's keys.
      await expect(compactVerify(r.receipts.request!, await importJWK(publishedKeys(fed, B)[0]!, request.header.alg))).rejects.toThrow();
    });

    it('logs one line per task with id, partner, capability, decision and duration, never the payload', async () => {
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'lupus-secret' } });
      const line = fed.logs[B]!.find((l) => l['task_id'] === r.taskId && l['msg'] === 'task');
      expect(line).toMatchObject({ partner: A, capability: 'patients.count', decision: 'completed' });
      expect(typeof line!['duration_ms']).toBe('number');
      const everything = JSON.stringify([...fed.logs[A]!, ...fed.logs[B]!]);
      expect(everything).not.toContain('lupus-secret');
      expect(everything).not.toContain('"d":'); // no private JWK member
    });
  });

  describe('policy denials', () => {
    it('denies at A\'s outbound policy without sending anything to B, with local receipts', async () => {
      const before = bAgent.runs.n;
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'marketing', input: { condition: 'x' } });
      expect(r).toMatchObject({ status: 'denied', reason: 'outbound_denied', policyReasons: ['purpose_not_agreed'] });
      expect(bAgent.runs.n).toBe(before);
      expect(await fed.gateways[B]!.receipts(r.taskId, A)).toHaveLength(0);
      const [atA] = await fed.gateways[A]!.receipts(r.taskId, B);
      expect(atA!.verification.state).toBe('verified_local_denial');
      expect(atA!.statements.map((s) => s.kind).sort()).toEqual(['request', 'result']);
    });

    it('denies at B\'s inbound policy (agent never runs) with PERMISSION_DENIED and a receipt triple on both sides', async () => {
      const before = bAgent.runs.n;
      const r = await fed.gateways[C]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' } });
      expect(r).toMatchObject({ status: 'denied', reason: 'inbound_denied', policyReasons: ['no_agreement'] });
      expect(bAgent.runs.n).toBe(before);
      await acked(fed.gateways[C]!, B, r.taskId);
      const atB = await fed.gateways[B]!.receipts(r.taskId, C);
      const atC = await fed.gateways[C]!.receipts(r.taskId, B);
      expect(atB[0]!.verification.state).toBe('verified');
      expect(atC[0]!.verification.state).toBe('verified');
      expect(atB[0]!.task.status).toBe('denied');
    });
  });

  describe('idempotency on task_id', () => {
    it('returns the existing task for the same content; the agent runs once', async () => {
      const before = bAgent.runs.n;
      const args = { partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' }, taskId: 'idem-1' };
      const first = await fed.gateways[A]!.call(args);
      const second = await fed.gateways[A]!.call(args);
      expect(second).toEqual(first);
      expect(bAgent.runs.n).toBe(before + 1);
    });

    it('refuses the same task_id with different content', async () => {
      const args = { partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' }, taskId: 'idem-2' };
      await fed.gateways[A]!.call(args);
      await expect(fed.gateways[A]!.call({ ...args, input: { condition: 'copd' } })).rejects.toMatchObject({ reason: 'task_conflict' });
    });
  });

  describe('acks', () => {
    it('takes many acks in one AcknowledgeBatch call, answering each: stored, unknown task, or not verifying', async () => {
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' } });
      await acked(fed.gateways[A]!, B, r.taskId);
      const client = partnerClient(fed, A, B);
      try {
        const outcomes = await client.acknowledgeBatch(
          B,
          [
            { taskId: r.taskId, ackStatement: r.receipts.ack! },
            { taskId: 'no-such-task', ackStatement: r.receipts.ack! },
            { taskId: r.taskId, ackStatement: r.receipts.request! },
          ],
          Date.now() + 5000,
        );
        expect(outcomes).toEqual([
          { taskId: r.taskId },
          { taskId: 'no-such-task', reason: 'task_unknown', message: expect.any(String) },
          { taskId: r.taskId, reason: 'receipt_invalid', message: expect.stringMatching(/does not verify/) },
        ]);
        // The ack B holds is still the one A sent: a second copy changes nothing.
        const atB = await fed.gateways[B]!.receipts(r.taskId, A);
        expect(atB[0]!.statements.filter((st) => st.kind === 'ack')).toHaveLength(1);
      } finally {
        client.close();
      }
    });

    /**
     * A task of A's whose ack B holds, and a second ack of the same result signed with A's
     * receipt key (`later` seconds on): one B does not hold yet.
     */
    const ackedWithAnother = async (later: number) => {
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' } });
      await acked(fed.gateways[A]!, B, r.taskId);
      const another = signAck(receiptKeyOf(fed, A), { task_id: r.taskId, from: A, to: B, result_statement_digest: sha256Digest(r.receipts.result!), iat: Math.floor(Date.now() / 1000) + later }).jws;
      return { r, another };
    };

    it('takes acks riding on a SubmitTask: each is checked and stored whatever becomes of the task, and answered before it', async () => {
      const { r, another } = await ackedWithAnother(1);
      const pem = (org: string, file: string) => orgFile(fed, org, file);
      const Ctor = federationProto().entente.federation.v1.Federation;
      const raw = new Ctor(`localhost:${fed.ports[B]}`, grpc.credentials.createSsl(pem(B, PKI_FILES.ca), pem(A, PKI_FILES.key), pem(A, PKI_FILES.cert)));
      try {
        const headers: grpc.Metadata[] = [];
        const err = await new Promise<grpc.ServiceError>((resolve, reject) => {
          const call = raw.SubmitTask(
            {
              task_id: 'rides-on-a-refused-task', capability: 'patients.count', purpose: 'research', input: Buffer.from('{}'), salt: 'A'.repeat(22), request_statement: 'not.a.statement',
              acks: [
                { task_id: r.taskId, ack_statement: another },
                { task_id: 'no-such-task', ack_statement: another },
                { task_id: r.taskId, ack_statement: r.receipts.request! },
              ],
            },
            { deadline: new Date(Date.now() + 10_000) },
            (e, res) => (e ? resolve(e) : reject(new Error(`expected a refusal, got ${JSON.stringify(res)}`))),
          );
          call.on('metadata', (md: grpc.Metadata) => headers.push(md));
        });
        // The task itself is refused; the acks were answered in the initial metadata, in order.
        expect(err.metadata.get('entente-reason')).toEqual(['request_invalid']);
        expect(err.metadata.get('entente-acks-on-submit')).toEqual(['1']);
        expect(headers).toHaveLength(1);
        expect(decodeAckOutcomes(headers[0]!.get('entente-ack-outcomes-bin')[0] as Buffer)).toEqual([
          { taskId: r.taskId },
          { taskId: 'no-such-task', reason: 'task_unknown', message: expect.any(String) },
          { taskId: r.taskId, reason: 'receipt_invalid', message: expect.stringMatching(/does not verify/) },
        ]);
        const acks = (await fed.gateways[B]!.receipts(r.taskId, A))[0]!.statements.filter((st) => st.kind === 'ack');
        expect(acks.map((st) => st.jws).sort()).toEqual([r.receipts.ack!, another].sort());
        // More than 32 riding acks: the call is refused as a whole, and the task never runs.
        const many = Array.from({ length: 33 }, () => ({ task_id: 'no-such-task', ack_statement: 'not.a.statement' }));
        const before = bAgent.runs.n;
        const tooMany = await new Promise<grpc.ServiceError | null>((resolve) =>
          raw.SubmitTask({ task_id: 'too-many-riders', capability: 'patients.count', purpose: 'research', input: Buffer.from('{"condition":"x"}'), salt: 'A'.repeat(22), request_statement: 'a.b.c', acks: many }, { deadline: new Date(Date.now() + 10_000) }, (e) => resolve(e)),
        );
        expect(tooMany?.metadata.get('entente-reason')).toEqual(['request_invalid']);
        expect(tooMany?.details).toContain('at most 32 acks may ride on one SubmitTask (send more with AcknowledgeBatch); this one has 33');
        expect(bAgent.runs.n).toBe(before);
      } finally {
        raw.close();
      }
    });

    it('sends a requester\'s acks on its next SubmitTask to the partner, and reads their outcomes from its answer', async () => {
      const { r, another } = await ackedWithAnother(2);
      // A wait far beyond the test's: the acks can only be answered by riding.
      const client = partnerClient(fed, A, B, { ackRideWaitMs: 600_000 });
      try {
        // Before B has said it takes riding acks, they go alone.
        await expect(client.acknowledgeBatch(B, [{ taskId: r.taskId, ackStatement: r.receipts.ack! }], Date.now() + 5000)).resolves.toEqual([{ taskId: r.taskId }]);
        expect(client.ackRides.sentAlone).toBe(0);
        const outcomes = client.acknowledgeBatch(B, [{ taskId: r.taskId, ackStatement: another }, { taskId: 'no-such-task', ackStatement: another }], Date.now() + 5000);
        const deadline = Date.now() + 5000;
        const carrier = { taskId: 'carries-acks', capability: 'patients.count', purpose: 'research', inputBytes: Buffer.from('{}'), salt: 'A'.repeat(22), requestStatement: 'not.a.statement' };
        await expect(client.submit(B, carrier, deadline)).rejects.toMatchObject({ reason: 'request_invalid' });
        await expect(outcomes).resolves.toEqual([{ taskId: r.taskId }, { taskId: 'no-such-task', reason: 'task_unknown', message: expect.any(String) }]);
        expect([client.ackRides.rode, client.ackRides.sentAlone]).toEqual([2, 0]);
        const acks = (await fed.gateways[B]!.receipts(r.taskId, A))[0]!.statements.filter((st) => st.kind === 'ack');
        expect(acks.map((st) => st.jws)).toContain(another);
      } finally {
        client.close();
      }
    });

    it('refuses a batch of more than 512 acks as a whole, naming the limit, and checks none of them', async () => {
      const client = partnerClient(fed, A, B);
      try {
        const acks = Array.from({ length: 513 }, (_, i) => ({ taskId: `t${i}`, ackStatement: 'not.a.statement' }));
        const err = await client.acknowledgeBatch(B, acks, Date.now() + 5000).catch((e: unknown) => e);
        expect(err).toMatchObject({ reason: 'request_invalid', message: expect.stringMatching(/at most 512 acks in one call; this one has 513/) });
        // 512 is within the limit: each is answered on its own.
        const outcomes = await client.acknowledgeBatch(B, acks.slice(0, 512), Date.now() + 5000);
        expect(outcomes).toHaveLength(512);
        expect(outcomes.every((o) => o.reason === 'task_unknown')).toBe(true);
      } finally {
        client.close();
      }
    });
  });

  describe('bad input', () => {
    it('refuses a call to a partner it does not know with a coded error that a retry cannot fix', async () => {
      const err = await fed.gateways[A]!.call({ partner: 'hospital-z', capability: 'patients.count', purpose: 'research', input: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EntenteError);
      expect(err).toMatchObject({ name: 'TaskError', code: 'partner_unknown', reason: 'partner_unknown', retryable: false });
      expect((err as Error).message).toContain('hospital-z');
    });

    it('refuses input that violates the agent schema with INVALID_ARGUMENT naming the field', async () => {
      const before = bAgent.runs.n;
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x', min_age: 'forty' } });
      expect(r).toMatchObject({ status: 'failed', reason: 'invalid_input' });
      expect(r.message).toContain('min_age');
      expect(bAgent.runs.n).toBe(before);
      await acked(fed.gateways[A]!, B, r.taskId);
      expect((await fed.gateways[B]!.receipts(r.taskId, A))[0]!.verification.state).toBe('verified');
    });

    it('refuses an oversized payload before it leaves, naming the limit', async () => {
      // A's limit is the default 1 MiB; this input passes outbound minimisation intact.
      const big = { condition: 'x'.repeat(1024 * 1024 + 10) };
      await expect(fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: big })).rejects.toMatchObject({
        reason: 'payload_too_large',
      });
    });

    it('has the partner refuse a payload above its own limit with a clear reason', async () => {
      // B accepts 4 KiB; A (1 MiB) lets 8 KiB leave.
      const r = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'y'.repeat(8192) } });
      expect(r).toMatchObject({ status: 'failed', reason: 'payload_too_large' });
      expect(r.message).toMatch(/limit/);
    });
  });
});

/**
 * Task ids are the requester's to choose. One id names one task between two organizations: A
 * may not use, in the other direction, an id B already used with it. (hostile.test shows B's
 * gateway refusing it when A's does not stop it first.)
 */
describe('one task id between two gateways', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agents: [counterAgent([21, 2]).agent], agreements: countAgreements(A, [B]) },
      [B]: { agents: [counterAgent([12, 3]).agent], agreements: countAgreements(B, [A]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  it('is refused in the other direction, before anything is signed, and the first task keeps its own verified triple', async () => {
    const taskId = 'same-id-both-ways';
    const first = await fed.gateways[B]!.call({ partner: A, capability: 'patients.count', purpose: 'research', input: { condition: 'x' }, taskId });
    expect(first).toMatchObject({ status: 'completed', result: { count: 21 } });
    await acked(fed.gateways[B]!, A, taskId);
    const signedBefore = (await fed.gateways[A]!.status()).process.signatures;
    await expect(fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' }, taskId })).rejects.toMatchObject({
      reason: 'task_conflict',
      message: expect.stringContaining(`taskId ${taskId} already names a task ${B} asked of this gateway`),
    });
    expect((await fed.gateways[A]!.status()).process.signatures).toBe(signedBefore);
    for (const [org, partner, role] of [[A, B, 'responder'], [B, A, 'requester']] as const) {
      const receipts = await fed.gateways[org]!.receipts(taskId, partner);
      expect(receipts.map((r) => r.task.role), org).toEqual([role]);
      expect(receipts[0]!.statements.map((st) => st.kind).sort(), org).toEqual(['ack', 'request', 'result']);
      expect(receipts[0]!.verification, org).toEqual({ state: 'verified', problems: [] });
    }
  });
});

describe('batch signatures between real gateways (protocol §5.9)', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B, C]) },
      [B]: { agents: [counterAgent([12, 3]).agent], agreements: countAgreements(B, [A]) },
      // C verifies batches but signs every statement alone.
      [C]: {
        agents: [counterAgent([14, 3]).agent],
        agreements: countAgreements(C, [A]),
        config: { receipts: { signingKey: `certs/${C}/receipt-signing.jwk.json`, batchSignatures: false } },
      },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  const parts = (jws: string | undefined) => jws?.split('.').length;
  /** A first call (each side learns the other verifies batches), then `n` at once. */
  const burst = async (partner: string, n: number) => {
    const a = fed.gateways[A]!;
    const call = () => a.call({ partner, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } });
    await acked(a, partner, (await call()).taskId);
    const results = await Promise.all(Array.from({ length: n }, call));
    expect(results.map((r) => r.status)).toEqual(Array(n).fill('completed'));
    for (const r of results) await acked(a, partner, r.taskId);
    return results;
  };

  it('signs a burst in batches on both sides, and every receipt verifies on both sides', async () => {
    const before = await Promise.all([A, B].map(async (org) => (await fed.gateways[org]!.status()).process));
    const results = await burst(B, 12);
    const after = await Promise.all([A, B].map(async (org) => (await fed.gateways[org]!.status()).process));
    for (const i of [0, 1]) {
      const signatures = after[i]!.signatures - before[i]!.signatures;
      const statements = after[i]!.statementsSigned - before[i]!.statementsSigned;
      // A signs 13 requests and 13 acks, B 13 results; fewer signatures than statements.
      expect(statements, [A, B][i]).toBe(i === 0 ? 26 : 13);
      expect(signatures, [A, B][i]).toBeLessThan(statements);
    }
    const forms = { request: new Set<number>(), result: new Set<number>(), ack: new Set<number>() };
    for (const r of results) {
      for (const [org, partner] of [[A, B], [B, A]] as const) {
        const [receipts] = await fed.gateways[org]!.receipts(r.taskId, partner);
        expect(receipts!.verification, `${org} ${r.taskId}`).toEqual({ state: 'verified', problems: [] });
        for (const s of receipts!.statements) forms[s.kind as keyof typeof forms].add(parts(s.jws)!);
      }
    }
    expect(forms.request.has(6) && forms.result.has(6) && forms.ack.has(6)).toBe(true);
  });

  it('has batched request, result and ack statements that standard tools verify: the batch JWS with jose under the signer\'s published key, the proof by RFC 9162', async () => {
    const results = await burst(B, 12);
    const batched = { request: 0, result: 0, ack: 0 };
    for (const r of results) {
      const [atB] = await fed.gateways[B]!.receipts(r.taskId, A);
      const held = Object.fromEntries(atB!.statements.map((s) => [s.kind, s.jws]));
      // What B holds is what A got.
      expect(held).toEqual(r.receipts);
      for (const kind of ['request', 'result', 'ack'] as const) {
        const jws = r.receipts[kind]!;
        const keys = publishedKeys(fed, signerOf(kind, A, B));
        const six = parts(jws) === 6;
        const verified = six ? await joseVerifyBatched(jws, keys) : await joseVerify(jws, keys);
        if (six) {
          batched[kind]++;
          // The check can fail: another statement, or a proof with one bit changed, does not reach the root.
          const [h, p, proof] = jws.split('.') as [string, string, string];
          const { root, size } = verified as Awaited<ReturnType<typeof joseVerifyBatched>>;
          const other = Buffer.from(JSON.stringify({ ...verified.statement, task_id: `${r.taskId}-other` })).toString('base64url');
          expect(rootOf(`${h}.${other}`, Buffer.from(proof, 'base64url'), size)).not.toBe(root);
          const flipped = Buffer.from(proof, 'base64url');
          flipped.writeUInt8(flipped.readUInt8(flipped.length - 1) ^ 1, flipped.length - 1);
          expect(rootOf(`${h}.${p}`, flipped, size)).not.toBe(root);
        }
        expect(verified.header.typ).toBe(`entente-${kind}+jws`);
        expect(verified.statement).toMatchObject({ kind, task_id: r.taskId, from: signerOf(kind, A, B), to: signerOf(kind, B, A) });
      }
    }
    // Part of a burst of 12 is signed in batches, of every kind.
    expect(batched.request, 'batched requests').toBeGreaterThan(0);
    expect(batched.result, 'batched results').toBeGreaterThan(0);
    expect(batched.ack, 'batched acks').toBeGreaterThan(0);
  });

  it('signs alone at a gateway with receipts.batchSignatures: false, and still takes its partner\'s batches', async () => {
    const results = await burst(C, 8);
    const requests = new Set<number>();
    for (const r of results) {
      expect(parts(r.receipts.result)).toBe(3);
      const [receipts] = await fed.gateways[C]!.receipts(r.taskId, A);
      expect(receipts!.verification).toEqual({ state: 'verified', problems: [] });
      requests.add(parts(receipts!.statements.find((s) => s.kind === 'request')!.jws)!);
    }
    expect(requests.has(6)).toBe(true);
  });

  it('takes receipts.batchSignatures from a reload, either way', async () => {
    const c = fed.gateways[C]!;
    const resultForms = async () => new Set((await burst(C, 8)).map((r) => parts(r.receipts.result)));
    const running = fed.config(C);
    c.reload({ ...running, receipts: { ...running.receipts, batchSignatures: true } });
    expect(await resultForms()).toContain(6);
    c.reload({ ...running, receipts: { ...running.receipts, batchSignatures: false } });
    expect(await resultForms()).toEqual(new Set([3]));
  });
});
