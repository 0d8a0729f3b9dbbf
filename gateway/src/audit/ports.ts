/**
 * What audit/ needs of storage: the append-only log of every receipt statement this gateway
 * signed or received. Declared here, implemented by the drivers under store/.
 */

import type { StatementKind } from './statements.js';

export const STATEMENT_KINDS: readonly StatementKind[] = ['request', 'result', 'ack', 'run'];

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
  /**
   * The first statement (in log order) of one kind, signed by `signerOrg`, for a task with
   * `peerOrg`, by one prepared lookup (the ack path asks it for every acknowledged task). The
   * signer tells a task's two roles apart: with one partner under one task id, our result as
   * responder is signed by us, our result as requester by the partner.
   */
  firstStatement(peerOrg: string, taskId: string, kind: StatementKind, signerOrg: string): Promise<StatementRecord | undefined>;
  /** The same statement's digest alone: what an ack must cite, without reading the statement. */
  firstStatementDigest(peerOrg: string, taskId: string, kind: StatementKind, signerOrg: string): Promise<string | undefined>;
}

/** A checkpoint this gateway signed of its own log, with the cosignatures partners returned. */
export interface CheckpointRecord {
  readonly size: number;
  /** The signed note as the log signed it (without cosignatures). */
  readonly note: string;
  readonly createdAt: number;
  readonly cosignatures: readonly { readonly witness: string; readonly line: string; readonly receivedAt: number }[];
}

/** A partner's checkpoint this gateway verified as consistent with what it saw before. */
export interface WitnessedRecord {
  readonly partner: string;
  readonly size: number;
  /** The partner's signed note, with our cosignature line appended. */
  readonly note: string;
  readonly verifiedAt: number;
}

/** Evidence that a partner's log was rewritten or forked (or that our own store was). */
export interface LogAlarmRecord {
  readonly partner: string;
  readonly at: number;
  /** LOG_INCONSISTENT, LOG_CHECKPOINT_INVALID, … */
  readonly code: string;
  readonly message: string;
  /** The checkpoint we held and the one that contradicts it (signed notes), as evidence. */
  readonly held?: string;
  readonly offending: string;
}

/** What the Merkle log, its checkpoints and the witness keep. Declared here, implemented under store/. */
export interface LogStore {
  /** Leaf hashes of the statements at log positions from `from`, in order, at most `limit`. */
  leafHashes(from: number, limit: number): Promise<Buffer[]>;
  /** Records a checkpoint of our log (idempotent on size). */
  saveCheckpoint(size: number, note: string, at: number): Promise<void>;
  /** Records a witness's cosignature of our checkpoint at `size` (idempotent). */
  addCosignature(size: number, witness: string, line: string, at: number): Promise<void>;
  /** Our checkpoints in size order, between the sizes given (inclusive). */
  listCheckpoints(filter?: { readonly fromSize?: number; readonly toSize?: number; readonly cosignedOnly?: boolean }): Promise<CheckpointRecord[]>;
  /** Records a partner's checkpoint we verified; the latest by size is what we hold. */
  saveWitnessed(record: WitnessedRecord): Promise<void>;
  /** The latest (largest) verified checkpoint of each partner, or of one. */
  heldCheckpoints(partner?: string): Promise<WitnessedRecord[]>;
  /** Every verified checkpoint of a partner, in size order. */
  listWitnessed(partner?: string): Promise<WitnessedRecord[]>;
  recordAlarm(alarm: LogAlarmRecord): Promise<void>;
  listAlarms(): Promise<LogAlarmRecord[]>;
  /** Remembers a key a partner published (a receipt JWK as JSON text, or a log vkey). Idempotent. */
  rememberPartnerKey(partner: string, kind: 'receipt' | 'log', key: string, at: number): Promise<void>;
  /** Keys partners published, oldest first. */
  partnerKeys(kind: 'receipt' | 'log'): Promise<{ readonly partner: string; readonly key: string; readonly firstSeen: number }[]>;
}
