import { timeOrderedId } from '../lib/index.js';
import type { EvaluateOptions, PolicyEngine } from './engine.js';
import { PolicyError } from './errors.js';

/** The rule that decides which capabilities a partner's card shows (a set of names). */
export const CARD_RULE = 'data.entente.inbound.card';

export interface CardDecision {
  readonly id: string;
  readonly revision: string;
  /** The capability names the requester may see; empty unless the policy names them. */
  readonly visible: ReadonlySet<string>;
}

/**
 * The `card` decision point. Default deny: an undefined rule, or one that is not a collection
 * of names, shows nothing; names the gateway does not offer are ignored by the caller.
 * Evaluation errors propagate as PolicyError.
 */
export function decideCard(
  engine: PolicyEngine,
  input: { readonly requester: { readonly org: string }; readonly capabilities: readonly string[] },
  opts: EvaluateOptions = {},
): CardDecision {
  const now = opts.now ?? Date.now();
  let raw: unknown;
  try {
    raw = engine.evaluate(CARD_RULE, input, { now });
  } catch (err) {
    throw new PolicyError('POLICY_EVAL_FAILED', 'card policy failed to evaluate', { cause: err });
  }
  const names = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  const decision: CardDecision = { id: timeOrderedId(), revision: engine.revision, visible: new Set(names) };
  engine.recorder?.record({ point: 'card', id: decision.id, revision: decision.revision, at: now, input, outcome: { kind: 'card', visible: decision.visible } });
  return decision;
}
