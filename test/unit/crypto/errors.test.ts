import { describe, expect, it } from 'vitest';
import * as crypto from '../../../gateway/src/crypto/index.js';

describe('crypto error codes', () => {
  const classes = (Object.values(crypto) as unknown[]).filter(
    (v): v is new (...args: never[]) => crypto.CryptoError => typeof v === 'function' && v.prototype instanceof crypto.CryptoError,
  );
  // JwsUnknownKeyError carries the kid it could not find, before the message.
  const make = (C: (typeof classes)[number]): crypto.CryptoError =>
    C === crypto.JwsUnknownKeyError
      ? new crypto.JwsUnknownKeyError('kid', 'message', { cause: 'root' })
      : new (C as unknown as new (m: string, o: object) => crypto.CryptoError)('message', { cause: 'root' });

  it('has one exported subclass per documented code, keeping its cause', () => {
    const codes = classes.map((C) => {
      const e = make(C);
      expect(e).toBeInstanceOf(crypto.CryptoError);
      expect(e.name).toBe(C.name);
      expect(e.message).toBe('message');
      expect(e.cause).toBe('root');
      return e.code;
    });
    expect(codes.sort()).toEqual(Object.keys(crypto.CRYPTO_ERROR_CODES).sort());
  });

  it('documents every code', () => {
    for (const text of Object.values(crypto.CRYPTO_ERROR_CODES)) expect(text.length).toBeGreaterThan(20);
  });
});
