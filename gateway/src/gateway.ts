import { X509Certificate, type JsonWebKey } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentDefinition } from '@entente/sdk';
import { AgentRegistry } from './agents/index.js';
import { ConfigError, restartOnlyChanges, type GatewayConfig } from './config/index.js';
import { KeyRing, SigningKey, type SealingKey } from './crypto/index.js';
import { FederationClients, FederationServer, LogExchange } from './federation/index.js';
import { exportBundle, logOrigin, NoteKey, type AuditBundle, type BundleKeys, type ExportSelection } from './audit/index.js';
import { createLogger, type Logger } from './observability/index.js';
import { systemClock, type Clock } from './lib/index.js';
import {
  APPROVAL_DECISIONS,
  GatewayStepExecutor,
  servedWorkflow,
  parseWorkflow,
  RunError,
  runStatements,
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
  ackStatusOf,
  cardFor,
  isInboundApprovalId,
  readTaskReceipts,
  Requester,
  Responder,
  statementsOfTask,
  type CallOptions,
  type CallResult,
  type DecidedInbound,
  type PendingInbound,
  type TaskFilter,
  type TaskReceipts,
  type TaskRecord,
} from './tasks/index.js';
import { DecisionRecorder, loadPolicyEngine, replayDecision, type PolicyEngine, type Replay } from './policy/index.js';
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

/** How often retained decision inputs past their retention period are deleted (and once at start). */
const RETENTION_SWEEP_MS = 60_000;

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
  /**
   * Partners that said on their latest exchange that they verify batched statements (each says
   * so, or not, on every call and answer: a partner back on an older version stops getting them).
   */
  private readonly batchVerifiers = new Set<string>();
  private readonly clients: FederationClients;
  private readonly server: FederationServer;
  private readonly responder: Responder;
  private readonly requester: Requester;
  private readonly acks: AckDeliverer;
  private readonly engine: WorkflowEngine;
  private readonly control: ControlServer;
  private readonly ledger: LogExchange;
  /** Receipt keys partners published on their cards beyond those configured (rotations), by org. */
  private readonly learnedKeys = new Map<string, JsonWebKey[]>();
  private readonly keysFetchedAt = new Map<string, number>();
  private clientTrust: ClientTrust;
  /** What each partner's card shows us, by org, once fetched: `at: any` and workflow checks use it. */
  private readonly offered = new Map<string, ReadonlySet<string>>();
  private cardTimer: NodeJS.Timeout | undefined;
  private readonly decisions: DecisionRecorder;
  private sweepTimer: NodeJS.Timeout | undefined;
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
    const policyEngine = loadPolicyEngine(config.policies);
    this.trust = new TrustStore(config.partners.map(trustEntry));
    this.signer = SigningKey.fromJwk(config.receipts.signingJwk);
    this.keys = keyRingOf(config, this.signer);
    // Opened last of the parts that can refuse the configuration, so a refusal leaves no store open.
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const logKey = logKeyOf(config, this.log);
    const dbFile = join(config.dataDir, 'entente.db');
    let checkpointError: string | undefined;
    this.store = openSqliteStore(dbFile, {
      // Once per distinct failure: the checkpoint retries every second.
      onCheckpointError: (message) => {
        if (message === checkpointError) return;
        checkpointError = message;
        this.log.error({ file: dbFile, error: message }, 'the WAL could not be checkpointed into the database file and grows until it can: check the disk (free space, permissions) under dataDir');
      },
    });
    // Every decision made with the engine is recorded, and its revision kept, for replay.
    const { enabled, key, periodMs } = config.audit.retention;
    this.decisions = new DecisionRecorder({ log: this.store, retention: { ...(enabled && key !== undefined ? { key } : {}), periodMs }, logger: this.log });
    this.policyEngine = this.decisions.adopt(policyEngine);
    const limits = config.limits;
    this.clients = new FederationClients({
      partners: config.partners.map((p) => ({ org: p.org, address: p.address })),
      certPem: config.tls.certPem,
      keyPem: config.tls.keyPem,
      trust: () => this.trust,
      maxPayloadBytes: limits.maxPayloadBytes,
      maxInFlightPerPartner: limits.maxInFlightPerPartner,
      log: this.log,
      checkpoint: () => this.ledger.recentCheckpoint(),
      onCheckpoint: (partner, note) => this.ledger.observe(partner, note),
      onBatchVerifier: (partner, verifies) => this.noteBatchVerifier(partner, verifies),
      ackRideWaitMs: config.acks.rideWaitMs,
    });
    this.ledger = new LogExchange({
      store: this.store,
      key: logKey,
      clients: this.clients,
      partners: () => this.config.partners,
      now: () => clock.now(),
      log: this.log,
      previousLogKeys: config.audit.previousLogKeys,
    });
    this.responder = new Responder({
      org: config.org,
      store: this.store,
      policy: () => this.policyEngine,
      agents: this.agents,
      signer: this.signer,
      batchesFor: (org) => this.batchesFor(org),
      partnerKeys: () => this.keys,
      learnPartnerKeys: (org) => this.learnPartnerKeys(org),
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
        cardFor(
          { org: config.org, policy: () => this.policyEngine, agents: this.agents, keys: () => this.keys, logKey: logKey.vkey(), previousLogKeys: this.config.audit.previousLogKeys, log: this.log },
          peer,
        ),
      audit: this.ledger,
      maxPayloadBytes: limits.maxPayloadBytes,
      callTimeoutMs: limits.callTimeoutMs,
      log: this.log,
      onBatchVerifier: (partner, verifies) => this.noteBatchVerifier(partner, verifies),
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
      batchesFor: (org) => this.batchesFor(org),
      partnerKeys: () => this.keys,
      learnPartnerKeys: (org) => this.learnPartnerKeys(org),
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
      audit: (runId, from, events) => runStatements(this.signer, config.org, runId, from, events, clock.now()),
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
    for (const { partner, key } of await this.store.partnerKeys('receipt')) {
      this.learnedKeys.set(partner, [...(this.learnedKeys.get(partner) ?? []), JSON.parse(key) as JsonWebKey]);
    }
    this.keys = this.ringOf(this.config);
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
    await this.sweepRetention();
    this.sweepTimer = setInterval(() => void this.sweepRetention(), RETENTION_SWEEP_MS);
    this.sweepTimer.unref();
    const resumed = await this.engine.resume();
    if (resumed.length > 0) this.log.info({ runs: resumed.length }, 'resumed unfinished workflow runs');
    // Calls an earlier process left waiting (after the runs, whose steps take up their own tasks):
    // their partners' answers are stored and acknowledged.
    const left = await this.requester.recoverLeftRunning();
    if (left > 0) this.log.info({ tasks: left }, 'following up tasks the last stop left running');
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
   * receipt keys, whether receipts are signed in batches, the log level. Everything is built and checked first, then swapped in at
   * once; a config that cannot be applied whole (it changes ports, identity, storage, limits
   * or agents, or its policies do not load) is refused and the running one kept.
   */
  reload(next: GatewayConfig): void {
    const refused = restartOnlyChanges(this.config, next);
    if (refused.length > 0) throw new ConfigError('reload', refused);
    const policyEngine = loadPolicyEngine(next.policies);
    const trust = new TrustStore(next.partners.map(trustEntry));
    const keys = this.ringOf(next);
    const clientTrust = new ClientTrust(next.org, next.tls.caPem, next.control.revoked);
    // Nothing above changed the running gateway; from here on nothing can fail.
    [this.config, this.policyEngine, this.trust, this.keys, this.clientTrust] = [next, this.decisions.adopt(policyEngine), trust, keys, clientTrust];
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

  /** Whether what we sign for `org` goes in batches: if we sign so at all and it verifies them. */
  private batchesFor(org: string): boolean {
    return this.config.receipts.batchSignatures && this.batchVerifiers.has(org);
  }

  private noteBatchVerifier(org: string, verifies: boolean): void {
    if (verifies) this.batchVerifiers.add(org);
    else this.batchVerifiers.delete(org);
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
          this.ledger.learnKeys(p.org, [card.log_key, ...card.previous_log_keys]);
          this.learnReceiptKeys(p.org, card.receipt_jwks);
          this.offered.set(p.org, new Set(card.capabilities.map((c) => c.name)));
        } catch {
          // unreachable or refusing: try again at the next refresh
        }
      }),
    );
  }

  /**
   * Asks a partner's card for its keys (a statement named a key we do not hold: it rotated);
   * at most every 5 s per partner. Resolves whether a new receipt key was learned.
   */
  private async learnPartnerKeys(org: string): Promise<boolean> {
    const now = Date.now();
    if ((this.keysFetchedAt.get(org) ?? 0) + 5000 > now || !this.clients.has(org)) return false;
    this.keysFetchedAt.set(org, now);
    try {
      const card = await this.clients.getCard(org, now + 5000);
      this.ledger.learnKeys(org, [card.log_key, ...card.previous_log_keys]);
      return this.learnReceiptKeys(org, card.receipt_jwks);
    } catch (err) {
      this.log.info({ partner: org, err }, 'could not fetch the partner card for its keys');
      return false;
    }
  }

  /**
   * Adds the receipt keys a partner's card publishes that we do not hold yet (the card comes
   * over mutual TLS from the partner's pinned identity, as its bundle does), and remembers
   * them. A card that names a known kid with another key is refused whole.
   */
  private learnReceiptKeys(org: string, jwksBytes: Buffer): boolean {
    let keys: JsonWebKey[];
    try {
      keys = ((JSON.parse(jwksBytes.toString('utf8')) as { keys?: unknown }).keys ?? []) as JsonWebKey[];
      if (!Array.isArray(keys)) return false;
    } catch {
      return false;
    }
    const fresh = keys.filter((k) => typeof (k as { kid?: unknown }).kid === 'string' && this.keys.lookup(org, (k as { kid: string }).kid) === undefined);
    if (fresh.length === 0) return false;
    const learned = [...(this.learnedKeys.get(org) ?? []), ...fresh];
    try {
      const ring = keyRingOf(this.config, this.signer, new Map([...this.learnedKeys, [org, learned]]));
      this.learnedKeys.set(org, learned);
      this.keys = ring;
    } catch (err) {
      this.log.warn({ partner: org, err }, "refused the receipt keys on a partner's card");
      return false;
    }
    for (const k of fresh) {
      this.store.rememberPartnerKey(org, 'receipt', JSON.stringify(k), Date.now()).catch((err: unknown) => this.log.error({ err }, 'could not remember a partner receipt key'));
    }
    this.log.info({ partner: org, kids: fresh.map((k) => (k as { kid: string }).kid) }, "learned receipt keys from a partner's card");
    return true;
  }

  private ringOf(config: GatewayConfig): KeyRing {
    return keyRingOf(config, this.signer, this.learnedKeys);
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
      process: processCounters(this.store, this.signer),
    };
  }

  /**
   * The audit log: its size and latest checkpoint, the partners' checkpoints we hold as their
   * witness, and the alarms raised (a partner's log that contradicts what we witnessed).
   */
  async logStatus(): Promise<LogStatus> {
    const cp = await this.ledger.log.checkpoint();
    return {
      origin: this.ledger.log.origin,
      logKey: this.ledger.log.vkey.text,
      size: Number(cp.size),
      checkpoint: cp.note,
      cosignedBy: Object.fromEntries([...this.ledger.cosignedBy].map(([partner, size]) => [partner, Number(size)])),
      witnessed: (await this.store.heldCheckpoints()).map((w) => ({ partner: w.partner, size: w.size, verifiedAt: new Date(w.verifiedAt) })),
      alarms: this.ledger.recentAlarms.map((a) => ({ partner: a.partner, at: new Date(a.at), code: a.code, message: a.message })),
      alarmCount: this.ledger.alarmCount,
    };
  }

  /**
   * An audit bundle of this gateway's log (docs/audit.md §4): the selected tasks' statements
   * with inclusion proofs to a fresh head, checkpoints with cosignatures, keys, what we witnessed.
   */
  async exportAudit(selection: ExportSelection = {}): Promise<AuditBundle> {
    const keys: Record<string, BundleKeys> = {
      [this.org]: {
        log: [this.ledger.log.vkey.text, ...this.config.audit.previousLogKeys].map((vkey) => ({ vkey, valid_from: null, valid_until: null })),
        receipt: [this.signer.publicJwk, ...this.config.receipts.previousJwks].map(withValidity),
      },
    };
    for (const p of this.config.partners) {
      const learned = (this.learnedKeys.get(p.org) ?? []).filter((k) => !p.receiptJwks.keys.some((c) => c.kid === (k as { kid?: unknown }).kid));
      keys[p.org] = {
        log: this.ledger.logKeysOf(p.org).map((vkey) => ({ vkey, valid_from: null, valid_until: null })),
        receipt: [...p.receiptJwks.keys, ...(learned as Record<string, unknown>[])].map(withValidity),
      };
    }
    return exportBundle(
      {
        org: this.org,
        store: this.store,
        log: this.ledger.log,
        keys,
        now: () => Date.now(),
        revision: async (revision) => {
          const content = await this.store.getPolicyRevision(revision);
          if (content === undefined) return undefined;
          return content.engine === 'rego' ? content : { engine: content.engine, archive: Buffer.from(content.archive).toString('base64') };
        },
        tasks: async (ids) => {
          const tasks = (await Promise.all([...ids].map((taskId) => this.store.listTasks({ taskId })))).flat();
          return Promise.all(
            tasks.map(async (t) => {
              const statements = t.role === 'responder' ? statementsOfTask(this.org, t, await this.store.listStatements({ taskId: t.taskId, peerOrg: t.peerOrg, kind: 'ack' })) : [];
              const outbox = t.role === 'requester' ? await this.store.getAck(t.peerOrg, t.taskId) : undefined;
              return { ...t, ack: ackStatusOf(t, statements, outbox).state };
            }),
          );
        },
      },
      selection,
    );
  }

  /** Deletes retained decision inputs past their retention period; a failure is logged and tried again at the next sweep. */
  private async sweepRetention(): Promise<void> {
    try {
      // The system clock, not the gateway's: inputs are stamped with the time the policy saw, which is the system's.
      await this.decisions.sweep(Date.now());
    } catch (err) {
      this.log.error({ err }, 'retained decision inputs not swept; trying again in a minute');
    }
  }

  /** Graceful: stop taking calls, let in-flight tasks finish, flush and close the store. */
  async stop(graceMs = 5000): Promise<void> {
    clearInterval(this.cardTimer);
    this.ledger.stop();
    clearInterval(this.sweepTimer);
    await Promise.all([this.control.stop(graceMs), this.server.stop(graceMs)]);
    await this.engine.stop();
    const recovering = this.requester.stop();
    // Its outcomes being written finish before the store closes; attempts still waiting for a
    // partner are abandoned (closing the channels ends them) and retried after the next start.
    await this.acks.stop();
    this.clients.close();
    await recovering;
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

/** The process's CPU, event loop, store commits and signatures since it started. */
function processCounters(store: Store, signer: SigningKey): GatewayStatus['process'] {
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  return {
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    eventLoopActiveMs: elu.active,
    eventLoopIdleMs: elu.idle,
    storeCommits: store.commits,
    storeWrites: store.writes,
    storeSyncs: store.syncs,
    storeSyncMs: store.syncMs,
    signatures: signer.signatures,
    statementsSigned: signer.statements,
  };
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
export function logKeyOf(config: GatewayConfig, log?: Logger): NoteKey {
  const source = config.audit.logKey;
  if ('jwk' in source) return NoteKey.fromJwk(logOrigin(config.org), source.jwk);
  const { jwk, created } = loadOrCreateLogKey(source.file);
  if (created) log?.info({ file: source.file }, 'created the audit log key (back it up: checkpoints it signed only verify with it)');
  return NoteKey.fromJwk(logOrigin(config.org), jwk);
}

/**
 * A public receipt key with its validity period, from the JWK's `nbf` and `exp` members
 * (NumericDate seconds; an operator retiring a key sets `exp` to the end of the overlap).
 */
function withValidity(jwk: Record<string, unknown>): BundleKeys['receipt'][number] {
  const { d: _d, nbf, exp, ...pub } = jwk;
  const at = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? new Date(v * 1000).toISOString() : null);
  return { jwk: pub as BundleKeys['receipt'][number]['jwk'], valid_from: at(nbf), valid_until: at(exp) };
}

function keyRingOf(config: GatewayConfig, signer: SigningKey, learned: ReadonlyMap<string, readonly JsonWebKey[]> = new Map()): KeyRing {
  const ring = new KeyRing();
  ring.addJwks(config.org, { keys: [signer.publicJwk, ...config.receipts.previousJwks] });
  for (const p of config.partners) {
    ring.addJwks(p.org, p.receiptJwks);
    const more = learned.get(p.org) ?? [];
    if (more.length > 0) ring.addJwks(p.org, { keys: more as (JsonWebKey & { kid?: unknown })[] });
  }
  return ring;
}

/**
 * A gateway's store read without writing anything: its tasks and receipts (`entente receipts
 * --offline`), and its decisions replayed (`entente policy replay`).
 */
export interface OfflineStore {
  listTasks(filter?: TaskFilter): Promise<TaskRecord[]>;
  receipts(taskId: string, peerOrg?: string): Promise<TaskReceipts[]>;
  /**
   * Re-evaluates a recorded decision under the revision it cites, with `input` when given, else
   * the input kept for it, opened with `key` (the config's audit.retention key by default).
   */
  replay(decisionId: string, opts?: { readonly input?: unknown; readonly key?: SealingKey }): Promise<Replay>;
  close(): Promise<void>;
}

/**
 * Opens the store a config names read-only, with the keys to verify its receipts and open its
 * retained inputs. It works beside a running gateway too (SQLite readers do not block its
 * writer): receipts are better read through the running gateway's control API, but a replay
 * needs nothing of the gateway, so that an auditor can replay without it.
 */
export function openOffline(config: GatewayConfig): OfflineStore {
  const store = openSqliteStore(join(config.dataDir, 'entente.db'), { readonly: true });
  const keys = keyRingOf(config, SigningKey.fromJwk(config.receipts.signingJwk));
  return {
    listTasks: (filter = {}) => store.listTasks(filter),
    receipts: (taskId, peerOrg) => readTaskReceipts(config.org, store, keys, taskId, peerOrg),
    replay: (decisionId, opts = {}) => {
      const key = opts.key ?? config.audit.retention.key;
      return replayDecision(store, decisionId, { ...(opts.input !== undefined ? { input: opts.input } : {}), ...(key !== undefined ? { key } : {}) });
    },
    close: () => store.close(),
  };
}
