import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentDefinition } from '@entente/sdk';
import { AgentRegistry } from './agents/index.js';
import type { GatewayConfig } from './config/index.js';
import { KeyRing, SigningKey } from './crypto/index.js';
import { FederationClients, FederationServer } from './federation/index.js';
import { createLogger, type Logger } from './observability/index.js';
import { Requester, Responder, type CallOptions, type CallResult, type Peer } from './tasks/index.js';
import { readPolicyDirs, RegoEngine, WasmEngine, type PolicyEngine } from './policy/index.js';
import { TrustStore } from './pki/index.js';
import { openSqliteStore, type StatementRecord, type Store, type TaskRecord } from './store/index.js';
import { verifyTaskReceipts, type ReceiptVerification } from './receipts.js';
import type { Card } from './generated/entente/federation/v1/Card.js';

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly agents?: readonly AgentDefinition[];
  readonly logger?: Logger;
}

export interface TaskReceipts {
  readonly task: TaskRecord;
  readonly statements: readonly StatementRecord[];
  readonly verification: ReceiptVerification;
}

/**
 * One organization's gateway, built from its configuration: the composition root. It owns
 * the store, the policy engine, the trust store, the partner channels and the server.
 */
export class Gateway {
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

  private constructor(private readonly config: GatewayConfig, opts: GatewayOptions) {
    this.org = config.org;
    this.log = opts.logger ?? createLogger({ level: config.log.level, org: config.org });
    mkdirSync(config.dataDir, { recursive: true });
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
      card: (peer) => this.card(peer),
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
  }

  /** Builds a gateway (opens its store, compiles its policies) without serving yet. */
  static create(opts: GatewayOptions): Gateway {
    return new Gateway(opts.config, opts);
  }

  /** Starts serving partners; resolves with the bound port. */
  async start(): Promise<number> {
    const port = await this.server.start();
    this.log.info({ listen: this.config.listen, port, partners: this.config.partners.map((p) => p.org) }, 'gateway serving');
    return port;
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
    this.log.info({ policy_revision: this.policyEngine.revision }, 'reloaded policies and revocations');
  }

  get policyRevision(): string {
    return this.policyEngine.revision;
  }

  listTasks(filter: { peerOrg?: string; limit?: number } = {}): TaskRecord[] {
    return this.store.listTasks(filter);
  }

  /** A task's statements as stored here, each verified against its signer's keys. */
  receipts(taskId: string, peerOrg?: string): TaskReceipts[] {
    return this.store
      .listTasks({ taskId, ...(peerOrg !== undefined ? { peerOrg } : {}) })
      .map((task) => {
        const statements = this.store.listStatements({ taskId, peerOrg: task.peerOrg });
        return { task, statements, verification: verifyTaskReceipts(this.org, task, statements, this.keys) };
      });
  }

  /** Graceful: stop taking calls, let in-flight tasks finish, flush and close the store. */
  async stop(graceMs = 5000): Promise<void> {
    await this.server.stop(graceMs);
    this.clients.close();
    await this.store.close();
    this.log.info('gateway stopped');
  }

  private card(peer: Peer): Card {
    const all = this.agents.capabilities();
    let visible: unknown;
    try {
      visible = this.policyEngine.evaluate('data.entente.inbound.card', {
        requester: { org: peer.org },
        capabilities: all.map((c) => c.name),
      });
    } catch (err) {
      this.log.error({ partner: peer.org, err }, 'card policy failed; showing no capabilities');
    }
    const allowed = new Set(Array.isArray(visible) ? visible.filter((v): v is string => typeof v === 'string') : []);
    return {
      org: this.org,
      capabilities: all
        .filter((c) => allowed.has(c.name))
        .map((c) => ({
          name: c.name,
          description: c.description,
          input_schema: Buffer.from(JSON.stringify(c.inputSchema)),
          output_schema: Buffer.from(JSON.stringify(c.outputSchema)),
        })),
      receipt_jwks: Buffer.from(JSON.stringify({ keys: this.keys.publicJwks(this.org) })),
    };
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
