import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { defineAgent, type AgentDefinition } from '@entente/sdk';
import { z } from 'zod';
import { loadConfig, type GatewayConfig } from '../../gateway/src/config/index.js';
import { Gateway } from '../../gateway/src/gateway.js';
import { FederationClients } from '../../gateway/src/federation/index.js';
import { TrustStore } from '../../gateway/src/pki/index.js';
import { createLogger } from '../../gateway/src/observability/index.js';
import { freePorts } from '../../gateway/src/cli/ports.js';
import { writeFederation } from '../../gateway/src/cli/federation.js';
import * as grpc from '@grpc/grpc-js';
import { SigningKey } from '../../gateway/src/crypto/index.js';
import { federationProto } from '../../gateway/src/lib/index.js';
import { PKI_FILES } from '../../gateway/src/pki/index.js';
import type { Clock } from '../../gateway/src/lib/index.js';

export { REPO } from './paths.js';

export interface OrgSetup {
  readonly agents?: readonly AgentDefinition[];
  /** Agreements mounted at data.agreements (written as the org's data.json). */
  readonly agreements: unknown;
  readonly limits?: { maxPayloadBytes?: number; callTimeout?: string };
  /** The gateway's clock (a ManualClock in tests of deadlines and timers). */
  readonly clock?: Clock;
  /** Serve the control API on a loopback TCP port with mutual TLS too (`controlPorts[org]`). */
  readonly controlListen?: boolean;
  /** More top-level config (e.g. `audit`), merged into the org's config file. */
  readonly config?: Readonly<Record<string, unknown>>;
}

export interface TestFederation {
  readonly dir: string;
  readonly certsDir: string;
  readonly gateways: Record<string, Gateway>;
  readonly configPaths: Record<string, string>;
  readonly ports: Record<string, number>;
  /** The control API's TCP port of each org that asked for one. */
  readonly controlPorts: Record<string, number>;
  /** Everything each gateway logged, one parsed JSON object per line. */
  readonly logs: Record<string, Record<string, unknown>[]>;
  config(org: string): GatewayConfig;
  stop(): Promise<void>;
}

/**
 * Real gateways on loopback ports, in this process but each with its own certificates,
 * config file, SQLite file, policies and gRPC server: nothing of ours is mocked.
 */
export async function startFederation(orgs: Record<string, OrgSetup>): Promise<TestFederation> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-test-'));
  const names = Object.keys(orgs);
  const controlPortList = await freePorts(names.length);
  const controlPorts: Record<string, number> = {};
  const { certsDir, configs: configPaths, ports } = await writeFederation(
    dir,
    names.map((org, i) => {
      const setup = orgs[org]!;
      if (setup.controlListen) controlPorts[org] = controlPortList[i]!;
      const policyData = join(dir, 'policies', org);
      writeJson(join(policyData, 'data.json'), { agreements: setup.agreements });
      return {
        org,
        policyDirs: [policyData],
        limits: { maxPayloadBytes: setup.limits?.maxPayloadBytes ?? 1048576, callTimeout: setup.limits?.callTimeout ?? '5s' },
        extra: { ...setup.config, ...(controlPorts[org] !== undefined ? { control: { listen: `127.0.0.1:${controlPorts[org]}` } } : {}) },
      };
    }),
  );
  const gateways: Record<string, Gateway> = {};
  const logs: Record<string, Record<string, unknown>[]> = {};
  for (const org of names) {
    logs[org] = [];
    const sink = logs[org];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') sink.push(JSON.parse(line) as Record<string, unknown>);
        cb();
      },
    });
    gateways[org] = Gateway.create({
      config: loadConfig(configPaths[org]!),
      agents: orgs[org]!.agents ?? [],
      ...(orgs[org]!.clock !== undefined ? { clock: orgs[org]!.clock } : {}),
      logger: createLogger({ org, level: 'info', destination }),
    });
    await gateways[org].start();
  }
  return {
    dir,
    certsDir,
    gateways,
    configPaths,
    ports,
    controlPorts,
    logs,
    config: (org) => loadConfig(configPaths[org]!),
    async stop() {
      await Promise.all(Object.values(gateways).map((g) => g.stop(1000)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2));
}

/** Standard agreements between every pair of the given orgs for patients.count. */
export function countAgreements(self: string, others: readonly string[], extra: { purposes?: string[] } = {}) {
  const until = '2099-01-01T00:00:00Z';
  const purposes = extra.purposes ?? ['research'];
  return {
    outbound: Object.fromEntries(
      others.map((o) => [o, { 'patients.count': { purposes, until, fields: ['condition', 'min_age', 'max_age'] } }]),
    ),
    inbound: Object.fromEntries(
      others.map((o) => [o, { 'patients.count': { purposes, until, disclose: ['count'], suppress_below: { count: 5 } } }]),
    ),
  };
}

/**
 * The cohort-counter agent of the tests: serves patients.count, answering `count` (or, run by
 * run, what it returns) whatever the condition; counts its runs in `runs` when given one.
 */
export function cohortCounter(count: number | (() => number), runs?: { n: number }): AgentDefinition {
  return defineAgent({
    name: 'cohort-counter',
    capabilities: ['patients.count'],
    input: z.strictObject({ condition: z.string() }),
    output: z.strictObject({ count: z.number().int() }),
    handler: () => {
      if (runs !== undefined) runs.n++;
      return { count: typeof count === 'number' ? count : count() };
    },
  });
}

/** A federation client with `org`'s own gateway certificate, talking to `partner` only: to call a partner's RPCs directly. */
export function partnerClient(fed: TestFederation, org: string, partner: string, opts: { ackRideWaitMs?: number } = {}): FederationClients {
  return new FederationClients({
    ...opts,
    partners: [{ org: partner, address: `127.0.0.1:${fed.ports[partner]}` }],
    certPem: readFileSync(join(fed.certsDir, org, 'gateway.pem'), 'utf8'),
    keyPem: readFileSync(join(fed.certsDir, org, 'gateway.key.pem'), 'utf8'),
    trust: () => new TrustStore([{ org: partner, caPem: readFileSync(join(fed.certsDir, partner, 'ca.pem'), 'utf8') }]),
    maxPayloadBytes: 1 << 20,
    maxInFlightPerPartner: 4,
    log: createLogger({ level: 'silent' }),
  });
}

/**
 * Waits until the requester's ack of a task has reached the partner (or was refused): acks
 * leave off the call path, so a call returns before the partner holds the whole triple.
 */
export async function acked(requester: Gateway, partner: string, taskId: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const [r] = await requester.receipts(taskId, partner);
    if (r?.ack.state === 'delivered' || r?.ack.state === 'failed') return;
    if (Date.now() > end) throw new Error(`the ack of ${taskId} did not reach ${partner} within ${ms} ms (its state: ${r?.ack.state ?? 'no task'})`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

/** One of `org`'s files in the federation's certificates folder (PKI_FILES names them). */
export function orgFile(fed: TestFederation, org: string, file: string): Buffer {
  return readFileSync(join(fed.certsDir, org, file));
}

/** `org`'s receipt signing key: to sign statements in its name. */
export function receiptKeyOf(fed: TestFederation, org: string): SigningKey {
  return SigningKey.fromJwk(JSON.parse(orgFile(fed, org, PKI_FILES.signingKey).toString('utf8')) as Record<string, unknown>);
}

/**
 * A server built from the .proto alone, on `org`'s federation port with `org`'s certificate,
 * taking calls from `peer`'s certificates: the stand-in for a gateway we cannot run (another
 * release, a hostile one). Stop `org`'s gateway first.
 */
export async function standIn(fed: TestFederation, org: string, peer: string, handlers: grpc.UntypedServiceImplementation): Promise<grpc.Server> {
  const server = new grpc.Server();
  server.addService(federationProto().entente.federation.v1.Federation.service, handlers);
  const creds = grpc.ServerCredentials.createSsl(orgFile(fed, peer, PKI_FILES.ca), [{ private_key: orgFile(fed, org, PKI_FILES.key), cert_chain: orgFile(fed, org, PKI_FILES.cert) }], true);
  await new Promise<void>((resolve, reject) => server.bindAsync(`127.0.0.1:${fed.ports[org]}`, creds, (e) => (e ? reject(e) : resolve())));
  return server;
}

/**
 * A call to a partner whose gateway was just replaced on its port (standIn) or restarted. The
 * requester's channel saw the gateway go away; if it tried to reconnect before the new server
 * listened, it waits out gRPC's reconnect backoff (~1 s) and fails calls fast meanwhile, which a
 * loaded machine hits. Those are made again (`call`, with the same task id if it names one) for
 * up to 10 s; anything else is the answer.
 */
export async function callPastReconnect<T extends { readonly status: string; readonly reason?: string }>(call: () => Promise<T>): Promise<T> {
  const give = Date.now() + 10_000;
  for (;;) {
    const outcome = await call();
    if (outcome.status !== 'failed' || outcome.reason !== 'partner_unavailable' || Date.now() > give) return outcome;
    await new Promise((r) => setTimeout(r, 200));
  }
}
