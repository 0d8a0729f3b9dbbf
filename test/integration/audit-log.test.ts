import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafHash, openCheckpoint, parseVkey, reconcileBundles, verifyBundle, type AuditBundle } from '../../gateway/src/audit/index.js';
import { SigningKey } from '../../gateway/src/crypto/index.js';
import { generateReceiptKey } from '../../gateway/src/pki/index.js';
import { Gateway } from '../../gateway/src/gateway.js';
import { createLogger } from '../../gateway/src/observability/index.js';
import { cohortCounter, countAgreements, partnerClient, startFederation, type TestFederation } from '../support/federation.js';

const A = 'clinic-a';
const B = 'lab-b';

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ask = (fed: TestFederation) => fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } });

describe('the audit log across two gateways', () => {
  let fed: TestFederation;

  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B]) },
      [B]: { agents: [cohortCounter(9)], agreements: countAgreements(B, [A]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  it('each side witnesses the other: it holds the partner\u2019s latest checkpoint and the partner collects its cosignatures', async () => {
    for (let i = 0; i < 3; i++) expect((await ask(fed)).status).toBe('completed');
    const a = fed.gateways[A]!;
    const b = fed.gateways[B]!;
    // Three statements a task on each side, and each side checked the other's checkpoints.
    const bStatus = await until('A to witness B\u2019s whole log', async () => {
      const [sa, sb] = [await a.logStatus(), await b.logStatus()];
      return sa.witnessed.find((w) => w.partner === B)?.size === sb.size && sb.size === 9 ? sb : undefined;
    });
    expect(bStatus.witnessed.find((w) => w.partner === A)?.size).toBe(9);
    // Our checkpoints are offered for cosigning every second.
    const cosigned = await until('B to cosign A\u2019s checkpoint', async () => ((await a.logStatus()).cosignedBy[B] === 9 ? true : undefined));
    expect(cosigned).toBe(true);
    // GetCheckpoint and the proofs, as a partner (or an auditor with a partner certificate) asks for them.
    const client = partnerClient(fed, A, B);
    try {
      const cp = openCheckpoint(await client.getCheckpoint(B, Date.now() + 5000), parseVkey(bStatus.logKey));
      expect(cp.size).toBe(9n);
      expect(cp.origin).toBe(`entente/${B}`);
      const proof = await client.getConsistencyProof(B, 4n, 9n, Date.now() + 5000);
      expect(proof.length).toBeGreaterThan(0);
      await expect(client.getInclusionProof(B, 9n, 9n, Date.now() + 5000)).rejects.toMatchObject({ reason: 'log_range' });
    } finally {
      client.close();
    }
    expect((await a.logStatus()).alarmCount).toBe(0);
  });

  describe('bundles a compliance officer checks offline', () => {
    let bundleA: AuditBundle;
    let bundleB: AuditBundle;
    const clone = (b: AuditBundle): AuditBundle => structuredClone(b);
    const codes = (r: { findings: readonly { code: string; taskId?: string }[] }) => r.findings.map((f) => `${f.code} ${f.taskId ?? ''}`.trim());

    beforeAll(async () => {
      bundleA = JSON.parse(JSON.stringify(await fed.gateways[A]!.exportAudit()));
      bundleB = JSON.parse(JSON.stringify(await fed.gateways[B]!.exportAudit()));
    });

    it('verify on their own and reconcile with each other when nothing was tampered with', () => {
      const ra = verifyBundle(bundleA);
      expect(ra.findings).toEqual([]);
      expect(ra).toMatchObject({ ok: true, org: A, tasks: 3, statements: 9 });
      expect(ra.cosignedBy[B]).toBeDefined();
      // The policy revisions the statements cite travel with their files, for replay.
      expect(bundleA.policy_revisions.length).toBeGreaterThan(0);
      expect(bundleA.policy_revisions[0]).toMatchObject({ revision: expect.stringMatching(/^sha256:/), content: { engine: 'rego', files: expect.arrayContaining([expect.objectContaining({ path: 'data.json' })]) } });
      expect(verifyBundle(bundleB).ok).toBe(true);
      const r = reconcileBundles(bundleA, bundleB);
      expect(r.findings).toEqual([]);
      expect(r).toMatchObject({ ok: true, tasks: { matched: 3, onlyFirst: 0, onlySecond: 0 } });
    });

    it('report a deleted statement with its task id', () => {
      const b = clone(bundleA);
      const gone = b.statements.findIndex((s) => s.kind === 'result');
      const taskId = b.statements[gone]!.task_id;
      b.statements.splice(gone, 1);
      expect(codes(verifyBundle(b))).toEqual([`RECEIPT_MISSING ${taskId}`]);
      expect(codes(reconcileBundles(b, bundleB))).toContain(`STATEMENT_ONE_SIDED ${taskId}`);
    });

    it('report a task whose every statement was removed, from the task list it still appears in', () => {
      const b = clone(bundleA);
      const taskId = b.tasks[0]!.task_id;
      b.statements = b.statements.filter((x) => x.task_id !== taskId);
      expect(codes(verifyBundle(b))).toEqual([`RECEIPT_MISSING ${taskId}`]);
    });

    it('report a modified statement with its task id: not in the log, and its signature fails', () => {
      const b = clone(bundleA);
      const s = b.statements.find((x) => x.kind === 'request')!;
      const [h, p, sig] = s.jws.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      s.jws = [h, Buffer.from(JSON.stringify({ ...payload, purpose: 'marketing' })).toString('base64url'), sig].join('.');
      const found = codes(verifyBundle(b));
      expect(found).toContain(`LOG_PROOF_INVALID ${s.task_id}`);
      expect(found).toContain(`RECEIPT_INVALID ${s.task_id}`);
      expect(codes(reconcileBundles(b, bundleB))).toContain(`STATEMENT_DIFFERS ${s.task_id}`);
    });

    it('report a statement re-signed with a key nobody published, and one signed outside its key\u2019s validity', () => {
      const b = clone(bundleA);
      const s = b.statements.find((x) => x.kind === 'ack')!;
      const payload = JSON.parse(Buffer.from(s.jws.split('.')[1]!, 'base64url').toString()) as object;
      s.jws = SigningKey.fromJwk(generateReceiptKey().privateJwk).signCompact(payload, 'entente-ack+jws');
      expect(verifyBundle(b).findings).toContainEqual(expect.objectContaining({ code: 'RECEIPT_INVALID', taskId: s.task_id, subject: 'RECEIPT_UNKNOWN_KEY' }));
      // The receipt key of A retired before the statements were signed.
      const retired = clone(bundleA);
      retired.keys[A]!.receipt[0]!.valid_until = '2020-01-01T00:00:00.000Z';
      const findings = verifyBundle(retired).findings.filter((f) => f.code === 'RECEIPT_KEY_NOT_VALID');
      expect(new Set(findings.map((f) => f.taskId)).size).toBe(3);
      expect(findings[0]!.message).toMatch(/until 2020-01-01/);
    });

    it('report a missing ack as unacknowledged on one side and one-sided across the two', () => {
      const b = clone(bundleB);
      const gone = b.statements.findIndex((s) => s.kind === 'ack');
      const taskId = b.statements[gone]!.task_id;
      b.statements.splice(gone, 1);
      expect(codes(verifyBundle(b))).toEqual([`RECEIPT_UNACKNOWLEDGED ${taskId}`]);
      const r = reconcileBundles(bundleA, b);
      expect(r.findings).toContainEqual(expect.objectContaining({ code: 'STATEMENT_ONE_SIDED', taskId, message: expect.stringMatching(/never acknowledged at lab-b/) }));
    });

    it('refuse a bundle that is not one, saying where', () => {
      const r = verifyBundle({ ...bundleA, format: 'something/v2' });
      expect(r).toMatchObject({ ok: false, findings: [expect.objectContaining({ code: 'BUNDLE_MALFORMED', message: expect.stringMatching(/^format/) })] });
    });
  });

  it('catches a partner that rewrote its log on the next exchange, and keeps the evidence', async () => {
    const a = fed.gateways[A]!;
    const heldBefore = (await a.logStatus()).witnessed.find((w) => w.partner === B)!.size;
    expect(heldBefore).toBeGreaterThan(0);
    // B's operator stops B and rewrites its history: one result statement replaced (with its
    // leaf hash, so B's own tree is self-consistent), B's own checkpoints thrown away.
    await fed.gateways[B]!.stop(500);
    const db = new Database(join(fed.config(B).dataDir, 'entente.db'));
    db.exec('DROP TRIGGER statements_no_update');
    const forged = 'eyJhbGciOiJFUzI1NiJ9.e30.forged';
    db.prepare('UPDATE statements SET jws = ?, leaf_hash = ? WHERE log_index = 1').run(forged, leafHash(forged));
    db.exec('DELETE FROM log_checkpoints; DELETE FROM log_cosignatures');
    db.close();
    const restarted = Gateway.create({ config: fed.config(B), agents: [cohortCounter(9)], logger: createLogger({ org: B, level: 'silent' }) });
    fed.gateways[B] = restarted;
    await restarted.start();

    expect((await ask(fed)).status).toBe('completed');
    const status = await until('A to raise an alarm', async () => {
      const s = await a.logStatus();
      return s.alarmCount > 0 ? s : undefined;
    });
    expect(status.alarms[0]).toMatchObject({ partner: B, code: 'LOG_INCONSISTENT' });
    expect(fed.logs[A]!.some((l) => l.level === 50 && String(l.msg).startsWith('ALARM'))).toBe(true);
    // What A holds of B is not moved by the rewritten log.
    expect((await a.logStatus()).witnessed.find((w) => w.partner === B)!.size).toBe(heldBefore);
    // Offline, the two exports do not reconcile: what A witnessed is not B's history. B's own
    // bundle shows the forged statement; A's reports the alarm.
    const [ea, eb] = [JSON.parse(JSON.stringify(await a.exportAudit())), JSON.parse(JSON.stringify(await restarted.exportAudit()))];
    expect(verifyBundle(eb).findings).toContainEqual(expect.objectContaining({ code: 'RECEIPT_INVALID' }));
    expect(verifyBundle(ea).findings).toContainEqual(expect.objectContaining({ code: 'ALARM', partner: B }));
    const r = reconcileBundles(ea, eb);
    expect(r.findings).toContainEqual(expect.objectContaining({ code: 'LOG_INCONSISTENT', partner: B, message: expect.stringMatching(/rewritten/) }));
  });
});
