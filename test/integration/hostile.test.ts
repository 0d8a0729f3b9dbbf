import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, signResult } from '../../gateway/src/audit/index.js';
import { newSalt, saltedDigest, sha256Digest, SigningKey } from '../../gateway/src/crypto/index.js';
import { federationProto } from '../../gateway/src/lib/index.js';
import { PKI_FILES } from '../../gateway/src/pki/index.js';
import type { FederationClient } from '../../gateway/src/generated/entente/federation/v1/Federation.js';
import { callPastReconnect, cohortCounter, countAgreements, orgFile, receiptKeyOf, standIn, startFederation, type TestFederation } from '../support/federation.js';

const A = 'hospital-a';
const B = 'hospital-b';

/**
 * A partner that is correctly certified but hostile: it talks to A's federation port with a
 * client built from the .proto alone, its own certificate and its own receipt key, and sends
 * what a well-behaved gateway never would.
 */
describe('a hostile but correctly certified partner', () => {
  let fed: TestFederation;
  let client: FederationClient;
  let key: SigningKey;
  const runs = { n: 0 };
  const strict = cohortCounter(7, runs);

  beforeAll(async () => {
    fed = await startFederation({ [A]: { agents: [strict], agreements: countAgreements(A, [B]) }, [B]: { agreements: countAgreements(B, [A]) } });
    const pem = (org: string, file: string) => orgFile(fed, org, file);
    const Ctor = federationProto().entente.federation.v1.Federation;
    client = new Ctor(`localhost:${fed.ports[A]}`, grpc.credentials.createSsl(pem(A, PKI_FILES.ca), pem(B, PKI_FILES.key), pem(B, PKI_FILES.cert)));
    key = receiptKeyOf(fed, B);
  });
  afterAll(async () => {
    client?.close();
    await fed?.stop();
  });

  /** SubmitTask with these input bytes and a request statement B signs over `digestOf` (salted). */
  const submit = (taskId: string, input: Buffer, digestOf: unknown) => {
    const salt = newSalt();
    const now = Math.floor(Date.now() / 1000);
    const statement = signRequest(key, {
      task_id: taskId, from: B, to: A, capability: 'patients.count', purpose: 'research',
      input_digest: saltedDigest(salt, digestOf), iat: now, exp: now + 60, outbound: { decision_id: 'd', policy_revision: 'r' },
    });
    return new Promise<grpc.ServiceError>((resolve, reject) =>
      client.SubmitTask(
        { task_id: taskId, capability: 'patients.count', purpose: 'research', input, salt, request_statement: statement.jws },
        { deadline: new Date(Date.now() + 10_000) },
        (err, res) => (err ? resolve(err) : reject(new Error(`expected a refusal, got ${JSON.stringify(res)}`))),
      ),
    );
  };
  const errorLines = () => fed.logs[A]!.filter((l) => (l['level'] as number) >= 50);

  it('gets INVALID_ARGUMENT for input bytes that are not UTF-8, and the agent never runs', async () => {
    const before = runs.n;
    const bytes = Buffer.concat([Buffer.from('{"condition":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    // What a lenient decoder would have made of it: the statement matches that reading.
    const err = await submit('bad-utf8', bytes, { condition: '\ufffd\ufffd' });
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.metadata.get('entente-reason')).toEqual(['request_invalid']);
    expect(err.details).toContain('the input is not valid UTF-8');
    expect(runs.n).toBe(before);
  });

  it('gets INVALID_ARGUMENT naming the limit for 100,000 levels of nesting, and A logs no error', async () => {
    const errorsBefore = errorLines().length;
    const deep = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
    const err = await submit('deep', deep, {});
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toContain('the input nests deeper than 64 levels (limits.maxJsonDepth)');
    expect(errorLines().length).toBe(errorsBefore);
  });

  it('gets a bounded status for an input with thousands of unknown keys, listing the first problems', async () => {
    const input = { condition: 'asthma', ...Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`unknown_${i}`, 1])) };
    const err = await submit('many-keys', Buffer.from(JSON.stringify(input)), input);
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.metadata.get('entente-reason')).toEqual(['invalid_input']);
    expect(err.details.length).toBeLessThanOrEqual(1024);
    expect(err.details).toMatch(/^invalid_input: input does not match patients\.count: .*unknown_0/);
  });

  it('gets INVALID_ARGUMENT, not INTERNAL, for JSON that has no canonical form', async () => {
    const err = await submit('surrogate', Buffer.from('{"condition":"\\ud800"}'), { condition: 'x' });
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toContain('no canonical JSON form (RFC 8785)');
  });

  it('gets ALREADY_EXISTS (task_conflict) for a task id that already names a task A asked of it, and nothing runs or is stored', async () => {
    const asked = await fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } });
    const before = runs.n;
    const err = await submit(asked.taskId, Buffer.from('{"condition":"asthma"}'), { condition: 'asthma' });
    expect(err.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(err.metadata.get('entente-reason')).toEqual(['task_conflict']);
    expect(err.details).toContain('one id names one task between two organizations');
    expect(runs.n).toBe(before);
    // A keeps its own task alone under that id.
    expect((await fed.gateways[A]!.receipts(asked.taskId, B)).map((r) => r.task.role)).toEqual(['requester']);
  });

  describe('answering as a responder', () => {
    /** B's gateway replaced by a server that answers every SubmitTask with `result` bytes and a statement B signs over `digestOf`. */
    const hostileB = async (result: Buffer, digestOf: unknown) => {
      await fed.gateways[B]!.stop(0);
      return standIn(fed, B, A, {
        SubmitTask: (call: grpc.ServerUnaryCall<{ task_id: string; salt: string; request_statement: string }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
          const { task_id, salt, request_statement } = call.request;
          const statement = signResult(key, {
            task_id, from: B, to: A, request_digest: sha256Digest(request_statement), status: 'completed',
            result_digest: saltedDigest(salt, digestOf), inbound: { decision_id: 'd', policy_revision: 'r' }, disclosure: { decision_id: 'd', policy_revision: 'r' },
          });
          cb(null, { task_id, status: 'TASK_STATUS_COMPLETED', result, result_statement: statement.jws });
        },
        Acknowledge: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, {}),
      } as unknown as grpc.UntypedServiceImplementation);
    };
    /** A's call to the server now on B's port. */
    const call = () => callPastReconnect(() => fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input: { condition: 'asthma' } }));

    it('refuses result bytes that are not UTF-8 (receipt_invalid), and a result nested too deep', async () => {
      const server = await hostileB(Buffer.concat([Buffer.from('{"count":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), { count: '\ufffd(' });
      try {
        const outcome = await call();
        expect(outcome).toMatchObject({ status: 'failed', reason: 'receipt_invalid' });
        expect(outcome.message).toContain('the result is not valid UTF-8');
      } finally {
        server.forceShutdown();
      }
      const deep = await hostileB(Buffer.from('['.repeat(1000) + ']'.repeat(1000)), {});
      try {
        const outcome = await call();
        expect(outcome).toMatchObject({ status: 'failed', reason: 'receipt_invalid' });
        expect(outcome.message).toContain('the result nests deeper than 64 levels');
      } finally {
        deep.forceShutdown();
      }
    });
  });

  it("refuses the caller's own input nested too deep before anything walks it", async () => {
    let input: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) input = [input];
    await expect(fed.gateways[A]!.call({ partner: B, capability: 'patients.count', purpose: 'research', input })).rejects.toMatchObject({
      reason: 'request_invalid',
      message: expect.stringContaining('the input nests deeper than 64 levels (limits.maxJsonDepth)'),
    });
  });
});
