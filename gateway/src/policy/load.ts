import { checkAgreements } from './agreements.js';
import { CARD_RULE } from './card.js';
import { DECISION_POINTS, type PolicyEngine } from './engine.js';
import { PolicyError } from './errors.js';
import { RegoEngine } from './rego-engine.js';
import { readPolicyDirs } from './source.js';
import { WasmEngine } from './wasm-engine.js';

export type PolicyConfig = { readonly engine: 'rego'; readonly dirs: readonly string[] } | { readonly engine: 'opa-wasm'; readonly bundle: string };

/** The rules the gateway queries: a policy set without one of them would deny everything, silently. */
const REQUIRED_RULES: readonly [string, string][] = [
  [DECISION_POINTS.outbound, 'the outbound decision point'],
  [DECISION_POINTS.inbound, 'the inbound decision point'],
  [DECISION_POINTS.disclosure, 'the disclosure decision point'],
  [CARD_RULE, 'the card decision point'],
];

/**
 * Loads the configured policies and refuses them, listing every problem, when a decision
 * point's rule is missing or the agreements data does not match its schema. Used at start and
 * on reload, so that a broken edit keeps the running policies instead of denying every call.
 */
export function loadPolicyEngine(config: PolicyConfig): PolicyEngine {
  const where = config.engine === 'opa-wasm' ? `policies.bundle ${config.bundle}` : `policies.dir ${config.dirs.join(', ')}`;
  let engine: PolicyEngine;
  let data: Readonly<Record<string, unknown>>;
  if (config.engine === 'opa-wasm') {
    const wasm = new WasmEngine(config.bundle);
    [engine, data] = [wasm, wasm.data];
  } else {
    const source = readPolicyDirs(config.dirs);
    [engine, data] = [new RegoEngine(source), source.data];
  }
  const problems = [
    ...REQUIRED_RULES.filter(([rule]) => !engine.defines(rule)).map(([rule, what]) => `no rule ${rule} (${what}): define it, or load the shipped policies/default`),
    ...checkAgreements(data),
  ];
  if (problems.length > 0) {
    throw new PolicyError('POLICY_LOAD_FAILED', `the policies in ${where} cannot be used:\n  ${problems.join('\n  ')}`);
  }
  return engine;
}
