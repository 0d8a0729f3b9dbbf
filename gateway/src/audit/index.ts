export { signAck, signToSend, signRequest, signResult, signRun } from './sign.js';
export { BATCH_TYP, isBatched, signBatch } from './batch.js';
export type { SignedStatement, StatementFields } from './sign.js';
export { verifyStatement } from './verify-statement.js';
export type { StatementExpectation } from './verify-statement.js';
export { verifyTriple } from './verify-triple.js';
export { verifyRequest } from './verify-request.js';
export type { IncomingRequest } from './verify-request.js';
export { verifyResult } from './verify-result.js';
export type { ReceivedResult } from './verify-result.js';
export { verifyAck } from './verify-ack.js';
export type { ReceivedAck } from './verify-ack.js';
export type { ReceiptTriple, VerifiedTriple } from './verify-triple.js';
export { checkInputDigest, checkResultDigest } from './disclosure.js';
export { RESULT_STATUSES, STATEMENT_TYP } from './statements.js';
export type { AckStatement, RequestStatement, ResultStatement, ResultStatus, RunStatement, StatementKind, StatementOf } from './statements.js';
export { RUN_STEP_ENDS } from './statements.js';
export { EMPTY_ROOT, MerkleTree, leafHash, nodeHash, verifyConsistency, verifyInclusion } from './merkle.js';
export {
  AUDIT_ERROR_CODES,
  AuditError,
  LogError,
  LogProofInvalidError,
  LogRangeError,
  LogInconsistentError,
  CheckpointInvalidError,
  NoteError,
  ReceiptBadSignatureError,
  ReceiptChainBrokenError,
  ReceiptContentMismatchError,
  ReceiptExpiredError,
  ReceiptKeyNotValidError,
  ReceiptNotYetValidError,
  ReceiptDigestMismatchError,
  ReceiptError,
  ReceiptMalformedError,
  ReceiptTaskMismatchError,
  ReceiptUnknownKeyError,
  ReceiptWrongKindError,
  ReceiptWrongRecipientError,
  ReceiptWrongSignerError,
} from './errors.js';
export type { AuditErrorCode, LogErrorCode, ReceiptErrorCode } from './errors.js';
export { STATEMENT_KINDS } from './ports.js';
export type { StatementFilter, StatementLog, StatementRecord } from './ports.js';
export type { CheckpointRecord, LogAlarmRecord, LogStore, WitnessedRecord } from './ports.js';
export * from './log/index.js';
export * from './bundle/index.js';
