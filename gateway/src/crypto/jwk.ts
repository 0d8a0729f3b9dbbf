import type { JsonWebKey } from 'node:crypto';
import type { JwsAlg } from './algorithms.js';
import { KeyInvalidError } from './errors.js';

/** A public receipt key as published in a JWKS: always with its kid. */
export interface PublicJwk extends JsonWebKey {
  readonly kid: string;
  readonly alg?: string;
}

/** The members that hold private key material, for every key type JWK knows. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'] as const;

/** The JWK without its private members: what may be kept in a ring or published. */
export function publicPart(jwk: JsonWebKey): JsonWebKey {
  const copy: Record<string, unknown> = { ...jwk };
  for (const m of PRIVATE_MEMBERS) delete copy[m];
  return copy as JsonWebKey;
}

/** Refuses a JWK whose declared alg or use contradicts what the key will be used for. */
export function checkDeclaredUse(jwk: JsonWebKey, alg: JwsAlg, where: string): void {
  const declared: unknown = (jwk as { alg?: unknown }).alg;
  if (declared !== undefined && declared !== alg) {
    throw new KeyInvalidError(`${where} declares alg ${JSON.stringify(declared)} but is an ${alg} key; fix or remove its alg`);
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw new KeyInvalidError(`${where} declares use ${JSON.stringify(jwk.use)}; receipt keys must be signature keys (use "sig")`);
  }
}
