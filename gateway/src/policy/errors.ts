import { EntenteError } from '../lib/index.js';

/** Every way a policy can be broken, as opposed to saying no. The keys are the closed set of `code`s. */
export const POLICY_ERROR_CODES = {
  POLICY_LOAD_FAILED: 'the policies (Rego files, data.json files or an OPA Wasm bundle) could not be read or compiled',
  POLICY_EVAL_FAILED: 'a decision point failed to evaluate (conflict, builtin error, resource limit, missing entrypoint); the gateway fails closed',
  POLICY_REVISION_CORRUPT: 'the content stored for a policy revision does not hash to that revision (the store was altered or damaged)',
  POLICY_REVISION_MISSING: 'the store does not keep the content of the policy revision a decision cites, so the decision cannot be replayed',
  DECISION_UNKNOWN: 'the store holds no decision with this id',
  DECISION_INPUT_UNAVAILABLE: 'a replay needs the decision input: it was not kept, was deleted at the end of its retention period, or the key to open it was not given',
  DECISION_INPUT_MISMATCH: 'the input given for a replay (or kept for it) does not match the salted digest recorded with the decision',
} as const;

export type PolicyErrorCode = keyof typeof POLICY_ERROR_CODES;

/**
 * The policy itself is broken (it did not load or did not evaluate), or a recorded decision
 * cannot be replayed; never a denial.
 */
export class PolicyError extends EntenteError<PolicyErrorCode> {}
