import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/paths.js';

const run = promisify(execFile);

/**
 * An operator installs the CLI as the README says (`npm install -g ./gateway`, here into a
 * scratch prefix) and uses it from their own directory, outside the clone.
 */
describe('the entente CLI installed with npm install -g', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'entente-prefix-'));
  const home = mkdtempSync(join(tmpdir(), 'entente-operator-home-'));
  afterAll(() => {
    rmSync(prefix, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('runs from a directory outside the clone: help, init with its example agent, policy tests', async () => {
    await run('npm', ['install', '-g', '--prefix', prefix, join(REPO, 'gateway'), '--no-audit', '--no-fund'], { timeout: 120_000 });
    const entente = (...args: string[]) => run(join(prefix, 'bin', 'entente'), args, { cwd: home, timeout: 60_000 });
    expect((await entente('--version')).stdout).toMatch(/^entente \d+\.\d+\.\d+/);
    expect((await entente('help', 'init')).stdout).toContain('--org');
    await entente('init', '--org', 'clinic-x', '--dir', 'clinic-x');
    expect(readFileSync(join(home, 'clinic-x', 'entente.yaml'), 'utf8')).toContain('module: agents/word-count.mjs');
    expect((await entente('policy', 'test', 'clinic-x/policies')).stdout).toMatch(/^PASS: \d+\/\d+$/m);
  }, 180_000);
});
