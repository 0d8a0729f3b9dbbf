import { compile, toJS, type CompiledPolicy } from './rego/index.js';
import type { EvaluateOptions, PolicyEngine, RegoContent } from './engine.js';
import { PolicyError } from './errors.js';
import type { PolicySource } from './source.js';

/** The default engine: Entente's own Rego evaluator over policy source. */
export class RegoEngine implements PolicyEngine {
  readonly revision: string;
  readonly content?: RegoContent;
  private readonly policy: CompiledPolicy;

  constructor(source: PolicySource) {
    this.revision = source.revision;
    if (source.content !== undefined) this.content = source.content;
    try {
      this.policy = compile({ modules: source.modules, data: source.data });
    } catch (err) {
      throw new PolicyError('POLICY_LOAD_FAILED', `policies in ${source.dirs.join(', ')} do not compile: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  defines(path: string): boolean {
    return this.policy.defines(path);
  }

  evaluate(path: string, input: unknown, opts: EvaluateOptions = {}): unknown {
    const { value } = this.policy.evaluate(path, { input, strictBuiltinErrors: true, ...(opts.now !== undefined ? { now: opts.now } : {}) });
    return value === undefined ? undefined : toJS(value);
  }
}
