import { X509Certificate } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentDefinition } from '@entente/sdk';
import { AgentRegistry } from './agents/index.js';
import { ConfigError, restartOnlyChanges, type GatewayConfig } from './config/index.js';
import { KeyRing, SigningKey } from './crypto/index.js';
import { FederationClients, FederationServer, LogExchange } from './federation/index.js';
import { NoteKey } from './audit/index.js';
import { createLogger, type Logger } from './observability/index.js';
import { systemClock, type Clock } from './lib/index.js';
import {
  APPROVAL_DECISIONS,
  GatewayStepExecutor,
  servedWorkflow,
  parseWorkflow,
  RunError,
  validateWorkflow,
  WorkflowEngine,
  WorkflowError,
  type ApprovalDecision,
  type CapabilityCatalog,
  type PendingApproval,
  type RunFilter,
  type RunState,
  type RunSummary,
  type RunWatchItem,
} from './workflows/index.js';
import {
  AckDeliverer,
  cardFor,
  isInboundApprovalId,
  readTaskReceipts,
  Requester,
  Responder,
  type CallOptions,
  type CallResult,
  type DecidedInbound,
  type PendingInbound,
  type TaskFilter,
  type TaskReceipts,
  type TaskRecord,
} from './tasks/index.js';
import { loadPolicyEngine, type PolicyEngine } from './policy/index.js';
import { ClientTrust, loadOrCreateLogKey, TrustStore } from './pki/index.js';
import { openSqliteStore, type Store } from './store/index.js';
import { ControlServer, type ControlBackend, type GatewayStatus } from './control/index.js';

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly agents?: readonly AgentDefinition[];
  readonly logger?: Logger;
  /** Time for tasks, agents and records; the system clock by default (tests pass a ManualClock). */
  readonly clock?: Clock;
}

/** How often partners' cards are fetched again (what they offer us changes with their agreements). */
const CARD_REFRESH_MS = 60_000;

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
  private readonly responder: Responder;
  private readonly requester: Requester;
  private readonly acks: AckDeliverer;
  private readonly engine: WorkflowEngine;
  private readonly control: ControlServer;
  private readonly ledger: LogExchange;
  private clientTrust: ClientTrust;
  /** What each partner's card shows us, by org, once fetched: `at: any` and workflow checks use it. */
  private readonly offered = new Map<string, ReadonlySet<string>>();
  private cardTimer: NodeJS.Timeout | undefined;
  private cardsFetchedAt = 0;
  private readonly startedAt = new Date();

  private constructor(
    private config: GatewayConfig,
    opts: GatewayOptions,
  ) {
    this.org = config.org;
    this.log = opts.logger ?? createLogger({ level: config.log.level, org: config.org, format: config.log.format });
    const clock = opts.clock ?? systemClock;
    // Capabilities served by workflows here are checked against the agents and partners they use.
    const ownCapabilities = new Set([...(opts.agents ?? []).flatMap((a) => a.capabilities), ...config.workflows.map((w) => w.capability)]);
    const served = config.workflows.map((w) =>
      servedWorkflow(w, parseWorkflow(w.text, w.file, { local: ownCapabilities, partners: new Map(config.partners.map((p) => [p.org, undefined])) }), () => this.engine),
    );
    this.agents = new AgentRegistry([...(opts.agents ?? []), ...served], clock);
    this.policyEngine = loadPolicyEngine(config.policies);
    this.trust = new TrustStore(config.partners.map(trustEntry));
    this.signer = SigningKey.fromJwk(config.receipts.signingJwk);
    this.keys = keyRingOf(config, this.signer);
    // Opened last of the parts that can refuse the configuration, so a refusal leaves no store open.
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const logKey = logKeyOf(config, this.log);
    this.store = openSqliteStore(join(config.dataDir, 'entente.db'));
    const limits = config.limits;
    this.clients = new FederationClients({
      partners: config.partners.map((p) => ({ org: p.org, address: p.address })),
      certPem: config.tls.certPem,
      keyPem: config.tls.keyPem,
      trust: () => this.trust,
      maxPayloadBytes: limits.maxPayloadBytes,
      maxInFlightPerPartner: limits.maxInFlightPerPartner,
      log: this.log,
      checkpoint: () => this.ledger.checkpoint(),
      onCheckpoint: (partner, note) => this.ledger.observe(partner, note),
    });
    this.ledger = new LogExchange({
      store: this.store,
      key: logKey,
      clients: this.clients,
      partners: () => this.config.partners,
      now: () => clock.now(),
      log: this.log,
    });
    this.responder = new Responder({
      org: config.org,
      store: this.store,
      policy: () => this.policyEngine,
      agents: this.agents,
      signer: this.signer,
      partnerKeys: () => this.keys,
      maxPayloadBytes: limits.maxPayloadBytes,
      maxJsonDepth: limits.maxJsonDepth,
      callTimeoutMs: limits.callTimeoutMs,
      log: this.log,
      clock,
    });
    this.server = new FederationServer({
      listen: config.listen,
      certPem: config.tls.certPem,
      keyPem: config.tls.keyPem,
      trust: () => this.trust,
      responder: this.responder,
      card: (peer) =>
        cardFor({ org: config.org, policy: () => this.policyEngine, agents: this.agents, keys: () => this.keys, logKey: logKey.vkey(), log: this.log }, peer),
      audit: this.ledger,
      maxPayloadBytes: limits.maxPayloadBytes,
      callTimeoutMs: limits.callTimeoutMs,
      log: this.log,
    });
    this.acks = new AckDeliverer({
      outbox: this.store,
      transport: this.clients,
      log: this.log,
      clock,
      backoff: { initialMs: config.acks.initialIntervalMs, maxMs: config.acks.maximumIntervalMs },
      attemptTimeoutMs: limits.callTimeoutMs,
    });
    this.requester = new Requester({
      org: config.org,
      store: this.store,
      policy: () => this.policyEngine,
      signer: this.signer,
      partnerKeys: () => this.keys,
      transport: this.clients,
      acks: this.acks,
      maxPayloadBytes: limits.maxPayloadBytes,
      maxJsonDepth: limits.maxJsonDepth,
      callTimeoutMs: limits.callTimeoutMs,
      log: this.log,
      clock,
    });
    this.engine = new WorkflowEngine({
      runs: this.store,
      clock,
      log: this.log,
      catalog: () => this.catalog(),
      circuits: { threshold: config.circuits.failures, openMs: config.circuits.openForMs },
      inputLimits: { maxBytes: limits.maxPayloadBytes, maxDepth: limits.maxJsonDepth },
      // Partners in configuration order that offer the capability (or whose card is not known
      // yet); the engine skips those whose circuit is open.
      providers: (capability) => {
        this.refreshCardsSoon();
        return this.config.partners.map((p) => p.org).filter((org) => this.offered.get(org)?.has(capability) ?? true);
      },
      executor: new GatewayStepExecutor({
        org: config.org,
        requester: this.requester,
        agents: this.agents,
        clock,
        callTimeoutMs: limits.callTimeoutMs,
        maxInFlightPerPartner: limits.maxInFlightPerPartner,
        log: this.log,
      }),
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
    await this.ledger.start();
    await this.responder.recoverInterrupted();
    const port = await this.server.start();
    try {
      await this.control.start();
    } catch (err) {
      await this.server.stop(0);
      throw err;
    }
    // Acks an earlier process could not deliver (the partner was down, or we stopped first).
    this.acks.start();
    const capabilities = this.agents.capabilities();
    // Not at once: partners starting with us would put their channels into reconnect backoff.
    this.cardTimer = setInterval(() => void this.refreshCards(), CARD_REFRESH_MS);
    this.cardTimer.unref();
    const resumed = await this.engine.resume();
    if (resumed.length > 0) this.log.info({ runs: resumed.length }, 'resumed unfinished workflow runs');
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
  /**
   * Applies a new configuration without dropping connections: partners (added, removed, or
   * with a new CA, address or receipt keys), policies and their data, revocations, previous
   * receipt keys, the log level. Everything is built and checked first, then swapped in at
   * once; a config that cannot be applied whole (it changes ports, identity, storage, limits
   * or agents, or its policies do not load) is refused and the running one kept.
   */
  reload(next: GatewayConfig): void {
    const refused = restartOnlyChanges(this.config, next);
    if (refused.length > 0) throw new ConfigError('reload', refused);
    const policyEngine = loadPolicyEngine(next.policies);
    const trust = new TrustStore(next.partners.map(trustEntry));
    const keys = keyRingOf(next, this.signer);
    const clientTrust = new ClientTrust(next.org, next.tls.caPem, next.control.revoked);
    // Nothing above changed the running gateway; from here on nothing can fail.
    [this.config, this.policyEngine, this.trust, this.keys, this.clientTrust] = [next, policyEngine, trust, keys, clientTrust];
    const partners = this.clients.update(next.partners.map((p) => ({ org: p.org, address: p.address })));
    this.server.reloadTrust();
    for (const org of [...this.offered.keys()]) if (!next.partners.some((p) => p.org === org)) this.offered.delete(org);
    this.log.level = next.log.level;
    this.log.info({ policy_revision: policyEngine.revision, partners }, 'reloaded configuration');
  }

  get policyRevision(): string {
    return this.policyEngine.revision;
  }

  /** Tasks held here, newest first. */
  async listTasks(filter: TaskFilter = {}): Promise<TaskRecord[]> {
    return this.store.listTasks(filter);
  }

  /** A task's statements as stored here, each verified against its signer's keys. */
  async receipts(taskId: string, peerOrg?: string): Promise<TaskReceipts[]> {
    return readTaskReceipts(this.org, this.store, this.keys, taskId, peerOrg);
  }

  /**
   * Starts a run of a workflow (a definition object, or one already validated), checked against
   * this gateway's agents and partners first; resolves with the run id once the run is durable.
   */
  async startRun(workflow: unknown, input: unknown): Promise<string> {
    const checked = validateWorkflow(workflow, this.catalog());
    if (!checked.ok) throw new WorkflowError(typeof (workflow as { name?: unknown })?.name === 'string' ? (workflow as { name: string }).name : 'workflow', checked.problems);
    return this.engine.start(checked.workflow, input);
  }

  /** The same, from a definition's YAML or JSON text (the control API's StartRun). */
  async startRunFromText(text: string, input: unknown): Promise<string> {
    return this.engine.start(parseWorkflow(text, 'workflow', this.catalog()), input);
  }

  /** A run's state once it has finished. */
  waitRun(runId: string): Promise<RunState> {
    return this.engine.wait(runId);
  }

  /** A run's current state (or, with `wait`, its final one); undefined for an unknown run. */
  async getRun(runId: string, wait: boolean): Promise<RunState | undefined> {
    const state = await this.engine.get(runId);
    if (state === undefined || !wait || state.finished !== undefined) return state;
    return this.engine.wait(runId);
  }

  /** Runs held here, newest first. */
  listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    return this.engine.list(filter);
  }

  /** A run's events from `from` on, as they happen, each with the state after it. */
  watchRun(runId: string, from: number, signal: AbortSignal): Promise<AsyncIterable<RunWatchItem> | undefined> {
    return this.engine.watch(runId, from, signal);
  }

  /** Cancels a run: its in-flight steps (at partners too), then compensation of what it completed. */
  cancelRun(runId: string, by: string, reason: string): Promise<RunState | undefined> {
    return this.engine.cancel(runId, by, reason);
  }

  /**
   * Decisions waiting for a person: approval steps and escalations of this gateway's runs, and
   * partners' requests our inbound policy holds (those belong to no run: a run filter leaves
   * them out).
   */
  async listApprovals(filter: { readonly runId?: string } = {}): Promise<PendingApproval[]> {
    const runs = this.engine.approvals(filter);
    if (filter.runId !== undefined) return runs;
    return [...runs, ...(await this.responder.pendingApprovals()).map(inboundApproval)];
  }

  /**
   * Records a person's decision (`by` is the caller's verified identity): a partner's held
   * request (`inbound:…`) goes to the responder, any other approval to the run it belongs to.
   */
  async decideApproval(approvalId: string, decision: { readonly decision: ApprovalDecision; readonly by: string; readonly reason: string; readonly output?: unknown }): Promise<PendingApproval> {
    if (!isInboundApprovalId(approvalId)) return this.engine.decide(approvalId, decision);
    return inboundApproval(await this.responder.decideApproval(approvalId, decision));
  }

  /** What this gateway can offer a workflow's steps: its agents, and its partners (cards unknown here). */
  private catalog(): CapabilityCatalog {
    return { local: new Set(this.agents.capabilities().map((c) => c.name)), partners: new Map(this.config.partners.map((p) => [p.org, this.offered.get(p.org)])) };
  }

  /** A refresh in the background when some partner's card is not known yet (at most every 10 s). */
  private refreshCardsSoon(): void {
    const unknown = this.config.partners.some((p) => !this.offered.has(p.org));
    if (unknown && Date.now() - this.cardsFetchedAt > 10_000) void this.refreshCards();
  }

  /**
   * Fetches every partner's card in the background: a partner that does not answer keeps what
   * was known of it (unknown partners are not held against a workflow).
   */
  private async refreshCards(): Promise<void> {
    this.cardsFetchedAt = Date.now();
    await Promise.all(
      this.config.partners.map(async (p) => {
        try {
          const card = await this.clients.getCard(p.org, Date.now() + 5000);
          this.ledger.learnKey(p.org, card.log_key);
          this.offered.set(p.org, new Set(card.capabilities.map((c) => c.name)));
        } catch {
          // unreachable or refusing: try again at the next refresh
        }
      }),
    );
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
        ...circuitOf(this.engine.circuitOpenUntil(p.org)),
      })),
      certificateExpiresAt: new Date(new X509Certificate(this.config.tls.certPem).validTo),
      startedAt: this.startedAt,
    };
  }

  /**
   * The audit log: its size and latest checkpoint, the partners' checkpoints we hold as their
   * witness, and the alarms raised (a partner's log that contradicts what we witnessed).
   */
  async logStatus(): Promise<LogStatus> {
    const cp = await this.ledger.log.checkpoint();
    const cosigned = await this.store.listCheckpoints({ cosignedOnly: true });
    return {
      origin: this.ledger.log.origin,
      logKey: this.ledger.log.vkey.text,
      size: Number(cp.size),
      checkpoint: cp.note,
      cosignedBy: Object.fromEntries(cosigned.flatMap((c) => c.cosignatures.map((w) => [w.witness, c.size] as const))),
      witnessed: (await this.store.heldCheckpoints()).map((w) => ({ partner: w.partner, size: w.size, verifiedAt: new Date(w.verifiedAt) })),
      alarms: this.ledger.recentAlarms.map((a) => ({ partner: a.partner, at: new Date(a.at), code: a.code, message: a.message })),
      alarmCount: this.ledger.alarmCount,
    };
  }

  /** Graceful: stop taking calls, let in-flight tasks finish, flush and close the store. */
  async stop(graceMs = 5000): Promise<void> {
    clearInterval(this.cardTimer);
    this.ledger.stop();
    await Promise.all([this.control.stop(graceMs), this.server.stop(graceMs)]);
    await this.engine.stop();
    // Its outcomes being written finish before the store closes; attempts still waiting for a
    // partner are abandoned (closing the channels ends them) and retried after the next start.
    await this.acks.stop();
    this.clients.close();
    await this.store.close();
    this.log.info('gateway stopped');
  }
}


export interface LogStatus {
  readonly origin: string;
  /** Our log's verifier key (C2SP vkey). */
  readonly logKey: string;
  readonly size: number;
  readonly checkpoint: string;
  /** The largest checkpoint of ours each partner cosigned. */
  readonly cosignedBy: Readonly<Record<string, number>>;
  readonly witnessed: readonly { readonly partner: string; readonly size: number; readonly verifiedAt: Date }[];
  readonly alarms: readonly { readonly partner: string; readonly at: Date; readonly code: string; readonly message: string }[];
  readonly alarmCount: number;
}

/** A partner's held request as the control API lists approvals. */
function inboundApproval(p: PendingInbound | DecidedInbound): PendingApproval {
  return {
    approvalId: p.approvalId,
    kind: 'inbound',
    task: { taskId: p.taskId, partner: p.partner, capability: p.capability, purpose: p.purpose },
    details: null,
    requestedAt: p.requestedAt,
    decisions: APPROVAL_DECISIONS.inbound,
    ...('decided' in p ? { decided: p.decided } : {}),
  };
}

function circuitOf(openUntil: number | undefined): { circuitOpenUntil?: Date } {
  return openUntil === undefined ? {} : { circuitOpenUntil: new Date(openUntil) };
}

function trustEntry(p: GatewayConfig['partners'][number]) {
  return { org: p.org, caPem: p.caPem, ...(p.revoked !== undefined ? { revoked: p.revoked } : {}) };
}

/** The audit log's key, named by the log's origin; created in the data directory at first start when not configured. */
function logKeyOf(config: GatewayConfig, log: Logger): NoteKey {
  const source = config.audit.logKey;
  if ('jwk' in source) return NoteKey.fromJwk(logOrigin(config.org), source.jwk);
  const { jwk, created } = loadOrCreateLogKey(source.file);
  if (created) log.info({ file: source.file }, 'created the audit log key (back it up: checkpoints it signed only verify with it)');
  return NoteKey.fromJwk(logOrigin(config.org), jwk);
}

/** The origin line of an organization's log checkpoints (and its log key's name). */
export function logOrigin(org: string): string {
  return `entente/${org}`;
}

function keyRingOf(config: GatewayConfig, signer: SigningKey): KeyRing {
  const ring = new KeyRing();
  ring.addJwks(config.org, { keys: [signer.publicJwk, ...config.receipts.previousJwks] });
  for (const p of config.partners) ring.addJwks(p.org, p.receiptJwks);
  return ring;
}

/** A stopped gateway's tasks and receipts, read without writing anything: `entente receipts --offline`. */
export interface OfflineStore {
  listTasks(filter?: TaskFilter): Promise<TaskRecord[]>;
  receipts(taskId: string, peerOrg?: string): Promise<TaskReceipts[]>;
  close(): Promise<void>;
}

/**
 * Opens the store a config names read-only, with the keys to verify its receipts. It works
 * beside a running gateway too (SQLite readers do not block its writer), but the running
 * gateway's control API is the way to read it then.
 */
export function openOffline(config: GatewayConfig): OfflineStore {
  const store = openSqliteStore(join(config.dataDir, 'entente.db'), { readonly: true });
  const keys = keyRingOf(config, SigningKey.fromJwk(config.receipts.signingJwk));
  return {
    listTasks: (filter = {}) => store.listTasks(filter),
    receipts: (taskId, peerOrg) => readTaskReceipts(config.org, store, keys, taskId, peerOrg),
    close: () => store.close(),
  };
}
