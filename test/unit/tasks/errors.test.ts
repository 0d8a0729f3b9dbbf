import { describe, expect, it } from 'vitest';
import { EntenteError, GRPC_STATUS_NAMES } from '../../../gateway/src/lib/index.js';
import {
  grpcStatusOf,
  isReasonCode,
  isRetryable,
  REASON_CODES,
  REASONS,
  TaskError,
  type ReasonCode,
} from '../../../gateway/src/tasks/index.js';

const codes = Object.keys(REASON_CODES) as ReasonCode[];

describe('the reason table', () => {
  it('gives every reason code a gRPC status name, a retryability and a message', () => {
    for (const code of codes) {
      expect(code).toMatch(/^[a-z][a-z_]*$/);
      expect(GRPC_STATUS_NAMES).toContain(grpcStatusOf(code));
      expect(typeof isRetryable(code)).toBe('boolean');
      expect(REASONS[code]).toBe(REASON_CODES[code].message);
    }
  });

  it('never maps a failure to OK', () => {
    expect(codes.filter((c) => grpcStatusOf(c) === 'OK')).toEqual([]);
  });

  it('says a retry can help when the partner was unreachable or slow, not when policy said no', () => {
    expect(isRetryable('partner_unavailable')).toBe(true);
    expect(isRetryable('deadline_exceeded')).toBe(true);
    expect(isRetryable('inbound_denied')).toBe(false);
    expect(isRetryable('task_conflict')).toBe(false);
  });

  it('recognises its own codes only', () => {
    expect(isReasonCode('inbound_denied')).toBe(true);
    expect(isReasonCode('toString')).toBe(false);
    expect(isReasonCode('INBOUND_DENIED')).toBe(false);
  });
});

describe('TaskError', () => {
  it('is an EntenteError whose code is the reason code', () => {
    const err = new TaskError('partner_unavailable');
    expect(err).toBeInstanceOf(EntenteError);
    expect(err.code).toBe('partner_unavailable');
    expect(err.reason).toBe('partner_unavailable');
    expect(err.retryable).toBe(true);
  });

  it("takes the table's message unless given one, and keeps details and cause", () => {
    expect(new TaskError('cancelled').message).toBe(REASON_CODES.cancelled.message);
    const err = new TaskError('inbound_denied', 'no agreement for this purpose', { policyReasons: ['no_agreement'] }, { cause: 'root' });
    expect(err).toMatchObject({ message: 'no agreement for this purpose', details: { policyReasons: ['no_agreement'] }, cause: 'root', retryable: false });
  });
});
