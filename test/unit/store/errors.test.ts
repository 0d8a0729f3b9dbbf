import { describe, expect, it } from 'vitest';
import * as store from '../../../gateway/src/store/index.js';

describe('store error codes', () => {
  const classes = (Object.values(store) as unknown[]).filter(
    (v): v is new (message: string, options?: { cause?: unknown }) => store.StoreError =>
      typeof v === 'function' && v.prototype instanceof store.StoreError,
  );

  it('has one exported subclass per documented code, keeping its cause', () => {
    const codes = classes.map((C) => {
      const e = new C('message', { cause: 'root' });
      expect(e.name).toBe(C.name);
      expect(e.cause).toBe('root');
      return e.code;
    });
    expect(codes.sort()).toEqual(Object.keys(store.STORE_ERROR_CODES).sort());
  });

  it('documents every code', () => {
    for (const text of Object.values(store.STORE_ERROR_CODES)) expect(text.length).toBeGreaterThan(20);
  });
});
