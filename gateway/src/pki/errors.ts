export type PeerIdentityCode =
  | 'PEER_NO_CERTIFICATE'
  | 'PEER_NO_ORG_SAN'
  | 'PEER_UNKNOWN_ORG'
  | 'PEER_WRONG_ISSUER'
  | 'PEER_EXPIRED'
  | 'PEER_NOT_YET_VALID'
  | 'PEER_REVOKED';

/**
 * A certificate does not identify a configured partner. Messages describe only the peer's
 * own certificate, so they are safe to send back to it.
 */
export class PeerIdentityError extends Error {
  constructor(
    readonly code: PeerIdentityCode,
    message: string,
  ) {
    super(message);
    this.name = 'PeerIdentityError';
  }
}

export type PkiErrorCode = 'PKI_EXISTS' | 'PKI_MISSING' | 'PKI_INVALID_ARGUMENT' | 'BUNDLE_INVALID';

export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PkiError';
  }
}
