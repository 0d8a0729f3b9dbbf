import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../gateway/src/config/index.js';
import { inspectCompactJws } from '../../gateway/src/crypto/index.js';
import { openSqliteStore } from '../../gateway/src/store/index.js';
import { cohortCounter, countAgreements, REPO, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const run = promisify(execFile);

/** The real `entente` command, in a process of its own, reading the store of a gateway that keeps running. */
async function entente(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(REPO, 'gateway/src/cli/main.ts'), ...args], { cwd: REPO, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('entente policy replay, against the stores of running gateways', () => {
  let fed: TestFederation;
  /** Each gateway keeps its decisions' inputs, sealed with a key of its own. */
  const retention = () => ({ audit: { retention: { enabled: true, key: randomBytes(32).toString('base64'), period: '30d' } } });
  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agents: [cohortCounter(3)], agreements: countAgreements(A, [B]), config: retention() },
      [B]: { agents: [cohortCounter(3)], agreements: countAgreements(B, [A]), config: retention() },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  const call = (input: Record<string, unknown> = { condition: 'asthma', patient: 'Ada Lovelace' }) =>
    fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input });
  /** The payload of the statement of `kind` the org holds for the task. */
  const statement = async (org: string, taskId: string, kind: 'request' | 'result') => {
    const held = (await fed.gateways[org]!.receipts(taskId)).flatMap((r) => r.statements).find((s) => s.kind === kind)!;
    return JSON.parse(inspectCompactJws(held.jws).payloadText) as Record<string, { decision_id: string; policy_revision: string } | null>;
  };
  const replay = async (org: string, decisionId: string, ...more: string[]) => {
    const out = await entente('policy', 'replay', '--config', fed.configPaths[org]!, '--format', 'json', ...more, decisionId);
    return { ...out, json: out.code === 0 || out.code === 5 ? (JSON.parse(out.stdout) as Record<string, unknown>) : undefined };
  };

  it('replays every decision a task\'s receipts cite, at both gateways, from the retained input: SAME', async () => {
    const done = await call();
    expect(done.status).toBe('completed');
    const outbound = (await statement(A, done.taskId, 'request'))['outbound']!;
    const result = await statement(B, done.taskId, 'result');
    const [fromA, inbound, disclosure] = await Promise.all([
      replay(A, outbound.decision_id),
      replay(B, result['inbound']!.decision_id),
      replay(B, result['disclosure']!.decision_id),
    ]);
    expect(fromA).toMatchObject({ code: 0, json: { decision_id: outbound.decision_id, point: 'outbound', revision: outbound.policy_revision, result: 'SAME', input: { source: 'retained' } } });
    expect(fromA.json!['recorded']).toEqual(fromA.json!['replayed']);
    expect(fromA.json!['recorded']).toMatchObject({ allow: true, reasons: [], require_approval: false, payload_digest: expect.stringMatching(/^sha256:/) });
    expect(inbound).toMatchObject({ code: 0, json: { point: 'inbound', result: 'SAME', recorded: { allow: true } } });
    expect(disclosure).toMatchObject({ code: 0, json: { point: 'disclosure', result: 'SAME' } });
    // Nothing of the input is printed: digests only.
    expect(fromA.stdout + inbound.stdout + disclosure.stdout).not.toContain('Lovelace');
  });

  it('after a reload with edited policy files, replays the old decision under the old revision: the old outcome', async () => {
    const before = await call();
    const old = (await statement(A, before.taskId, 'request'))['outbound']!;
    // A's outbound agreement with B no longer covers research: the same call is now refused here.
    const dataFile = join(fed.dir, 'policies', A, 'data.json');
    const original = readFileSync(dataFile, 'utf8');
    const edited = countAgreements(A, [B]);
    edited.outbound[B]!['patients.count'].purposes = ['treatment'];
    writeFileSync(dataFile, JSON.stringify({ agreements: edited }));
    try {
      fed.gateways[A]!.reload(loadConfig(fed.configPaths[A]!));
      const after = await call();
      expect(after).toMatchObject({ status: 'denied', reason: 'outbound_denied' });
      const recent = (await statement(A, after.taskId, 'request'))['outbound']!;
      expect(recent.policy_revision).not.toBe(old.policy_revision);

      const [oldReplay, recentReplay] = await Promise.all([replay(A, old.decision_id), replay(A, recent.decision_id)]);
      expect(oldReplay).toMatchObject({ code: 0, json: { revision: old.policy_revision, result: 'SAME', replayed: { allow: true } } });
      expect(recentReplay).toMatchObject({ code: 0, json: { revision: recent.policy_revision, result: 'SAME', replayed: { allow: false, reasons: ['purpose_not_agreed'] } } });
    } finally {
      writeFileSync(dataFile, original);
      fed.gateways[A]!.reload(loadConfig(fed.configPaths[A]!));
    }
  });

  it('takes the input from --input when its digest matches, and refuses one that does not with a clear message', async () => {
    const input = { condition: 'copd', min_age: 40 };
    const done = await call(input);
    const outbound = (await statement(A, done.taskId, 'request'))['outbound']!;
    const right = join(fed.dir, 'right-input.json');
    const wrong = join(fed.dir, 'wrong-input.json');
    writeFileSync(right, JSON.stringify({ task_id: done.taskId, partner: B, capability: 'patients.count', purpose: 'research', input }));
    writeFileSync(wrong, JSON.stringify({ task_id: done.taskId, partner: B, capability: 'patients.count', purpose: 'research', input: { ...input, min_age: 41 } }));

    expect(await replay(A, outbound.decision_id, '--input', right)).toMatchObject({ code: 0, json: { result: 'SAME', input: { source: 'given', file: right } } });
    const refused = await replay(A, outbound.decision_id, '--input', wrong);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^entente: the input given is not the input of decision ${outbound.decision_id}: its salted digest differs from the recorded sha256:\\S+; give the exact input the outbound policy saw .*\\(DECISION_INPUT_MISMATCH\\)\\n$`),
    );
  });

  it('prints SAME or DIFFERENT for a person, and exits 5 on DIFFERENT, naming each difference', async () => {
    const done = await call();
    const outbound = (await statement(A, done.taskId, 'request'))['outbound']!;
    const same = await entente('policy', 'replay', '--config', fed.configPaths[A]!, outbound.decision_id);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(new RegExp(`^decision  ${outbound.decision_id}\\npoint     outbound\\nrevision  ${outbound.policy_revision}\\ndecided   \\S+Z\\ninput     retained \\(kept \\S+Z\\), digest matches\\nrecorded  allow  reasons: none  require_approval: false  payload: sha256:\\S+\\nreplayed  allow  reasons: none  require_approval: false  payload: sha256:\\S+\\nSAME\\n$`));

    // A record the revision does not bear out, written beside the running gateway (a second writer on its store).
    const writer = openSqliteStore(join(fed.config(A).dataDir, 'entente.db'));
    try {
      const record = (await writer.getDecision(outbound.decision_id))!;
      await writer.recordDecision({ ...record, decisionId: 'forged-1', outcome: { kind: 'decision', allow: false, reasons: ['no_agreement'], requireApproval: false } });
    } finally {
      await writer.close();
    }
    const right = join(fed.dir, 'forged-input.json');
    writeFileSync(right, JSON.stringify({ task_id: done.taskId, partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma', patient: 'Ada Lovelace' } }));
    const different = await entente('policy', 'replay', '--config', fed.configPaths[A]!, '--input', right, 'forged-1');
    expect(different.code).toBe(5);
    expect(different.stdout).toContain('recorded  deny  reasons: no_agreement  require_approval: false\nreplayed  allow');
    expect(different.stdout).toMatch(/\nDIFFERENT\n {2}allow: recorded false, replayed true\n {2}reasons: recorded \["no_agreement"\], replayed \[\]\n {2}payload_digest: recorded none, replayed "sha256:\S+"\n$/);
  });

  it('names an unknown decision and the usage mistakes', async () => {
    const unknown = await entente('policy', 'replay', '--config', fed.configPaths[A]!, 'no-such-decision');
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('this store holds no decision "no-such-decision"') });
    expect((await entente('policy', 'replay', 'x')).code).toBe(2);
    expect((await entente('policy', 'replay', '--config', fed.configPaths[A]!)).stderr).toMatch(/missing <decision-id>/);
  });
});
