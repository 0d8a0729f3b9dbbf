import { X509Certificate } from 'node:crypto';
import { PeerIdentityError } from './errors.js';

/** What identity decisions need of a certificate once it has been parsed and chained. */
export interface CertFacts {
  readonly serial: string;
  readonly fingerprint256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface Revocations {
  readonly serials: ReadonlySet<string>;
  readonly fingerprints: ReadonlySet<string>;
}

/**
 * A presented certificate's facts, parsed (and chained, by `parse`) once per DER: parsing X.509
 * costs far more than the rest of a call. Validity and revocation are not cached (checkCurrent).
 */
export function parseCached<T>(cache: Map<string, T>, max: number, der: Buffer | undefined, parse: (cert: X509Certificate) => T): T {
  if (der === undefined || der.length === 0) throw new PeerIdentityError('PEER_NO_CERTIFICATE', 'no client certificate was presented');
  const key = der.toString('base64');
  let facts = cache.get(key);
  if (facts === undefined) {
    facts = parse(new X509Certificate(der));
    if (cache.size >= max) cache.clear();
    cache.set(key, facts);
  }
  return facts;
}

/** Refuses a certificate outside its validity period, or revoked (`by` says whose list). */
export function checkCurrent(cert: CertFacts, revoked: Revocations, now: Date, by: string): void {
  if (now < cert.notBefore) throw new PeerIdentityError('PEER_NOT_YET_VALID', `the certificate is not valid before ${cert.notBefore.toISOString()}`);
  if (now > cert.notAfter) throw new PeerIdentityError('PEER_EXPIRED', `the certificate expired at ${cert.notAfter.toISOString()}`);
  if (revoked.serials.has(cert.serial) || revoked.fingerprints.has(cert.fingerprint256)) {
    throw new PeerIdentityError('PEER_REVOKED', `the certificate with serial ${cert.serial} has been revoked ${by}`);
  }
}
