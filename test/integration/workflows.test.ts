import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, type AuditBundle } from '../../gateway/src/audit/index.js';
import { z } from 'zod';
import { defineAgent, defineWorkflow, EntenteClient } from '@entente/sdk';
import { acked, countAgreements, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const C = 'hospital-c';

const counter = (count: number) =>
  defineAgent({
    name: 'cohort-counter',
    capabilities: ['patients.count'],
    input: z.strictObject({ condition: z.string() }),
    output: z.strictObject({ count: z.number().int() }),
    handler: () => ({ count }),
  });
const summer = defineAgent({
  name: 'summer',
  capabilities: ['counts.sum'],
  input: z.strictObject({ counts: z.array(z.union([z.number(), z.string()])) }),
  output: z.strictObject({ total: z.number(), suppressed: z.number() }),
  handler: ({ counts }) => ({
    total: counts.filter((c): c is number => typeof c === 'number').reduce((a, b) => a + b, 0),
    suppressed: counts.filter((c) => typeof c === 'string').length,
  }),
});

/** The cohort study: two partners counted in parallel, under their policies, summed locally. */
const cohortStudy = defineWorkflow({
  name: 'cohort-study',
  steps: [
    { id: 'b', capability: 'patients.count', at: B, purpose: 'research', input: 'input.cohort' },
    { id: 'c', capability: 'patients.count', at: C, purpose: 'research', input: 'input.cohort' },
    { id: 'total', capability: 'counts.sum', needs: ['b', 'c'], input: '{"counts": [steps.b.output.count, steps.c.output.count]}' },
  ],
  output: 'steps.total.output',
});

/** A's agreement for asking C lets requests leave only as steps of the cohort-study workflow. */
function scopedToCohortStudy(agreements: ReturnType<typeof countAgreements>) {
  const forC = agreements.outbound[C]!['patients.count']!;
  return { ...agreements, outbound: { ...agreements.outbound, [C]: { 'patients.count': { ...forC, workflows: ['cohort-study'] } } } };
}

describe('a workflow run across real gateways', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agents: [summer], agreements: scopedToCohortStudy(countAgreements(A, [B, C])) },
      [B]: { agents: [counter(12)], agreements: countAgreements(B, [A]) },
      [C]: { agents: [counter(3)], agreements: countAgreements(C, [A]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  it("runs the partners' steps in parallel under their policies, sums locally, and leaves receipts on both sides", async () => {
    const runId = await fed.gateways[A]!.startRun(cohortStudy, { cohort: { condition: 'asthma', requested_by: 'stays at A' } });
    const run = await fed.gateways[A]!.waitRun(runId);
    // C's disclosure policy suppresses a count under 5: it leaves as "<5".
    expect(run.finished).toMatchObject({ status: 'completed', output: { total: 12, suppressed: 1 } });
    for (const [partner, step] of [[B, 'b'], [C, 'c']] as const) {
      const taskId = `${runId}.${step}.1`;
      await acked(fed.gateways[A]!, partner, taskId);
      expect((await fed.gateways[A]!.receipts(taskId, partner))[0]?.verification.state).toBe('verified');
      expect((await fed.gateways[partner]!.receipts(taskId, A))[0]?.verification.state).toBe('verified');
    }
    // The run is in A's audit log: its start, each attempt with the task it caused, each step's
    // end and the run's, signed by A; the export verifies.
    const bundle = JSON.parse(JSON.stringify(await fed.gateways[A]!.exportAudit())) as AuditBundle;
    expect(verifyBundle(bundle).findings).toEqual([]);
    const said = bundle.statements
      .filter((st) => st.kind === 'run' && st.task_id === runId)
      .map((st) => JSON.parse(Buffer.from(st.jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>);
    expect(said.map((p) => p['event']).sort()).toEqual(['finished', 'started', 'step_ended', 'step_ended', 'step_ended', 'step_started', 'step_started', 'step_started']);
    expect(said).toContainEqual(expect.objectContaining({ event: 'started', workflow: 'cohort-study', from: A }));
    expect(said).toContainEqual(expect.objectContaining({ event: 'step_started', step: 'b', provider: B, task_id: `${runId}.b.1` }));
    expect(said).toContainEqual(expect.objectContaining({ event: 'finished', status: 'completed' }));
    // A bundle that lost the request of a task the run caused says which.
    const cut = structuredClone(bundle);
    cut.statements = cut.statements.filter((st) => !(st.task_id === `${runId}.b.1` && st.kind === 'request'));
    expect(verifyBundle(cut).findings).toContainEqual(expect.objectContaining({ code: 'RUN_TASK_MISSING', taskId: `${runId}.b.1` }));
  });

  it('refuses a workflow naming a provider this gateway does not have, before anything runs', async () => {
    const wrong = { ...cohortStudy, steps: [...cohortStudy.steps.slice(0, 2), { ...cohortStudy.steps[2]!, capability: 'counts.median' }] };
    await expect(fed.gateways[A]!.startRun(wrong, {})).rejects.toMatchObject({
      code: 'WORKFLOW_INVALID',
      message: expect.stringContaining('steps[2].at: no local agent serves counts.median'),
    });
  });

  it('starts a run from YAML through the control API and reports its steps and output; refuses a broken one with locations', async () => {
    const client = EntenteClient.connect({ socket: fed.config(A).control.socket });
    try {
      const yaml = [
        'name: cohort-study',
        'steps:',
        `  - { id: b, capability: patients.count, at: ${B}, purpose: research, input: 'input.cohort' }`,
        `  - { id: total, capability: counts.sum, needs: [b], input: '{"counts": [steps.b.output.count]}' }`,
        'output: steps.total.output',
      ].join('\n');
      const started = await client.startRun(yaml, { cohort: { condition: 'flu' } });
      expect(started).toMatchObject({ workflow: 'cohort-study', status: 'running' });
      const done = await client.getRun(started.runId, { wait: true, timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'completed', output: { total: 12, suppressed: 0 } });
      expect(done.steps.map((st) => [st.id, st.status, st.taskId])).toEqual([
        ['b', 'completed', `${started.runId}.b.1`],
        ['total', 'completed', `${started.runId}.total.1`],
      ]);
      await expect(client.startRun(yaml.replace('needs: [b]', 'needs: [bb]'), {})).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('steps[1].needs: unknown step "bb"'),
      });
      await expect(client.getRun('no-such-run')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      client.close();
    }
  });

  it("lets the outbound policy see the run a request belongs to: an agreement scoped to one workflow refuses other workflows' steps and direct calls", async () => {
    const other = { ...cohortStudy, name: 'other-study' };
    const run = await fed.gateways[A]!.waitRun(await fed.gateways[A]!.startRun(other, { cohort: { condition: 'asthma' } }));
    expect(run.steps.get('c')).toMatchObject({ status: 'failed', reason: 'outbound_denied' });
    expect(run.finished).toMatchObject({ status: 'failed', reason: expect.stringContaining('step c failed: outbound_denied') });
    const direct = await fed.gateways[A]!.call({ partner: C, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } });
    expect(direct).toMatchObject({ status: 'denied', reason: 'outbound_denied', policyReasons: ['workflow_not_agreed'] });
  });
});
