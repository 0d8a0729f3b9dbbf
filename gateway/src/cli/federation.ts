import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { EntenteClient } from '@entente/sdk';
import { importPartner, loadConfig } from '../config/index.js';
import { certsInit, exportBundle, issueClientFiles } from '../pki/index.js';
import { CliError } from './errors.js';
import { freePorts } from './ports.js';

/** The repository root: shipped policies and examples live there. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Run from TypeScript sources (tests, tsx) or from the build: start `serve` the same way.
const RUNNING_TS = import.meta.url.endsWith('.ts');
const SERVE_ARGS = RUNNING_TS
  ? ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./main.ts', import.meta.url))]
  : [fileURLToPath(new URL('./main.js', import.meta.url))];

/** One organization of a local federation: its policy data, agents and served workflows. */
export interface LocalOrg {
  readonly org: string;
  /** Policy directories after the shipped defaults (policies/default): typically its agreements (data.json). */
  readonly policyDirs: readonly string[];
  readonly agents?: readonly { readonly module: string; readonly options?: Readonly<Record<string, unknown>> }[];
  readonly workflows?: readonly { readonly capability: string; readonly file: string; readonly description?: string }[];
  readonly limits?: Readonly<Record<string, unknown>>;
  /** Further top-level config sections (e.g. `circuits`), as written in a config file. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface LocalFederation {
  readonly dir: string;
  readonly orgs: readonly string[];
  /** Each organization's config file. */
  readonly configs: Readonly<Record<string, string>>;
  readonly ports: Readonly<Record<string, number>>;
  /** Starts `entente serve` for the org as a process of its own (with extra environment); resolves once it serves. */
  start(org: string, env?: Readonly<Record<string, string>>): Promise<void>;
  /** SIGTERM (graceful) or SIGKILL (a crash); resolves with the exit code, or the signal's name. */
  stop(org: string, signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | string>;
  running(org: string): boolean;
  pid(org: string): number | undefined;
  /** A control-API client on the org's socket (closed by stopAll): the operator. */
  client(org: string): EntenteClient;
  /**
   * A control-API client over mutual TLS with a certificate of the org's CA carrying `roles`
   * (needs `control: { listen: 127.0.0.1:0 }` in the org's config): a person or an application.
   */
  clientAs(org: string, name: string, roles: readonly string[]): EntenteClient;
  /** Stops every running gateway gracefully; resolves with their exit codes. */
  stopAll(): Promise<Record<string, number | string>>;
}

/**
 * The files of a federation on loopback: development PKI per organization (under
 * `<dir>/certs`), a config each on a free port, and every partner imported from the others'
 * federation bundles. Used by createFederation, and by tests that run gateways in-process.
 */
export async function writeFederation(
  dir: string,
  orgs: readonly LocalOrg[],
): Promise<{ readonly certsDir: string; readonly configs: Readonly<Record<string, string>>; readonly ports: Readonly<Record<string, number>> }> {
  const certsDir = join(dir, 'certs');
  const portList = await freePorts(orgs.length);
  const ports: Record<string, number> = {};
  const configs: Record<string, string> = {};
  orgs.forEach((o, i) => {
    ports[o.org] = portList[i]!;
    certsInit({ org: o.org, certsDir });
    const config = {
      org: o.org,
      listen: `127.0.0.1:${portList[i]}`,
      dataDir: `data/${o.org}`,
      tls: { ca: `certs/${o.org}/ca.pem`, cert: `certs/${o.org}/gateway.pem`, key: `certs/${o.org}/gateway.key.pem` },
      receipts: { signingKey: `certs/${o.org}/receipt-signing.jwk.json` },
      policies: { dir: [join(ROOT, 'policies/default'), ...o.policyDirs] },
      agents: o.agents ?? [],
      workflows: o.workflows ?? [],
      ...(o.limits !== undefined ? { limits: o.limits } : {}),
      ...o.extra,
      log: { format: 'json' },
      partners: [],
    };
    configs[o.org] = join(dir, `${o.org}.yaml`);
    writeFileSync(configs[o.org]!, `# ${o.org}: generated for a local federation\n${stringify(config)}`);
  });
  for (const o of orgs) {
    const bundle = exportBundle({ org: o.org, address: `127.0.0.1:${ports[o.org]}`, certsDir });
    for (const other of orgs) if (other.org !== o.org) importPartner(configs[other.org]!, bundle);
  }
  return { certsDir, configs, ports };
}


/**
 * A federation on loopback for demos, examples and tests: development PKI per organization,
 * a config each, every partner imported from the others' federation bundles (CAs pinned to
 * their org ids), gateways started as separate `entente serve` processes when asked. An
 * organization can be set up and never started: its partners know it, and it is down.
 */
export async function createFederation(dir: string, orgs: readonly LocalOrg[]): Promise<LocalFederation> {
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const { certsDir, configs, ports } = await writeFederation(dir, orgs);
  const children = new Map<string, ChildProcess>();
  const controlPorts = new Map<string, number>();
  const clients = new Map<string, EntenteClient>();
  const fed: LocalFederation = {
    dir,
    orgs: orgs.map((o) => o.org),
    configs,
    ports,
    async start(org, env) {
      if (alive(children.get(org))) return;
      const started = await startGateway(org, configs[org]!, logDir, env);
      children.set(org, started.child);
      if (started.controlPort !== undefined) controlPorts.set(org, started.controlPort);
    },
    async stop(org, signal = 'SIGTERM') {
      const child = children.get(org);
      if (child === undefined) return 0;
      children.delete(org);
      for (const [k, c] of clients) {
        if (k !== org && !k.startsWith(`${org}\u0000`)) continue;
        c.close();
        clients.delete(k);
      }
      return stopGateway(child, signal);
    },
    running: (org) => alive(children.get(org)),
    pid: (org) => children.get(org)?.pid,
    client(org) {
      let c = clients.get(org);
      if (c === undefined) {
        c = EntenteClient.connect({ socket: loadConfig(configs[org]!).control.socket });
        clients.set(org, c);
      }
      return c;
    },
    clientAs(org, name, roles) {
      const k = `${org}\u0000${name}`;
      let c = clients.get(k);
      if (c === undefined) {
        const port = controlPorts.get(org);
        if (port === undefined) throw new CliError('CLI_DEMO_START', `${org} serves no control.listen: give it control: { listen: 127.0.0.1:0 }`);
        const issued = issueClientFiles({ org, certsDir, name, roles, force: true });
        c = EntenteClient.connect({
          address: `127.0.0.1:${port}`,
          ca: readFileSync(join(certsDir, org, 'ca.pem'), 'utf8'),
          cert: readFileSync(issued.cert, 'utf8'),
          key: readFileSync(issued.key, 'utf8'),
        });
        clients.set(k, c);
      }
      return c;
    },
    async stopAll() {
      const codes: Record<string, number | string> = {};
      await Promise.all([...children.keys()].map(async (org) => (codes[org] = await fed.stop(org))));
      return codes;
    },
  };
  return fed;
}

async function startGateway(org: string, configPath: string, logDir: string, env?: Readonly<Record<string, string>>): Promise<{ child: ChildProcess; controlPort?: number }> {
  const child = spawn(process.execPath, [...SERVE_ARGS, 'serve', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const logFile = join(logDir, `${org}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr?.pipe(log);
  const lines = createInterface({ input: child.stdout! });
  const controlPort = await new Promise<number | undefined>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CliError('CLI_DEMO_START', `${org} did not start within 20 s; see ${logFile}`)), 20_000);
    lines.on('line', (line) => {
      log.write(line + '\n');
      if (line.includes('"gateway serving"')) {
        clearTimeout(timer);
        // The control API's TCP port, when it listens on one (port 0 in the config: chosen at start).
        resolve((JSON.parse(line) as { control?: { port?: number } }).control?.port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new CliError('CLI_DEMO_START', `${org} exited with code ${code} before serving; see ${logFile}`));
    });
  });
  return { child, ...(controlPort !== undefined ? { controlPort } : {}) };
}

/** Polls `probe` until it returns something other than undefined, or fails after `ms` naming `what`. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Whether a started gateway is still running (a process killed by a signal has no exit code, but a signal code). */
function alive(child: ChildProcess | undefined): boolean {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

async function stopGateway(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<number | string> {
  if (!alive(child)) return child.exitCode ?? child.signalCode ?? 1;
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill(signal);
  const [code, by] = await exited;
  return code ?? by ?? 1;
}
