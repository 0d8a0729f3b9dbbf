import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { algOfKey, type JwsAlg } from './algorithms.js';
import { KeyInvalidError } from './errors.js';
import { checkDeclaredUse, publicPart, type PublicJwk } from './jwk.js';

/** A parsed verification key and the one algorithm it may verify. */
export interface RingKey {
  readonly key: KeyObject;
  readonly alg: JwsAlg;
  readonly jwk: PublicJwk;
}

/**
 * Verification keys by organization, then kid, parsed once. Keys are only ever added: after
 * a rotation the old key stays, so receipts it signed still verify.
 */
export class KeyRing {
  private readonly orgs = new Map<string, Map<string, RingKey>>();

  /**
   * Adds an organization's receipt keys from its public JWKS. Private members, if present
   * (an operator may list a retired private key), are dropped: the ring keeps public keys
   * only. All keys are checked before any is added, so a bad JWKS changes nothing. A kid
   * already in the ring for this org must name the same key.
   */
  addJwks(org: string, jwks: { readonly keys: readonly (JsonWebKey & { readonly kid?: unknown })[] }): void {
    if (org === '') throw new KeyInvalidError('addJwks: the organization id is empty');
    const known = this.orgs.get(org);
    const adding = new Map<string, RingKey>();
    for (const [i, jwk] of jwks.keys.entries()) {
      const where = `${org}'s receipt keys[${i}]`;
      if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new KeyInvalidError(`${where} has no kid; every receipt key needs one`);
      const kid = jwk.kid;
      const pub = publicPart(jwk);
      let key: KeyObject;
      try {
        key = createPublicKey({ key: pub, format: 'jwk' });
      } catch (err) {
        throw new KeyInvalidError(`${where} (kid ${kid}) does not parse as a JWK: ${(err as Error).message}`, { cause: err });
      }
      const alg = algOfKey(key, `${where} (kid ${kid})`);
      checkDeclaredUse(jwk, alg, `${where} (kid ${kid})`);
      const earlier = adding.get(kid) ?? known?.get(kid);
      if (earlier !== undefined && !earlier.key.equals(key)) {
        throw new KeyInvalidError(`${where}: kid ${kid} already names another key of ${org}; give each key its own kid`);
      }
      adding.set(kid, { key, alg, jwk: { ...pub, kid } });
    }
    const keys = known ?? new Map<string, RingKey>();
    for (const [kid, entry] of adding) keys.set(kid, entry);
    this.orgs.set(org, keys);
  }

  /** The key `org` publishes under `kid`, if any. */
  lookup(org: string, kid: string): RingKey | undefined {
    return this.orgs.get(org)?.get(kid);
  }

  /** Organizations that publish a key under `kid`: tells "signed by someone else" from "unknown key". */
  orgsWithKid(kid: string): string[] {
    return [...this.orgs].filter(([, keys]) => keys.has(kid)).map(([org]) => org);
  }

  /** The public JWKS of `org` as the ring holds it (empty if the org is unknown). */
  publicJwks(org: string): PublicJwk[] {
    return [...(this.orgs.get(org)?.values() ?? [])].map((e) => e.jwk);
  }

  /** The organizations with at least one key. */
  organizations(): string[] {
    return [...this.orgs.keys()];
  }
}
