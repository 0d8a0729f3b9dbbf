import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { importPartner, loadConfig } from '../config/index.js';
import { EntenteClient, type CallOutcome } from '@entente/sdk';
import { certsInit, exportBundle } from '../pki/index.js';
import { defineCommand } from './command.js';
import { CliError } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { freePorts } from './ports.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Run from TypeScript sources (tests, tsx) or from the build: start `serve` the same way.
const RUNNING_TS = import.meta.url.endsWith('.ts');
const SERVE_ARGS = RUNNING_TS
  ? ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./main.ts', import.meta.url))]
  : [fileURLToPath(new URL('./main.js', import.meta.url))];
const ORGS = ['hospital-a', 'hospital-b', 'hospital-c'] as const;

/**
 * A three-hospital federation on loopback: development PKI for each, partners imported from
 * each other's bundles, three `entente serve` processes, then hospital-a asks the other two
 * how many of their patients match a cohort, and every task's receipts are verified on
 * both sides.
 */
export const demo = defineCommand(
  {
    name: 'demo',
    summary: 'start a three-hospital federation on loopback and run a federated count',
    usage: ['[--dir <work dir>]'],
    description: [
      'Sets up hospital-a, hospital-b and hospital-c (PKI, configs, partners imported from bundles),',
      'starts three entente serve processes, asks a cohort count of two partners and a call that',
      "hospital-a's own policy denies, verifies every receipt on both sides, and stops the gateways.",
    ],
    options: { dir: { type: 'string', arg: '<dir>', help: 'the work directory, kept afterwards (a new temporary one by default)' } },
    examples: [['run it, keeping the certificates, configs and logs in ./demo', 'entente demo --dir demo']],
    exits: [
      [EXIT.ok, 'every task behaved as expected and every receipt verified'],
      [EXIT.error, 'something did not: the output says what'],
    ],
  },
  ({ values }) => runDemo(values.dir),
);

async function runDemo(workDir: string | undefined): Promise<ExitCode> {
  const started = Date.now();
  const dir = workDir ?? mkdtempSync(join(tmpdir(), 'entente-demo-'));
  const say = (line = ''): void => void process.stdout.write(line + '\n');
  say(`entente demo: a federation of ${ORGS.join(', ')} in ${dir}`);

  const ports = await freePorts(ORGS.length);
  const configs = setUp(dir, ports);
  say(`  development certificates, receipt keys and configs written; partners imported from each other's bundles`);

  const children = await Promise.all(ORGS.map((org) => startGateway(org, configs[org], join(dir, 'logs'))));
  let ok = false;
  let results: CallOutcome[] = [];
  let denied: CallOutcome | undefined;
  let allVerified = true;
  try {
    say(`  gateways serving as separate processes: ${ORGS.map((o, i) => `${o} on 127.0.0.1:${ports[i]} (pid ${children[i]?.pid})`).join(', ')}`);
    say('');
    // Everything below goes through each gateway's control API, as an operator's tools would.
    const clients = Object.fromEntries(ORGS.map((org) => [org, EntenteClient.connect({ socket: loadConfig(configs[org]).control.socket })])) as Record<
      (typeof ORGS)[number],
      EntenteClient
    >;
    try {
      const a = clients['hospital-a'];
      const cohort = { condition: 'diabetes', min_age: 40, max_age: 65, requested_by: 'Dr. Example (not allowed to leave)' };
      say(`hospital-a asks hospital-b and hospital-c: how many patients with diabetes, aged 40-65? (purpose: research)`);
      results = await Promise.all(
        (['hospital-b', 'hospital-c'] as const).map((partner) =>
          a.call({ partner, capability: 'patients.count', purpose: 'research', input: cohort }),
        ),
      );
      say(`hospital-a asks hospital-b the same for marketing (no agreement covers that purpose)`);
      denied = await a.call({ partner: 'hospital-b', capability: 'patients.count', purpose: 'marketing', input: cohort });
      say('');
      for (const r of [...results, denied]) say(`  ${r.partner}: ${describe(r)}`);
      say('');
      say('receipts (request, result, ack), verified against the signers\' pinned keys on both sides:');
      for (const r of [...results, denied]) {
        const sides = r === denied ? (['hospital-a'] as const) : (['hospital-a', r.partner as (typeof ORGS)[number]] as const);
        for (const org of sides) {
          const [receipt] = await clients[org].receipts(r.taskId, org === 'hospital-a' ? r.partner : 'hospital-a');
          const state = receipt?.verification.state ?? 'missing';
          const kinds = receipt?.statements.map((s) => `${s.kind} by ${s.signerOrg}`).join(', ') ?? '';
          say(`  task ${r.taskId} at ${org.padEnd(10)}: ${state} [${kinds}]`);
          const expected = r === denied ? 'verified_local_denial' : 'verified';
          if (state !== expected) allVerified = false;
        }
      }
    } finally {
      for (const client of Object.values(clients)) client.close();
    }
    const [b, c] = results;
    ok =
      allVerified &&
      b?.status === 'completed' &&
      c?.status === 'completed' &&
      typeof (c.result as { count?: unknown }).count === 'string' &&
      denied?.status === 'denied' &&
      denied.reason === 'outbound_denied';
    say('');
    say(ok ? 'demo: all tasks behaved as expected and every receipt verified' : 'demo: FAILED: see the lines above');
  } finally {
    const codes = await Promise.all(children.map(stopGateway));
    say(`gateways stopped (exit codes ${codes.join(', ')}) after ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${join(dir, 'logs')}`);
    if (codes.some((c) => c !== 0)) ok = false;
  }
  return ok ? EXIT.ok : EXIT.error;
}

function describe(r: CallOutcome): string {
  if (r.status === 'completed') return `completed, result that left: ${JSON.stringify(r.result)}`;
  return `${r.status} (${r.reason}${r.policyReasons?.length ? `: ${r.policyReasons.join(', ')}` : ''}): ${r.message}`;
}

function setUp(dir: string, ports: readonly number[]): Record<(typeof ORGS)[number], string> {
  const certsDir = join(dir, 'certs');
  const out = {} as Record<(typeof ORGS)[number], string>;
  ORGS.forEach((org, i) => {
    certsInit({ org, certsDir });
    const configPath = join(dir, `${org}.yaml`);
    writeFileSync(
      configPath,
      [
        `# ${org}: generated by entente demo`,
        `org: ${org}`,
        `listen: 127.0.0.1:${ports[i]}`,
        `dataDir: data/${org}`,
        `tls: { ca: certs/${org}/ca.pem, cert: certs/${org}/gateway.pem, key: certs/${org}/gateway.key.pem }`,
        `receipts: { signingKey: certs/${org}/receipt-signing.jwk.json }`,
        `policies: { dir: [${JSON.stringify(join(ROOT, 'policies/default'))}, ${JSON.stringify(join(ROOT, 'policies', org))}] }`,
        `agents:`,
        `  - module: ${JSON.stringify(join(ROOT, 'examples/hospitals/agents/cohort-counter.mjs'))}`,
        `    options: { dataFile: ${JSON.stringify(join(ROOT, 'examples/hospitals', org, 'patients.json'))} }`,
        `partners: []`,
        '',
      ].join('\n'),
    );
    out[org] = configPath;
  });
  ORGS.forEach((org, i) => {
    const bundle = exportBundle({ org, address: `127.0.0.1:${ports[i]}`, certsDir });
    for (const other of ORGS) if (other !== org) importPartner(out[other], bundle);
  });
  return out;
}

async function startGateway(org: string, configPath: string, logDir: string): Promise<ChildProcess> {
  mkdirSync(logDir, { recursive: true });
  const child = spawn(process.execPath, [...SERVE_ARGS, 'serve', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(join(logDir, `${org}.log`));
  child.stderr?.pipe(log);
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CliError('CLI_DEMO_START', `${org} did not start within 20 s; see ${join(logDir, `${org}.log`)}`)), 20_000);
    lines.on('line', (line) => {
      log.write(line + '\n');
      if (line.includes('"gateway serving"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new CliError('CLI_DEMO_START', `${org} exited with code ${code} before serving; see ${join(logDir, `${org}.log`)}`));
    });
  });
  await ready;
  return child;
}

async function stopGateway(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code ?? 1;
}
