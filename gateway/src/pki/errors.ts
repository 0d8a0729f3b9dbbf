import { EntenteError } from '../lib/index.js';

/**
 * Every way PKI material or a peer's certificate can be refused. The keys are the closed set
 * of `code`s; `PEER_*` codes are about a peer's certificate, the others about our own files.
 */
export const PKI_ERROR_CODES = {
  PKI_EXISTS: 'the organization already has PKI files in this directory',
  PKI_MISSING: 'a PKI file the command needs is not there, or the org id is not valid',
  PKI_INVALID_ARGUMENT: 'a name given to a PKI command cannot be used (e.g. a client name that is not a safe file name)',
  BUNDLE_INVALID: 'a federation bundle does not parse or breaks its schema (or carries a private key)',
  KEY_UNSUPPORTED: 'a receipt key is neither an EC nor an OKP JWK',
  PEER_NO_CERTIFICATE: 'the peer presented no certificate',
  PEER_NO_ORG_SAN: 'the certificate does not carry exactly one urn:entente:org:<id> URI SAN',
  PEER_UNKNOWN_ORG: 'the organization named in the certificate is not a configured partner, or is not the one dialed',
  PEER_WRONG_ISSUER: "the certificate is not issued by the CA pinned for the organization it names",
  PEER_EXPIRED: 'the certificate has expired',
  PEER_NOT_YET_VALID: 'the certificate is not valid yet',
  PEER_REVOKED: 'the certificate is on the revocation list for its partner',
} as const;

export type PkiCode = keyof typeof PKI_ERROR_CODES;
export type PeerIdentityCode = Extract<PkiCode, `PEER_${string}`>;
export type PkiErrorCode = Exclude<PkiCode, PeerIdentityCode>;

/** PKI material could not be made, read or imported, or a certificate was refused. */
export class PkiError<C extends PkiCode = PkiErrorCode> extends EntenteError<C> {}

/**
 * A certificate does not identify a configured partner. Messages describe only the peer's
 * own certificate, so they are safe to send back to it.
 */
export class PeerIdentityError extends PkiError<PeerIdentityCode> {}
