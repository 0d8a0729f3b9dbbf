import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { algOfKey, signWith, type JwsAlg } from './algorithms.js';
import { KeyInvalidError } from './errors.js';
import { canonicalize } from './jcs.js';
import { checkDeclaredUse, type PublicJwk } from './jwk.js';

/**
 * A receipt signing key, parsed once into a node:crypto KeyObject. Signing calls node:crypto
 * directly (jose's async API costs about three times more per signature on the hot path) and
 * produces standard compact JWS that any JOSE library verifies.
 */
export class SigningKey {
  /** Encoded protected headers by typ: a gateway signs three typs, so this stays tiny. */
  private readonly headers = new Map<string, string>();
  /** Signatures made with this key: for status and the bench. */
  signatures = 0;
  /** Statements those signatures cover (a batch of n statements costs one signature). */
  statements = 0;

  private constructor(
    readonly kid: string,
    readonly alg: JwsAlg,
    private readonly key: KeyObject,
    /** What partners need to verify this key's signatures (no private part). */
    readonly publicJwk: PublicJwk,
  ) {}

  /**
   * Parses a private JWK (P-256 for ES256, the default, or Ed25519 for EdDSA) with its kid.
   *
   * @example SigningKey.fromJwk(JSON.parse(readFileSync('receipt-signing.jwk.json', 'utf8')))
   */
  static fromJwk(jwk: JsonWebKey & { readonly kid?: unknown }): SigningKey {
    if (typeof jwk.kid !== 'string' || jwk.kid === '') {
      throw new KeyInvalidError('the receipt signing JWK has no kid; add a "kid" (entente certs init writes one)');
    }
    if (typeof jwk.d !== 'string') {
      throw new KeyInvalidError(`the receipt signing JWK ${jwk.kid} has no private part ("d"); point receipts.signingKey at the private JWK`);
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: jwk, format: 'jwk' });
    } catch (err) {
      throw new KeyInvalidError(`the receipt signing JWK ${jwk.kid} does not parse: ${(err as Error).message}`, { cause: err });
    }
    const where = `the receipt signing JWK ${jwk.kid}`;
    const alg = algOfKey(key, where);
    checkDeclaredUse(jwk, alg, where);
    const pub = createPublicKey(key).export({ format: 'jwk' });
    return new SigningKey(jwk.kid, alg, key, { ...pub, kid: jwk.kid, alg, use: 'sig' });
  }

  /**
   * Signs `payload` as a compact JWS: protected header `{alg, kid, typ}`, payload the
   * base64url of its RFC 8785 canonical JSON, signature over both (ES256 as r‖s).
   * Throws JcsUnsupportedError if the payload is not JSON data.
   */
  signCompact(payload: object, typ: string): string {
    return this.signInput(this.signingInput(payload, typ));
  }

  /** Signs a signing input made by signingInput: the compact JWS `input "." BASE64URL(signature)`. */
  signInput(signingInput: string): string {
    const signature = signWith(this.alg, this.key, Buffer.from(signingInput, 'ascii'));
    this.signatures++;
    this.statements++;
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  /**
   * `BASE64URL(header) "." BASE64URL(JCS(payload))`: what a signature covers, for a statement
   * whose signature is its batch's (see audit/batch.ts). Throws JcsUnsupportedError if the
   * payload is not JSON data.
   */
  signingInput(payload: object, typ: string): string {
    let header = this.headers.get(typ);
    if (header === undefined) {
      header = Buffer.from(JSON.stringify({ alg: this.alg, kid: this.kid, typ }), 'utf8').toString('base64url');
      this.headers.set(typ, header);
    }
    return `${header}.${Buffer.from(canonicalize(payload), 'utf8').toString('base64url')}`;
  }

  /**
   * Signs the root of a batch of `count` statements (their signing inputs made by
   * signingInput): the one signature they share. Counted as one signature for `count`
   * statements.
   */
  signBatchRoot(payload: object, typ: string, count: number): string {
    const jws = this.signCompact(payload, typ);
    this.statements += count - 1;
    return jws;
  }
}
