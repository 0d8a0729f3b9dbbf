import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { connect as tcpConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { z } from 'zod';
import { defineAgent } from '@entente/sdk';
import { PKI_FILES } from '../../gateway/src/pki/index.js';
import type { TaskView } from '../../gateway/src/tasks/index.js';
import { acked, countAgreements, partnerClient, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';
const C = 'hospital-c';

describe('following and cancelling a long task at a partner', () => {
  let fed: TestFederation;
  let release: () => void = () => undefined;
  const slow = defineAgent({
    name: 'slow-counter',
    capabilities: ['patients.count'],
    input: z.object({ condition: z.string() }),
    output: z.object({ count: z.number() }),
    handler: (_input, ctx) =>
      new Promise((resolve, reject) => {
        release = () => resolve({ count: 42 });
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
  });

  beforeAll(async () => {
    fed = await startFederation({
      [A]: { agreements: countAgreements(A, [B, C]) },
      [B]: { agents: [slow], agreements: countAgreements(B, [A, C]) },
      [C]: { agreements: countAgreements(C, [A, B]) },
    });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  const clientAs = (org: string) => partnerClient(fed, org, B);

  async function until(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('condition not reached');
  }

  it('reports a running task, streams it to completion, and hides it from other organizations', async () => {
    const a = clientAs(A);
    const c = clientAs(C);
    try {
      const call = fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' }, taskId: 'long-1' });
      await until(async () => (await a.getTask(B, 'long-1', Date.now() + 2000).catch(() => undefined))?.status === 'running');
      const updates: TaskView[] = [];
      const watching = a.watchTask(B, 'long-1', Date.now() + 5000, (v) => updates.push(v));
      await until(async () => updates.length > 0);
      await expect(c.getTask(B, 'long-1', Date.now() + 2000)).rejects.toMatchObject({ reason: 'task_unknown' });
      // The stream path ends with the same coded status as the unary calls.
      await expect(c.watchTask(B, 'long-1', Date.now() + 2000)).rejects.toMatchObject({ reason: 'task_unknown', cause: { code: grpc.status.NOT_FOUND } });
      release();
      const outcome = await call;
      expect(outcome).toMatchObject({ status: 'completed', result: { count: 42 } });
      const seen = await watching;
      expect(seen.map((v) => v.status)).toEqual(['running', 'completed']);
      expect(seen[1]!.resultStatement).toBe(outcome.receipts.result);
    } finally {
      a.close();
      c.close();
    }
  });

  it('cancels a running task at the requester\'s request, with receipts on both sides', async () => {
    const a = clientAs(A);
    try {
      const call = fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'x' }, taskId: 'long-2' });
      await until(async () => (await a.getTask(B, 'long-2', Date.now() + 2000).catch(() => undefined))?.status === 'running');
      const cancelled = await a.cancelTask(B, 'long-2', Date.now() + 2000);
      expect(cancelled.status).toBe('cancelled');
      const outcome = await call;
      expect(outcome).toMatchObject({ status: 'cancelled', reason: 'cancelled' });
      await acked(fed.gateways[A]!, B, 'long-2');
      expect((await fed.gateways[A]!.receipts('long-2', B))[0]!.verification.state).toBe('verified');
      expect((await fed.gateways[B]!.receipts('long-2', A))[0]!.verification.state).toBe('verified');
    } finally {
      a.close();
    }
  });
});

describe('a gateway that has stopped', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation({ [A]: { agreements: countAgreements(A, [B]) }, [B]: { agreements: countAgreements(B, [A]), controlListen: true } });
  });
  afterAll(async () => {
    await fed?.stop();
  });

  /**
   * A connection accepted before B stopped whose TLS handshake finishes after: grpc-js serves
   * such a connection with the stopped server's handlers (a restarting partner's peers hit it
   * when they reconnect at the moment it stops). B must refuse the call, not run it against a
   * closed store, and close the connection so that the caller reconnects to whatever serves next.
   * Both of B's TCP listeners: the federation port (A calling) and the control port (B's operator).
   */
  it('refuses a call on a connection whose handshake finished after it stopped, as retryable, and closes that connection', async () => {
    const pem = (org: string, file: string) => readFileSync(join(fed.certsDir, org, file));
    const ports = [
      { port: fed.ports[B]!, as: A, path: '/entente.federation.v1.Federation/GetCard', reason: 'partner_unavailable' },
      { port: fed.controlPorts[B]!, as: B, path: '/entente.control.v1.Control/GetStatus', reason: 'CONTROL_STOPPING' },
    ];
    const sockets = await Promise.all(
      ports.map(async ({ port }) => {
        const tcp: Socket = tcpConnect(port, '127.0.0.1');
        await new Promise<void>((resolve, reject) => tcp.once('connect', resolve).once('error', reject));
        return tcp;
      }),
    );
    await new Promise((r) => setTimeout(r, 50)); // B's event loop accepts them
    await fed.gateways[B]!.stop(0);

    for (const [i, { as, path, reason }] of ports.entries()) {
      const tls = { ca: pem(B, PKI_FILES.ca), cert: pem(as, PKI_FILES.cert), key: pem(as, PKI_FILES.key), servername: 'localhost', ALPNProtocols: ['h2'] };
      const session = http2.connect('https://localhost', { createConnection: () => tlsConnect({ socket: sockets[i], ...tls, checkServerIdentity: () => undefined }) });
      session.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => session.once('close', resolve));
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
      stream.end(Buffer.alloc(5)); // one empty request message
      const status = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
        let headers: http2.IncomingHttpHeaders = {};
        stream.on('response', (h) => (headers = h));
        stream.on('trailers', (t) => (headers = { ...headers, ...t }));
        stream.on('data', () => undefined);
        stream.on('end', () => resolve(headers));
        stream.on('error', reject);
      });
      expect(status['grpc-status'], path).toBe(String(grpc.status.UNAVAILABLE));
      expect(status['entente-reason'], path).toBe(reason);
      expect(decodeURIComponent(String(status['grpc-message'])), path).toContain('the gateway is stopping');
      // B closes the connection itself: the caller's next call opens a new one.
      await closed;
    }
    // Nothing ran against the closed store.
    expect(fed.logs[B]!.filter((l) => (l['level'] as number) >= 50)).toEqual([]);
  });
});
