import { X509Certificate } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentDefinition } from '@entente/sdk';
import { AgentRegistry } from './agents/index.js';
import type { GatewayConfig } from './config/index.js';
import { KeyRing, SigningKey } from './crypto/index.js';
import { FederationClients, FederationServer } from './federation/index.js';
import { createLogger, type Logger } from './observability/index.js';
import { cardFor, Requester, Responder, type CallOptions, type CallResult } from './tasks/index.js';
import { readPolicyDirs, RegoEngine, WasmEngine, type PolicyEngine } from './policy/index.js';
import { ClientTrust, TrustStore } from './pki/index.js';
import { openSqliteStore, type Store, type TaskFilter, type TaskRecord } from './store/index.js';
import { verifyTaskReceipts } from './receipts.js';
import { ControlServer, type ControlBackend, type GatewayStatus, type TaskReceipts } from './control/index.js';

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly agents?: readonly AgentDefinition[];
  readonly logger?: Logger;
}

/** The version this gateway reports in its status. */
export const VERSION = '0.1.0';

/**
 * One organization's gateway, built from its configuration: the composition root. It owns
 * the store, the policy engine, the trust store, the partner channels and the server.
 */
export class Gateway implements ControlBackend {
  readonly org: string;
  readonly log: Logger;
  private readonly store: Store;
  private readonly agents: AgentRegistry;
  private policyEngine: PolicyEngine;
  private trust: TrustStore;
  private keys: KeyRing;
  private readonly signer: SigningKey;
  private readonly clients: FederationClients;
  private readonly server: FederationServer;
  private readonly requester: Requester;
  private readonly control: ControlServer;
  private clientTrust: ClientTrust;
  private readonly startedAt = new Date();

  private constructor(private readonly config: GatewayConfig, opts: GatewayOptions) {
    this.org = config.org;
    this.log = opts.logger ?? createLogger({ level: config.log.level, org: config.org, format: config.log.format });
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    this.store = openSqliteStore(join(config.dataDir, 'entente.db'));
    this.agents = new AgentRegistry(opts.agents ?? []);
    this.policyEngine = loadPolicy(config);
    this.trust = new TrustStore(config.partners.map(trustEntry));
    this.signer = SigningKey.fromJwk(config.receipts.signingJwk);
    this.keys = keyRingOf(config, this.signer);
    const limits = config.limits;
    this.clients = new FederationClients({
      partners: config.partners.map((p) => ({ org: p.org, address: p.address })),
      certPem: config.tls.certPem,
      keyPem: config.tls.keyPem,
      trust: () => this.trust,
      maxPayloadBytes: limits.maxPayloadBytes,
      maxInFlightPerPartner: limits.maxInFlightPerPartner,
      log: this.log,
    });
    const responder = new Responder({
      org: config.org,
      store: this.store,
      policy: () => this.policyEngine,
      agents: this.agents,
      signer: this.signer,
      partnerKeys: () => this.keys,
      maxPayloadBytes: limits.maxPayloadBytes,
      log: this.log,
    });
    this.server = new FederationServer({
      listen: config.listen,
      certPem: config.tls.certPem,
      keyPem: config.tls.keyPem,
      trust: () => this.trust,
      responder,
      card: (peer) => cardFor({ org: config.org, policy: () => this.policyEngine, agents: this.agents, keys: () => this.keys, log: this.log }, peer),
      maxPayloadBytes: limits.maxPayloadBytes,
      callTimeoutMs: limits.callTimeoutMs,
      log: this.log,
    });
    this.requester = new Requester({
      org: config.org,
      store: this.store,
      policy: () => this.policyEngine,
      signer: this.signer,
      partnerKeys: () => this.keys,
      transport: this.clients,
      maxPayloadBytes: limits.maxPayloadBytes,
      callTimeoutMs: limits.callTimeoutMs,
      log: this.log,
    });
    this.clientTrust = new ClientTrust(config.org, config.tls.caPem, config.control.revoked);
    this.control = new ControlServer({
      backend: this,
      socket: config.control.socket,
      ...(config.control.listen !== undefined ? { listen: config.control.listen } : {}),
      tls: { caPem: config.tls.caPem, certPem: config.tls.certPem, keyPem: config.tls.keyPem, clients: () => this.clientTrust },
      log: this.log,
    });
  }

  /** Builds a gateway (opens its store, compiles its policies) without serving yet. */
  static create(opts: GatewayOptions): Gateway {
    return new Gateway(opts.config, opts);
  }

  /** Starts serving partners and the control API; resolves with the bound federation port. */
  async start(): Promise<number> {
    const port = await this.server.start();
    try {
      await this.control.start();
    } catch (err) {
      await this.server.stop(0);
      throw err;
    }
    const capabilities = this.agents.capabilities();
    this.log.info(
      {
        listen: this.config.listen,
        port,
        control: { socket: this.config.control.socket, ...(this.control.port !== undefined ? { port: this.control.port } : {}) },
        partners: this.config.partners.map((p) => p.org),
        agents: [...new Set(capabilities.map((c) => c.agent))],
        capabilities: capabilities.map((c) => c.name),
      },
      'gateway serving',
    );
    return port;
  }

  /** The control API's TCP port, when control.listen is set. */
  get controlPort(): number | undefined {
    return this.control.port;
  }

  /** Asks `partner` for one capability, through both sides' policies, with receipts. */
  call(opts: CallOptions): Promise<CallResult> {
    return this.requester.call(opts);
  }

  /** Re-reads policies and the partners' revocation lists without dropping connections. */
  reload(config: GatewayConfig): void {
    this.policyEngine = loadPolicy(config);
    this.trust.update(config.partners.map(trustEntry));
    this.keys = keyRingOf(config, this.signer);
    this.clientTrust = new ClientTrust(config.org, config.tls.caPem, config.control.revoked);
    this.log.info({ policy_revision: this.policyEngine.revision }, 'reloaded policies and revocations');
  }

  get policyRevision(): string {
    return this.policyEngine.revision;
  }

  /** Tasks held here, newest first; `offset` skips that many. */
  async listTasks(filter: TaskFilter & { readonly offset?: number } = {}): Promise<TaskRecord[]> {
    const { offset = 0, limit = 1000, ...rest } = filter;
    return this.store.listTasks({ ...rest, limit: offset + limit }).slice(offset);
  }

  /** A task's statements as stored here, each verified against its signer's keys. */
  async receipts(taskId: string, peerOrg?: string): Promise<TaskReceipts[]> {
    return this.store
      .listTasks({ taskId, ...(peerOrg !== undefined ? { peerOrg } : {}) })
      .map((task) => {
        const statements = this.store.listStatements({ taskId, peerOrg: task.peerOrg });
        return { task, statements, verification: verifyTaskReceipts(this.org, task, statements, this.keys) };
      });
  }

  /** Who this gateway is and how its partners have answered lately. */
  status(): GatewayStatus {
    return {
      org: this.org,
      version: VERSION,
      policyRevision: this.policyEngine.revision,
      federationAddress: this.config.advertise,
      capabilities: this.agents.capabilities().map((c) => ({ name: c.name, description: c.description, agent: c.agent })),
      partners: this.config.partners.map((p) => ({
        org: p.org,
        address: p.address,
        caExpiresAt: new Date(new X509Certificate(p.caPem).validTo),
        ...this.clients.reachability(p.org),
      })),
      certificateExpiresAt: new Date(new X509Certificate(this.config.tls.certPem).validTo),
      startedAt: this.startedAt,
    };
  }

  /** Graceful: stop taking calls, let in-flight tasks finish, flush and close the store. */
  async stop(graceMs = 5000): Promise<void> {
    await Promise.all([this.control.stop(graceMs), this.server.stop(graceMs)]);
    this.clients.close();
    await this.store.close();
    this.log.info('gateway stopped');
  }
}

function loadPolicy(config: GatewayConfig): PolicyEngine {
  const { policies } = config;
  if (policies.engine === 'opa-wasm') return new WasmEngine(policies.bundle);
  return new RegoEngine(readPolicyDirs(policies.dirs));
}

function trustEntry(p: GatewayConfig['partners'][number]) {
  return { org: p.org, caPem: p.caPem, ...(p.revoked !== undefined ? { revoked: p.revoked } : {}) };
}

function keyRingOf(config: GatewayConfig, signer: SigningKey): KeyRing {
  const ring = new KeyRing();
  ring.addJwks(config.org, { keys: [signer.publicJwk, ...config.receipts.previousJwks] });
  for (const p of config.partners) ring.addJwks(p.org, p.receiptJwks);
  return ring;
}
