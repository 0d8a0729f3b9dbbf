import { X509Certificate } from 'node:crypto';
import { ORG_URI_PREFIX, normalizeFingerprint, normalizeSerial, uriSans } from './certs.js';
import { checkCurrent, parseCached } from './cert-check.js';
import { PeerIdentityError } from './errors.js';

export interface TrustEntry {
  readonly org: string;
  readonly caPem: string;
  readonly revoked?: { readonly serials?: readonly string[]; readonly fingerprints?: readonly string[] };
}

export interface PeerIdentity {
  readonly org: string;
  readonly serial: string;
  readonly fingerprint256: string;
  readonly notAfter: Date;
}

interface Pinned {
  readonly ca: X509Certificate;
  readonly caPem: string;
  readonly serials: ReadonlySet<string>;
  readonly fingerprints: ReadonlySet<string>;
}

/**
 * Which organization a certificate proves, if any. TLS has already checked the chain against
 * the union of partner CAs; this decides the org: the certificate must carry exactly one
 * `urn:entente:org:<id>` SAN, `<id>` must be a partner, and the certificate must be issued by
 * THAT partner's pinned CA, so one partner's CA can never vouch for another partner.
 */
export class TrustStore {
  private readonly pinned = new Map<string, Pinned>();
  /**
   * Certificates already parsed and chained to their org's CA, by DER. Parsing X.509 costs
   * far more than the rest of a call; validity and revocation are still checked every time.
   */
  private readonly verified = new Map<string, { org: string; serial: string; fingerprint256: string; notBefore: Date; notAfter: Date }>();

  /** The partners and their revocation lists; a reload builds a new TrustStore and swaps it in whole. */
  constructor(entries: readonly TrustEntry[]) {
    for (const e of entries) {
      this.pinned.set(e.org, {
        ca: new X509Certificate(e.caPem),
        caPem: e.caPem,
        serials: new Set((e.revoked?.serials ?? []).map(normalizeSerial)),
        fingerprints: new Set((e.revoked?.fingerprints ?? []).map(normalizeFingerprint)),
      });
    }
  }

  /** The partner CAs, concatenated, for the TLS server's client-certificate roots. */
  rootCaPems(): string {
    return [...this.pinned.values()].map((p) => p.caPem.trim()).join('\n') + '\n';
  }

  caPemOf(org: string): string {
    const p = this.pinned.get(org);
    if (p === undefined) throw new PeerIdentityError('PEER_UNKNOWN_ORG', `${org} is not a configured partner`);
    return p.caPem;
  }

  identifyPeer(der: Buffer | undefined, now: Date = new Date()): PeerIdentity {
    const cert = parseCached(this.verified, 10_000, der, (x509) => this.chain(x509));
    checkCurrent(cert, this.pinned.get(cert.org)!, now, 'by this gateway');
    return { org: cert.org, serial: cert.serial, fingerprint256: cert.fingerprint256, notAfter: cert.notAfter };
  }

  /** Which partner the certificate names, checked against that partner's pinned CA. */
  private chain(cert: X509Certificate) {
    const orgs = uriSans(cert, ORG_URI_PREFIX);
    if (orgs.length !== 1) {
      throw new PeerIdentityError('PEER_NO_ORG_SAN', `the certificate must carry exactly one ${ORG_URI_PREFIX}<org> URI SAN`);
    }
    const org = orgs[0]!;
    const pinned = this.pinned.get(org);
    if (pinned === undefined) throw new PeerIdentityError('PEER_UNKNOWN_ORG', `${org} is not a partner of this gateway`);
    if (!cert.checkIssued(pinned.ca) || !cert.verify(pinned.ca.publicKey)) {
      throw new PeerIdentityError('PEER_WRONG_ISSUER', `the certificate claims ${org} but is not issued by ${org}'s pinned CA`);
    }
    return {
      org,
      serial: normalizeSerial(cert.serialNumber),
      fingerprint256: normalizeFingerprint(cert.fingerprint256),
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
    };
  }

  /** Client side: the server we dialed for `org` must prove to be `org`. */
  expectServer(org: string, der: Buffer | undefined): PeerIdentity {
    const id = this.identifyPeer(der);
    if (id.org !== org) throw new PeerIdentityError('PEER_UNKNOWN_ORG', `dialed ${org} but the server is ${id.org}`);
    return id;
  }
}
