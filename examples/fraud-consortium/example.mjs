// The consortium fraud check (issue 9, example 3): bank-a asks the consortium for fraud.score,
// which at the consortium is a workflow (fraud-score.yaml) fanning out to bank-b and bank-c:
// nested, hierarchical orchestration. Every hop leaves co-signed receipts on both its sides,
// and each member's request statement cites bank-a's task as its parent.
import { fileURLToPath } from 'node:url';
import { agreements, wholeAtPartner } from '../shared.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const ACCOUNT = '9f2c4e1a7b3d5f60';
const OPTIONS = {
  'fraud.score': { purposes: ['fraud-prevention'], fields: ['account_hash'], disclose: ['score', 'members'] },
  'fraud.signals': { purposes: ['fraud-prevention'], fields: ['account_hash'], disclose: ['flags'] },
};

export const title = 'a fraud score that is itself a workflow at a consortium, fanning out to two member banks';

export const orgs = (dir) => [
  { org: 'bank-a', policyDirs: [agreements(dir, 'bank-a', { outbound: { 'fraud.score': ['consortium'] }, options: OPTIONS })] },
  {
    org: 'consortium',
    policyDirs: [agreements(dir, 'consortium', { inbound: { 'fraud.score': ['bank-a'] }, outbound: { 'fraud.signals': ['bank-b', 'bank-c'] }, options: OPTIONS })],
    agents: [{ module: here('agents/combine.mjs') }],
    workflows: [{ capability: 'fraud.score', file: here('fraud-score.yaml'), description: 'a consortium fraud score from the members signals' }],
  },
  { org: 'bank-b', policyDirs: [agreements(dir, 'bank-b', { inbound: { 'fraud.signals': ['consortium'] }, options: OPTIONS })], agents: [{ module: here('agents/signals.mjs'), options: { flagged: { [ACCOUNT]: 2 } } }] },
  { org: 'bank-c', policyDirs: [agreements(dir, 'bank-c', { inbound: { 'fraud.signals': ['consortium'] }, options: OPTIONS })], agents: [{ module: here('agents/signals.mjs'), options: { flagged: { [ACCOUNT]: 1 } } }] },
];

export async function run({ client, say, check }) {
  say(`bank-a asks the consortium for fraud.score of account ${ACCOUNT}`);
  const outcome = await client('bank-a').call({ partner: 'consortium', capability: 'fraud.score', purpose: 'fraud-prevention', input: { account_hash: ACCOUNT, customer_name: 'stays at bank-a' }, timeoutMs: 8000 });
  say(`  ${outcome.status}: ${JSON.stringify(outcome.result ?? outcome.reason)}`);
  check(outcome.status === 'completed' && outcome.result?.score === 60 && outcome.result?.members === 2, 'the score combines both members (2 + 1 flags: 60)');

  const { runs } = await client('consortium').listRuns({});
  const states = await Promise.all(runs.map((r) => client('consortium').getRun(r.runId)));
  const state = states.find((r) => r.parentTask?.org === 'bank-a' && r.parentTask.taskId === outcome.taskId);
  check(state?.workflow === 'fraud-score' && state.status === 'completed', `at the consortium, bank-a's task ran as workflow run ${state?.runId}, which cites it as its parent`);
  for (const s of state.steps) say(`  consortium step ${s.id.padEnd(8)} ${s.status} at ${s.provider}${s.taskId ? `, task ${s.taskId}` : ''}`);

  const hops = [['bank-a', 'consortium', outcome.taskId], ...['b', 'c'].map((id) => ['consortium', `bank-${id}`, state.steps.find((s) => s.id === id)?.taskId])];
  for (const [from, to, taskId] of hops) {
    const [atFrom] = await client(from).receipts(taskId, to);
    const atTo = await wholeAtPartner(client(from), client(to), taskId, from, to);
    check(atFrom?.verification.state === 'verified' && atTo?.verification.state === 'verified', `hop ${from} -> ${to}: receipts verified at both ends`);
    if (from === 'consortium') {
      const request = atTo?.statements.find((s) => s.kind === 'request')?.payload;
      check(request?.parent?.org === 'bank-a' && request.parent.task_id === outcome.taskId, `${to}'s request statement cites bank-a's task ${outcome.taskId} as its parent`);
      const result = state.steps.find((s) => s.taskId === taskId)?.output;
      check(result !== undefined && !('customer_name' in result), `${to}'s customer data did not leave it: only the flag count did`);
    }
  }
}
