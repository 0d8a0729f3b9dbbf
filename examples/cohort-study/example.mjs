// The cohort study (issue 9, example 1): hospital-a runs cohort-study.yaml, which asks
// hospital-b, hospital-c and hospital-d in parallel for a cohort count. hospital-d is down:
// its steps are retried, then continued past, and the run completes with a partial result
// that says so. hospital-c's disclosure policy suppresses its small count ("<5").
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { agreements, patientsOf, wholeAtPartner } from '../shared.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const counter = (org) => ({ module: here('../hospitals/agents/cohort-counter.mjs'), options: { dataFile: patientsOf(org) } });
const cohort = { condition: 'diabetes', min_age: 40, max_age: 65 };

export const title = 'a cohort count across three partner hospitals, one of them down';

export const orgs = (dir) => [
  { org: 'hospital-a', policyDirs: [agreements(dir, 'hospital-a', { outbound: { 'patients.count': ['hospital-b', 'hospital-c', 'hospital-d'] } })], agents: [{ module: here('agents/counts-sum.mjs') }] },
  ...['hospital-b', 'hospital-c', 'hospital-d'].map((org) => ({
    org,
    policyDirs: [agreements(dir, org, { inbound: { 'patients.count': ['hospital-a'] } })],
    agents: [counter(org === 'hospital-d' ? 'hospital-c' : org)],
    down: org === 'hospital-d',
  })),
];

export async function run({ client, say, check }) {
  const a = client('hospital-a');
  say('hospital-a starts cohort-study.yaml: diabetes, aged 40-65, asked of hospital-b, hospital-c and hospital-d');
  const started = await a.startRun(readFileSync(here('cohort-study.yaml'), 'utf8'), { cohort: { ...cohort, requested_by: 'Dr. Example (stays at hospital-a)' } });
  const done = await a.getRun(started.runId, { wait: true, timeoutMs: 60_000 });
  for (const s of done.steps) say(`  ${s.id.padEnd(6)} ${s.status.padEnd(10)} attempt ${s.attempt}${s.provider ? ` at ${s.provider}` : ''}${s.reason ? ` (${s.reason})` : ''}`);
  say(`  output: ${JSON.stringify(done.output)}; partial: ${JSON.stringify(done.partial)}`);
  say('');

  // What each partner should have said, from its own data and its disclosure rule.
  const expected = ['hospital-b', 'hospital-c'].map((org) => {
    const n = JSON.parse(readFileSync(patientsOf(org), 'utf8')).filter((p) => p.conditions.includes(cohort.condition) && p.age >= cohort.min_age && p.age <= cohort.max_age).length;
    return n < 5 ? '<5' : n;
  });
  check(done.status === 'completed', 'the run completed although hospital-d is down');
  check(JSON.stringify(done.partial) === JSON.stringify(['d']), 'the run records that it went on without hospital-d (partial: d)');
  const d = done.steps.find((s) => s.id === 'd');
  check(d?.status === 'failed' && d.reason === 'partner_unavailable' && d.attempt === 2, "hospital-d's step was retried once with backoff, then given up as unavailable");
  const total = expected.filter((c) => typeof c === 'number').reduce((x, y) => x + y, 0);
  const suppressed = expected.filter((c) => typeof c === 'string').length;
  check(done.output?.total === total && done.output?.suppressed === suppressed && done.output?.answered === 2, `the sum is of the partners that answered (total ${total}, ${suppressed} small cell suppressed)`);
  const b = done.steps.find((s) => s.id === 'b');
  check(JSON.stringify(b?.output) === JSON.stringify({ count: expected[0] }), 'only the count left hospital-b, nothing else of its data');
  for (const [org, step] of [['hospital-b', 'b'], ['hospital-c', 'c']]) {
    const taskId = done.steps.find((s) => s.id === step)?.taskId;
    const [here] = await a.receipts(taskId, org);
    const there = await wholeAtPartner(a, client(org), taskId, 'hospital-a', org);
    check(here?.verification.state === 'verified' && there?.verification.state === 'verified', `${step}'s task ${taskId} has verified receipts on both sides`);
  }
}
