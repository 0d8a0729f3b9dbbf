import { RECORDED_POINTS, type DecisionOutcome, type DecisionRecord, type PolicyContent, type RetainedInput, type StoredInput } from '../../policy/index.js';
import { StoreInvalidRecordError } from '../errors.js';

/**
 * The decision log's records as rows. Like records.ts, each record is checked before it joins
 * a group commit, so a bad one is refused alone.
 */

function text(value: unknown, where: string): void {
  if (typeof value !== 'string' || value === '') throw new StoreInvalidRecordError(`${where} must be a non-empty string`);
}

function millis(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StoreInvalidRecordError(`${where} must be a non-negative integer (epoch milliseconds)`);
  }
}

export function checkDecisionRecord(r: DecisionRecord, where: string): void {
  text(r.decisionId, `${where}.decisionId`);
  if (!(RECORDED_POINTS as readonly string[]).includes(r.point)) {
    throw new StoreInvalidRecordError(`${where}.point is ${JSON.stringify(r.point) ?? 'undefined'}; expected one of ${RECORDED_POINTS.join(', ')}`);
  }
  text(r.revision, `${where}.revision`);
  millis(r.decidedAt, `${where}.decidedAt`);
  text(r.salt, `${where}.salt`);
  text(r.inputDigest, `${where}.inputDigest`);
  const kind = (r.outcome as { kind?: unknown } | undefined)?.kind;
  if (kind !== (r.point === 'card' ? 'card' : 'decision')) {
    throw new StoreInvalidRecordError(`${where}.outcome.kind is ${JSON.stringify(kind) ?? 'undefined'}; a ${r.point} decision's is ${r.point === 'card' ? 'card' : 'decision'}`);
  }
}

export function checkRetainedInput(i: RetainedInput, decisionId: string, where: string): void {
  if (i.decisionId !== decisionId) throw new StoreInvalidRecordError(`${where}.decisionId is ${JSON.stringify(i.decisionId)}, not the decision's ${JSON.stringify(decisionId)}`);
  text(i.keyId, `${where}.keyId`);
  if (!(i.sealed instanceof Uint8Array) || i.sealed.length === 0) throw new StoreInvalidRecordError(`${where}.sealed must be non-empty bytes`);
  millis(i.keptAt, `${where}.keptAt`);
}

export function decisionRecordParams(r: DecisionRecord) {
  return {
    decisionId: r.decisionId,
    point: r.point,
    revision: r.revision,
    decidedAt: r.decidedAt,
    salt: r.salt,
    inputDigest: r.inputDigest,
    outcomeJson: JSON.stringify(r.outcome),
  };
}

export function retainedParams(i: RetainedInput) {
  return { decisionId: i.decisionId, keyId: i.keyId, sealed: Buffer.from(i.sealed.buffer, i.sealed.byteOffset, i.sealed.byteLength), keptAt: i.keptAt };
}

export interface DecisionRow {
  decision_id: string;
  point: DecisionRecord['point'];
  revision: string;
  decided_at: number;
  salt: string;
  input_digest: string;
  outcome_json: string;
}

export function toDecisionRecord(r: DecisionRow): DecisionRecord {
  return {
    decisionId: r.decision_id,
    point: r.point,
    revision: r.revision,
    decidedAt: r.decided_at,
    salt: r.salt,
    inputDigest: r.input_digest,
    outcome: JSON.parse(r.outcome_json) as DecisionOutcome,
  };
}

export interface InputRow {
  decision_id: string;
  key_id: string;
  sealed: Buffer | null;
  kept_at: number;
  deleted_at: number | null;
}

export function toStoredInput(r: InputRow): StoredInput {
  const base = { decisionId: r.decision_id, keyId: r.key_id, keptAt: r.kept_at };
  return r.sealed === null ? { ...base, deletedAt: r.deleted_at ?? 0 } : { ...base, sealed: new Uint8Array(r.sealed) };
}

/**
 * A revision's content as a row: an OPA bundle as its archive bytes; Rego files as JSON
 * (`{"roots": n, "files": [[root, path, text], …]}`, in the order the revision hashes them).
 */
export function revisionParams(revision: string, content: PolicyContent, storedAt: number) {
  if (content.engine === 'opa-wasm') {
    return { revision, engine: content.engine, content: Buffer.from(content.archive.buffer, content.archive.byteOffset, content.archive.byteLength), storedAt };
  }
  const json = JSON.stringify({ roots: content.roots, files: content.files.map((f) => [f.root, f.path, f.text]) });
  return { revision, engine: content.engine, content: Buffer.from(json, 'utf8'), storedAt };
}

export interface RevisionRow {
  engine: PolicyContent['engine'];
  content: Buffer;
}

export function toPolicyContent(r: RevisionRow): PolicyContent {
  if (r.engine === 'opa-wasm') return { engine: 'opa-wasm', archive: new Uint8Array(r.content) };
  const parsed = JSON.parse(r.content.toString('utf8')) as { roots: number; files: [number, string, string][] };
  return { engine: 'rego', roots: parsed.roots, files: parsed.files.map(([root, path, text]) => ({ root, path, text })) };
}
