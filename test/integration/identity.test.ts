import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseDocument } from 'yaml';
import { defineAgent } from '@entente/sdk';
import { signRequest } from '../../gateway/src/audit/index.js';
import { newSalt, saltedDigest, type SigningKey } from '../../gateway/src/crypto/index.js';
import { FederationClients } from '../../gateway/src/federation/index.js';
import type { FederationClient } from '../../gateway/src/generated/entente/federation/v1/Federation.js';
import type { Task__Output } from '../../gateway/src/generated/entente/federation/v1/Task.js';
import { federationProto } from '../../gateway/src/lib/index.js';
import { createLogger } from '../../gateway/src/observability/index.js';
import { createOrgCa, issueGatewayCert, PKI_FILES, TrustStore } from '../../gateway/src/pki/index.js';
import { loadConfig } from '../../gateway/src/config/index.js';
import { countAgreements, orgFile, receiptKeyOf, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const C = 'hospital-c';
const DAY = 24 * 3600 * 1000;

describe('who may call a gateway: identity from the verified certificate only', () => {
  let fed: TestFederation;
  const runs = { n: 0 };
  const agent = defineAgent({
    name: 'counter',
    capabilities: ['patients.count'],
    input: z.object({ condition: z.string() }),
    output: z.object({ count: z.number() }),
    handler: () => {
      runs.n++;
      return { count: 42 };
    },
  });

  /** A client of A's federation service with B's own gateway certificate, built from the .proto alone. */
  let asB: FederationClient;

  beforeAll(async () => {
    // A has agreed with both B and C: had A believed a request statement saying it is C's, it would have served C.
    fed = await startFederation({
      [A]: { agents: [agent], agreements: countAgreements(A, [B, C]) },
      [B]: { agreements: countAgreements(B, [A, C]) },
      [C]: { agreements: countAgreements(C, [A, B]) },
    });
    const pem = (org: string, file: string) => orgFile(fed, org, file);
    const Ctor = federationProto().entente.federation.v1.Federation;
    asB = new Ctor(`localhost:${fed.ports[A]}`, grpc.credentials.createSsl(pem(A, PKI_FILES.ca), pem(B, PKI_FILES.key), pem(B, PKI_FILES.cert)));
  });
  afterAll(async () => {
    asB?.close();
    await fed?.stop();
  });

  /** A client of A's federation service presenting the given certificate. */
  function clientWith(cert: { certPem: string; keyPem: string }) {
    const aCa = readFileSync(join(fed.certsDir, A, 'ca.pem'), 'utf8');
    return new FederationClients({
      partners: [{ org: A, address: `127.0.0.1:${fed.ports[A]}` }],
      certPem: cert.certPem,
      keyPem: cert.keyPem,
      trust: () => new TrustStore([{ org: A, caPem: aCa }]),
      maxPayloadBytes: 1 << 20,
      maxInFlightPerPartner: 4,
      log: createLogger({ level: 'silent' }),
    });
  }

  function caOf(org: string) {
    return {
      certPem: readFileSync(join(fed.certsDir, org, 'ca.pem'), 'utf8'),
      keyPem: readFileSync(join(fed.certsDir, org, 'ca.key.pem'), 'utf8'),
    };
  }

  async function expectRefused(cert: { certPem: string; keyPem: string }, reasons: string[]) {
    const client = clientWith(cert);
    const before = runs.n;
    try {
      await expect(client.getCard(A, Date.now() + 3000)).rejects.toSatisfy((e: { reason: string }) => reasons.includes(e.reason));
      await expect(
        client.submit(
          A,
          {
            taskId: `attack-${Math.random().toString(36).slice(2)}`,
            capability: 'patients.count',
            purpose: 'research',
            inputBytes: Buffer.from('{"condition":"x"}'),
            salt: 'AAAAAAAAAAAAAAAAAAAAAA',
            requestStatement: 'x.y.z',
          },
          Date.now() + 3000,
        ),
      ).rejects.toSatisfy((e: { reason: string }) => reasons.includes(e.reason));
    } finally {
      client.close();
    }
    expect(runs.n).toBe(before);
  }

  it('accepts a genuine partner certificate (control case)', async () => {
    const b = {
      certPem: readFileSync(join(fed.certsDir, B, 'gateway.pem'), 'utf8'),
      keyPem: readFileSync(join(fed.certsDir, B, 'gateway.key.pem'), 'utf8'),
    };
    const client = clientWith(b);
    try {
      const card = await client.getCard(A, Date.now() + 3000);
      expect(card.org).toBe(A);
      expect(card.capabilities.map((c) => c.name)).toEqual(['patients.count']);
    } finally {
      client.close();
    }
  });

  it('refuses a certificate from an unknown CA at the TLS layer', async () => {
    const stranger = createOrgCa('stranger');
    await expectRefused(issueGatewayCert(stranger, 'stranger'), ['partner_unavailable', 'peer_unauthenticated']);
  });

  it("refuses a certificate from B's CA claiming to be C", async () => {
    await expectRefused(issueGatewayCert(caOf(B), C), ['peer_unauthenticated']);
  });

  it('refuses an expired certificate', async () => {
    const now = Date.now();
    const expired = issueGatewayCert(caOf(B), B, { notBefore: new Date(now - 10 * DAY), notAfter: new Date(now - DAY) });
    await expectRefused(expired, ['partner_unavailable', 'peer_unauthenticated']);
  });

  it('refuses a not-yet-valid certificate', async () => {
    const now = Date.now();
    const early = issueGatewayCert(caOf(B), B, { notBefore: new Date(now + DAY), notAfter: new Date(now + 10 * DAY) });
    await expectRefused(early, ['partner_unavailable', 'peer_unauthenticated']);
  });

  it('refuses a deny-listed certificate after a reload, without a restart', async () => {
    const revoked = issueGatewayCert(caOf(B), B);
    // Before the deny-list: accepted.
    const ok = clientWith(revoked);
    await expect(ok.getCard(A, Date.now() + 3000)).resolves.toMatchObject({ org: A });
    ok.close();
    const path = fed.configPaths[A]!;
    const doc = parseDocument(readFileSync(path, 'utf8'));
    const partners = doc.get('partners') as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
    const entry = partners.items.find((p) => p.get('org') === B)!;
    entry.set('revoked', { serials: [revoked.serial] });
    writeFileSync(path, doc.toString());
    fed.gateways[A]!.reload(loadConfig(path));
    await expectRefused(revoked, ['peer_unauthenticated']);
  });

  // The request statement cannot speak for anyone but the caller its certificate proves: B,
  // correctly certified, submits to A a task whose request statement says it is C's. A refuses it
  // before claiming the task id: its agent does not run and it stores nothing for the task.

  /** SubmitTask over B's connection, with a request statement `signer` signs saying it is `from`'s. */
  const submitAsB = (taskId: string, signer: SigningKey, from: string) => {
    const salt = newSalt();
    const now = Math.floor(Date.now() / 1000);
    const input = { condition: 'asthma' };
    const statement = signRequest(signer, {
      task_id: taskId, from, to: A, capability: 'patients.count', purpose: 'research',
      input_digest: saltedDigest(salt, input), iat: now, exp: now + 60, outbound: { decision_id: 'd', policy_revision: 'r' },
    });
    return new Promise<{ err: grpc.ServiceError | null; task?: Task__Output }>((resolve) =>
      asB.SubmitTask(
        { task_id: taskId, capability: 'patients.count', purpose: 'research', input: Buffer.from(JSON.stringify(input)), salt, request_statement: statement.jws },
        { deadline: new Date(Date.now() + 10_000) },
        (err, task) => resolve({ err, ...(task !== undefined ? { task } : {}) }),
      ),
    );
  };
  /** What `org`'s gateway holds under a task id: task rows (any partner, either role) and statements in its log. */
  const heldAt = async (org: string, taskId: string) => ({
    tasks: (await fed.gateways[org]!.listTasks({ taskId })).map((t) => ({ role: t.role, peerOrg: t.peerOrg, status: t.status })),
    receipts: (await fed.gateways[org]!.receipts(taskId)).length,
    statements: (await fed.gateways[org]!.exportAudit()).statements.filter((s) => s.task_id === taskId).map((s) => `${s.kind} by ${s.signer}`),
  });
  const nothing = { tasks: [], receipts: 0, statements: [] };

  it('serves B when the statement is B\'s own (control case: the same submission, honestly signed)', async () => {
    const before = runs.n;
    const { err, task } = await submitAsB('honest-b', receiptKeyOf(fed, B), B);
    expect(err).toBeNull();
    expect(task).toMatchObject({ task_id: 'honest-b', status: 'TASK_STATUS_COMPLETED' });
    expect(JSON.parse(task!.result.toString('utf8'))).toEqual({ count: 42 });
    expect(runs.n).toBe(before + 1);
    expect(await heldAt(A, 'honest-b')).toEqual({
      tasks: [{ role: 'responder', peerOrg: B, status: 'completed' }],
      receipts: 1,
      statements: [`request by ${B}`, `result by ${A}`],
    });
  });

  it('refuses a statement signed with B\'s key that says it is from C (request_invalid, RECEIPT_WRONG_SIGNER); nothing runs or is stored', async () => {
    const before = runs.n;
    const { err } = await submitAsB('b-says-it-is-c', receiptKeyOf(fed, B), C);
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err?.metadata.get('entente-reason')).toEqual(['request_invalid']);
    expect(err?.details).toBe(`request_invalid: the request statement does not verify (RECEIPT_WRONG_SIGNER): request statement says it is from ${C} but is signed by ${B}`);
    // No result statement: the task was never claimed.
    expect(err?.metadata.get('entente-result-statement')).toEqual([]);
    expect(runs.n).toBe(before);
    expect(await heldAt(A, 'b-says-it-is-c')).toEqual(nothing);
    expect(await heldAt(C, 'b-says-it-is-c')).toEqual(nothing);
  });

  it('refuses a statement signed with C\'s own receipt key and saying it is from C, sent over B\'s connection (request_invalid, RECEIPT_WRONG_SIGNER); nothing runs or is stored', async () => {
    const before = runs.n;
    const cKey = receiptKeyOf(fed, C);
    const { err } = await submitAsB('c-key-on-b-line', cKey, C);
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err?.metadata.get('entente-reason')).toEqual(['request_invalid']);
    expect(err?.details).toBe(`request_invalid: the request statement does not verify (RECEIPT_WRONG_SIGNER): request statement: signed with ${C}'s key ${cKey.kid}, expected ${B}'s`);
    expect(err?.metadata.get('entente-result-statement')).toEqual([]);
    expect(runs.n).toBe(before);
    expect(await heldAt(A, 'c-key-on-b-line')).toEqual(nothing);
    expect(await heldAt(C, 'c-key-on-b-line')).toEqual(nothing);
  });
});
