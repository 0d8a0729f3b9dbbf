import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { fromServiceError, MD_REASON, MD_RESULT_STATEMENT, toServiceError } from '../../../gateway/src/federation/status.js';
import { GRPC_STATUS_NAMES } from '../../../gateway/src/lib/index.js';
import { REASON_CODES, TaskError, type ReasonCode } from '../../../gateway/src/tasks/index.js';

/** What a grpc-js client sees for a status the server sent. */
function received(status: Partial<grpc.StatusObject>): grpc.ServiceError {
  return Object.assign(new Error(`${status.code} ${status.details}`), {
    code: status.code!,
    details: status.details ?? '',
    metadata: status.metadata ?? new grpc.Metadata(),
  });
}

describe('toServiceError', () => {
  it('names only real gRPC statuses', () => {
    const numeric = Object.keys(grpc.status).filter((k) => Number.isNaN(Number(k)));
    expect([...GRPC_STATUS_NAMES].sort()).toEqual(numeric.sort());
  });

  describe.each(Object.keys(REASON_CODES) as ReasonCode[])('for %s', (reason) => {
    it("sends the table's status and the reason code, and the requester reads the same reason back", () => {
      const status = toServiceError(new TaskError(reason, undefined, { resultStatement: 'a.b.c' }));
      expect(status.code).toBe(grpc.status[REASON_CODES[reason].status]);
      expect(status.metadata?.get(MD_REASON)).toEqual([reason]);
      expect(status.metadata?.get(MD_RESULT_STATEMENT)).toEqual(['a.b.c']);
      const back = fromServiceError(received(status));
      expect(back).toMatchObject({ reason, message: REASON_CODES[reason].message, retryable: REASON_CODES[reason].retryable });
      expect(back.details.resultStatement).toBe('a.b.c');
    });
  });

  it('reports anything else as internal without sending its message', () => {
    const status = toServiceError(new RangeError('secret detail from a stack'));
    expect(status.code).toBe(grpc.status.INTERNAL);
    expect(status.details).not.toContain('secret');
    expect(status.metadata?.get(MD_REASON)).toEqual(['internal']);
  });
});

describe('fromServiceError', () => {
  it('turns a transport failure without a reason into partner_unavailable, which a retry can fix', () => {
    const err = fromServiceError(received({ code: grpc.status.UNAVAILABLE, details: 'connect ECONNREFUSED' }));
    expect(err).toMatchObject({ reason: 'partner_unavailable', retryable: true });
    expect(err.cause).toBeDefined();
  });
});
