// Helpers the examples share: agreements written as policy data, and the hospitals' data files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const UNTIL = '2099-01-01T00:00:00Z';

/** The synthetic patients of one of the example hospitals. */
export const patientsOf = (org) => fileURLToPath(new URL(`./hospitals/${org}/patients.json`, import.meta.url));

/**
 * An organization's agreements as a policy data directory (`<dir>/policy/<org>/data.json`,
 * mounted at data.agreements), for
 * the shipped policies in policies/default: `outbound: { capability: [partners] }` lets the
 * capability's input leave for those partners (every field, or `fields`), and `inbound:
 * { capability: [partners] }` lets them call it (disclosing every result field, or
 * `disclose`). Options per capability: purposes, fields, disclose, suppress_below, require_approval.
 */
export function agreements(workDir, org, { outbound = {}, inbound = {}, options = {} }) {
  const dir = join(workDir, 'policy', org);
  const side = (table, make) => {
    const out = {};
    for (const [capability, partners] of Object.entries(table)) {
      for (const partner of partners) (out[partner] ??= {})[capability] = make(capability);
    }
    return out;
  };
  const opts = (capability) => ({ purposes: ['research'], ...options[capability] });
  const data = {
    agreements: {
      outbound: side(outbound, (c) => {
        const { purposes, fields } = opts(c);
        return { purposes, until: UNTIL, fields: fields ?? ['condition', 'min_age', 'max_age'] };
      }),
      inbound: side(inbound, (c) => {
        const { purposes, disclose, suppress_below, require_approval } = opts(c);
        return {
          purposes,
          until: UNTIL,
          disclose: disclose ?? ['count'],
          ...(suppress_below !== undefined ? { suppress_below } : c === 'patients.count' ? { suppress_below: { count: 5 } } : {}),
          ...(require_approval !== undefined ? { require_approval } : {}),
        };
      }),
    },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.json'), JSON.stringify(data, null, 2));
  return dir;
}

/**
 * A task's receipts at the partner, once the requester's ack has reached it: acks leave the
 * requester off the call path (retried from its outbox), so the partner holds the whole
 * triple a moment after the caller got its result. `requester` is the requester's control
 * client, `responder` the partner's.
 */
export async function wholeAtPartner(requester, responder, taskId, requesterOrg, partnerOrg, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const [ours] = await requester.receipts(taskId, partnerOrg);
    if (ours?.ack.state === 'delivered' || ours?.ack.state === 'failed' || Date.now() > end) break;
    await new Promise((done) => setTimeout(done, 20));
  }
  return (await responder.receipts(taskId, requesterOrg))[0];
}
