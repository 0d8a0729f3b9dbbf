import { CryptoError, saltedDigest } from '../crypto/index.js';
import { ReceiptDigestMismatchError } from './errors.js';
import type { RequestStatement, ResultStatement } from './statements.js';

function digestOf(salt: string, value: unknown, taskId: string, what: string): string {
  try {
    return saltedDigest(salt, value);
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err;
    throw new ReceiptDigestMismatchError(`task ${taskId}: the disclosed salt and ${what} cannot be digested: ${err.message}`, { cause: err });
  }
}

/**
 * Proves what was asked: the task's salt and the input that left must give the request
 * statement's input_digest. Throws RECEIPT_DIGEST_MISMATCH otherwise.
 */
export function checkInputDigest(salt: string, input: unknown, statement: Pick<RequestStatement, 'task_id' | 'input_digest'>): void {
  if (digestOf(salt, input, statement.task_id, 'input') !== statement.input_digest) {
    throw new ReceiptDigestMismatchError(`task ${statement.task_id}: this salt and input do not give the request statement's input_digest`);
  }
}

/**
 * Proves what came back: the task's salt and the (minimised) result that left must give the
 * result statement's result_digest. A statement without one (not completed) matches nothing.
 */
export function checkResultDigest(
  salt: string,
  result: unknown,
  statement: Pick<ResultStatement, 'task_id' | 'status' | 'result_digest'>,
): void {
  if (statement.result_digest === undefined) {
    throw new ReceiptDigestMismatchError(`task ${statement.task_id}: a ${statement.status} result statement has no result_digest; no result left`);
  }
  if (digestOf(salt, result, statement.task_id, 'result') !== statement.result_digest) {
    throw new ReceiptDigestMismatchError(`task ${statement.task_id}: this salt and result do not give the result statement's result_digest`);
  }
}
