import type { AgentRegistry, CapabilityInfo } from '../agents/index.js';
import type { KeyRing, PublicJwk } from '../crypto/index.js';
import type { Logger } from '../observability/index.js';
import { decideCard, type PolicyEngine } from '../policy/index.js';
import type { Peer } from './task.js';

export interface CardDeps {
  readonly org: string;
  readonly policy: () => PolicyEngine;
  readonly agents: AgentRegistry;
  /** Our own receipt keys (current and previous) are published on the card. */
  readonly keys: () => KeyRing;
  /** Our audit log's verifier key (C2SP vkey), published so partners can check our checkpoints. */
  readonly logKey?: string;
  /** Log keys we rotated from: our older checkpoints are signed by them. */
  readonly previousLogKeys?: readonly string[];
  readonly log: Logger;
}

/** What one partner may know of us: the capabilities the card decision shows it, and our receipt keys. */
export interface CardView {
  readonly org: string;
  readonly capabilities: readonly CapabilityInfo[];
  readonly receiptJwks: { readonly keys: readonly PublicJwk[] };
  readonly logKey?: string;
  readonly previousLogKeys?: readonly string[];
}

/** The card `peer` may see. A failing card policy fails closed: no capabilities, logged as our fault. */
export function cardFor(deps: CardDeps, peer: Peer): CardView {
  const all = deps.agents.capabilities();
  let visible: ReadonlySet<string> = new Set();
  try {
    const decision = decideCard(deps.policy(), { requester: { org: peer.org }, capabilities: all.map((c) => c.name) });
    visible = decision.visible;
    deps.log.info({ partner: peer.org, decision_id: decision.id, policy_revision: decision.revision, shown: visible.size }, 'card');
  } catch (err) {
    deps.log.error({ partner: peer.org, err }, 'card policy failed; showing no capabilities');
  }
  return {
    org: deps.org,
    capabilities: all.filter((c) => visible.has(c.name)),
    receiptJwks: { keys: deps.keys().publicJwks(deps.org) },
    ...(deps.logKey !== undefined ? { logKey: deps.logKey } : {}),
    previousLogKeys: deps.previousLogKeys ?? [],
  };
}
