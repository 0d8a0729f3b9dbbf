import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBatch, verifyBundle, type AuditBundle } from '../../gateway/src/audit/index.js';
import { SigningKey } from '../../gateway/src/crypto/index.js';
import { acked, cohortCounter, countAgreements, REPO, startFederation, type TestFederation } from '../support/federation.js';

const A = 'clinic-a';
const B = 'lab-b';
const run = promisify(execFile);

/**
 * A second implementation proves the format: examples/audit-verify/verify.py, written from
 * docs/audit.md with Debian's python3-jwcrypto and python3-cryptography and nothing of
 * Entente's, checks the bundles two real gateways export, and rejects tampered copies naming
 * what was tampered with.
 */
describe('the Python audit bundle verifier (examples/audit-verify)', () => {
  // Debian's packages are in the system python; a pyenv python3 on PATH would not have them.
  const python = '/usr/bin/python3';
  const script = join(REPO, 'examples/audit-verify/verify.py');
  const hasPackages = (() => {
    try {
      execFileSync(python, ['-c', 'import jwcrypto, cryptography'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasPackages && process.env['ENTENTE_REQUIRE_STOCK_CLIENTS'] === '1') {
    it('has python3-jwcrypto and python3-cryptography installed (CI requires them)', () => {
      expect.fail('python3-jwcrypto or python3-cryptography is missing: apt-get install python3-jwcrypto python3-cryptography');
    });
  }

  let fed: TestFederation;
  const bundles: Record<string, AuditBundle> = {};
  let denied = '';

  /** Writes `bundle` to a file and runs the verifier on it: its exit status and output. */
  const verify = async (name: string, bundle: unknown): Promise<{ code: number; stdout: string; stderr: string }> => {
    const file = join(fed.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(bundle, null, 2));
    try {
      const { stdout, stderr } = await run(python, [script, file], { timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw err;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  const clone = (b: AuditBundle): AuditBundle => structuredClone(b);
  /** `entente audit verify` of a bundle `verify` wrote, as an operator runs it: exit status and output. */
  const auditVerify = async (name: string): Promise<{ code: number; stdout: string }> => {
    const cli = [process.execPath, ['--import', import.meta.resolve('tsx'), join(REPO, 'gateway/src/cli/main.ts'), 'audit', 'verify', join(fed.dir, `${name}.json`)]] as const;
    try {
      return { code: 0, stdout: (await run(cli[0], cli[1], { timeout: 60_000 })).stdout };
    } catch (err) {
      const e = err as { code?: unknown; stdout?: string };
      if (typeof e.code !== 'number') throw err;
      return { code: e.code, stdout: e.stdout ?? '' };
    }
  };

  beforeAll(async () => {
    if (!hasPackages) return;
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B]) },
      [B]: { agents: [cohortCounter(9)], agreements: countAgreements(B, [A]) },
    });
    const a = fed.gateways[A]!;
    const b = fed.gateways[B]!;
    const ask = async (purpose: string) => {
      const r = await a.call({ partner: B, capability: 'patients.count', purpose, input: { condition: 'asthma' } });
      if (r.status !== 'denied') await acked(a, B, r.taskId);
      return r;
    };
    expect((await ask('research')).status).toBe('completed');
    // A's own outbound policy allows only research: a local denial, signed by A alone, no ack.
    const refused = await ask('marketing');
    expect(refused).toMatchObject({ status: 'denied', reason: 'outbound_denied' });
    denied = refused.taskId;
    expect((await ask('research')).status).toBe('completed');
    // A workflow run at A with a step at B: its run statements are in A's log, citing the task.
    const runId = await a.startRun({ name: 'one-count', steps: [{ id: 'b', capability: 'patients.count', at: B, purpose: 'research', input: 'input' }], output: 'steps.b.output' }, { condition: 'flu' });
    expect((await a.waitRun(runId)).finished).toMatchObject({ status: 'completed' });
    await acked(a, B, `${runId}.b.1`);
    // Six calls at once, now that each side knows the other verifies batches: their requests,
    // results and acks are signed in batches (protocol.md §5.9).
    const burst = await Promise.all(Array.from({ length: 6 }, () => ask('research')));
    expect(burst.map((r) => r.status)).toEqual(Array(6).fill('completed'));
    // Wait until each side cosigned the other's whole log, so the heads carry cosignatures.
    const end = Date.now() + 10_000;
    for (;;) {
      const [sa, sb] = [await a.logStatus(), await b.logStatus()];
      if (sa.cosignedBy[B] === sa.size && sb.cosignedBy[A] === sb.size) break;
      if (Date.now() > end) throw new Error('timed out waiting for the partners to cosign each other\u2019s logs');
      await new Promise((r) => setTimeout(r, 100));
    }
    bundles[A] = JSON.parse(JSON.stringify(await a.exportAudit())) as AuditBundle;
    bundles[B] = JSON.parse(JSON.stringify(await b.exportAudit())) as AuditBundle;
  }, 60_000);
  afterAll(async () => {
    await fed?.stop();
  });

  it.skipIf(!hasPackages)('accepts both clean bundles (exit 0), as the TypeScript verifier does', async () => {
    const ra = await verify('clean-a', bundles[A]);
    expect(ra).toMatchObject({ code: 0, stderr: '' });
    expect(ra.stdout).toMatch(/^OK: the bundle of clinic-a verifies: 10 tasks, 33 statements in a log of 33 leaves; checkpoints cosigned by lab-b \(up to size 33\)$/m);
    expect(ra.stdout.trim().split('\n')).toHaveLength(1);
    // The local denial is in A's bundle: request and result, both signed by A, and no ack.
    expect(bundles[A]!.statements.filter((s) => s.task_id === denied).map((s) => `${s.kind} ${s.signer}`)).toEqual([`request ${A}`, `result ${A}`]);

    const rb = await verify('clean-b', bundles[B]);
    expect(rb).toMatchObject({ code: 0, stderr: '' });
    expect(rb.stdout).toMatch(/^OK: the bundle of lab-b verifies: 9 tasks, 27 statements in a log of 27 leaves; checkpoints cosigned by clinic-a \(up to size 27\)$/m);
    expect(verifyBundle(bundles[A]).ok).toBe(true);
    expect(verifyBundle(bundles[B]).ok).toBe(true);
  });

  it.skipIf(!hasPackages)('rejects a statement whose payload was modified: not in the log, and its signature fails', async () => {
    for (const org of [A, B]) {
      const b = clone(bundles[org]!);
      const s = b.statements.find((x) => x.kind === 'request')!;
      const [h, p, sig] = s.jws.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      // Still canonical JSON (members in order), so only the signature and the log give it away.
      const changed = Object.fromEntries(Object.entries({ ...payload, purpose: 'marketing' }).sort(([x], [y]) => (x < y ? -1 : 1)));
      s.jws = [h, Buffer.from(JSON.stringify(changed)).toString('base64url'), sig].join('.');
      const r = await verify(`modified-${org}`, b);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`task ${s.task_id}: request statement: the inclusion proof of index ${s.index} does not lead to the head's root`);
      expect(r.stdout).toMatch(new RegExp(`^task ${s.task_id}: request statement: the signature does not verify`, 'm'));
      expect(r.stdout).toMatch(/^FAILED: \d+ problem\(s\)/m);
    }
  });

  it.skipIf(!hasPackages)('accepts statements signed in batches, and rejects one moved to another leaf of its batch', async () => {
    for (const org of [A, B]) {
      const batched = bundles[org]!.statements.filter((s) => s.jws.split('.').length === 6);
      // Requests and acks by A, results by B: every kind of statement a partner receives.
      expect(new Set(batched.map((s) => s.kind))).toEqual(new Set(['request', 'result', 'ack']));
      const b = clone(bundles[org]!);
      const target = b.statements.find((s) => s.kind === 'result' && s.jws.split('.').length === 6)!;
      const parts = target.jws.split('.');
      const proof = Buffer.from(parts[2]!, 'base64url');
      proof.writeUInt32BE(proof.readUInt32BE(0) ^ 1, 0);
      parts[2] = proof.toString('base64url');
      target.jws = parts.join('.');
      const r = await verify(`batch-leaf-${org}`, b);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^task ${target.task_id}: result statement: the statement is not in the batch signed with key \\S+ of lab-b$`, 'm'));
      expect(verifyBundle(b).ok).toBe(false);
      // The operator's own tool agrees on both, through the CLI.
      await verify(`batched-${org}`, bundles[org]);
      expect(await auditVerify(`batched-${org}`)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^verified: every signature, proof and chain holds$/m) });
      const moved = await auditVerify(`batch-leaf-${org}`);
      expect(moved.code).toBe(5);
      expect(moved.stdout).toContain(`(task ${target.task_id})`);
    }
  });

  it.skipIf(!hasPackages)("does not take a batch the exporter signed as its partner's, under a key id both use", async () => {
    // The exporter lists a key of its own under the partner's kid and signs one batch holding
    // its own request and a result in the partner's name: the batch verifies with the
    // exporter's key, and must not then stand for the partner's.
    const b = clone(bundles[A]!);
    const genuine = b.keys[B]!.receipt[0]!.jwk as { kid: string };
    const evil = SigningKey.fromJwk({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: genuine.kid });
    b.keys[A]!.receipt.push({ jwk: evil.publicJwk as never, valid_from: null, valid_until: null });
    const task = b.tasks.find((t) => t.status === 'completed')!;
    const mine = b.statements.find((x) => x.task_id === task.task_id && x.kind === 'request')!;
    const theirs = b.statements.find((x) => x.task_id === task.task_id && x.kind === 'result')!;
    const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as object;
    const [request, result] = signBatch(evil, [evil.signingInput(payloadOf(mine.jws), 'entente-request+jws'), evil.signingInput(payloadOf(theirs.jws), 'entente-result+jws')]);
    mine.jws = request!;
    theirs.jws = result!;
    const r = await verify('batch-kid-a', b);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`task ${task.task_id}: result statement: the signature does not verify with key ${genuine.kid} of ${B} (batch)`);
    expect(r.stdout).not.toMatch(new RegExp(`task ${task.task_id}: request statement: the signature`));
    expect(verifyBundle(b).ok).toBe(false);
  });

  it.skipIf(!hasPackages)('rejects a bundle from which a result statement was deleted', async () => {
    for (const org of [A, B]) {
      const b = clone(bundles[org]!);
      const gone = b.statements.findIndex((s) => s.kind === 'result' && s.task_id !== denied);
      const taskId = b.statements[gone]!.task_id;
      b.statements.splice(gone, 1);
      const r = await verify(`deleted-${org}`, b);
      expect(r.code).toBe(1);
      expect(r.stdout.trim().split('\n')).toEqual([`task ${taskId}: no valid result statement for a completed task (removed or invalid)`, expect.stringMatching(/^FAILED: 1 problem/)]);
    }
  });

  it.skipIf(!hasPackages)('rejects a flipped byte in an inclusion proof', async () => {
    const b = clone(bundles[A]!);
    const s = b.statements.find((x) => x.kind === 'ack')!;
    const hash = Buffer.from(s.inclusion[0]!, 'base64');
    hash[7]! ^= 0x01;
    s.inclusion[0] = hash.toString('base64');
    const r = await verify('inclusion-a', b);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`task ${s.task_id}: ack statement: the inclusion proof of index ${s.index} does not lead to the head's root`);
  });

  it.skipIf(!hasPackages)('rejects a forged cosignature line: a checkpoint the partner never cosigned claiming its cosignature', async () => {
    const b = clone(bundles[A]!);
    const line = b.log.head.split('\n').find((l) => l.startsWith(`\u2014 entente/${B} `))!;
    expect(line).toBeDefined();
    // The partner's real cosignature of the head, copied onto an earlier checkpoint: the right
    // name and key ID, so it must verify, and it does not.
    const cp = b.log.checkpoints.find((c) => !c.note.includes(`\u2014 entente/${B} `))!;
    const size = cp.note.split('\n')[1];
    cp.note += `${line}\n`;
    const r = await verify('cosignature-a', b);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^checkpoint ${size}: cosignature of lab-b \\(time \\d+\\) does not verify$`, 'm'));
    // And one whose signature bytes were altered on the head itself.
    const head = clone(bundles[B]!);
    head.log.head = head.log.head.replace(/(\u2014 entente\/clinic-a )(\S+)/, (_, name: string, sig: string) => {
      const raw = Buffer.from(sig, 'base64');
      raw[40]! ^= 0x80;
      return name + raw.toString('base64');
    });
    const rh = await verify('cosignature-b', head);
    expect(rh.code).toBe(1);
    expect(rh.stdout).toMatch(/^head: cosignature of clinic-a \(time \d+\) does not verify$/m);
  });

  it.skipIf(!hasPackages)('rejects a task whose statements are all gone while the bundle still lists it', async () => {
    const b = clone(bundles[B]!);
    const taskId = b.tasks[0]!.task_id;
    b.statements = b.statements.filter((s) => s.task_id !== taskId);
    const r = await verify('wholetask-b', b);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`task ${taskId}: no valid request statement (removed or invalid)`);
  });

  it.skipIf(!hasPackages)('exits 2 on a usage error', async () => {
    await expect(run(python, [script], { timeout: 30_000 })).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/usage: verify\.py <bundle\.json>/) });
  });
});
