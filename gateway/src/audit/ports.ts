/**
 * What audit/ needs of storage: the append-only log of every receipt statement this gateway
 * signed or received. Declared here, implemented by the drivers under store/.
 */

import type { StatementKind } from './statements.js';

export const STATEMENT_KINDS: readonly StatementKind[] = ['request', 'result', 'ack'];

export interface StatementRecord {
  readonly taskId: string;
  readonly kind: StatementKind;
  readonly signerOrg: string;
  readonly peerOrg: string;
  readonly kid: string;
  readonly jws: string;
  /** `sha256:` over the compact JWS text. */
  readonly digest: string;
  readonly storedAt: number;
  /**
   * The statement's position in this gateway's log: 0, 1, 2, … in append order, without gaps
   * (the Merkle log's leaf index). Assigned by the log on append; absent on a record not yet
   * appended. A number: 2^53 statements is beyond any gateway's lifetime.
   */
  readonly index?: number;
}

export interface StatementFilter {
  readonly taskId?: string;
  readonly peerOrg?: string;
  readonly kind?: StatementKind;
  /** Only statements at log positions after this one (for paging and tailing). */
  readonly afterIndex?: number;
  /** In log order; default 10000. */
  readonly limit?: number;
}

/** The statement log: append-only, idempotent, gapless. */
export interface StatementLog {
  /**
   * Appends statements durably. Idempotent on (taskId, kind, signerOrg, digest): a statement
   * already in the log is not appended again and takes no new position.
   */
  append(statements: readonly StatementRecord[]): Promise<void>;
  listStatements(filter?: StatementFilter): Promise<StatementRecord[]>;
}
