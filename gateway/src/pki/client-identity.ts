import { X509Certificate } from 'node:crypto';
import { ORG_URI_PREFIX, ROLE_URI_PREFIX, normalizeFingerprint, normalizeSerial, uriSans } from './certs.js';
import { checkCurrent, parseCached, type Revocations } from './cert-check.js';
import { PeerIdentityError } from './errors.js';

/** Who is calling this organization's control API over mutual TLS. */
export interface ClientIdentity {
  /** The certificate's common name: which application or person the operator issued it to. */
  readonly name: string;
  /** Every `urn:entente:role:<role>` the certificate carries, unchecked: the caller decides which it knows. */
  readonly roles: readonly string[];
  readonly serial: string;
  readonly fingerprint256: string;
  readonly notAfter: Date;
}

/**
 * Decides control-API clients from their certificates: issued by this organization's own CA
 * (not a partner's) and naming this organization. TLS has already checked the chain against
 * the org CA alone; this re-checks the issuer so that a listener misconfigured with more roots
 * still cannot let a partner's certificate in.
 */
export class ClientTrust {
  private readonly ca: X509Certificate;
  private readonly cache = new Map<string, ClientIdentity & { readonly notBefore: Date }>();
  private readonly revoked: Revocations;

  constructor(
    private readonly org: string,
    caPem: string,
    revoked: { readonly serials?: readonly string[]; readonly fingerprints?: readonly string[] } = {},
  ) {
    this.ca = new X509Certificate(caPem);
    this.revoked = {
      serials: new Set((revoked.serials ?? []).map(normalizeSerial)),
      fingerprints: new Set((revoked.fingerprints ?? []).map(normalizeFingerprint)),
    };
  }

  identify(der: Buffer | undefined, now: Date = new Date()): ClientIdentity {
    const id = parseCached(this.cache, 1000, der, (cert) => this.parse(cert));
    checkCurrent(id, this.revoked, now, '(control.revoked)');
    return { name: id.name, roles: id.roles, serial: id.serial, fingerprint256: id.fingerprint256, notAfter: id.notAfter };
  }

  private parse(cert: X509Certificate): ClientIdentity & { readonly notBefore: Date } {
    if (!cert.checkIssued(this.ca) || !cert.verify(this.ca.publicKey)) {
      throw new PeerIdentityError('PEER_WRONG_ISSUER', `the certificate is not issued by ${this.org}'s CA; issue one with entente certs issue-client`);
    }
    const orgs = uriSans(cert, ORG_URI_PREFIX);
    if (orgs.length !== 1 || orgs[0] !== this.org) {
      throw new PeerIdentityError('PEER_NO_ORG_SAN', `the certificate must carry exactly one ${ORG_URI_PREFIX}${this.org} URI SAN`);
    }
    return {
      name: /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '',
      roles: uriSans(cert, ROLE_URI_PREFIX),
      serial: normalizeSerial(cert.serialNumber),
      fingerprint256: normalizeFingerprint(cert.fingerprint256),
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
    };
  }
}
