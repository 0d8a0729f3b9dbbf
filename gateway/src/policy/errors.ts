export type PolicyErrorCode = 'POLICY_LOAD_FAILED' | 'POLICY_EVAL_FAILED';

/** The policy itself is broken (it did not load or did not evaluate); not a denial. */
export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PolicyError';
  }
}
