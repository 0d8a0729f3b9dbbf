import { generateKeyPairSync, sign, type JsonWebKey } from 'node:crypto';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { inspectCompactJws, KeyRing, SigningKey, verifyCompactJws } from '../../../gateway/src/crypto/index.js';

function privateJwk(type: 'ec' | 'ed25519' | 'rsa' | 'p384', kid: string): JsonWebKey & { kid: string } {
  const pair =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : type === 'p384'
        ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
        : type === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ed25519');
  return { ...pair.privateKey.export({ format: 'jwk' }), kid };
}

const es = SigningKey.fromJwk(privateJwk('ec', 'a-es-1'));
const ed = SigningKey.fromJwk(privateJwk('ed25519', 'a-ed-1'));
const other = SigningKey.fromJwk(privateJwk('ec', 'b-es-1'));
const ring = new KeyRing();
ring.addJwks('org-a', { keys: [es.publicJwk, ed.publicJwk] });
ring.addJwks('org-b', { keys: [other.publicJwk] });

const payload = { v: 1, kind: 'request', task_id: 't-1', note: 'é😀' };
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const parts = (jws: string) => jws.split('.') as [string, string, string];

/** Signs arbitrary header and payload text with a raw key: for forging what SigningKey never makes. */
function rawSign(jwk: JsonWebKey, header: object, payloadText: string | Buffer, dsaEncoding: 'ieee-p1363' | 'der' = 'ieee-p1363'): string {
  const input = `${b64(JSON.stringify(header))}.${b64(payloadText)}`;
  const key = { key: jwk, format: 'jwk' as const, dsaEncoding };
  const signature = jwk.crv === 'Ed25519' ? sign(null, Buffer.from(input), { key: jwk, format: 'jwk' }) : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

describe('SigningKey.signCompact', () => {
  it('writes the protected header {alg, kid, typ} and the canonical JSON payload', () => {
    const jws = es.signCompact({ b: 2, a: 1 }, 'entente-request+jws');
    const [h, p, s] = parts(jws);
    expect(Buffer.from(h, 'base64url').toString()).toBe('{"alg":"ES256","kid":"a-es-1","typ":"entente-request+jws"}');
    expect(Buffer.from(p, 'base64url').toString()).toBe('{"a":1,"b":2}');
    // IEEE P1363 r||s, not DER.
    expect(Buffer.from(s, 'base64url')).toHaveLength(64);
  });

  it('signs EdDSA with an Ed25519 key', () => {
    expect(JSON.parse(Buffer.from(parts(ed.signCompact(payload, 't'))[0], 'base64url').toString())).toEqual({ alg: 'EdDSA', kid: 'a-ed-1', typ: 't' });
  });

  it('produces JWS that jose verifies, for ES256 and EdDSA', async () => {
    for (const key of [es, ed]) {
      const jws = key.signCompact(payload, 'entente-result+jws');
      const verified = await compactVerify(jws, await importJWK(key.publicJwk, key.alg));
      expect(verified.protectedHeader).toEqual({ alg: key.alg, kid: key.kid, typ: 'entente-result+jws' });
      expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(payload);
    }
  });

  it('refuses a payload that is not JSON data', () => {
    expect(() => es.signCompact({ n: NaN }, 't')).toThrow(expect.objectContaining({ code: 'JCS_UNSUPPORTED' }));
  });
});

describe('SigningKey.fromJwk', () => {
  it.each([
    ['without a kid', { ...privateJwk('ec', 'x'), kid: undefined }, /no kid/],
    ['without the private part', es.publicJwk, /no private part/],
    ['of RSA', privateJwk('rsa', 'r'), /rsa key; receipt keys must be P-256 \(ES256\) or Ed25519/],
    ['on P-384', privateJwk('p384', 'p'), /secp384r1/],
    ['declaring another alg', { ...privateJwk('ec', 'x'), alg: 'ES384' }, /declares alg "ES384" but is an ES256 key/],
    ['declaring use enc', { ...privateJwk('ec', 'x'), use: 'enc' }, /use "enc"/],
    ['that does not parse', { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA', kid: 'x' }, /does not parse/],
  ])('refuses a JWK %s with KEY_INVALID', (_what, jwk, message) => {
    expect(() => SigningKey.fromJwk(jwk as JsonWebKey)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => SigningKey.fromJwk(jwk as JsonWebKey)).toThrow(message);
  });

  it('publishes only the public part', () => {
    expect(es.publicJwk).not.toHaveProperty('d');
    expect(es.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'a-es-1', alg: 'ES256', use: 'sig' });
  });
});

describe('verifyCompactJws', () => {
  it('returns the header, the parsed payload and the exact payload bytes', () => {
    const jws = es.signCompact(payload, 'entente-request+jws');
    const v = verifyCompactJws(jws, ring, 'org-a');
    expect(v.header).toEqual({ alg: 'ES256', kid: 'a-es-1', typ: 'entente-request+jws' });
    expect(v.payload).toEqual(payload);
    expect(v.payloadBytes.equals(Buffer.from(parts(jws)[1], 'base64url'))).toBe(true);
    expect(verifyCompactJws(ed.signCompact(payload, 't'), ring, 'org-a').header.alg).toBe('EdDSA');
  });

  it('verifies JWS made by jose (with a canonical payload)', async () => {
    const jwk = privateJwk('ec', 'jose-1');
    const jws = await new CompactSign(Buffer.from('{"a":1,"b":"x"}'))
      .setProtectedHeader({ alg: 'ES256', kid: 'jose-1' })
      .sign(await importJWK(jwk, 'ES256'));
    const r = new KeyRing();
    r.addJwks('org-j', { keys: [jwk] });
    expect(verifyCompactJws(jws, r, 'org-j').payload).toEqual({ a: 1, b: 'x' });
  });

  const good = es.signCompact(payload, 'entente-request+jws');
  const [h, p, s] = parts(good);
  const esJwk = privateJwk('ec', 'a-es-2');
  ring.addJwks('org-a', { keys: [esJwk] });

  const cases: [string, () => string, string, RegExp?][] = [
    ['two parts', () => `${h}.${p}`, 'JWS_MALFORMED', /3 dot-separated parts/],
    ['four parts', () => `${good}.x`, 'JWS_MALFORMED'],
    ['a header that is not JSON', () => `${b64('{alg')}.${p}.${s}`, 'JWS_MALFORMED', /not JSON/],
    ['a header that is an array', () => `${b64('["ES256"]')}.${p}.${s}`, 'JWS_MALFORMED', /not a JSON object/],
    ['a padded header', () => `${h}==.${p}.${s}`, 'JWS_MALFORMED', /canonical/],
    ['a header with stray characters', () => `${h.slice(0, 4)}!${h.slice(4)}.${p}.${s}`, 'JWS_MALFORMED'],
    ['alg none', () => `${b64('{"alg":"none","kid":"a-es-1"}')}.${p}.`, 'JWS_ALG_NOT_ALLOWED', /"none" is not allowed/],
    ['alg HS256', () => `${b64('{"alg":"HS256","kid":"a-es-1"}')}.${p}.${s}`, 'JWS_ALG_NOT_ALLOWED'],
    ['no alg', () => `${b64('{"kid":"a-es-1"}')}.${p}.${s}`, 'JWS_ALG_NOT_ALLOWED'],
    ['a crit header', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2', crit: ['b64'], b64: false }, '{}'), 'JWS_MALFORMED', /crit/],
    ['no kid', () => `${b64('{"alg":"ES256"}')}.${p}.${s}`, 'JWS_MALFORMED', /no kid/],
    ['a non-string typ', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2', typ: 7 }, '{}'), 'JWS_MALFORMED', /typ/],
    ['a kid the org does not have', () => rawSign(esJwk, { alg: 'ES256', kid: 'nobody' }, '{}'), 'JWS_UNKNOWN_KEY', /nobody is not one of org-a's receipt keys/],
    ['a header alg that does not fit the key', () => rawSign(esJwk, { alg: 'EdDSA', kid: 'a-es-2' }, '{}'), 'JWS_ALG_MISMATCH', /ES256 key, but the header says EdDSA/],
    ['one flipped payload byte', () => {
      const bytes = Buffer.from(p, 'base64url');
      bytes[3] = bytes[3]! ^ 0x01;
      return `${h}.${bytes.toString('base64url')}.${s}`;
    }, 'JWS_BAD_SIGNATURE', /does not verify with org-a's key a-es-1/],
    ['one flipped signature byte', () => {
      const bytes = Buffer.from(s, 'base64url');
      bytes[10] = bytes[10]! ^ 0x80;
      return `${h}.${p}.${bytes.toString('base64url')}`;
    }, 'JWS_BAD_SIGNATURE'],
    ['a DER-encoded ES256 signature', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, '{}', 'der'), 'JWS_BAD_SIGNATURE', /64 bytes/],
    ['a signature re-encoded with other trailing bits', () => {
      // 64 bytes = 86 base64url chars; the last char carries 2 unused bits.
      const last = s.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
      expect(Buffer.from(s.slice(0, -1) + twin, 'base64url').equals(Buffer.from(s, 'base64url'))).toBe(true);
      return `${h}.${p}.${s.slice(0, -1)}${twin}`;
    }, 'JWS_BAD_SIGNATURE', /canonical base64url/],
    ['an empty signature', () => `${h}.${p}.`, 'JWS_BAD_SIGNATURE'],
    ['a signed payload with whitespace', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, '{"a": 1}'), 'JWS_NOT_CANONICAL', /not in RFC 8785 canonical form/],
    ['a signed payload with members out of order', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, '{"b":1,"a":2}'), 'JWS_NOT_CANONICAL'],
    ['a signed payload that is not JSON', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, '{"a":'), 'JWS_NOT_CANONICAL', /not JSON/],
    ['a signed payload that is an array', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, '[1]'), 'JWS_NOT_CANONICAL', /not a JSON object/],
    ['a signed payload with invalid UTF-8', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), 'JWS_NOT_CANONICAL'],
    ['a signed payload with an escaped lone surrogate', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, '{"a":"\\ud800"}'), 'JWS_NOT_CANONICAL', /lone/],
    ['a signed payload with an integer beyond 2^53', () => rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, '{"a":9007199254740993}'), 'JWS_NOT_CANONICAL'],
  ];
  for (const [what, make, code, message] of cases) {
    it(`refuses ${what} with ${code}`, () => {
      const jws = make();
      expect(() => verifyCompactJws(jws, ring, 'org-a')).toThrow(expect.objectContaining({ code }));
      if (message) expect(() => verifyCompactJws(jws, ring, 'org-a')).toThrow(message);
    });
  }

  it('accepts the same raw-signed canonical payload it refuses in other forms', () => {
    // The control for the forgeries above: rawSign itself is correct.
    expect(verifyCompactJws(rawSign(esJwk, { alg: 'ES256', kid: 'a-es-2' }, '{"a":2,"b":1}'), ring, 'org-a').payload).toEqual({ a: 2, b: 1 });
  });

  it("refuses another organization's valid signature as an unknown key of the expected one", () => {
    const jws = other.signCompact(payload, 't');
    expect(verifyCompactJws(jws, ring, 'org-b').payload).toEqual(payload);
    expect(() => verifyCompactJws(jws, ring, 'org-a')).toThrow(expect.objectContaining({ code: 'JWS_UNKNOWN_KEY', kid: 'b-es-1' }));
  });
});

describe('KeyRing', () => {
  it('keeps rotated-out keys verifiable', () => {
    const old = SigningKey.fromJwk(privateJwk('ec', 'old'));
    const next = SigningKey.fromJwk(privateJwk('ed25519', 'new'));
    const r = new KeyRing();
    r.addJwks('org-x', { keys: [old.publicJwk] });
    const signedBefore = old.signCompact({ a: 1 }, 't');
    r.addJwks('org-x', { keys: [next.publicJwk] });
    expect(verifyCompactJws(signedBefore, r, 'org-x').payload).toEqual({ a: 1 });
    expect(verifyCompactJws(next.signCompact({ a: 2 }, 't'), r, 'org-x').payload).toEqual({ a: 2 });
    expect(r.publicJwks('org-x').map((k) => k.kid)).toEqual(['old', 'new']);
  });

  it('drops private members, so it never publishes a private key', () => {
    const r = new KeyRing();
    r.addJwks('org-x', { keys: [privateJwk('ec', 'k1'), privateJwk('ed25519', 'k2')] });
    for (const jwk of r.publicJwks('org-x')) expect(jwk).not.toHaveProperty('d');
  });

  it('accepts the same key twice under its kid, but not another key under a known kid', () => {
    const r = new KeyRing();
    r.addJwks('org-x', { keys: [es.publicJwk, es.publicJwk] });
    expect(() => r.addJwks('org-x', { keys: [{ ...other.publicJwk, kid: es.kid }] })).toThrow(/already names another key of org-x/);
    // The same kid at another organization is that organization's business.
    r.addJwks('org-y', { keys: [{ ...other.publicJwk, kid: es.kid }] });
    expect(r.orgsWithKid(es.kid)).toEqual(['org-x', 'org-y']);
  });

  it('changes nothing when one key of a JWKS is bad', () => {
    const r = new KeyRing();
    expect(() => r.addJwks('org-x', { keys: [es.publicJwk, { kty: 'EC', kid: 'broken' }] })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(r.lookup('org-x', es.kid)).toBeUndefined();
    expect(r.organizations()).toEqual([]);
  });

  it.each([
    ['without a kid', { ...es.publicJwk, kid: '' }, /has no kid/],
    ['of RSA', privateJwk('rsa', 'r'), /rsa key/],
    ['declaring another alg', { ...es.publicJwk, alg: 'EdDSA' }, /declares alg "EdDSA"/],
  ])('refuses a key %s with KEY_INVALID', (_what, jwk, message) => {
    expect(() => new KeyRing().addJwks('org-x', { keys: [jwk as JsonWebKey] })).toThrow(message);
  });
});

describe('inspectCompactJws', () => {
  it('reads the header and payload text of a JWS without verifying it, and refuses what is not one', () => {
    const key = SigningKey.fromJwk(privateJwk('ed25519', 'k-1'));
    const jws = key.signCompact({ a: 1 }, 'entente-ack+jws');
    expect(inspectCompactJws(jws)).toEqual({ header: expect.objectContaining({ kid: 'k-1', typ: 'entente-ack+jws' }), payloadText: '{"a":1}' });
    expect(() => inspectCompactJws('not.a')).toThrow(expect.objectContaining({ code: 'JWS_MALFORMED' }));
    expect(() => inspectCompactJws('e30.e30=.sig')).toThrow(expect.objectContaining({ code: 'JWS_MALFORMED' }));
  });
});
