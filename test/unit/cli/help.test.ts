import { describe, expect, it } from 'vitest';
import { parse } from '../../../gateway/src/cli/args.js';
import { call } from '../../../gateway/src/cli/call.js';
import { certs } from '../../../gateway/src/cli/certs.js';
import { isGroup, type Command, type CommandSpec } from '../../../gateway/src/cli/command.js';
import { demo } from '../../../gateway/src/cli/demo.js';
import { formatCommandHelp } from '../../../gateway/src/cli/help.js';
import { init } from '../../../gateway/src/cli/init.js';
import { policy } from '../../../gateway/src/cli/policy.js';
import { approvals } from '../../../gateway/src/cli/approvals.js';
import { audit } from '../../../gateway/src/cli/audit.js';
import { receipts } from '../../../gateway/src/cli/receipts.js';
import { run } from '../../../gateway/src/cli/run.js';
import { runs } from '../../../gateway/src/cli/runs.js';
import { serve } from '../../../gateway/src/cli/serve.js';
import { status } from '../../../gateway/src/cli/status.js';

const leaves = (c: Command): CommandSpec[] => (isGroup(c.spec) ? c.spec.commands.flatMap(leaves) : [c.spec]);
const ALL = [init, certs, serve, call, receipts, audit, status, run, runs, approvals, policy, demo].flatMap(leaves);

/** Splits an example the way a POSIX shell would for the quoting examples use. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('the help of every entente command', () => {
  it('covers every command and subcommand', () => {
    expect(ALL.map((s) => s.name)).toEqual([
      'init', 'certs init', 'certs export', 'certs import', 'certs issue-client', 'certs rotate', 'serve', 'call',
      'receipts list', 'receipts show', 'audit export', 'audit verify', 'audit reconcile', 'status', 'run', 'runs list', 'runs show', 'runs cancel',
      'approvals list', 'approvals approve', 'approvals reject', 'approvals decide', 'policy eval', 'policy test', 'policy replay', 'demo',
    ]);
  });

  describe.each(ALL.map((s) => [s.name, s] as const))('entente %s --help', (name, spec) => {
    const text = formatCommandHelp(spec);

    it('describes every option it parses', () => {
      for (const [option, o] of Object.entries(spec.options)) {
        expect(o.help.trim(), `--${option}`).not.toBe('');
        expect(text).toMatch(new RegExp(`--${option}\\b.*  ${o.help.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      }
      expect(text).toContain('-h, --help');
    });

    it('gives at least one example that is a valid command line for it', () => {
      expect(spec.examples.length).toBeGreaterThan(0);
      for (const [, example] of spec.examples) {
        const argv = words(example);
        expect(argv.slice(0, 1 + name.split(' ').length).join(' ')).toBe(`entente ${name}`);
        expect(() => parse(argv.slice(1 + name.split(' ').length), spec.options, spec.maxArgs ?? 0), example).not.toThrow();
      }
    });
  });
});
