import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { CryptoError } from './errors.js';
import { canonicalize } from './jcs.js';

export type JwsAlg = 'ES256' | 'EdDSA';
const ALLOWED: ReadonlySet<string> = new Set<JwsAlg>(['ES256', 'EdDSA']);

export interface PublicJwk extends JsonWebKey {
  readonly kid: string;
  readonly alg?: string;
}

function algOf(key: KeyObject): JwsAlg {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new CryptoError('KEY_INVALID', `unsupported key type ${key.asymmetricKeyType}: use P-256 (ES256) or Ed25519 (EdDSA)`);
}

/**
 * A receipt signing key, parsed once. Signing uses node:crypto directly (jose's async API
 * costs several times more per signature on the hot path) and produces standard compact JWS
 * that any JOSE library verifies.
 */
export class SigningKey {
  private constructor(
    readonly kid: string,
    readonly alg: JwsAlg,
    private readonly key: KeyObject,
    readonly publicJwk: PublicJwk,
  ) {}

  static fromJwk(jwk: JsonWebKey & { kid?: string }): SigningKey {
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new CryptoError('KEY_INVALID', 'the signing JWK needs a kid');
    if (jwk.d === undefined) throw new CryptoError('KEY_INVALID', 'the signing JWK has no private part (d)');
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: jwk, format: 'jwk' });
    } catch (err) {
      throw new CryptoError('KEY_INVALID', `the signing JWK does not parse: ${(err as Error).message}`, { cause: err });
    }
    const alg = algOf(key);
    const pub = createPublicKey(key).export({ format: 'jwk' });
    return new SigningKey(jwk.kid, alg, key, { ...pub, kid: jwk.kid, alg, use: 'sig' });
  }

  /** Compact JWS over the JCS form of `payload`, with protected header {alg, kid, typ}. */
  signCompact(payload: unknown, typ: string): string {
    const header = Buffer.from(JSON.stringify({ alg: this.alg, kid: this.kid, typ })).toString('base64url');
    const body = Buffer.from(canonicalize(payload), 'utf8').toString('base64url');
    const input = Buffer.from(`${header}.${body}`, 'ascii');
    const signature =
      this.alg === 'ES256'
        ? sign('sha256', input, { key: this.key, dsaEncoding: 'ieee-p1363' })
        : sign(null, input, this.key);
    return `${header}.${body}.${signature.toString('base64url')}`;
  }
}

/** Verification keys by organization and kid; rotated-out keys stay so old receipts verify. */
export class KeyRing {
  private readonly orgs = new Map<string, Map<string, { key: KeyObject; alg: JwsAlg; jwk: PublicJwk }>>();

  /** Adds an organization's public JWKS; keys without a kid or of another type are refused. */
  addJwks(org: string, jwks: { keys: readonly (JsonWebKey & { kid?: string })[] }): void {
    const keys = this.orgs.get(org) ?? new Map();
    for (const [i, jwk] of jwks.keys.entries()) {
      if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new CryptoError('KEY_INVALID', `${org}: keys[${i}] has no kid`);
      const { d: _private, ...publicPart } = jwk;
      let key: KeyObject;
      try {
        key = createPublicKey({ key: publicPart, format: 'jwk' });
      } catch (err) {
        throw new CryptoError('KEY_INVALID', `${org}: keys[${i}] (${jwk.kid}) does not parse: ${(err as Error).message}`, { cause: err });
      }
      keys.set(jwk.kid, { key, alg: algOf(key), jwk: { ...publicPart, kid: jwk.kid } });
    }
    this.orgs.set(org, keys);
  }

  lookup(org: string, kid: string): { key: KeyObject; alg: JwsAlg } | undefined {
    return this.orgs.get(org)?.get(kid);
  }

  publicJwks(org: string): PublicJwk[] {
    return [...(this.orgs.get(org)?.values() ?? [])].map((e) => e.jwk);
  }
}

export interface VerifiedJws {
  readonly header: { readonly alg: JwsAlg; readonly kid: string; readonly typ?: string };
  readonly payload: unknown;
}

/**
 * Verifies a compact JWS as signed by `expectedOrg`, as a fixed sequence of checks: shape,
 * header, key of that org, algorithm of that key, signature, canonical JSON payload. Each
 * failure names its check. The payload is parsed only after the signature holds.
 */
export function verifyCompactJws(jws: string, ring: KeyRing, expectedOrg: string): VerifiedJws {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw new CryptoError('JWS_MALFORMED', 'not a compact JWS (three base64url parts)');
  }
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown; typ?: unknown; crit?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
  } catch {
    throw new CryptoError('JWS_MALFORMED', 'the protected header is not JSON');
  }
  if (typeof header.alg !== 'string' || !ALLOWED.has(header.alg)) {
    throw new CryptoError('JWS_ALG_NOT_ALLOWED', `alg ${JSON.stringify(header.alg)} is not allowed (ES256 or EdDSA)`);
  }
  if (header.crit !== undefined) throw new CryptoError('JWS_MALFORMED', 'crit header parameters are not supported');
  if (typeof header.kid !== 'string') throw new CryptoError('JWS_MALFORMED', 'the protected header has no kid');
  const entry = ring.lookup(expectedOrg, header.kid);
  if (entry === undefined) throw new CryptoError('JWS_UNKNOWN_KEY', `kid ${header.kid} is not a receipt key of ${expectedOrg}`);
  if (entry.alg !== header.alg) throw new CryptoError('JWS_ALG_MISMATCH', `kid ${header.kid} is an ${entry.alg} key, not ${header.alg}`);
  const input = Buffer.from(`${h}.${p}`, 'ascii');
  const signature = Buffer.from(s, 'base64url');
  const ok =
    entry.alg === 'ES256'
      ? verify('sha256', input, { key: entry.key, dsaEncoding: 'ieee-p1363' }, signature)
      : verify(null, input, entry.key, signature);
  if (!ok) throw new CryptoError('JWS_BAD_SIGNATURE', `the signature does not verify with ${expectedOrg}'s key ${header.kid}`);
  const text = Buffer.from(p, 'base64url').toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new CryptoError('JWS_NOT_CANONICAL', 'the payload is not JSON');
  }
  if (canonicalize(payload) !== text) throw new CryptoError('JWS_NOT_CANONICAL', 'the payload is not in JCS canonical form');
  return { header: { alg: entry.alg, kid: header.kid, ...(typeof header.typ === 'string' ? { typ: header.typ } : {}) }, payload };
}
