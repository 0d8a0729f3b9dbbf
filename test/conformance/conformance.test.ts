import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, corpusPresent, runCorpus, summarize } from './harness.js';

const threshold = (JSON.parse(readFileSync(join(import.meta.dirname, 'threshold.json'), 'utf8')) as { min_pass_rate: number }).min_pass_rate;
const required = process.env['ENTENTE_REQUIRE_CONFORMANCE'] === '1';
const present = corpusPresent();
if (!present && !required) {
  console.warn(`rego conformance: NOT RUN: no corpus at ${corpusDir()} (set ENTENTE_REGO_CONFORMANCE to run it)`);
}

describe('Rego conformance against OPA v1.19.0 cases', () => {
  it.runIf(present || required)(`passes at least ${threshold}% of the public cases (ratchet)`, () => {
    expect(present, `the conformance corpus is required here but missing at ${corpusDir()}`).toBe(true);
    const results = runCorpus();
    const { lines, percent } = summarize(results);
    console.log(lines.join('\n'));
    expect(results.length).toBe(1082);
    expect(percent).toBeGreaterThanOrEqual(threshold);
  }, 240_000);
});
