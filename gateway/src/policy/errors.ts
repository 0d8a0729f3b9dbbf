import { EntenteError } from '../lib/index.js';

/** Every way a policy can be broken, as opposed to saying no. The keys are the closed set of `code`s. */
export const POLICY_ERROR_CODES = {
  POLICY_LOAD_FAILED: 'the policies (Rego files, data.json files or an OPA Wasm bundle) could not be read or compiled',
  POLICY_EVAL_FAILED: 'a decision point failed to evaluate (conflict, builtin error, resource limit, missing entrypoint); the gateway fails closed',
  POLICY_REVISION_CORRUPT: 'the content stored for a policy revision does not hash to that revision (the store was altered or damaged)',
} as const;

export type PolicyErrorCode = keyof typeof POLICY_ERROR_CODES;

/** The policy itself is broken (it did not load or did not evaluate); not a denial. */
export class PolicyError extends EntenteError<PolicyErrorCode> {}
