import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signResult } from '../../gateway/src/audit/index.js';
import { saltedDigest, sha256Digest } from '../../gateway/src/crypto/index.js';
import { federationProto } from '../../gateway/src/lib/index.js';
import { callPastReconnect, countAgreements, receiptKeyOf, standIn, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';

/**
 * A's partner on another version of Entente: B's gateway is replaced, on its port and with its
 * certificate and receipt key, by a server built from the .proto alone (the stand-in for a
 * release we cannot run here). It answers every task with a result it signs (single form),
 * takes acks, records what it was sent, and says in its trailers only what `says` allows: an
 * older release says neither that it verifies batched statements nor that it takes acks on
 * SubmitTask; a newer one says both; one that went back says them no longer.
 */
describe('a partner on another version', () => {
  let fed: TestFederation;
  let server: grpc.Server;
  const says = { batched: false, acksOnSubmit: false };
  /** A partner that went back a version right after saying it takes riding acks: it ignores them, and answers after `answerAfterMs`. */
  const behaves = { ignoresRidingAcks: false, answerAfterMs: 0 };
  const seen = { requests: [] as string[], ridingAcks: [] as string[], batchedAcks: [] as string[] };

  beforeAll(async () => {
    // A second for an ack to find a task to ride on: with one call after another, each rides.
    fed = await startFederation({ [A]: { agreements: countAgreements(A, [B]), config: { acks: { rideWait: '1s' } } }, [B]: { agreements: countAgreements(B, [A]) } });
    // Every Entente answer carries its log's checkpoint (protocol §7): the stand-in sends the
    // last one B's gateway signed, so that A sees the same log throughout.
    const checkpoint = Buffer.from((await fed.gateways[B]!.logStatus()).checkpoint, 'utf8');
    await fed.gateways[B]!.stop(0);
    const key = receiptKeyOf(fed, B);
    const trailer = () => {
      const md = new grpc.Metadata();
      md.set('entente-checkpoint-bin', checkpoint);
      if (says.batched) md.set('entente-batched-statements', '1');
      if (says.acksOnSubmit) md.set('entente-acks-on-submit', '1');
      return md;
    };
    type Ack = { task_id: string; ack_statement: string };
    server = await standIn(fed, B, A, {
      SubmitTask: (call: grpc.ServerUnaryCall<{ task_id: string; salt: string; request_statement: string; acks: Ack[] }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        const { task_id, salt, request_statement, acks } = call.request;
        seen.requests.push(request_statement);
        if (!behaves.ignoresRidingAcks) seen.ridingAcks.push(...acks.map((a) => a.task_id));
        if (acks.length > 0 && !behaves.ignoresRidingAcks) {
          // Answered as a current responder would (stored), so that the requester need not resend them.
          const outcomes = federationProto().entente.federation.v1.Federation.service.AcknowledgeBatch.responseSerialize({
            outcomes: acks.map((a) => ({ task_id: a.task_id, reason: '', message: '' })),
          });
          const md = new grpc.Metadata();
          md.set('entente-ack-outcomes-bin', outcomes);
          call.sendMetadata(md);
        }
        const statement = signResult(key, {
          task_id, from: B, to: A, request_digest: sha256Digest(request_statement), status: 'completed',
          result_digest: saltedDigest(salt, { count: 7 }), inbound: { decision_id: 'd', policy_revision: 'r' }, disclosure: { decision_id: 'd', policy_revision: 'r' },
        });
        const answer = () => cb(null, { task_id, status: 'TASK_STATUS_COMPLETED', result: Buffer.from('{"count":7}'), result_statement: statement.jws }, trailer());
        if (behaves.answerAfterMs > 0) setTimeout(answer, behaves.answerAfterMs);
        else answer();
      },
      AcknowledgeBatch: (call: grpc.ServerUnaryCall<{ acks: Ack[] }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        seen.batchedAcks.push(...call.request.acks.map((a) => a.task_id));
        cb(null, { outcomes: call.request.acks.map((a) => ({ task_id: a.task_id, reason: '', message: '' })) }, trailer());
      },
    } as unknown as grpc.UntypedServiceImplementation);
  });
  afterAll(async () => {
    server?.forceShutdown();
    await fed?.stop();
  });

  /** One task of A's, to the stand-in. */
  const call = () => callPastReconnect(() => fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } }));
  const until = async (what: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!what()) {
      if (Date.now() > end) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const parts = (jws: string) => jws.split('.').length;
  const delivered = (taskId: string) => seen.ridingAcks.includes(taskId) || seen.batchedAcks.includes(taskId);

  it('sends acks on SubmitTask only while the partner says it takes them, and alone otherwise', async () => {
    // An older partner: every ack goes alone, none rides.
    const older = [await call(), await call(), await call()];
    expect(older.map((o) => o.status)).toEqual(['completed', 'completed', 'completed']);
    await until(() => older.every((o) => delivered(o.taskId)));
    expect(seen.ridingAcks).toEqual([]);
    expect(seen.batchedAcks).toEqual(expect.arrayContaining(older.map((o) => o.taskId)));

    // It upgrades: from the first answer that says so, each task's ack rides on the next call;
    // the last one, with no call after it, leaves alone once acks.rideWait has passed.
    says.acksOnSubmit = true;
    const newer = [await call(), await call(), await call(), await call()];
    await until(() => newer.every((o) => delivered(o.taskId)));
    expect(seen.ridingAcks).toEqual(newer.slice(0, 3).map((o) => o.taskId));
    expect(seen.batchedAcks).toContain(newer[3]!.taskId);

    // It goes back: from the first answer without the word, acks go alone again.
    says.acksOnSubmit = false;
    await call();
    const ridingBefore = seen.ridingAcks.length;
    const back = [await call(), await call(), await call()];
    await until(() => back.every((o) => delivered(o.taskId)));
    expect(seen.ridingAcks.length).toBe(ridingBefore);
    expect(seen.batchedAcks).toEqual(expect.arrayContaining(back.map((o) => o.taskId)));
  });

  it('sends acks again on their own when the task they rode on brings no outcomes, without waiting for its answer', async () => {
    says.acksOnSubmit = true;
    await call();
    const carried = await call();
    // The partner goes back a version between two answers: it ignores the acks riding on the
    // next task, whose answer comes only after 4 s.
    Object.assign(behaves, { ignoresRidingAcks: true, answerAfterMs: 4000 });
    try {
      const started = Date.now();
      const slow = call();
      await until(() => delivered(carried.taskId), 3500);
      expect(seen.batchedAcks).toContain(carried.taskId);
      expect(Date.now() - started).toBeLessThan(3500);
      expect((await slow).status).toBe('completed');
    } finally {
      Object.assign(behaves, { ignoresRidingAcks: false, answerAfterMs: 0 });
      says.acksOnSubmit = false;
    }
  });

  it('signs requests in batches only while the partner says it verifies them, and alone again once it no longer does', async () => {
    const burst = async () => {
      const from = seen.requests.length;
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => call()));
      expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('completed'));
      return seen.requests.slice(from);
    };
    says.batched = false;
    await call();
    // Never said: every request is a single JWS, whatever the burst.
    expect((await burst()).map(parts)).toEqual(Array(8).fill(3));

    says.batched = true;
    await call();
    // Said: a burst signed within one turn shares a batch signature (six parts).
    expect((await burst()).some((jws) => parts(jws) === 6)).toBe(true);

    // It went back to a release that does not verify them: after its first answer without the
    // word, no statement to it is batched any more.
    says.batched = false;
    await call();
    expect((await burst()).map(parts)).toEqual(Array(8).fill(3));
  });
});
