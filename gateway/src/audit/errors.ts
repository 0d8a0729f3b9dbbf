import { EntenteError } from '../lib/index.js';

/**
 * Every way a receipt or a log proof can fail verification. The keys are the closed set of
 * `code`s; a test checks each has a subclass and a text. A verification failure is never a
 * policy decision: "the partner's policy said no" is a valid, signed `denied` result.
 */
export const AUDIT_ERROR_CODES = {
  RECEIPT_MALFORMED: 'the statement is not a compact JWS with a canonical payload of the expected shape, or cannot be signed as given',
  RECEIPT_UNKNOWN_KEY: "the statement's kid is not a receipt key of any known organization; import the signer's current JWKS",
  RECEIPT_BAD_SIGNATURE: 'the signature (or its algorithm) does not verify with the named key',
  RECEIPT_WRONG_SIGNER: 'the statement is signed by, or claims to be from, another organization than expected',
  RECEIPT_WRONG_RECIPIENT: 'the statement is addressed to another organization than expected',
  RECEIPT_WRONG_KIND: 'a request, result or ack statement came where another kind was expected',
  RECEIPT_TASK_MISMATCH: 'the statement is about another task',
  RECEIPT_CHAIN_BROKEN: 'a result does not cite this request, or an ack does not cite this result',
  RECEIPT_DIGEST_MISMATCH: 'a disclosed salt and value do not produce the digest in the statement',
  RECEIPT_CONTENT_MISMATCH: 'the statement names another capability or purpose than the message it came with, or a result is missing or unexpected',
  RECEIPT_EXPIRED: 'the request statement is past its exp (allowing for clock skew); the requester must sign a new one',
  RECEIPT_NOT_YET_VALID: "the request statement's iat is in the future (beyond the clock skew); a clock is wrong",
  RECEIPT_KEY_NOT_VALID: "the statement's iat is outside the validity period (nbf, exp) of the key that signed it",
  LOG_RANGE: 'a log index or size is not an integer within the tree',
  LOG_PROOF_INVALID: 'an inclusion or consistency proof does not lead to the expected root',
  LOG_NOTE_MALFORMED: 'a signed note (checkpoint, cosignature) or a verifier key is not in the C2SP signed-note format',
  LOG_CHECKPOINT_INVALID: 'a checkpoint is malformed, of another log, or lacks a valid signature of the log key',
  LOG_INCONSISTENT: "a log's checkpoint is inconsistent with one seen before: its history was rewritten or forked",
} as const;

export type AuditErrorCode = keyof typeof AUDIT_ERROR_CODES;
export type ReceiptErrorCode = Extract<AuditErrorCode, `RECEIPT_${string}`>;
export type LogErrorCode = Extract<AuditErrorCode, `LOG_${string}`>;

type Options = { cause?: unknown };

/** Something in the audit trail failed verification; `code` says which check. */
export class AuditError extends EntenteError<AuditErrorCode> {}

/** A receipt statement (or a triple of them) failed verification. */
export class ReceiptError extends AuditError {
  declare readonly code: ReceiptErrorCode;
  constructor(code: ReceiptErrorCode, message: string, options?: Options) {
    super(code, message, options);
  }
}

export class ReceiptMalformedError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_MALFORMED', message, options);
  }
}

export class ReceiptUnknownKeyError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_UNKNOWN_KEY', message, options);
  }
}

export class ReceiptBadSignatureError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_BAD_SIGNATURE', message, options);
  }
}

export class ReceiptWrongSignerError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_WRONG_SIGNER', message, options);
  }
}

export class ReceiptWrongRecipientError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_WRONG_RECIPIENT', message, options);
  }
}

export class ReceiptWrongKindError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_WRONG_KIND', message, options);
  }
}

export class ReceiptTaskMismatchError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_TASK_MISMATCH', message, options);
  }
}

export class ReceiptChainBrokenError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_CHAIN_BROKEN', message, options);
  }
}

export class ReceiptDigestMismatchError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_DIGEST_MISMATCH', message, options);
  }
}

export class ReceiptContentMismatchError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_CONTENT_MISMATCH', message, options);
    this.name = 'ReceiptContentMismatchError';
  }
}

export class ReceiptExpiredError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_EXPIRED', message, options);
    this.name = 'ReceiptExpiredError';
  }
}

export class ReceiptNotYetValidError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_NOT_YET_VALID', message, options);
    this.name = 'ReceiptNotYetValidError';
  }
}

export class ReceiptKeyNotValidError extends ReceiptError {
  constructor(message: string, options?: Options) {
    super('RECEIPT_KEY_NOT_VALID', message, options);
  }
}

/** A Merkle log argument or proof failed. */
export class LogError extends AuditError {
  declare readonly code: LogErrorCode;
  constructor(code: LogErrorCode, message: string, options?: Options) {
    super(code, message, options);
  }
}

export class LogRangeError extends LogError {
  constructor(message: string, options?: Options) {
    super('LOG_RANGE', message, options);
  }
}

export class LogProofInvalidError extends LogError {
  constructor(message: string, options?: Options) {
    super('LOG_PROOF_INVALID', message, options);
  }
}

export class NoteError extends LogError {
  constructor(message: string, options?: Options) {
    super('LOG_NOTE_MALFORMED', message, options);
  }
}

export class CheckpointInvalidError extends LogError {
  constructor(message: string, options?: Options) {
    super('LOG_CHECKPOINT_INVALID', message, options);
  }
}

/** Two checkpoints of one log that no append-only history can join: evidence of a rewrite or a fork. */
export class LogInconsistentError extends LogError {
  constructor(message: string, options?: Options) {
    super('LOG_INCONSISTENT', message, options);
  }
}
