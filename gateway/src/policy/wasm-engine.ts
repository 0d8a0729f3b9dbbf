import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';

// A CommonJS package whose named exports Node's ESM loader cannot see: load it as CommonJS.
const { loadPolicySync } = createRequire(import.meta.url)('@open-policy-agent/opa-wasm') as typeof import('@open-policy-agent/opa-wasm');
import { readBundleArchive } from './bundle.js';
import type { EvaluateOptions, PolicyEngine, WasmContent } from './engine.js';
import { PolicyError } from './errors.js';

/**
 * The engine for sites that compile with OPA's toolchain: a bundle from
 * `opa build -t wasm -e entente/outbound/decision -e entente/inbound/decision
 * -e entente/disclosure/decision -e entente/inbound/card`, evaluated by OPA's Wasm runtime.
 */
export class WasmEngine implements PolicyEngine {
  readonly revision: string;
  /** The bundle's data document, as loaded into the policy. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly content: WasmContent;
  private readonly policy: LoadedPolicy;

  /** The bundle at `bundlePath`; or, given `archive` (a stored revision), that archive, `bundlePath` only naming it. */
  constructor(bundlePath: string, archive: Uint8Array = readBundle(bundlePath)) {
    this.content = { engine: 'opa-wasm', archive };
    const files = readBundleArchive(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength), bundlePath);
    const wasm = files.get('policy.wasm');
    if (wasm === undefined) {
      throw new PolicyError('POLICY_LOAD_FAILED', `${bundlePath} has no policy.wasm: build it with opa build -t wasm`);
    }
    this.revision = 'sha256:' + createHash('sha256').update(archive).digest('base64url');
    try {
      this.policy = loadPolicySync(wasm);
      const data = files.get('data.json');
      this.data = data === undefined ? {} : (JSON.parse(data.toString('utf8')) as Record<string, unknown>);
      this.policy.setData(this.data);
    } catch (err) {
      throw new PolicyError('POLICY_LOAD_FAILED', `${bundlePath}: the Wasm policy did not load: ${(err as Error).message}`, { cause: err });
    }
  }

  defines(path: string): boolean {
    return entrypointOf(path) in (this.policy.entrypoints as Record<string, number>);
  }

  /**
   * OPA's Wasm runtime reads its own clock: `opts.now` cannot be passed in, so a replay of a
   * decision whose policy reads `time.now_ns()` sees the time of the replay.
   */
  evaluate(path: string, input: unknown, _opts?: EvaluateOptions): unknown {
    const entrypoint = entrypointOf(path);
    if (!(entrypoint in (this.policy.entrypoints as Record<string, number>))) {
      throw new PolicyError('POLICY_EVAL_FAILED', `the Wasm bundle has no entrypoint ${entrypoint}; add -e ${entrypoint} to opa build`);
    }
    const results = this.policy.evaluate(input, entrypoint) as { result?: unknown }[];
    return results[0]?.result;
  }
}

function readBundle(bundlePath: string): Buffer {
  try {
    return readFileSync(bundlePath);
  } catch (err) {
    throw new PolicyError('POLICY_LOAD_FAILED', `cannot read policy bundle ${bundlePath}: ${(err as Error).message}`, { cause: err });
  }
}

function entrypointOf(path: string): string {
  return path.replace(/^data\./, '').split('.').join('/');
}
