import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { bindServer, closeConnectionOf, controlProto, protoDefinition, shutdownServer } from '../lib/index.js';
import type { Logger } from '../observability/index.js';
import type { ClientTrust } from '../pki/index.js';
import type { ControlHandlers } from '../generated/entente/control/v1/Control.js';
import type { ControlBackend } from './backend.js';
import { ControlError } from './errors.js';
import {
  parseJsonField,
  toApproval,
  toCallOptions,
  toCallResponse,
  toCancel,
  toDecision,
  toListRuns,
  toListTasks,
  toReceipts,
  toRun,
  toRunEvent,
  toStatus,
  toExportSelection,
  chunks,
} from './messages.js';
import { WorkflowError } from '../workflows/index.js';
import { authorize, isRole, ROLES, type Caller, type ControlMethod } from './roles.js';
import { bindPrivate, prepareSocketPath, removeSocket } from './socket.js';
import { toControlError } from './status.js';

export interface ControlServerOptions {
  readonly backend: ControlBackend;
  /** The Unix socket (always served): its owner is the operator. */
  readonly socket: string;
  /** Optional TCP address served with mutual TLS; needs `tls`. */
  readonly listen?: string;
  readonly tls?: { readonly caPem: string; readonly certPem: string; readonly keyPem: string; readonly clients: () => ClientTrust };
  readonly log: Logger;
}

const SERVICE = 'entente.control.v1.Control';
/** What a listener reads its caller from: a unary call and a server stream alike. */
type ServerCall = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext'>;
const OPERATOR: Caller = { via: 'socket', name: 'local', roles: new Set(ROLES) };

/**
 * The control API: one service on two listeners, each with its own way of knowing the caller.
 * On the Unix socket the caller is whoever could open it (the operator: the socket is 0600);
 * on TCP the caller is its verified client certificate and the roles it carries. Thin: every
 * method authorizes, converts, and hands over to the gateway.
 */
export class ControlServer {
  private readonly servers: grpc.Server[] = [];
  private readonly health = new HealthImplementation({ '': 'NOT_SERVING', [SERVICE]: 'NOT_SERVING' });
  private tcpPort: number | undefined;
  /** Whether the file at the socket path is ours to remove: set once we have bound it. */
  private ownsSocket = false;
  /** Set when stop() begins: a call that still arrives is refused (see closeConnectionOf). */
  private stopping = false;

  constructor(private readonly opts: ControlServerOptions) {}

  /** Binds the socket (and the TCP listener, if configured) and starts serving. */
  async start(): Promise<void> {
    const { socket, listen, tls } = this.opts;
    await prepareSocketPath(socket);
    try {
      const local = this.server(() => OPERATOR);
      await bindPrivate(socket, () => bindServer(local, `unix:${socket}`, grpc.ServerCredentials.createInsecure(), 'control.socket').then(() => undefined));
      this.ownsSocket = true;
      if (listen !== undefined) {
        if (tls === undefined) throw new TypeError('control.listen needs the gateway TLS material');
        const remote = this.server((call) => this.identify(call, tls.clients()));
        const creds = grpc.ServerCredentials.createSsl(
          Buffer.from(tls.caPem),
          [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }],
          true,
        );
        this.tcpPort = await bindServer(remote, listen, creds, 'control.listen');
      }
    } catch (err) {
      await this.stop(0);
      throw err;
    }
    this.health.setStatus('', 'SERVING');
    this.health.setStatus(SERVICE, 'SERVING');
  }

  /** The bound TCP port, when control.listen is set (useful with port 0). */
  get port(): number | undefined {
    return this.tcpPort;
  }

  /** Reports NOT_SERVING, then stops like the federation server: in-flight calls get `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    this.health.setStatus('', 'NOT_SERVING');
    this.health.setStatus(SERVICE, 'NOT_SERVING');
    await Promise.all(this.servers.map((s) => shutdownServer(s, graceMs)));
    this.servers.length = 0;
    if (this.ownsSocket) removeSocket(this.opts.socket);
    this.ownsSocket = false;
  }

  private server(authenticate: (call: ServerCall) => Caller): grpc.Server {
    const server = new grpc.Server();
    server.addService(controlProto().entente.control.v1.Control.service, this.handlers(authenticate));
    this.health.addToServer(server);
    new ReflectionService(protoDefinition('entente/control/v1/control.proto', healthProtoPath)).addToServer(server);
    this.servers.push(server);
    return server;
  }

  private handlers(authenticate: (call: ServerCall) => Caller): ControlHandlers {
    const { backend, log } = this.opts;
    const stopping = () => this.stopping;
    /**
     * The part every method shares: `admit` authenticates the caller and checks its role;
     * `end` logs how the call went and gives the status to answer with (null for OK).
     */
    const begin = (method: ControlMethod, call: ServerCall) => {
      const started = Date.now();
      let caller: Caller | undefined;
      return {
        admit(): Caller {
          if (stopping()) {
            closeConnectionOf(call);
            throw new ControlError('CONTROL_STOPPING', 'the gateway is stopping: call again once it has restarted');
          }
          caller = authenticate(call);
          authorize(method, caller);
          return caller;
        },
        end(err: unknown): Partial<grpc.StatusObject> | null {
          const fields = { method, via: caller?.via, client: caller?.name, duration_ms: Date.now() - started };
          if (err === null) {
            log.info(fields, 'control call');
            return null;
          }
          const status = toControlError(err);
          if (status.internal) log.error({ ...fields, err }, 'control call failed');
          else log.info({ ...fields, code: status.reason }, 'control call refused');
          return status.error;
        },
      };
    };
    const unary = <Req, Res>(method: ControlMethod, run: (req: Req, caller: Caller, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>) =>
      (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>): void => {
        const { admit, end } = begin(method, call);
        const done = (err: unknown, res?: Res) => {
          const error = end(err);
          if (error === null) callback(null, res);
          else callback(error);
        };
        let caller: Caller;
        try {
          caller = admit();
        } catch (err) {
          done(err);
          return;
        }
        run(call.request, caller, call).then((res) => done(null, res), done);
      };
    /**
     * A server-streaming method: writes each item `open` yields (waiting while the client is
     * slow to read) and ends the stream when the items end. A client that cancels aborts
     * `signal`, which ends the items; it gets no answer, and the call is logged as ended.
     */
    const stream = <Req, Item, Res>(
      method: ControlMethod,
      open: (req: Req, caller: Caller, signal: AbortSignal) => Promise<AsyncIterable<Item>>,
      toMessage: (item: Item) => Res,
    ) =>
      (call: grpc.ServerWritableStream<Req, Res>): void => {
        const { admit, end } = begin(method, call);
        const cancelled = new AbortController();
        call.on('cancelled', () => cancelled.abort());
        const send = async () => {
          for await (const item of await open(call.request, admit(), cancelled.signal)) {
            if (cancelled.signal.aborted) return;
            if (!call.write(toMessage(item))) await once(call, 'drain', { signal: cancelled.signal });
          }
        };
        send().then(
          () => {
            end(null);
            if (!cancelled.signal.aborted) call.end();
          },
          (err: unknown) => {
            if (cancelled.signal.aborted) end(null);
            else call.emit('error', end(err));
          },
        );
      };
    return {
      Call: unary('Call', async (req, caller, call) => {
        const deadline = call.getDeadline();
        const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
        const options = toCallOptions(req, Number.isFinite(deadlineMs) && deadlineMs > 0 ? deadlineMs - Date.now() : undefined);
        log.info({ client: caller.name, partner: options.partner, capability: options.capability, purpose: options.purpose }, 'control call: calling a partner');
        return toCallResponse(await backend.call(options));
      }),
      ListTasks: unary('ListTasks', async (req) =>
        toListTasks(
          req,
          (filter) => backend.listTasks(filter),
          async (task) => {
            const held = (await backend.receipts(task.taskId, task.peerOrg)).find((r) => r.task.role === task.role);
            return { receipts: held?.verification.state ?? 'incomplete', ack: held?.ack.state ?? 'missing' };
          },
        ),
      ),
      GetReceipts: unary('GetReceipts', async (req) => {
        if (req.task_id === '') throw new ControlError('CONTROL_INVALID_ARGUMENT', 'task_id is required');
        const found = await backend.receipts(req.task_id, req.partner === '' ? undefined : req.partner);
        if (found.length === 0) throw new ControlError('CONTROL_NOT_FOUND', `this gateway holds no task ${JSON.stringify(req.task_id)}`);
        return toReceipts(found);
      }),
      GetStatus: unary('GetStatus', async () => toStatus(backend.status(), await backend.logStatus())),
      ExportAudit: stream('ExportAudit', async (req, caller) => {
        const selection = toExportSelection(req);
        log.info({ client: caller.name, ...selection }, 'control: audit export');
        return chunks(Buffer.from(JSON.stringify(await backend.exportAudit(selection)), 'utf8'));
      }, (data: Buffer) => ({ data })),
      StartRun: unary('StartRun', async (req, caller) => {
        if (req.workflow === '') throw new ControlError('CONTROL_INVALID_ARGUMENT', 'workflow is required: the definition as YAML or JSON text');
        const input = req.input_json === '' ? {} : parseJsonField(req.input_json, 'input_json');
        let runId: string;
        try {
          runId = await backend.startRunFromText(req.workflow, input);
        } catch (err) {
          if (err instanceof WorkflowError) throw new ControlError('CONTROL_INVALID_ARGUMENT', err.message, { cause: err });
          throw err;
        }
        log.info({ client: caller.name, run_id: runId }, 'control: run started');
        return toRun((await backend.getRun(runId, false))!);
      }),
      GetRun: unary('GetRun', async (req) => toRun(held(req.run_id, await backend.getRun(req.run_id, req.wait)))),
      ListRuns: unary('ListRuns', async (req) => toListRuns(req, (filter) => backend.listRuns(filter))),
      WatchRun: stream(
        'WatchRun',
        async (req, _caller, signal) => held(req.run_id, await backend.watchRun(req.run_id, req.from_seq, signal)),
        toRunEvent,
      ),
      CancelRun: unary('CancelRun', async (req, caller) => {
        const { runId, reason } = toCancel(req);
        const state = held(runId, await backend.cancelRun(runId, caller.name, reason));
        log.info({ client: caller.name, run_id: runId }, 'control: run cancel requested');
        return toRun(state);
      }),
      ListApprovals: unary('ListApprovals', async (req) => ({
        approvals: (await backend.listApprovals(req.run_id === '' ? {} : { runId: req.run_id })).map(toApproval),
      })),
      DecideApproval: unary('DecideApproval', async (req, caller) => {
        const { approvalId, decision } = toDecision(req, caller.name);
        const decided = await backend.decideApproval(approvalId, decision);
        log.info({ client: caller.name, approval_id: approvalId, decision: decision.decision }, 'control: approval decided');
        return toApproval(decided);
      }),
    };
  }

  /** A TCP caller is its client certificate: issued by our CA for our org; its roles from its SANs. */
  private identify(call: ServerCall, clients: ClientTrust): Caller {
    try {
      const id = clients.identify(call.getAuthContext().sslPeerCertificate?.raw);
      return { via: 'tls', name: id.name, roles: new Set(id.roles.filter(isRole)) };
    } catch (err) {
      throw new ControlError('CONTROL_UNAUTHENTICATED', `client certificate refused: ${(err as Error).message}`, { cause: err });
    }
  }
}

/** What the backend found for a run id, or NOT_FOUND naming the id. */
function held<T>(runId: string, found: T | undefined): T {
  if (found === undefined) throw new ControlError('CONTROL_NOT_FOUND', `this gateway holds no run ${JSON.stringify(runId)}: entente runs list shows the runs it holds`);
  return found;
}
