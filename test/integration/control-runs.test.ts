import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ControlCallError, defineAgent, EntenteClient, type ApprovalView, type RunUpdate } from '@entente/sdk';
import { issueClientCert, PKI_FILES } from '../../gateway/src/pki/index.js';
import { cohortCounter, countAgreements, REPO, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const exec = promisify(execFile);

const counter = cohortCounter(12);
/** A local step that runs until it is cancelled. */
const sleeper = defineAgent({
  name: 'sleeper',
  capabilities: ['work.slow'],
  input: z.strictObject({}),
  output: z.strictObject({}),
  handler: (_input, ctx) =>
    new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true })),
});

const COUNT = `
name: count
steps:
  - { id: b, capability: patients.count, at: ${B}, purpose: research, input: 'input.cohort' }
output: steps.b.output
`;
const SLOW = `
name: slow
steps:
  - { id: wait, capability: work.slow }
`;
/** A count at B that a person must approve before the run can finish. */
const APPROVED = `
name: approved-count
steps:
  - { id: b, capability: patients.count, at: ${B}, purpose: research, input: 'input.cohort' }
  - { id: ok, approval: {}, needs: [b] }
output: steps.b.output
`;
/** An approval, then a step that runs until cancelled: the run outlives the decision. */
const APPROVED_THEN_SLOW = `
name: approved-slow
steps:
  - { id: ok, approval: {} }
  - { id: wait, capability: work.slow, needs: [ok] }
`;
const cohort = { cohort: { condition: 'asthma' } };

describe('the control API for runs and approvals', () => {
  let fed: TestFederation;
  let socket: string;
  const clients: EntenteClient[] = [];
  /** A client on the socket (the operator, `local`), or over mutual TLS with a certificate carrying `roles`. */
  const client = (roles?: readonly string[]) => {
    let c: EntenteClient;
    if (roles === undefined) c = EntenteClient.connect({ socket });
    else {
      const pem = (file: string) => readFileSync(join(fed.certsDir, A, file), 'utf8');
      const cert = issueClientCert({ certPem: pem(PKI_FILES.ca), keyPem: pem(PKI_FILES.caKey) }, A, `test-${roles.join('-')}`, roles);
      c = EntenteClient.connect({ address: `127.0.0.1:${fed.controlPorts[A]}`, ca: pem(PKI_FILES.ca), cert: cert.certPem, key: cert.keyPem });
    }
    clients.push(c);
    return c;
  };
  const collect = async (updates: AsyncIterable<RunUpdate>) => {
    const all: RunUpdate[] = [];
    for await (const u of updates) all.push(u);
    return all;
  };
  /** Watches a run until `until` holds for an update, then stops watching. */
  const watchUntil = async (c: EntenteClient, runId: string, until: (u: RunUpdate) => boolean) => {
    for await (const u of c.watchRun(runId, { timeoutMs: 20_000 })) if (until(u)) return u;
    throw new Error(`run ${runId} ended before the awaited event`);
  };
  const awaitingApproval = async (c: EntenteClient, runId: string): Promise<ApprovalView> => {
    await watchUntil(c, runId, (u) => u.event.type === 'approval_requested');
    const [approval] = await c.listApprovals({ runId });
    return approval!;
  };

  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agents: [sleeper], agreements: countAgreements(A, [B]), controlListen: true },
      [B]: { agents: [counter], agreements: countAgreements(B, [A]) },
    });
    socket = fed.config(A).control.socket;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await fed?.stop();
  });

  describe('ListRuns', () => {
    it('lists the runs newest first, by status, page by page', async () => {
      const c = client();
      const first = await c.startRun(COUNT, cohort);
      const second = await c.startRun(COUNT, cohort);
      await c.getRun(second.runId, { wait: true, timeoutMs: 20_000 });
      await c.getRun(first.runId, { wait: true, timeoutMs: 20_000 });
      const { runs, nextPageToken } = await c.listRuns({ status: 'completed', pageSize: 1 });
      expect(runs).toEqual([expect.objectContaining({ runId: second.runId, workflow: 'count', status: 'completed' })]);
      expect(runs[0]!.updatedAt.getTime()).toBeGreaterThanOrEqual(runs[0]!.startedAt.getTime());
      expect(nextPageToken).toBeDefined();
      const ids: string[] = [];
      for await (const r of c.runs({ status: 'completed', pageSize: 1 })) ids.push(r.runId);
      expect(ids.slice(0, 2)).toEqual([second.runId, first.runId]);
      await expect(c.listRuns({ status: 'done' as 'completed' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('status "done" is not a run status') });
    });
  });

  describe('WatchRun', () => {
    it("streams a run's events from run_started to run_finished, each with the run's state after it, and ends", async () => {
      const c = client();
      const { runId } = await c.startRun(COUNT, cohort);
      const updates = await collect(c.watchRun(runId, { timeoutMs: 20_000 }));
      expect(updates.map((u) => u.seq)).toEqual(updates.map((_, i) => i));
      expect(updates.map((u) => u.event.type)).toEqual(['run_started', 'step_started', 'step_completed', 'run_finished']);
      const started = updates[1]!;
      expect(started.event).toMatchObject({ step: 'b', attempt: 1, provider: B, taskId: `${runId}.b.1` });
      expect(started.run.steps).toEqual([expect.objectContaining({ id: 'b', status: 'running', provider: B, startedAt: expect.any(Date) })]);
      expect(updates.at(-1)!.run).toMatchObject({ status: 'completed', output: { count: 12 }, finishedAt: expect.any(Date) });
    });

    it('replays a finished run from a given position and ends; refuses an unknown run as NOT_FOUND', async () => {
      const c = client();
      const { runId } = await c.startRun(COUNT, cohort);
      await c.getRun(runId, { wait: true, timeoutMs: 20_000 });
      const tail = await collect(c.watchRun(runId, { from: 2 }));
      expect(tail.map((u) => [u.seq, u.event.type])).toEqual([[2, 'step_completed'], [3, 'run_finished']]);
      await expect(collect(c.watchRun('no-such-run'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('stops watching, not the run, when the signal aborts', async () => {
      const c = client();
      const { runId } = await c.startRun(SLOW, {});
      const abort = new AbortController();
      const seen: string[] = [];
      const watching = (async () => {
        for await (const u of c.watchRun(runId, { signal: abort.signal })) {
          seen.push(u.event.type);
          if (u.event.type === 'step_started') abort.abort(new Error('enough'));
        }
      })();
      await expect(watching).rejects.toThrow('enough');
      expect(seen).toEqual(['run_started', 'step_started']);
      expect((await c.getRun(runId)).status).toBe('running');
      await c.cancelRun(runId, 'clean up');
    });
  });

  describe('CancelRun', () => {
    it('stops a run, cancelling its step in flight, keeping the reason; the run ends cancelled', async () => {
      const c = client();
      const { runId } = await c.startRun(SLOW, {});
      await watchUntil(c, runId, (u) => u.event.type === 'step_started');
      const asked = await c.cancelRun(runId, 'started by mistake');
      expect(asked).toMatchObject({ runId, cancelReason: 'started by mistake' });
      const done = await c.getRun(runId, { wait: true, timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'cancelled', cancelReason: 'started by mistake' });
      const events = await collect(c.watchRun(runId));
      expect(events.find((u) => u.event.type === 'run_cancel_requested')?.event).toMatchObject({ by: 'local', reason: 'started by mistake' });
    });

    it('refuses an unknown run as NOT_FOUND and a request without a reason as INVALID_ARGUMENT', async () => {
      const c = client();
      await expect(c.cancelRun('no-such-run', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(c.cancelRun('no-such-run', '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^reason is required/) });
    });
  });

  describe('ListApprovals and DecideApproval', () => {
    it('lists the approval a step waits on, and an approval lets the run finish, recording who decided', async () => {
      const c = client();
      const { runId } = await c.startRun(APPROVED, cohort);
      const approval = await awaitingApproval(c, runId);
      expect(approval).toMatchObject({ kind: 'approval', runId, workflow: 'approved-count', step: 'ok', decisions: ['approve', 'reject'], requestedAt: expect.any(Date) });
      expect((await c.getRun(runId)).steps.find((s) => s.id === 'ok')).toMatchObject({ status: 'awaiting_approval', approvalId: approval.approvalId });

      const decided = await c.approve(approval.approvalId, 'checked the cohort');
      expect(decided).toMatchObject({ approvalId: approval.approvalId, decided: { decision: 'approve', by: 'local', reason: 'checked the cohort' } });
      const done = await c.getRun(runId, { wait: true, timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'completed', output: { count: 12 } });
      expect(done.steps.find((s) => s.id === 'ok')).toMatchObject({ status: 'completed', decided: { decision: 'approve', by: 'local' } });
      expect(await c.listApprovals({ runId })).toEqual([]);
    });

    it('refuses a second decision on an approval as FAILED_PRECONDITION, while its run goes on', async () => {
      const c = client();
      const { runId } = await c.startRun(APPROVED_THEN_SLOW, {});
      const approval = await awaitingApproval(c, runId);
      await c.approve(approval.approvalId, 'go ahead');
      await expect(c.reject(approval.approvalId, 'changed my mind')).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        reason: 'APPROVAL_DECIDED',
        message: expect.stringContaining('approve by local'),
      });
      await c.cancelRun(runId, 'clean up');
    });

    it('records an approver over mutual TLS by its certificate name; a rejection fails the step', async () => {
      const approver = client(['approver']);
      const { runId } = await client().startRun(APPROVED, cohort);
      const approval = await awaitingApproval(client(), runId);
      await expect(approver.decideApproval(approval.approvalId, { decision: 'retry', reason: 'not for approvals' })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        reason: 'APPROVAL_DECISION_INVALID',
      });
      await expect(approver.reject(approval.approvalId, ' ')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^reason is required/) });
      const rejected = await approver.reject(approval.approvalId, 'cohort too small');
      expect(rejected.decided).toMatchObject({ decision: 'reject', by: 'test-approver', reason: 'cohort too small' });
      const done = await client().getRun(runId, { wait: true, timeoutMs: 20_000 });
      expect(done.status).toBe('failed');
      const events = await collect(client().watchRun(runId));
      expect(events.find((u) => u.event.type === 'approval_decided')?.event).toMatchObject({ by: 'test-approver', decision: 'reject' });
    });

    it('refuses an approval this gateway does not hold as NOT_FOUND', async () => {
      await expect(client().approve('no-such-approval', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND', reason: 'APPROVAL_UNKNOWN' });
    });
  });

  describe('over mutual TLS, by the role in the client certificate', () => {
    it('lets an auditor see runs and approvals but not decide, naming the approver role', async () => {
      const { runId } = await client().startRun(APPROVED, cohort);
      const approval = await awaitingApproval(client(), runId);
      const auditor = client(['auditor']);
      await expect(auditor.listRuns()).resolves.toBeDefined();
      await expect(auditor.listApprovals({ runId })).resolves.toEqual([expect.objectContaining({ approvalId: approval.approvalId })]);
      await expect(watchUntil(auditor, runId, (u) => u.event.type === 'approval_requested')).resolves.toBeDefined();
      const refused = await auditor.approve(approval.approvalId, 'not mine to decide').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ControlCallError);
      expect(refused).toMatchObject({ code: 'PERMISSION_DENIED', reason: 'CONTROL_ROLE_REQUIRED', message: expect.stringMatching(/^DecideApproval needs the approver role \(or operator\); this client certificate has auditor/) });
      await expect(auditor.cancelRun(runId, 'x')).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringMatching(/^CancelRun needs the app role/) });
      await client().approve(approval.approvalId, 'tidy up');
    });

    it('lets an app cancel its runs but not see approvals; an approver decide but not watch', async () => {
      const app = client(['app']);
      const approver = client(['approver']);
      const { runId } = await app.startRun(SLOW, {});
      await expect(app.listApprovals()).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringMatching(/^ListApprovals needs the approver or auditor role/) });
      await expect(collect(approver.watchRun(runId))).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringMatching(/^WatchRun needs the app or auditor role/) });
      await expect(approver.listRuns()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      await expect(app.cancelRun(runId, 'done with it')).resolves.toMatchObject({ cancelReason: 'done with it' });
      const events = await collect(app.watchRun(runId, { timeoutMs: 20_000 }));
      expect(events.find((u) => u.event.type === 'run_cancel_requested')?.event).toMatchObject({ by: 'test-app' });
    });
  });

  describe('the entente CLI', () => {
    const entente = (...args: string[]) =>
      exec(process.execPath, ['--import', 'tsx', join(REPO, 'gateway/src/cli/main.ts'), ...args], { cwd: REPO, timeout: 60_000 });

    it('watches a run to its end as plain lines when stdout is not a terminal, while another approves it', async () => {
      const file = join(fed.dir, 'approved.yaml');
      writeFileSync(file, APPROVED);
      const since = Date.now();
      const watching = entente('run', file, '--socket', socket, '--input', JSON.stringify(cohort), '--watch');
      // The CLI's run is the one approval of this workflow requested since it started.
      let approval: ApprovalView | undefined;
      for (let i = 0; i < 200 && approval === undefined; i++) {
        approval = (await client().listApprovals()).find((a) => a.workflow === 'approved-count' && a.requestedAt.getTime() >= since - 1000);
        if (approval === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      if (approval === undefined) throw new Error(`no approval appeared; the CLI said: ${await watching.then((r) => r.stderr, (e: Error) => e.message)}`);
      const approved = await entente('approvals', 'approve', approval.approvalId, '--socket', socket, '--reason', 'looks right');
      expect(approved.stdout).toMatch(new RegExp(`^approval ${approval.approvalId} \\(run .* step ok\\): approve by local\\n$`));
      const { stdout } = await watching;
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^\d\d:\d\d:\d\d b running 1 hospital-b$/),
          expect.stringMatching(/^\d\d:\d\d:\d\d b completed 1 hospital-b$/),
          expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ok awaiting_approval 0 - \\(approval ${approval.approvalId}\\)$`)),
        ]),
      );
      expect(lines.slice(-2)).toEqual([expect.stringMatching(/^run \S+ of approved-count: completed$/), 'output: {"count":12}']);
    });

    it('needs --reason to decide, naming it, with exit code 2', async () => {
      const err = await entente('approvals', 'reject', 'some-id', '--socket', socket).catch((e: { code: number; stderr: string }) => e);
      expect(err).toMatchObject({ code: 2, stderr: expect.stringMatching(/^entente: missing --reason: say why/) });
    });
  });
});
