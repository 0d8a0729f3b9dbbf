import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ControlError } from '../../../gateway/src/control/index.js';
import { toControlError } from '../../../gateway/src/control/status.js';
import { RunError } from '../../../gateway/src/workflows/index.js';

describe('toControlError', () => {
  describe('for the run errors a caller causes', () => {
    it.each([
      ['RUN_UNKNOWN', grpc.status.NOT_FOUND],
      ['APPROVAL_UNKNOWN', grpc.status.NOT_FOUND],
      ['APPROVAL_DECIDED', grpc.status.FAILED_PRECONDITION],
      ['APPROVAL_DECISION_INVALID', grpc.status.INVALID_ARGUMENT],
    ] as const)('answers %s with status %i, its message and its code as the reason', (code, status) => {
      const mapped = toControlError(new RunError(code, 'written for the caller'));
      expect(mapped).toMatchObject({ reason: code, internal: false, error: { code: status, details: `${code}: written for the caller` } });
      expect(mapped.error.metadata?.get('entente-reason')).toEqual([code]);
    });
  });

  it("keeps the engine's own failures (a conflict, a stuck run) to the log: the caller gets internal", () => {
    expect(toControlError(new RunError('RUN_CONFLICT', 'two writers on run r1'))).toMatchObject({
      reason: 'internal',
      internal: true,
      error: { code: grpc.status.INTERNAL, details: 'internal: the gateway failed; see its log' },
    });
  });

  it('answers a control refusal with its status and message', () => {
    expect(toControlError(new ControlError('CONTROL_NOT_FOUND', 'no run "x"'))).toMatchObject({ reason: 'CONTROL_NOT_FOUND', internal: false, error: { code: grpc.status.NOT_FOUND } });
  });
});
