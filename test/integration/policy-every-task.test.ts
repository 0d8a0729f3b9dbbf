import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../gateway/src/config/index.js';
import type { CallResult } from '../../gateway/src/tasks/index.js';
import { acked, cohortCounter, countAgreements, REPO, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';

/** A count B's agent answers once, above the limit of B's disclosure policy: it must never leave B. */
const DENIED = 987_654_321;

/**
 * The shipped disclosure policy (policies/default/disclosure.rego) with one rule more, on the
 * result itself: a count above 100 does not leave at all.
 */
const DISCLOSURE = `package entente.disclosure

agreement := data.agreements.inbound[input.requester.org][input.capability]

decision := deny("no_agreement") if {
	not agreement
} else := deny("count_above_100") if {
	input.result.count > 100
} else := {"allow": true, "reasons": [], "result": result}

result[field] := shown(field, input.result[field]) if {
	some field in agreement.disclose
}

shown(field, value) := sprintf("<%d", [threshold]) if {
	threshold := agreement.suppress_below[field]
	value < threshold
} else := value

deny(reason) := {"allow": false, "reasons": [reason]}
`;

/** The payload of a compact JWS (the first two parts are those of the single form in the batched one too). */
const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const resultStatementOf = (r: CallResult) => payloadOf(r.receipts.result!) as { status: string; reason?: string; result_digest?: string; inbound: DecisionRef | null; disclosure: DecisionRef | null };
type DecisionRef = { decision_id: string; policy_revision: string };

describe('policies decide every task afresh, nothing is carried over from the last one', () => {
  let fed: TestFederation;
  /** B's own policy directory: the shipped outbound and inbound policies, the disclosure policy above, B's agreements. */
  let policyDir: string;
  /** What B's agent answers, in order (12 once they are used up). */
  const answers: number[] = [];
  const runs = { n: 0 };
  const agent = cohortCounter(() => answers.shift() ?? 12, runs);

  beforeAll(async () => {
    policyDir = mkdtempSync(join(tmpdir(), 'entente-policy-every-task-'));
    for (const file of ['outbound.rego', 'inbound.rego']) copyFileSync(join(REPO, 'policies', 'default', file), join(policyDir, file));
    writeFileSync(join(policyDir, 'disclosure.rego'), DISCLOSURE);
    writeFileSync(join(policyDir, 'data.json'), JSON.stringify({ agreements: countAgreements(B, [A]) }));
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B]) },
      // B loads policyDir instead of policies/default and the agreements startFederation writes.
      [B]: { agents: [agent], agreements: countAgreements(B, [A]), config: { policies: { dir: [policyDir] } } },
    });
  });
  afterAll(async () => {
    await fed?.stop();
    if (policyDir !== undefined) rmSync(policyDir, { recursive: true, force: true });
  });

  /** The same call each time: same requester, partner, capability, purpose and input. */
  const ask = () => fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } });

  /** Both sides hold the same verified triple for the task, and it is the one the caller got. */
  const expectSameVerifiedTriple = async (r: CallResult) => {
    await acked(fed.gateways[A]!, B, r.taskId);
    const [atA] = await fed.gateways[A]!.receipts(r.taskId, B);
    const [atB] = await fed.gateways[B]!.receipts(r.taskId, A);
    expect(atA!.verification, `${r.taskId} at ${A}`).toEqual({ state: 'verified', problems: [] });
    expect(atB!.verification, `${r.taskId} at ${B}`).toEqual({ state: 'verified', problems: [] });
    const jws = (held: typeof atA) => Object.fromEntries(held!.statements.map((s) => [s.kind, s.jws]));
    expect(jws(atA)).toEqual(r.receipts);
    expect(jws(atB)).toEqual(r.receipts);
    expect(Object.keys(r.receipts).sort()).toEqual(['ack', 'request', 'result']);
    return { atA: atA!, atB: atB! };
  };

  it('asks the disclosure policy about each result: the same call completes, is denied (disclosure_denied) for a count above 100, completes again', async () => {
    answers.push(12, DENIED, 13);
    const before = runs.n;
    const first = await ask();
    const second = await ask();
    const third = await ask();
    expect(runs.n).toBe(before + 3);
    expect(first).toMatchObject({ status: 'completed', result: { count: 12 } });
    expect(second).toMatchObject({ status: 'denied', reason: 'disclosure_denied', policyReasons: ['count_above_100'] });
    expect(third).toMatchObject({ status: 'completed', result: { count: 13 } });

    // Nothing of the denied result reaches A: no result, and its value nowhere in the answer,
    // in its receipts' headers and payloads, in A's task record or in A's log.
    expect(second.result).toBeUndefined();
    const asToken = new RegExp(`(?<![A-Za-z0-9_-])${DENIED}(?![A-Za-z0-9_-])`);
    expect(JSON.stringify({ count: DENIED })).toMatch(asToken);
    const decoded = Object.values(second.receipts).flatMap((jws) => jws!.split('.').slice(0, 2).map((part) => Buffer.from(part, 'base64url').toString('utf8')));
    expect(JSON.stringify(second)).not.toMatch(asToken);
    expect(decoded.join('\n')).not.toMatch(asToken);
    const [taskAtA] = await fed.gateways[A]!.listTasks({ taskId: second.taskId });
    expect(taskAtA).toMatchObject({ role: 'requester', status: 'denied', reason: 'disclosure_denied' });
    expect(taskAtA!.resultJson).toBeUndefined();
    expect(JSON.stringify(fed.logs[A])).not.toMatch(asToken);

    // Each result statement cites a disclosure decision of its own; only the denied one has no result digest.
    const statements = [first, second, third].map(resultStatementOf);
    expect(statements.map((s) => [s.status, s.reason])).toEqual([['completed', undefined], ['denied', 'disclosure_denied'], ['completed', undefined]]);
    expect(statements.map((s) => s.result_digest !== undefined)).toEqual([true, false, true]);
    const disclosures = statements.map((s) => s.disclosure);
    expect(disclosures.every((d) => d !== null)).toBe(true);
    expect(new Set(disclosures.map((d) => d!.decision_id)).size).toBe(3);
    expect(new Set(disclosures.map((d) => d!.policy_revision))).toEqual(new Set([fed.gateways[B]!.policyRevision]));

    // The denied task is receipted like any other, on both sides; B keeps no result for it either.
    const held = [];
    for (const r of [first, second, third]) held.push(await expectSameVerifiedTriple(r));
    expect(held[1]!.atB.task).toMatchObject({ role: 'responder', status: 'denied', reason: 'disclosure_denied' });
    expect(held[1]!.atB.task.resultJson).toBeUndefined();
    expect(held[0]!.atB.task.resultJson).toBe('{"count":12}');
  });

  it('asks the inbound policy about each request: the same call completes, is denied after B reloads agreements without the purpose, completes after B reloads the old ones', async () => {
    const dataFile = join(policyDir, 'data.json');
    const original = readFileSync(dataFile, 'utf8');
    const reloadB = () => fed.gateways[B]!.reload(loadConfig(fed.configPaths[B]!));
    const revision = fed.gateways[B]!.policyRevision;
    const before = runs.n;

    const first = await ask();
    const edited = countAgreements(B, [A]);
    edited.inbound[A]!['patients.count'].purposes = ['treatment'];
    writeFileSync(dataFile, JSON.stringify({ agreements: edited }));
    const { second, editedRevision } = await (async () => {
      try {
        reloadB();
        return { editedRevision: fed.gateways[B]!.policyRevision, second: await ask() };
      } finally {
        writeFileSync(dataFile, original);
        reloadB();
      }
    })();
    expect(fed.gateways[B]!.policyRevision).toBe(revision);
    const third = await ask();

    expect(first).toMatchObject({ status: 'completed', result: { count: 12 } });
    expect(second).toMatchObject({ status: 'denied', reason: 'inbound_denied', policyReasons: ['purpose_not_agreed'] });
    expect(second.result).toBeUndefined();
    expect(third).toMatchObject({ status: 'completed', result: { count: 12 } });
    // The agent ran for the two allowed calls only.
    expect(runs.n).toBe(before + 2);

    // Each result statement cites an inbound decision of its own, under the revision in force then.
    expect(editedRevision).not.toBe(revision);
    const inbound = [first, second, third].map((r) => resultStatementOf(r).inbound);
    expect(inbound.map((d) => d?.policy_revision)).toEqual([revision, editedRevision, revision]);
    expect(new Set(inbound.map((d) => d!.decision_id)).size).toBe(3);
    expect(resultStatementOf(second)).toMatchObject({ status: 'denied', reason: 'inbound_denied', disclosure: null });

    for (const r of [first, second, third]) await expectSameVerifiedTriple(r);
  });
});
