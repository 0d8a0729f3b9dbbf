import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/paths.js';

const run = promisify(execFile);

/**
 * The four example federations of examples/, each run as a user would (`entente example
 * <name>`: every gateway its own `entente serve` process on loopback). Each example checks
 * what it should show (the outputs, the partial results, the approvals, the compensation, the
 * receipts at each hop) and exits 0 only when every check held; the checks it printed are
 * asserted here too, so an example that quietly checked less would fail.
 */
describe('the examples', () => {
  const cases: [string, RegExp[]][] = [
    ['cohort-study', [/ok {3}the run completed although hospital-d is down/, /ok {3}the run records that it went on without hospital-d \(partial: d\)/, /ok {3}the sum is of the partners that answered/]],
    ['order-exception', [/ok {3}after the crash and restart the same approval still waits/, /ok {3}the shop's application \(role app\) may not decide/, /recorded with the decider's verified identity \(carol/, /ok {3}supplier-org ran substitutes\.reserve for this run exactly once/, /ok {3}the supplier's reservation was compensated/]],
    ['fraud-consortium', [/ok {3}the score combines both members/, /ok {3}bank-b's request statement cites bank-a's task .* as its parent/, /ok {3}hop consortium -> bank-c: receipts verified at both ends/]],
    ['triage', [/ok {3}the plan ran as a sub-graph at the two specialists/, /ok {3}the plan was refused, naming the capability outside the allow-list/, /ok {3}imaging-lab received nothing of it/]],
  ];
  for (const [name, expected] of cases) {
    it(`${name} runs to completion as described (exit 0)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `entente-e2e-${name}-`));
      try {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', join(REPO, 'gateway/src/cli/main.ts'), 'example', name, '--dir', dir], { cwd: REPO, timeout: 120_000 });
        expect(stdout).toContain(`example ${name}: behaved as described`);
        expect(stdout).not.toMatch(/^ {2}FAIL /m);
        for (const line of expected) expect(stdout).toMatch(line);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 150_000);
  }
});
