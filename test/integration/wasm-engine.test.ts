import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolicyDirs, RegoEngine, WasmEngine } from '../../gateway/src/policy/index.js';
import { REPO } from '../support/paths.js';

/** `opa` is not installable on our machines; where it is on PATH, both engines must agree. */
const opa = spawnSync('opa', ['version'], { encoding: 'utf8' });
const opaMissing = opa.error !== undefined || opa.status !== 0;
if (opaMissing) {
  console.warn('wasm engine equivalence: NOT RUN: no `opa` binary on PATH (needed to compile policies to Wasm)');
}

const ENTRYPOINTS = ['entente/outbound/decision', 'entente/inbound/decision', 'entente/disclosure/decision', 'entente/inbound/card'];

describe.skipIf(opaMissing)('the OPA Wasm engine (needs opa on PATH)', () => {
  it('gives the same decisions as the Rego evaluator on a corpus of inputs', () => {
    const dirs = [join(REPO, 'policies/default'), join(REPO, 'policies/hospital-b')];
    const out = mkdtempSync(join(tmpdir(), 'entente-wasm-'));
    try {
      const bundle = join(out, 'bundle.tar.gz');
      execFileSync('opa', ['build', '-t', 'wasm', ...ENTRYPOINTS.flatMap((e) => ['-e', e]), '-o', bundle, ...dirs, '--ignore', '*_test.rego']);
      const wasm = new WasmEngine(bundle);
      const rego = new RegoEngine(readPolicyDirs(dirs));
      const requesters = ['hospital-a', 'hospital-c', 'bank-x'].map((org) => ({ org }));
      const corpus: [string, unknown][] = [];
      for (const requester of requesters) {
        for (const purpose of ['research', 'marketing']) {
          corpus.push(['data.entente.inbound.decision', { requester, capability: 'patients.count', purpose, input: { condition: 'x' } }]);
          for (const count of [0, 4, 5, 99]) {
            corpus.push(['data.entente.disclosure.decision', { requester, capability: 'patients.count', purpose, result: { count, extra: 1 } }]);
          }
        }
        corpus.push(['data.entente.inbound.card', { requester, capabilities: ['patients.count', 'other'] }]);
        corpus.push(['data.entente.outbound.decision', { partner: requester.org, capability: 'patients.count', purpose: 'research', input: { condition: 'x', name: 'n' } }]);
      }
      for (const [path, input] of corpus) expect(wasm.evaluate(path, input), path).toEqual(rego.evaluate(path, input));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
