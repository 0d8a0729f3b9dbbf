import { createPrivateKey, X509Certificate } from 'node:crypto';
import { ORG_URI_PREFIX, uriSans } from '../pki/index.js';

/** Where a PEM came from, for messages: `tls.key (certs/a/gateway.key.pem)`. */
export interface Located {
  readonly where: string;
  readonly pem: string;
  /** The file it was read from, or undefined when the config held the PEM itself. */
  readonly file: string | undefined;
}

const at = (l: Located) => (l.file === undefined ? l.where : `${l.where} (${l.file})`);

/**
 * What TLS would otherwise report at the first handshake, as an OpenSSL code naming no file:
 * the certificate, key and CA must parse, the key must be the certificate's, the certificate
 * must be issued by the org CA, name this org, and be valid now. Returns every problem.
 */
export function checkGatewayTls(org: string, tls: { readonly ca: Located; readonly cert: Located; readonly key: Located }, now = new Date()): string[] {
  const problems: string[] = [];
  const ca = parseCert(tls.ca, problems);
  const cert = parseCert(tls.cert, problems);
  let key;
  if (tls.key.pem !== '') {
    try {
      key = createPrivateKey(tls.key.pem);
    } catch (err) {
      problems.push(`${at(tls.key)}: not a private key this gateway can read: ${(err as Error).message}`);
    }
  }
  if (cert === undefined) return problems;
  if (key !== undefined && !cert.checkPrivateKey(key)) {
    problems.push(
      `${at(tls.key)}: does not belong to the certificate in ${at(tls.cert)}; point tls.cert and tls.key at the gateway.pem and gateway.key.pem of one entente certs init`,
    );
  }
  if (ca !== undefined && !(cert.checkIssued(ca) && cert.verify(ca.publicKey))) {
    problems.push(`${at(tls.cert)}: is not issued by the CA in ${at(tls.ca)}; partners pin that CA and would refuse this certificate`);
  }
  const orgs = uriSans(cert, ORG_URI_PREFIX);
  if (orgs.length !== 1 || orgs[0] !== org) {
    problems.push(`${at(tls.cert)}: must carry exactly one URI SAN ${ORG_URI_PREFIX}${org} (it has ${orgs.length === 0 ? 'none' : orgs.map((o) => ORG_URI_PREFIX + o).join(', ')}); partners identify this gateway by it`);
  }
  if (now > new Date(cert.validTo)) problems.push(`${at(tls.cert)}: expired at ${new Date(cert.validTo).toISOString()}; issue a new gateway certificate`);
  if (now < new Date(cert.validFrom)) problems.push(`${at(tls.cert)}: is not valid before ${new Date(cert.validFrom).toISOString()}; check this machine's clock`);
  return problems;
}

/** A partner's pinned CA must at least be a certificate authority certificate that parses. */
export function checkPartnerCa(ca: Located): string[] {
  const problems: string[] = [];
  const cert = parseCert(ca, problems);
  if (cert !== undefined && !cert.ca) problems.push(`${at(ca)}: is not a CA certificate; pin the partner's ca.pem from its federation bundle`);
  return problems;
}

function parseCert(l: Located, problems: string[]): X509Certificate | undefined {
  if (l.pem === '') return undefined; // already reported as unreadable
  try {
    return new X509Certificate(l.pem);
  } catch (err) {
    problems.push(`${at(l)}: not a certificate this gateway can read: ${(err as Error).message}`);
    return undefined;
  }
}
