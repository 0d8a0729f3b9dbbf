import { describe, expect, it } from 'vitest';
import * as audit from '../../../gateway/src/audit/index.js';

describe('audit error codes', () => {
  const intermediate = new Set<unknown>([audit.ReceiptError, audit.LogError]);
  const classes = (Object.values(audit) as unknown[]).filter(
    (v): v is new (message: string, options?: { cause?: unknown }) => audit.AuditError =>
      typeof v === 'function' && v.prototype instanceof audit.AuditError && !intermediate.has(v),
  );

  it('has one exported subclass per documented code, keeping its cause', () => {
    const codes = classes.map((C) => {
      const e = new C('message', { cause: 'root' });
      expect(e).toBeInstanceOf(audit.AuditError);
      expect(e.code.startsWith('RECEIPT_') ? e instanceof audit.ReceiptError : e instanceof audit.LogError).toBe(true);
      expect(e.name).toBe(C.name);
      expect(e.cause).toBe('root');
      return e.code;
    });
    expect(codes.sort()).toEqual(Object.keys(audit.AUDIT_ERROR_CODES).sort());
  });

  it('documents every code', () => {
    for (const text of Object.values(audit.AUDIT_ERROR_CODES)) expect(text.length).toBeGreaterThan(20);
  });
});
