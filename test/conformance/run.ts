// `npm run conformance`: OPA's own evaluation cases against Entente's Rego evaluator.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusPresent, runCorpus, summarize } from './harness.js';
import { REPO } from '../support/paths.js';

if (!corpusPresent()) {
  process.stderr.write(`rego conformance: not run: no corpus at ${corpusDir()} (set ENTENTE_REGO_CONFORMANCE)\n`);
  process.exit(2);
}
const results = runCorpus();
mkdirSync(join(REPO, 'conformance-results'), { recursive: true });
writeFileSync(join(REPO, 'conformance-results/rego.json'), JSON.stringify(results, null, 1) + '\n');
process.stdout.write(summarize(results).lines.join('\n') + '\n');
