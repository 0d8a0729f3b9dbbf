import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallOutcome, EntenteClient } from '@entente/sdk';
import { defineCommand } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { createFederation, ROOT } from './federation.js';

const ORGS = ['hospital-a', 'hospital-b', 'hospital-c'] as const;

/**
 * A three-hospital federation on loopback: development PKI for each, partners imported from
 * each other's bundles, three `entente serve` processes, then hospital-a asks the other two
 * how many of their patients match a cohort, and every task's receipts are verified on
 * both sides.
 */
export const demo = defineCommand(
  {
    name: 'demo',
    summary: 'start a three-hospital federation on loopback and run a federated count',
    usage: ['[--dir <work dir>]'],
    description: [
      'Sets up hospital-a, hospital-b and hospital-c (PKI, configs, partners imported from bundles),',
      'starts three entente serve processes, asks a cohort count of two partners and a call that',
      "hospital-a's own policy denies, verifies every receipt on both sides, and stops the gateways.",
    ],
    options: { dir: { type: 'string', arg: '<dir>', help: 'the work directory, kept afterwards (a new temporary one by default)' } },
    examples: [['run it, keeping the certificates, configs and logs in ./demo', 'entente demo --dir demo']],
    exits: [
      [EXIT.ok, 'every task behaved as expected and every receipt verified'],
      [EXIT.error, 'something did not: the output says what'],
    ],
  },
  ({ values }) => runDemo(values.dir),
);

async function runDemo(workDir: string | undefined): Promise<ExitCode> {
  const started = Date.now();
  const dir = workDir ?? mkdtempSync(join(tmpdir(), 'entente-demo-'));
  const say = (line = ''): void => void process.stdout.write(line + '\n');
  say(`entente demo: a federation of ${ORGS.join(', ')} in ${dir}`);

  const fed = await createFederation(
    dir,
    ORGS.map((org) => ({
      org,
      policyDirs: [join(ROOT, 'policies', org)],
      agents: [{ module: join(ROOT, 'examples/hospitals/agents/cohort-counter.mjs'), options: { dataFile: join(ROOT, 'examples/hospitals', org, 'patients.json') } }],
    })),
  );
  say(`  development certificates, receipt keys and configs written; partners imported from each other's bundles`);

  await Promise.all(ORGS.map((org) => fed.start(org)));
  let ok = false;
  let results: CallOutcome[] = [];
  let denied: CallOutcome | undefined;
  let allVerified = true;
  try {
    say(`  gateways serving as separate processes: ${ORGS.map((o) => `${o} on 127.0.0.1:${fed.ports[o]} (pid ${fed.pid(o)})`).join(', ')}`);
    say('');
    // Everything below goes through each gateway's control API, as an operator's tools would.
    const a = fed.client('hospital-a');
    const cohort = { condition: 'diabetes', min_age: 40, max_age: 65, requested_by: 'Dr. Example (not allowed to leave)' };
    say(`hospital-a asks hospital-b and hospital-c: how many patients with diabetes, aged 40-65? (purpose: research)`);
    results = await Promise.all(
      (['hospital-b', 'hospital-c'] as const).map((partner) =>
        a.call({ partner, capability: 'patients.count', purpose: 'research', input: cohort }),
      ),
    );
    say(`hospital-a asks hospital-b the same for marketing (no agreement covers that purpose)`);
    denied = await a.call({ partner: 'hospital-b', capability: 'patients.count', purpose: 'marketing', input: cohort });
    say('');
    for (const r of [...results, denied]) say(`  ${r.partner}: ${describe(r)}`);
    say('');
    say('receipts (request, result, ack), verified against the signers\' pinned keys on both sides:');
    for (const r of [...results, denied]) {
      const sides = r === denied ? (['hospital-a'] as const) : (['hospital-a', r.partner as (typeof ORGS)[number]] as const);
      // hospital-a's acks leave off the call path: its partners hold the whole triple once
      // each has arrived (a moment after the result came back).
      if (r !== denied) await ackDelivered(fed.client('hospital-a'), r.taskId, r.partner);
      for (const org of sides) {
        const [receipt] = await fed.client(org).receipts(r.taskId, org === 'hospital-a' ? r.partner : 'hospital-a');
        const state = receipt?.verification.state ?? 'missing';
        const kinds = receipt?.statements.map((s) => `${s.kind} by ${s.signerOrg}`).join(', ') ?? '';
        say(`  task ${r.taskId} at ${org.padEnd(10)}: ${state} [${kinds}]`);
        const expected = r === denied ? 'verified_local_denial' : 'verified';
        if (state !== expected) allVerified = false;
      }
    }
    const [b, c] = results;
    ok =
      allVerified &&
      b?.status === 'completed' &&
      c?.status === 'completed' &&
      typeof (c.result as { count?: unknown }).count === 'string' &&
      denied?.status === 'denied' &&
      denied.reason === 'outbound_denied';
    say('');
    say(ok ? 'demo: all tasks behaved as expected and every receipt verified' : 'demo: FAILED: see the lines above');
  } finally {
    const codes = Object.values(await fed.stopAll());
    say(`gateways stopped (exit codes ${codes.join(', ')}) after ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${join(dir, 'logs')}`);
    if (codes.some((c) => c !== 0)) ok = false;
  }
  return ok ? EXIT.ok : EXIT.error;
}

function describe(r: CallOutcome): string {
  if (r.status === 'completed') return `completed, result that left: ${JSON.stringify(r.result)}`;
  return `${r.status} (${r.reason}${r.policyReasons?.length ? `: ${r.policyReasons.join(', ')}` : ''}): ${r.message}`;
}

/** Waits (a few seconds at most) until the requester's ack of a task has reached the partner. */
async function ackDelivered(requester: EntenteClient, taskId: string, partner: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    const [r] = await requester.receipts(taskId, partner);
    if (r?.ack.state === 'delivered' || r?.ack.state === 'failed') return;
    await new Promise((done) => setTimeout(done, 20));
  }
}
