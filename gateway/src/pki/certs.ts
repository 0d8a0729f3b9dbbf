import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export const ORG_URI_PREFIX = 'urn:entente:org:';

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
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const { publicKey, keyPem } = newRsaKey();
  const cert = forge.pki.createCertificate();
  const now = Date.now();
  cert.publicKey = publicKey;
  cert.serialNumber = opts.serial ?? newSerial();
  cert.validity.notBefore = opts.notBefore ?? new Date(now - 60_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(now + (opts.validityDays ?? 825) * DAY);
  cert.setSubject([
    { name: 'commonName', value: `${orgId} gateway` },
    { name: 'organizationName', value: orgId },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  const hosts = opts.hosts ?? ['localhost', '127.0.0.1', '::1'];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 6, value: ORG_URI_PREFIX + orgId },
        ...hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const x509 = new X509Certificate(certPem);
  return { certPem, keyPem, serial: normalizeSerial(x509.serialNumber), fingerprint256: normalizeFingerprint(x509.fingerprint256) };
}

/** Serials compare as lowercase hex without leading zeros or separators. */
export function normalizeSerial(serial: string): string {
  return serial.replace(/[^0-9a-fA-F]/g, '').toLowerCase().replace(/^0+(?=.)/, '');
}

/** Fingerprints compare as uppercase hex without separators. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}
