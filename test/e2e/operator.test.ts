import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/paths.js';
import { freePorts } from '../../gateway/src/cli/ports.js';

const run = promisify(execFile);
const MAIN = join(REPO, 'gateway/src/cli/main.ts');
// Resolved here: the commands run in other directories, where 'tsx' would not resolve.
const TSX = import.meta.resolve('tsx');
const entente = (cwd: string, ...args: string[]) => run(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, timeout: 60_000 });
const failing = (cwd: string, ...args: string[]) =>
  entente(cwd, ...args).then(
    () => {
      throw new Error(`entente ${args.join(' ')} should have failed`);
    },
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

/** `entente serve` in a child process, its log lines collected (and parsed, when JSON). */
function serve(cwd: string, ...args: string[]) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', '--config', 'entente.yaml', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const log: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('{')) log.push(JSON.parse(line) as Record<string, unknown>);
      if (line.includes('gateway serving')) resolve();
    });
    child.once('exit', () => reject(new Error(`entente serve in ${cwd} exited before serving: ${stderr}`)));
  });
  return {
    ready,
    lines,
    log,
    /** SIGHUP, resolved once the gateway logs that it reloaded. */
    async reload(): Promise<void> {
      const before = log.length;
      child.kill('SIGHUP');
      await expect.poll(() => log.slice(before).some((l) => l['msg'] === 'reloaded configuration')).toBe(true);
    },
    async stop(): Promise<number | null> {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

describe('an operator setting up two gateways with the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entente-operator-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('initialises, exchanges bundles, serves, calls, and audits the receipts', async () => {
    const [portA, portB] = await freePorts(2);
    const a = join(dir, 'bank-a');
    const b = join(dir, 'bank-b');
    await entente(dir, 'init', '--org', 'bank-a', '--dir', a, '--listen', `127.0.0.1:${portA}`);
    await entente(dir, 'init', '--org', 'bank-b', '--dir', b, '--listen', `127.0.0.1:${portB}`);
    expect(readFileSync(join(a, 'entente.yaml'), 'utf8')).toContain('org: bank-a');

    // The shipped policy tests pass in a fresh gateway directory.
    const tests = await entente(a, 'policy', 'test', 'policies');
    expect(tests.stdout).toMatch(/^PASS: \d+\/\d+$/m);

    // Export reads org, address and keys from the config; both sides see the same CA fingerprint.
    const exported = await entente(a, 'certs', 'export', '--config', 'entente.yaml', '--out', join(dir, 'a.bundle.json'));
    expect(exported.stdout).toContain(`for bank-a at 127.0.0.1:${portA}`);
    const fingerprintA = /CA fingerprint \(SHA-256\) ([0-9A-F:]{95})/.exec(exported.stdout)?.[1];
    expect(fingerprintA).toBeDefined();
    await entente(dir, 'certs', 'export', '--org', 'bank-b', '--address', `127.0.0.1:${portB}`, '--certs-dir', join(b, 'certs'), '--out', join(dir, 'b.bundle.json'));
    expect(readFileSync(join(dir, 'a.bundle.json'), 'utf8')).not.toMatch(/PRIVATE KEY|"d":/);
    const addedB = await entente(dir, 'certs', 'import', '--config', join(a, 'entente.yaml'), join(dir, 'b.bundle.json'));
    expect(addedB.stdout).toMatch(/^partner bank-b at \S+ added to /);
    const addedA = await entente(dir, 'certs', 'import', '--config', join(b, 'entente.yaml'), join(dir, 'a.bundle.json'));
    expect(addedA.stdout).toContain(`CA fingerprint (SHA-256) ${fingerprintA}: compare it`);
    // The same bundle again changes nothing and says so; a gateway's own bundle is refused.
    const again = await entente(dir, 'certs', 'import', '--config', join(a, 'entente.yaml'), join(dir, 'b.bundle.json'));
    expect(again.stdout).toMatch(/^partner bank-b at \S+ already present, unchanged, in /);
    const own = await failing(dir, 'certs', 'import', '--config', join(a, 'entente.yaml'), join(dir, 'a.bundle.json'));
    expect(own.stderr).toContain("partners: bank-a is this gateway's own organization: import your partners' bundles here, and send this one to them");

    // A partner's bundle with a private key inside is refused, naming the problem.
    const bundle = JSON.parse(readFileSync(join(dir, 'b.bundle.json'), 'utf8')) as { receipt_jwks: { keys: Record<string, unknown>[] } };
    bundle.receipt_jwks.keys[0]!['d'] = 'secret';
    writeFileSync(join(dir, 'bad.bundle.json'), JSON.stringify(bundle));
    const refused = await failing(dir, 'certs', 'import', '--config', join(a, 'entente.yaml'), join(dir, 'bad.bundle.json'));
    expect(refused.stderr).toMatch(/private key material/);

    // Before bank-a serves, the CLI says how to fix it instead of reaching into its files.
    const notRunning = await failing(a, 'status', '--config', 'entente.yaml');
    expect(notRunning.stderr).toMatch(/is the gateway running\? start it with entente serve/);

    // A port already in use is reported naming the config field and the fix, not grpc-js's words.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(portA, '127.0.0.1', resolve));
    const inUse = await failing(a, 'serve', '--config', 'entente.yaml');
    squatter.close();
    expect(inUse.stderr).toContain(`listen: 127.0.0.1:${portA} is already in use: stop the process listening there, or choose another port`);
    expect(inUse.stderr).not.toMatch(/No address added|EADDRINUSE.*errors:/);

    const servers = [serve(a), serve(b)];
    try {
      await Promise.all(servers.map((s) => s.ready));

      // Default deny: no agreements yet, so bank-a's own outbound policy refuses, receipted: exit 3.
      const callB = ['call', '--config', 'entente.yaml', '--partner', 'bank-b', '--capability', 'accounts.count', '--purpose', 'audit', '--input', '{"x":1}'];
      const denied = await failing(a, ...callB);
      expect(denied.code).toBe(3);
      const outcome = JSON.parse(denied.stdout) as { taskId: string; status: string; reason: string };
      expect(outcome).toMatchObject({ status: 'denied', reason: 'outbound_denied' });
      expect(denied.stderr).toContain('entente: denied (outbound_denied, no_agreement): our outbound policy did not allow this request to leave');
      // The serving gateway made the call, and its log says so; the CLI holds no store of its own.
      await expect.poll(() => servers[0]!.log.some((l) => l['msg'] === 'task' && l['task_id'] === outcome.taskId && l['decision'] === 'denied')).toBe(true);
      expect(servers[0]!.log.some((l) => l['msg'] === 'control call' && l['method'] === 'Call' && l['via'] === 'socket')).toBe(true);

      const list = await entente(a, 'receipts', 'list', '--config', 'entente.yaml');
      expect(list.stdout).toMatch(new RegExp(`${outcome.taskId}\\s+requester\\s+bank-b\\s+accounts\\.count\\s+audit\\s+denied \\(outbound_denied\\)\\s+verified_local_denial`));
      const show = await entente(a, 'receipts', 'show', '--config', 'entente.yaml', outcome.taskId, '--json');
      const shown = JSON.parse(show.stdout) as { verification: { state: string }; statements: { kind: string; signer: string }[] }[];
      expect(shown[0]!.verification.state).toBe('verified_local_denial');
      expect(shown[0]!.statements.map((s) => `${s.kind}:${s.signer}`)).toEqual(['request:bank-a', 'result:bank-a']);
      const unknownTask = await failing(a, 'receipts', 'show', '--config', 'entente.yaml', 'no-such-task');
      expect(unknownTask.stderr).toMatch(/holds no task "no-such-task"/);

      const status = JSON.parse((await entente(a, 'status', '--config', 'entente.yaml', '--json')).stdout) as {
        org: string;
        policyRevision: string;
        partners: { org: string; reachability: string; caExpiresAt: string }[];
      };
      expect(status.org).toBe('bank-a');
      expect(status.policyRevision).toMatch(/^sha256:/);
      // bank-a has asked bank-b nothing (the denial never left); it may have offered bank-b its
      // log's checkpoint to witness already (every second), which bank-b answers.
      expect(status.partners).toEqual([expect.objectContaining({ org: 'bank-b', reachability: expect.stringMatching(/^(unknown|reachable)$/) })]);
      expect(Date.parse(status.partners[0]!.caExpiresAt)).toBeGreaterThan(Date.now());
      expect((await entente(a, 'status', '--config', 'entente.yaml')).stdout).toMatch(/^PARTNER\s+ADDRESS\s+REACHABILITY/m);

      // A misconfiguration names the path and the fix.
      writeFileSync(join(a, 'broken.yaml'), readFileSync(join(a, 'entente.yaml'), 'utf8').replace(/callTimeout: 10s/, 'callTimeout: soon'));
      const broken = await failing(a, 'receipts', 'list', '--config', 'broken.yaml');
      expect(broken.stderr).toContain('limits.callTimeout: expected a duration like "10s" or "250ms", got "soon"');

      // Each way a call can end has its own exit code. A partner that is not configured: 1.
      const unknownPartner = await failing(a, ...callB.map((arg) => (arg === 'bank-b' ? 'bank-z' : arg)));
      expect(unknownPartner.code).toBe(1);
      expect(unknownPartner.stderr).toContain('no partner named "bank-z"');
      // A name the gateway finds malformed is a usage mistake: 2, with the usage.
      const malformed = await failing(a, ...callB.map((arg) => (arg === 'accounts.count' ? 'Accounts Count' : arg)));
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toMatch(/capability must match .*\nusage: entente call /);
      // The agent entente init scaffolded, in the operator's directory (no node_modules there),
      // serves once each side puts the other's org id in place of example-partner.
      for (const [dir, other, i] of [[a, 'bank-b', 0], [b, 'bank-a', 1]] as const) {
        const file = join(dir, 'policies/data.json');
        writeFileSync(file, readFileSync(file, 'utf8').replaceAll('example-partner', other));
        await servers[i]!.reload();
      }
      const words = await entente(a, 'call', '--config', 'entente.yaml', '--partner', 'bank-b', '--capability', 'example.word-count', '--purpose', 'example', '--input', '{"text":"three  little words"}');
      expect(JSON.parse(words.stdout)).toMatchObject({ status: 'completed', result: { words: 3 } });
      // Once bank-a agrees to send, the request leaves and bank-b's inbound policy refuses it: 3 again.
      writeFileSync(
        join(a, 'policies/data.json'),
        JSON.stringify({ agreements: { outbound: { 'bank-b': { 'accounts.count': { purposes: ['audit'], until: '2099-01-01T00:00:00Z', fields: ['x'] } } }, inbound: {} } }),
      );
      await servers[0]!.reload();
      const refusedThere = await failing(a, ...callB);
      expect(refusedThere.code).toBe(3);
      expect(JSON.parse(refusedThere.stdout)).toMatchObject({ status: 'denied', reason: 'inbound_denied' });
      // The audit trail as a compliance officer takes it: an export from each side (bank-b's
      // written where bank-a's officer works), each verified offline, then reconciled. Acks leave
      // off the call path: once bank-a has delivered every one, bank-b holds whole triples.
      await expect
        .poll(async () => (JSON.parse((await entente(a, 'receipts', 'list', '--config', 'entente.yaml', '--json')).stdout) as { ack: string }[]).filter((t) => t.ack === 'pending').length, { timeout: 15_000 })
        .toBe(0);
      await entente(a, 'audit', 'export', '--config', 'entente.yaml', '--out', 'a.json');
      await entente(b, 'audit', 'export', '--config', 'entente.yaml', '--out', join(a, 'b.json'));
      expect((await entente(a, 'audit', 'verify', 'a.json')).stdout).toMatch(/^verified: every signature, proof and chain holds$/m);
      expect((await entente(a, 'audit', 'verify', 'b.json', '--format', 'json')).stdout).toMatch(/"ok": true/);
      expect((await entente(a, 'audit', 'reconcile', 'a.json', 'b.json')).stdout).toMatch(/^reconciled: both bundles verify and agree$/m);
      // A statement dropped from a copy: exit 5, the task named.
      const bundle = JSON.parse(readFileSync(join(a, 'b.json'), 'utf8')) as { statements: { kind: string; task_id: string }[] };
      const dropped = bundle.statements.findIndex((x) => x.kind === 'request');
      const droppedTask = bundle.statements[dropped]!.task_id;
      bundle.statements.splice(dropped, 1);
      writeFileSync(join(a, 'b-tampered.json'), JSON.stringify(bundle));
      const tampered = await failing(a, 'audit', 'verify', 'b-tampered.json');
      expect(tampered.code).toBe(5);
      expect(tampered.stdout).toContain(`RECEIPT_MISSING (task ${droppedTask})`);
      expect((await failing(a, 'audit', 'reconcile', 'a.json', 'b-tampered.json')).stdout).toMatch(/NOT RECONCILED/);
      // bank-b stopped: the partner is unreachable, 4.
      expect(await servers[1]!.stop()).toBe(0);
      const unreachable = await failing(a, ...callB);
      expect(unreachable.code).toBe(4);
      expect(JSON.parse(unreachable.stdout)).toMatchObject({ status: 'failed', reason: 'partner_unavailable' });

      // A forged statement in bank-a's log (an "ack" that is really the request statement):
      // the receipts no longer verify, and both receipts commands exit 5.
      const db = new Database(join(a, 'data/entente.db'));
      try {
        db.prepare(
          `INSERT INTO statements (task_id, kind, signer_org, peer_org, kid, jws, digest, stored_at, leaf_hash, log_index)
           SELECT task_id, 'ack', signer_org, peer_org, kid, jws, 'sha256:forged', stored_at, leaf_hash, (SELECT max(log_index) + 1 FROM statements)
           FROM statements WHERE task_id = ? AND kind = 'request'`,
        ).run(outcome.taskId);
      } finally {
        db.close();
      }
      const forged = await failing(a, 'receipts', 'show', '--config', 'entente.yaml', outcome.taskId);
      expect(forged.code).toBe(5);
      expect(forged.stdout).toMatch(/verification: invalid — /);
      expect((await failing(a, 'receipts', 'list', '--config', 'entente.yaml')).code).toBe(5);
    } finally {
      const codes = await Promise.all(servers.map((s) => s.stop()));
      expect(codes).toEqual([0, 0]);
    }

    // A stopped gateway's receipts: the CLI says so, and reads its store only with --offline, read-only.
    const stopped = await failing(a, 'receipts', 'list', '--config', 'entente.yaml');
    expect(stopped.stderr).toMatch(/is the gateway running\? start it with entente serve/);
    // Offline sees what the running gateway saw, the forged statement included (exit code 5).
    const offline = await failing(a, 'receipts', 'list', '--config', 'entente.yaml', '--offline');
    expect(offline.code).toBe(5);
    expect(offline.stdout).toMatch(/requester\s+bank-b\s+accounts\.count\s+audit\s+denied \(outbound_denied\)\s+invalid/);
    const offlineMissing = await failing(a, 'receipts', 'list', '--offline');
    expect(offlineMissing.stderr).toContain('--offline reads the store a config names: give --config');
  }, 120_000);
});

describe("a gateway's log", () => {
  const dir = mkdtempSync(join(tmpdir(), 'entente-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the agents and capabilities it serves in "gateway serving", as JSON in a pipe and as a readable line with --log-format pretty', async () => {
    const [port] = await freePorts(1);
    const clinic = join(dir, 'clinic');
    await entente(dir, 'init', '--org', 'clinic', '--dir', clinic, '--listen', `127.0.0.1:${port}`);
    const config = join(clinic, 'entente.yaml');
    const agent = join(REPO, 'examples/hospitals/agents/cohort-counter.mjs');
    const patients = join(REPO, 'examples/hospitals/hospital-b/patients.json');
    writeFileSync(config, readFileSync(config, 'utf8').replace('  - module: agents/word-count.mjs', `  - module: ${JSON.stringify(agent)}\n    options: { dataFile: ${JSON.stringify(patients)} }`));

    const json = serve(clinic);
    try {
      await json.ready;
      expect(json.log.find((l) => l['msg'] === 'gateway serving')).toMatchObject({ org: 'clinic', agents: ['cohort-counter'], capabilities: ['patients.count'] });
    } finally {
      expect(await json.stop()).toBe(0);
    }

    const pretty = serve(clinic, '--log-format', 'pretty');
    try {
      await pretty.ready;
      expect(pretty.lines.find((l) => l.includes('gateway serving'))).toMatch(
        new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[clinic\\] gateway serving listen=127\\.0\\.0\\.1:${port} port=${port} control\\.socket=\\S+ partners=\\[\\] agents=\\[cohort-counter\\] capabilities=\\[patients\\.count\\]$`),
      );
      expect(pretty.log).toEqual([]);
    } finally {
      expect(await pretty.stop()).toBe(0);
    }
    expect(pretty.lines.at(-1)).toMatch(/ INFO  \[clinic\] gateway stopped$/);
  }, 60_000);
});
