import { readFileSync, writeFileSync } from 'node:fs';
import { reconcileBundles, verifyBundle, type Finding, type ReconcileReport, type VerifyReport } from '../audit/index.js';
import { UsageError } from './args.js';
import { defineCommand, defineGroup } from './command.js';
import { CONNECT_OPTIONS, CONNECT_USAGE, withGateway } from './connect.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';

const FORMAT = { type: 'string', short: 'f', arg: 'text|json', help: 'text for a person (default), json for a machine' } as const;

const exportCommand = defineCommand(
  {
    name: 'audit export',
    summary: "an audit bundle of the running gateway's log: statements with proofs, checkpoints, keys",
    usage: [`${CONNECT_USAGE} --out <bundle.json> [--since <time>] [--until <time>] [--partner <org>]`],
    description: [
      'The bundle is self-contained: the selected tasks\' statements, each with its inclusion proof to a',
      'checkpoint the gateway signs now, its earlier checkpoints with the cosignatures partners returned',
      'and a consistency proof to the new one, its and its partners\' public keys with validity periods,',
      "the partners' checkpoints it witnessed, its alarms. docs/audit.md is the format. A task is exported",
      'whole (request, result, ack) when any of its statements was stored in the window. Needs the auditor',
      'or operator role.',
    ],
    options: {
      out: { type: 'string', short: 'o', arg: '<bundle.json>', help: 'where to write the bundle' },
      since: { type: 'string', arg: '<time>', help: 'RFC 3339, e.g. 2026-12-01T00:00:00Z' },
      until: { type: 'string', arg: '<time>', help: 'RFC 3339' },
      partner: { type: 'string', arg: '<org>', help: 'only tasks with this partner' },
      ...CONNECT_OPTIONS,
    },
    examples: [
      ["November's exchanges with bank-b", 'entente audit export --config entente.yaml --partner bank-b --since 2026-11-01T00:00:00Z --until 2026-12-01T00:00:00Z --out bank-a-nov.json'],
    ],
    exits: [
      [EXIT.ok, 'the bundle was written'],
      [EXIT.error, 'the gateway is not running or refused the client, or the file cannot be written'],
      [EXIT.usage, 'a missing --out, a time that is not RFC 3339'],
    ],
  },
  async ({ values }) => {
    if (values.out === undefined) throw new UsageError('missing --out <bundle.json>: where to write the bundle');
    const selection = {
      ...(values.since !== undefined ? { since: time(values.since, '--since') } : {}),
      ...(values.until !== undefined ? { until: time(values.until, '--until') } : {}),
      ...(values.partner !== undefined ? { partner: values.partner } : {}),
    };
    const text = await withGateway(values, (client) => client.exportAudit(selection));
    try {
      writeFileSync(values.out, text + '\n');
    } catch (err) {
      throw new CliError('CLI_INPUT', `cannot write ${values.out}: ${(err as Error).message}`);
    }
    const bundle = JSON.parse(text) as { statements: unknown[]; tasks: unknown[]; org: string };
    process.stdout.write(`wrote ${values.out}: ${bundle.org}'s log, ${bundle.tasks.length} tasks, ${bundle.statements.length} statements\nnext: entente audit verify ${values.out}\n`);
    return EXIT.ok;
  },
);

const verifyCommand = defineCommand(
  {
    name: 'audit verify',
    summary: 'check an audit bundle offline: signatures, cosignatures, proofs, key validity, each task\'s chain',
    usage: ['<bundle.json> [--format text|json]'],
    description: [
      'Needs no gateway and no network. Every signature and cosignature, every digest link (request →',
      'result → ack), every inclusion proof, the consistency of each checkpoint with the newest, and that',
      'each key was valid when it signed. Each problem is printed with its task id and what is wrong.',
    ],
    options: { format: FORMAT },
    maxArgs: 1,
    examples: [['a bundle from a partner or your own gateway', 'entente audit verify bank-a-nov.json']],
    exits: [
      [EXIT.ok, 'everything in the bundle verifies'],
      [EXIT.usage, 'no bundle given, or it cannot be read as JSON'],
      [EXIT.unverified, 'at least one problem was found (each is printed)'],
    ],
  },
  ({ values, positionals }) => {
    const bundle = readBundle(positionals[0]);
    const progress = values.format !== 'json' && process.stderr.isTTY ? progressBar('verifying') : undefined;
    const report = verifyBundle(bundle, progress !== undefined ? { onProgress: progress } : {});
    if (formatOf(values.format) === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else printVerify(report);
    return report.ok ? EXIT.ok : EXIT.unverified;
  },
);

const reconcileCommand = defineCommand(
  {
    name: 'audit reconcile',
    summary: "match two organizations' bundles task by task, and each one's log against what the other witnessed",
    usage: ['<bundleA.json> <bundleB.json> [--format text|json]'],
    description: [
      'Each bundle is verified first. Then: tasks between the two present on one side only, statements',
      'that differ, results never acknowledged, and whether each side\'s checkpoints of the other are',
      "consistent with the other's log (a rewritten history shows here).",
    ],
    options: { format: FORMAT },
    maxArgs: 2,
    examples: [["your export and your partner's, of the same period", 'entente audit reconcile bank-a-nov.json bank-b-nov.json']],
    exits: [
      [EXIT.ok, 'both bundles verify and reconcile'],
      [EXIT.usage, 'not two bundles, or one cannot be read as JSON'],
      [EXIT.unverified, 'at least one problem was found (each is printed)'],
    ],
  },
  ({ values, positionals }) => {
    if (positionals.length !== 2) throw new UsageError('give two bundles: entente audit reconcile <bundleA.json> <bundleB.json>');
    const report = reconcileBundles(readBundle(positionals[0]), readBundle(positionals[1]));
    if (formatOf(values.format) === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else printReconcile(report);
    return report.ok ? EXIT.ok : EXIT.unverified;
  },
);

/** Audit bundles: export from the running gateway, verify and reconcile offline. */
export const audit = defineGroup(
  { name: 'audit', summary: 'audit bundles: export from the running gateway; verify and reconcile offline' },
  [exportCommand, verifyCommand, reconcileCommand],
);

function time(value: string, flag: string): Date {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(t)) throw new UsageError(`${flag} ${value}: expected an RFC 3339 time, e.g. 2026-12-01T00:00:00Z`);
  return new Date(t);
}

function formatOf(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--format ${value}: expected text or json`);
}

function readBundle(file: string | undefined): unknown {
  if (file === undefined) throw new UsageError('missing <bundle.json>: a file entente audit export wrote');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read it: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${(err as Error).message}); an audit bundle is the JSON file entente audit export writes`);
  }
}

/** A one-line progress bar on stderr, redrawn in place; cleared when done. */
function progressBar(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (total < 2000) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(done >= total ? '\r\x1b[2K' : `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} statements`);
  };
}

function line(f: Finding): string {
  const about = [f.taskId !== undefined ? `task ${f.taskId}` : undefined, f.partner !== undefined ? `partner ${f.partner}` : undefined, f.subject].filter((x) => x !== undefined).join(', ');
  return `  ${f.code}${about !== '' ? ` (${about})` : ''}: ${f.message}`;
}

function printVerify(r: VerifyReport): void {
  const head = `${r.org ?? 'bundle'}: ${r.statements} statements, ${r.tasks} tasks, log head at ${r.headSize ?? '?'}`;
  const cosigned = Object.entries(r.cosignedBy).map(([p, n]) => `${p} (at ${n})`).join(', ') || 'no partner';
  process.stdout.write(
    r.ok
      ? `${head}\ncosigned by ${cosigned}\nverified: every signature, proof and chain holds\n`
      : `${head}\ncosigned by ${cosigned}\nNOT VERIFIED: ${r.findings.length} problem(s)\n${r.findings.map(line).join('\n')}\n`,
  );
}

function printReconcile(r: ReconcileReport): void {
  const [a, b] = r.orgs;
  const head = `${a} and ${b}: ${r.tasks.matched} tasks in both, ${r.tasks.onlyFirst} only in ${a}'s, ${r.tasks.onlySecond} only in ${b}'s`;
  process.stdout.write(r.ok ? `${head}\nreconciled: both bundles verify and agree\n` : `${head}\nNOT RECONCILED: ${r.findings.length} problem(s)\n${r.findings.map(line).join('\n')}\n`);
}
