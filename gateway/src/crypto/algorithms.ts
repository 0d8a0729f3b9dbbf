import { sign, verify, type KeyObject } from 'node:crypto';
import { KeyInvalidError } from './errors.js';

/** The JWS algorithms receipts may use: ES256 (the default, FIPS-approved) and EdDSA (Ed25519). */
export type JwsAlg = 'ES256' | 'EdDSA';

export const ALLOWED_ALGS: ReadonlySet<string> = new Set<JwsAlg>(['ES256', 'EdDSA']);

/** Both algorithms produce 64-byte signatures (ES256 as IEEE P1363 r‖s, RFC 7518 §3.4). */
export const SIGNATURE_BYTES = 64;

/** The one algorithm a key may be used with: a key never chooses its algorithm from a header. */
export function algOfKey(key: KeyObject, where: string): JwsAlg {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new KeyInvalidError(
    `${where} is a ${key.asymmetricKeyType ?? 'unknown'}${curve !== undefined ? ` (${curve})` : ''} key; receipt keys must be P-256 (ES256) or Ed25519 (EdDSA)`,
  );
}

export function signWith(alg: JwsAlg, key: KeyObject, input: Buffer): Buffer {
  return alg === 'ES256' ? sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' }) : sign(null, input, key);
}

export function verifyWith(alg: JwsAlg, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  return alg === 'ES256'
    ? verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature)
    : verify(null, input, key, signature);
}
