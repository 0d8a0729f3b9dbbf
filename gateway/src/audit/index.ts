export { signAck, signRequest, signResult, verifyStatement, verifyTriple } from './receipt.js';
export type { SignedStatement } from './receipt.js';
export { RESULT_STATUSES } from './statements.js';
export type { AckStatement, RequestStatement, ResultStatement, ResultStatus, StatementKind } from './statements.js';
export { ReceiptError } from './errors.js';
export type { ReceiptErrorCode } from './errors.js';
