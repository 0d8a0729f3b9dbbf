import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/paths.js';

const run = promisify(execFile);
const entente = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(REPO, 'gateway/src/cli/main.ts'), ...args], { cwd: REPO, timeout: 60_000 });

describe('the entente CLI', () => {
  it('lists its commands in --help', async () => {
    const { stdout } = await entente('--help');
    for (const cmd of ['init', 'certs', 'serve', 'call', 'receipts', 'policy', 'demo']) {
      expect(stdout).toMatch(new RegExp(`^  ${cmd}\\s+\\S`, 'm'));
    }
  });

  it('documents its exit codes in --help', async () => {
    const { stdout } = await entente('--help');
    const codes = [...stdout.slice(stdout.indexOf('exit codes:')).matchAll(/^  (\d)  (\S.*)$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(codes.map(([code]) => code)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(codes[3]?.[1]).toMatch(/^denied by a policy/);
  });

  it('shows a command\'s options and an example with entente help <command>, as <command> --help does', async () => {
    const [viaHelp, viaFlag] = await Promise.all([entente('help', 'call'), entente('call', '--help')]);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(/^entente call: /);
    expect(viaHelp.stdout).toMatch(/^ {6}--partner <org> +the partner's org id/m);
    expect(viaHelp.stdout).toMatch(/^ {2}-c, --config <gateway\.yaml> +the gateway's config/m);
    expect(viaHelp.stdout).toMatch(/^examples?:\n {2}# .*\n {2}entente call --config /m);
  });

  it('shows a subcommand\'s help with entente help <command> <subcommand>, and lists a group\'s commands', async () => {
    const [viaHelp, viaFlag, group] = await Promise.all([entente('help', 'certs', 'export'), entente('certs', 'export', '--help'), entente('certs', '--help')]);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(/^ {2}-o, --out <bundle\.json> +write the bundle to this file/m);
    expect(group.stdout).toMatch(/^ {2}certs issue-client +a control-API client certificate/m);
  });

  it('names a mistyped option and suggests the right one, with exit code 2', async () => {
    const err = await entente('call', '--config', 'x.yaml', '--partnr', 'bank-b').catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(/^entente: unknown option --partnr: did you mean --partner\?\nusage: entente call /);
  });

  it('runs the shipped policies\' tests like opa test -v', async () => {
    const { stdout } = await entente('policy', 'test', '-v', 'policies/default');
    expect(stdout).toMatch(/test_suppresses_small_cells: PASS/);
    expect(stdout).toMatch(/^PASS: (\d+)\/\1$/m);
  });

  it('exits non-zero and names the failing test when a policy test fails', async () => {
    const err = await entente('policy', 'test', join(REPO, 'test/fixtures/failing-policy')).catch((e: { code: number; stdout: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stdout: string }).stdout).toMatch(/test_always_wrong: FAIL/);
  });

  it('evaluates a decision with policy eval', async () => {
    const { stdout } = await entente(
      'policy', 'eval', '-d', 'policies/default', '-d', 'policies/hospital-b',
      '-i', join(REPO, 'test/fixtures/inbound-input.json'), 'data.entente.inbound.decision',
    );
    expect(JSON.parse(stdout)).toEqual({ result: { allow: true, reasons: [], require_approval: false } });
  });

  describe('policy eval, with the options OPA users reach for', () => {
    const decide = ['policy', 'eval', '-d', 'policies/default', '-d', 'policies/hospital-b', '-i', join(REPO, 'test/fixtures/inbound-input.json')];
    const failing = (...args: string[]) => entente(...args).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

    it('prints the bare value with --format pretty, and a table of bindings for a query with variables', async () => {
      const value = await entente(...decide, '--format', 'pretty', 'data.entente.inbound.decision.reasons');
      expect(value.stdout).toBe('[]\n');
      const rows = await entente(...decide, '-f', 'pretty', 'some capability, terms in data.agreements.inbound["hospital-a"]; purpose := terms.purposes[_]');
      expect(rows.stdout).toMatch(/^capability\s+terms\s+purpose\n"patients\.count"\s+\{"disclose":\["count"\],.*\}\s+"research"\n$/);
    });

    it('exits 3 with --fail when the result is undefined, 0 when it is defined', async () => {
      expect(await failing(...decide, '--fail', 'data.entente.inbound.no_such_rule')).toMatchObject({ code: 3, stdout: '{}\n' });
      expect(await failing(...decide, '--fail', 'data.entente.inbound.decision.allow')).toMatchObject({ code: 0 });
    });

    it('exits 3 with --fail-defined when the result is defined, 0 when it is undefined', async () => {
      expect(await failing(...decide, '--fail-defined', 'data.entente.inbound.decision.allow == true')).toMatchObject({ code: 3 });
      expect(await failing(...decide, '--fail-defined', 'data.entente.inbound.decision.allow == false', '-f', 'pretty')).toMatchObject({ code: 0, stdout: 'undefined\n' });
    });

    it('refuses --fail with --fail-defined as a usage mistake', async () => {
      const both = await failing(...decide, '--fail', '--fail-defined', 'data.entente.inbound.decision');
      expect(both).toMatchObject({ code: 2 });
      expect(both.stderr).toContain('--fail and --fail-defined exclude each other');
    });

    it('names the input file that is not JSON, and the -d that is not there or missing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'entente-eval-'));
      writeFileSync(join(dir, 'badin.json'), '{"purpose": research}');
      const badInput = await failing('policy', 'eval', '-d', 'policies/default', '-i', join(dir, 'badin.json'), 'data.entente.inbound.decision');
      expect(badInput).toMatchObject({ code: 2 });
      expect(badInput.stderr).toMatch(new RegExp(`^entente: -i ${join(dir, 'badin.json')}: not valid JSON: `));
      const noInput = await failing('policy', 'eval', '-d', 'policies/default', '-i', join(dir, 'nothing.json'), 'data.entente.inbound.decision');
      expect(noInput.stderr).toContain(`-i ${join(dir, 'nothing.json')}: no such file`);
      const noDir = await failing('policy', 'eval', '-d', 'policies/default', '-d', 'policies/hospital-z', 'data.entente.inbound.decision');
      expect(noDir).toMatchObject({ code: 2 });
      expect(noDir.stderr).toMatch(/^entente: -d policies\/hospital-z: no such directory\n/);
      const noD = await failing('policy', 'eval', 'data.entente.inbound.decision');
      expect(noD.stderr).toMatch(/^entente: missing -d <dir>: /);
      rmSync(dir, { recursive: true, force: true });
    });
  });

  it('reports policy tests as JSON with --format json, failures marked', async () => {
    const err = await entente('policy', 'test', '--format', 'json', join(REPO, 'test/fixtures/failing-policy')).catch((e: { code: number; stdout: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    const results = JSON.parse((err as { stdout: string }).stdout) as { package: string; name: string; duration: number; fail?: boolean }[];
    expect(results).toEqual([
      { package: 'data.fixtures.wrong_test', name: 'test_always_wrong', duration: expect.any(Number), fail: true },
      { package: 'data.fixtures.wrong_test', name: 'test_right', duration: expect.any(Number) },
    ]);
  });

  it('refuses an unknown command with usage and exit code 2', async () => {
    const err = await entente('frobnicate').catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain('unknown command "frobnicate"');
  });
});

describe('entente demo', () => {
  it('runs a three-hospital federation end to end and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-demo-test-'));
    const { stdout, stderr } = await entente('demo', '--dir', dir);
    expect(stdout).toMatch(/hospital-b: completed, result that left: \{"count":\d+\}/);
    expect(stdout).toMatch(/hospital-c: completed, result that left: \{"count":"<5"\}/);
    expect(stdout).toMatch(/hospital-b: denied \(outbound_denied/);
    expect(stdout.match(/: verified \[request by hospital-a, result by hospital-[bc], ack by hospital-a\]/g)).toHaveLength(4);
    expect(stdout).toContain('every receipt verified');
    // No warnings from Node: partners at IP addresses must not get the IP as a TLS server name (DEP0123).
    const logs = readdirSync(join(dir, 'logs')).map((f) => readFileSync(join(dir, 'logs', f), 'utf8')).join('\n');
    expect(logs).toContain('"gateway serving"');
    expect(`${stderr}\n${logs}`).not.toMatch(/DEP0123|Warning:/);
    rmSync(dir, { recursive: true, force: true });
  }, 90_000);
});

describe('entente workflows validate', () => {
  it('accepts a valid workflow file and lists the problems of a broken one with their locations (exit 1)', async () => {
    const ok = await entente('workflows', 'validate', 'examples/order-exception/order-exception.yaml');
    expect(ok.stdout).toMatch(/order-exception\.yaml: ok, workflow order-exception with 6 steps \(stock -> /);
    const dir = mkdtempSync(join(tmpdir(), 'entente-wf-'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, readFileSync(join(REPO, 'examples/order-exception/order-exception.yaml'), 'utf8').replace('needs: [substitutes, terms]', 'needs: [substitute]'));
    const err = await entente('workflows', 'validate', broken).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toContain(`${broken}: invalid workflow:`);
    expect(err?.stderr).toContain('steps[3].needs: unknown step "substitute" (did you mean "substitutes"?)');
    expect(err?.stderr).toContain('steps[3].input: reads steps.terms, which may not have run: add "terms" to needs');
    rmSync(dir, { recursive: true, force: true });
  });
});
