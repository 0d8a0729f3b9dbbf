export type ReceiptErrorCode =
  | 'RECEIPT_BAD_SIGNATURE'
  | 'RECEIPT_WRONG_SIGNER'
  | 'RECEIPT_MALFORMED'
  | 'RECEIPT_WRONG_KIND'
  | 'RECEIPT_TASK_MISMATCH'
  | 'RECEIPT_CHAIN_BROKEN';

/** A receipt statement failed verification (distinct from a policy saying no). */
export class ReceiptError extends Error {
  constructor(
    readonly code: ReceiptErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReceiptError';
  }
}
