// Triage with a planner (issue 9, example 4): adaptive orchestration with guardrails.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { agreements } from '../shared.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const OPTIONS = {
  'imaging.read': { purposes: ['care'], fields: ['scan'], disclose: ['finding'] },
  'cardiology.review': { purposes: ['care'], fields: ['ecg', 'imaging'], disclose: ['assessment'] },
};

export const title = "a planner's proposal checked against an allow-list, then run as a sub-graph across two specialists";

export const orgs = (dir) => [
  { org: 'clinic', policyDirs: [agreements(dir, 'clinic', { outbound: { 'imaging.read': ['imaging-lab'], 'cardiology.review': ['cardio-center'] }, options: OPTIONS })], agents: [{ module: here('agents/clinic.mjs') }] },
  { org: 'imaging-lab', policyDirs: [agreements(dir, 'imaging-lab', { inbound: { 'imaging.read': ['clinic'] }, options: OPTIONS })], agents: [{ module: here('agents/specialists.mjs'), options: { kind: 'imaging' } }] },
  { org: 'cardio-center', policyDirs: [agreements(dir, 'cardio-center', { inbound: { 'cardiology.review': ['clinic'] }, options: OPTIONS })], agents: [{ module: here('agents/specialists.mjs'), options: { kind: 'cardio' } }] },
];

const workflow = readFileSync(here('triage.yaml'), 'utf8');

async function tasksOf(client, runId) {
  const out = [];
  for await (const t of client.tasks({})) if (t.taskId.startsWith(`${runId}.`)) out.push(t);
  return out;
}

export async function run({ client, say, check }) {
  const clinic = client('clinic');
  say('case C-1: chest pain; the planner proposes imaging, then cardiology');
  const first = await clinic.getRun((await clinic.startRun(workflow, { case: { id: 'C-1', complaint: 'chest-pain', scan: 'ct-2', ecg: 'st-elevation' } })).runId, { wait: true, timeoutMs: 60_000 });
  for (const s of first.steps) say(`  ${s.id.padEnd(16)} ${s.status.padEnd(10)} ${s.provider ?? ''}`);
  say(`  summary: ${first.output?.summary}`);
  check(first.status === 'completed', 'the planned consultation ran and the case was summarised');
  check(first.steps.some((s) => s.id === 'consult.imaging' && s.provider === 'imaging-lab') && first.steps.some((s) => s.id === 'consult.cardio' && s.provider === 'cardio-center'), 'the plan ran as a sub-graph at the two specialists');
  check(/urgent: ST elevation with mild cardiomegaly/.test(first.output?.summary ?? ''), "the cardiologist saw the radiologist's finding (the plan's needs), and nothing else of it");
  for (const org of ['imaging-lab', 'cardio-center']) check((await tasksOf(client(org), first.runId)).length === 1, `${org} ran one task of the run`);

  say('');
  say('case C-2: family history; the planner proposes genetic sequencing, which the workflow does not allow');
  const second = await clinic.getRun((await clinic.startRun(workflow, { case: { id: 'C-2', complaint: 'family-history', sample: 's-9' } })).runId, { wait: true, timeoutMs: 60_000 });
  const consult = second.steps.find((s) => s.id === 'consult');
  say(`  ${second.status}: ${consult?.reason}: ${consult?.message}`);
  check(second.status === 'failed' && consult?.reason === 'plan_refused' && /genetics\.sequence is not on the plan's allow-list/.test(consult.message ?? ''), 'the plan was refused, naming the capability outside the allow-list');
  check(!second.steps.some((s) => s.id.startsWith('consult.')) && second.steps.find((s) => s.id === 'summary')?.status === 'pending', 'nothing of the refused plan ran, nor anything after it');
  for (const org of ['imaging-lab', 'cardio-center']) check((await tasksOf(client(org), second.runId)).length === 0, `${org} received nothing of it`);
}
