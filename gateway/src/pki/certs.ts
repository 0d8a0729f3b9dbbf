import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export const ORG_URI_PREFIX = 'urn:entente:org:';
export const ROLE_URI_PREFIX = 'urn:entente:role:';

export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface IssuedCert extends PemPair {
  readonly serial: string;
  readonly fingerprint256: string;
}

const DAY = 24 * 3600 * 1000;

/**
 * RSA keys come from node:crypto (OpenSSL), not forge's pure-JavaScript generator, which takes
 * seconds; forge then builds and signs the X.509 structures.
 */
function newRsaKey(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem };
}

/** A positive serial number of 16 random bytes, as hex. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

/** An organization's certificate authority: it issues that organization's gateway certificates. */
export function createOrgCa(orgId: string, opts: { validityDays?: number; now?: Date } = {}): PemPair {
  const { privateKey, publicKey, keyPem } = newRsaKey();
  const cert = forge.pki.createCertificate();
  const now = opts.now ?? new Date();
  cert.publicKey = publicKey;
  cert.serialNumber = newSerial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + (opts.validityDays ?? 3650) * DAY);
  const subject = [
    { name: 'commonName', value: `Entente ${orgId} CA` },
    { name: 'organizationName', value: orgId },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectAltName', altNames: [{ type: 6, value: ORG_URI_PREFIX + orgId }] },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/**
 * A gateway's TLS certificate, used as both server and client certificate. Its org identity is
 * the URI SAN `urn:entente:org:<orgId>`. The options let tests mint certificates that must be
 * refused (expired, not yet valid, or claiming another org).
 */
export function issueGatewayCert(
  ca: PemPair,
  orgId: string,
  opts: { hosts?: readonly string[]; notBefore?: Date; notAfter?: Date; serial?: string; validityDays?: number } = {},
): IssuedCert {
  const hosts = opts.hosts ?? ['localhost', '127.0.0.1', '::1'];
  return issueLeaf(ca, {
    ...opts,
    commonName: `${orgId} gateway`,
    orgId,
    extKeyUsage: { serverAuth: true, clientAuth: true },
    altNames: [
      { type: 6, value: ORG_URI_PREFIX + orgId },
      ...hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    ],
  });
}

/**
 * A control-API client certificate: issued by the org's CA, for client authentication only,
 * carrying the org (`urn:entente:org:<orgId>`) and each role (`urn:entente:role:<role>`).
 */
export function issueClientCert(
  ca: PemPair,
  orgId: string,
  name: string,
  roles: readonly string[],
  opts: { notBefore?: Date; notAfter?: Date; validityDays?: number } = {},
): IssuedCert {
  return issueLeaf(ca, {
    validityDays: 365,
    ...opts,
    commonName: name,
    orgId,
    extKeyUsage: { clientAuth: true },
    altNames: [{ type: 6, value: ORG_URI_PREFIX + orgId }, ...roles.map((r) => ({ type: 6, value: ROLE_URI_PREFIX + r }))],
  });
}

interface LeafSpec {
  readonly commonName: string;
  readonly orgId: string;
  readonly extKeyUsage: { serverAuth?: boolean; clientAuth?: boolean };
  readonly altNames: readonly Record<string, unknown>[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly serial?: string;
  readonly validityDays?: number;
}

function issueLeaf(ca: PemPair, spec: LeafSpec): IssuedCert {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const { publicKey, keyPem } = newRsaKey();
  const cert = forge.pki.createCertificate();
  const now = Date.now();
  cert.publicKey = publicKey;
  cert.serialNumber = spec.serial ?? newSerial();
  cert.validity.notBefore = spec.notBefore ?? new Date(now - 60_000);
  cert.validity.notAfter = spec.notAfter ?? new Date(now + (spec.validityDays ?? 825) * DAY);
  cert.setSubject([
    { name: 'commonName', value: spec.commonName },
    { name: 'organizationName', value: spec.orgId },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', ...spec.extKeyUsage },
    { name: 'subjectAltName', altNames: spec.altNames },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const x509 = new X509Certificate(certPem);
  return { certPem, keyPem, serial: normalizeSerial(x509.serialNumber), fingerprint256: normalizeFingerprint(x509.fingerprint256) };
}

/** The values of a certificate's URI SANs that start with `prefix`, without it. */
export function uriSans(cert: X509Certificate, prefix: string): string[] {
  return (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('URI:' + prefix))
    .map((s) => s.slice(('URI:' + prefix).length));
}

/** Serials compare as lowercase hex without leading zeros or separators. */
export function normalizeSerial(serial: string): string {
  return serial.replace(/[^0-9a-fA-F]/g, '').toLowerCase().replace(/^0+(?=.)/, '');
}

/** Fingerprints compare as uppercase hex without separators. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}
