import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newSalt, saltedDigest, sha256Digest } from '../../../gateway/src/crypto/index.js';

describe('sha256Digest', () => {
  it('is sha256: and base64url of SHA-256 (FIPS 180-2 "abc" vector)', () => {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    const expected = 'sha256:' + Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString('base64url');
    expect(sha256Digest('abc')).toBe(expected);
    expect(sha256Digest(Buffer.from('abc'))).toBe(expected);
    expect(expected).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
  });

  it('hashes strings as UTF-8', () => {
    expect(sha256Digest('é')).toBe(sha256Digest(Buffer.from([0xc3, 0xa9])));
  });
});

describe('newSalt', () => {
  it('is 16 random bytes in base64url', () => {
    const salts = new Set(Array.from({ length: 100 }, newSalt));
    expect(salts.size).toBe(100);
    for (const s of salts) {
      expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(s, 'base64url')).toHaveLength(16);
    }
  });
});

describe('saltedDigest', () => {
  it('is SHA-256 over the salt bytes followed by the UTF-8 of the canonical JSON', () => {
    const salt = newSalt();
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from(salt, 'base64url'), Buffer.from('{"a":"é","count":3}', 'utf8')]))
      .digest('base64url');
    expect(saltedDigest(salt, { count: 3, a: 'é' })).toBe(`sha256:${expected}`);
  });

  it('does not depend on member order', () => {
    const salt = newSalt();
    expect(saltedDigest(salt, { a: 1, b: [1, 2] })).toBe(saltedDigest(salt, { b: [1, 2], a: 1 }));
  });

  it('reveals nothing about a tiny value without the salt', () => {
    const value = { count: 3 };
    const digests = new Set(Array.from({ length: 20 }, () => saltedDigest(newSalt(), value)));
    expect(digests.size).toBe(20);
    // Without the salt, a dictionary of unsalted digests of candidates finds nothing.
    const dictionary = new Set(Array.from({ length: 1000 }, (_, n) => sha256Digest(JSON.stringify({ count: n }))));
    for (const d of digests) expect(dictionary.has(d)).toBe(false);
  });

  it.each([
    ['too short', 'c2hvcnQ'],
    ['not base64url', 'abc+def/ghijklmnopqrstuv'],
    ['padded', 'AAAAAAAAAAAAAAAAAAAAAA=='],
    ['empty', ''],
    ['too long', 'A'.repeat(129)],
  ])('refuses a salt that is %s with SALT_INVALID', (_what, salt) => {
    expect(() => saltedDigest(salt, 1)).toThrow(expect.objectContaining({ code: 'SALT_INVALID' }));
  });

  it('refuses a value JCS cannot encode', () => {
    expect(() => saltedDigest(newSalt(), { n: NaN })).toThrow(expect.objectContaining({ code: 'JCS_UNSUPPORTED' }));
  });
});
