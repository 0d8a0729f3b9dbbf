import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { PkiError } from './errors.js';

export type ReceiptJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

export interface ReceiptKey {
  readonly privateJwk: ReceiptJwk;
  readonly publicJwk: ReceiptJwk;
  readonly kid: string;
}

/**
 * A receipt signing key, separate from TLS keys. ES256 by default (FIPS-approved, and faster
 * to verify on Node's OpenSSL than Ed25519); `kid` is the RFC 7638 thumbprint.
 */
export function generateReceiptKey(alg: 'ES256' | 'EdDSA' = 'ES256'): ReceiptKey {
  const { privateKey, publicKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' });
  const kid = jwkThumbprint(pub);
  return {
    kid,
    publicJwk: { ...pub, kid, alg, use: 'sig' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : jwk.kty === 'OKP'
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
        : undefined;
  if (members === undefined) throw new PkiError('KEY_UNSUPPORTED', `unsupported key type ${String(jwk.kty)} for a receipt key; receipt keys are EC (P-256) or OKP (Ed25519) JWKs`);
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
