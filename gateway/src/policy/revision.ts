import { createHash } from 'node:crypto';
import type { PolicyContent, PolicyEngine } from './engine.js';
import { PolicyError } from './errors.js';
import { RegoEngine } from './rego-engine.js';
import { filesRevision, sourceOf } from './source.js';
import { WasmEngine } from './wasm-engine.js';

/**
 * The revision a policy content hashes to: for Rego, the hash readPolicyDirs computes over the
 * files; for an OPA Wasm bundle, the SHA-256 of the archive. Receipts cite it, so content
 * stored under a revision can be checked against it before anyone relies on it.
 */
export function revisionOf(content: PolicyContent): string {
  return content.engine === 'rego' ? filesRevision(content) : 'sha256:' + createHash('sha256').update(content.archive).digest('base64url');
}

/**
 * The engine of a stored revision, never of the live policy files: the content must hash to
 * `revision` (else POLICY_REVISION_CORRUPT: the stored copy is not the policy the receipts
 * cite), and must compile as it did.
 *
 * @example const engine = loadRevision(record.revision, await store.getPolicyRevision(record.revision));
 */
export function loadRevision(revision: string, content: PolicyContent): PolicyEngine {
  const actual = revisionOf(content);
  if (actual !== revision) {
    throw new PolicyError('POLICY_REVISION_CORRUPT', `the stored content of policy revision ${revision} hashes to ${actual}: the store was altered or damaged, so it cannot stand for that revision`);
  }
  const label = `policy revision ${revision}`;
  return content.engine === 'rego' ? new RegoEngine(sourceOf(content, [label])) : new WasmEngine(label, content.archive);
}
