// The order-fulfilment exception (issue 9, example 2). The retailer runs order-exception.yaml
// twice. The first order is worth 25,000: the run waits for a person's approval; the retailer's
// gateway is killed (SIGKILL) while it waits and started again; the approval is still there, a
// person with the approver role (carol, by her client certificate) approves it (the shop's
// application may not), and the run completes, each partner having done its task once. The
// second order is locked in the order system: the update fails after the supplier reserved
// substitutes, and the reservation is released (compensation) before the run fails.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agreements } from '../shared.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const OPTIONS = {
  'inventory.check': { purposes: ['fulfilment'], fields: ['sku', 'quantity'], disclose: ['available', 'missing'] },
  'substitutes.reserve': { purposes: ['fulfilment'], fields: ['sku', 'quantity'], disclose: ['options', 'reservation'] },
  'substitutes.release': { purposes: ['fulfilment'], fields: ['reservation'], disclose: ['released'] },
  // The contract's internal notes stay at legal-org: only these terms may leave.
  'contract.terms': { purposes: ['fulfilment'], fields: ['customer'], disclose: ['substitutes_allowed', 'max_discount'] },
};
const AT = { 'warehouse-org': ['inventory.check'], 'supplier-org': ['substitutes.reserve', 'substitutes.release'], 'legal-org': ['contract.terms'] };

export const title = 'an order exception across a warehouse, a supplier and a legal department, with an approval and a compensation';

export const orgs = (dir) => [
  {
    org: 'retailer',
    policyDirs: [agreements(dir, 'retailer', { outbound: Object.fromEntries(Object.entries(AT).flatMap(([org, caps]) => caps.map((c) => [c, [org]]))), options: OPTIONS })],
    agents: [{ module: here('agents/retailer.mjs'), options: { ordersFile: join(dir, 'orders.json'), locked: ['O-1002'] } }],
    // People and applications reach the control API over mutual TLS with role certificates.
    extra: { control: { listen: '127.0.0.1:0' } },
  },
  { org: 'warehouse-org', policyDirs: [inbound(dir, 'warehouse-org')], agents: [{ module: here('agents/warehouse.mjs'), options: { stock: { 'SKU-7': 40 } } }] },
  { org: 'supplier-org', policyDirs: [inbound(dir, 'supplier-org')], agents: [{ module: here('agents/supplier.mjs'), options: { stateFile: join(dir, 'reservations.json') } }] },
  { org: 'legal-org', policyDirs: [inbound(dir, 'legal-org')], agents: [{ module: here('agents/legal.mjs') }] },
];

function inbound(dir, org) {
  return agreements(dir, org, { inbound: Object.fromEntries(AT[org].map((c) => [c, ['retailer']])), options: OPTIONS });
}

const workflow = readFileSync(here('order-exception.yaml'), 'utf8');
const order = (id, value) => ({ order: { id, sku: 'SKU-7', quantity: 100, value, customer: 'key-account-17' } });

export async function run({ fed, client, clientAs, say, check, until }) {
  const dir = fed.dir;
  say('the retailer starts the exception for order O-1001 (worth 25,000: above the approval threshold)');
  const first = await client('retailer').startRun(workflow, order('O-1001', 25_000));
  const pending = await until(async () => (await client('retailer').listApprovals({ runId: first.runId }))[0], 'the approval to be asked for');
  say(`  waiting for a person: ${pending.approvalId} (${pending.kind} of step ${pending.step}), value ${pending.details?.value}`);
  check(pending.step === 'approve' && pending.details?.value === 25_000, 'the run waits for an approval of the 25,000 proposal');

  say('  the retailer gateway is killed (SIGKILL) while the run waits, and started again');
  const killed = await fed.stop('retailer', 'SIGKILL');
  await fed.start('retailer');
  const after = await until(async () => (await client('retailer').listApprovals({ runId: first.runId }))[0], 'the approval after the restart');
  check(killed === 'SIGKILL' && after.approvalId === pending.approvalId, 'after the crash and restart the same approval still waits (the run waited durably)');

  // Who may decide: a person with the approver role. The shop's application may not.
  const shop = clientAs('retailer', 'shop-app', ['app']);
  const refused = await shop.approve(after.approvalId, 'looks fine').then(() => undefined, (err) => err);
  check(refused?.code === 'PERMISSION_DENIED' && /approver role/.test(refused.message), `the shop's application (role app) may not decide: ${refused?.message}`);
  const carol = clientAs('retailer', 'carol', ['approver']);
  await carol.approve(after.approvalId, 'substitutes are fine for this customer');
  const done = await client('retailer').getRun(first.runId, { wait: true, timeoutMs: 60_000 });
  for (const s of done.steps) say(`  ${s.id.padEnd(11)} ${s.status.padEnd(10)} attempt ${s.attempt}${s.provider ? ` at ${s.provider}` : ''}`);
  check(done.status === 'completed', `order O-1001 completed: ${JSON.stringify(done.output?.proposal)}`);
  check(done.output?.approved_by === 'carol', "the decision is recorded with the decider's verified identity (carol, from her certificate)");
  const orders = existsSync(join(dir, 'orders.json')) ? Object.values(JSON.parse(readFileSync(join(dir, 'orders.json'), 'utf8'))) : [];
  check(orders.length === 1 && orders[0].order === 'O-1001', 'the order system was updated once');
  for (const [org, capability] of [['warehouse-org', 'inventory.check'], ['supplier-org', 'substitutes.reserve'], ['legal-org', 'contract.terms']]) {
    const tasks = [];
    for await (const t of client(org).tasks({})) if (t.taskId.startsWith(first.runId)) tasks.push(t);
    check(tasks.length === 1 && tasks[0].capability === capability && tasks[0].status === 'completed', `${org} ran ${capability} for this run exactly once`);
  }
  const terms = done.steps.find((s) => s.id === 'terms')?.output;
  check(terms !== undefined && !('notes' in terms), "legal-org's contract notes did not leave: only the agreed terms did");

  say('');
  say('the retailer starts the exception for order O-1002 (worth 5,000, no approval; its order system refuses the update)');
  const second = await client('retailer').startRun(workflow, order('O-1002', 5_000));
  const failed = await client('retailer').getRun(second.runId, { wait: true, timeoutMs: 60_000 });
  for (const s of failed.steps) say(`  ${s.id.padEnd(11)} ${s.status.padEnd(10)}${s.compensation ? ` compensation ${s.compensation.status}` : ''}${s.reason ? ` (${s.reason})` : ''}`);
  check(failed.status === 'failed' && /step update failed/.test(failed.reason ?? ''), `the run failed at the update: ${failed.reason}`);
  const reserve = failed.steps.find((s) => s.id === 'substitutes');
  check(reserve?.compensation?.status === 'completed', "the supplier's reservation was compensated");
  const reservations = JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8'));
  const kept = reservations[`R-${done.steps.find((s) => s.id === 'substitutes')?.taskId}`];
  const released = reservations[`R-${reserve?.taskId}`];
  check(released?.active === false && kept?.active === true, 'at the supplier, the reservation for O-1002 is released; the one for O-1001 stands');
}
