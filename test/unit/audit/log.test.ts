import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AuditLog,
  NoteKey,
  SIG_TYPE,
  Witness,
  cosign,
  cosignatureTime,
  openCheckpoint,
  parseNote,
  parseVkey,
  readCheckpoint,
  signCheckpoint,
  vkeyAs,
  withSignatures,
  type LogAlarmRecord,
} from '../../../gateway/src/audit/index.js';
import { openSqliteStore } from '../../../gateway/src/store/index.js';

// The reference vector of Go's golang.org/x/mod/sumdb/note (its package documentation): a
// signer key (type 0x01 then the Ed25519 seed), its verifier key, a text and its signed note.
const GO = {
  skey: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  signature: '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=',
};

function goKey(): NoteKey {
  const seed = Buffer.from(GO.skey.split('+').slice(4).join('+'), 'base64').subarray(1);
  const x = Buffer.from(GO.vkey.split('+')[2]!, 'base64').subarray(1);
  return NoteKey.fromJwk('PeterNeumann', { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: x.toString('base64url') });
}

function newKey(name: string): NoteKey {
  return NoteKey.fromJwk(name, generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
}

describe('signed notes', () => {
  it("sign as Go's sumdb/note does: the same verifier key and the same signature line", () => {
    const key = goKey();
    expect(key.vkey()).toBe(GO.vkey);
    const line = parseNote(`${GO.text}\n${GO.signature}\n`).signatures[0]!;
    expect(line.keyId).toBe(0xc74f20a3);
    expect(Buffer.concat([Buffer.from([0xc7, 0x4f, 0x20, 0xa3]), key.sign(GO.text)]).toString('base64')).toBe(GO.signature.split(' ')[2]);
  });

  it('refuse notes without a blank line, with control characters, or with malformed signature lines', () => {
    expect(() => parseNote(GO.text)).toThrow(expect.objectContaining({ code: 'LOG_NOTE_MALFORMED' }));
    expect(() => parseNote(`a\u0007\n\n${GO.signature}\n`)).toThrow(/control characters/);
    expect(() => parseNote(`${GO.text}\n- PeterNeumann AAAA\n`)).toThrow(/signature line 1/);
    expect(() => parseVkey(GO.vkey.replace('c74f20a3', 'c74f20a4'))).toThrow(/key ID/);
  });
});

describe('checkpoints', () => {
  const key = newKey('entente/org-a');
  const root = Buffer.alloc(32, 7);

  it('are tlog-checkpoint notes: origin, size, base64 root, signed under the origin', () => {
    const note = signCheckpoint(key, 12, root);
    expect(note.split('\n').slice(0, 4)).toEqual(['entente/org-a', '12', root.toString('base64'), '']);
    const cp = openCheckpoint(note, parseVkey(key.vkey()));
    expect(cp.size).toBe(12n);
    expect(cp.root.equals(root)).toBe(true);
  });

  it('are refused when signed by another key, for another origin, or edited', () => {
    const note = signCheckpoint(key, 12, root);
    const other = newKey('entente/org-a');
    expect(() => openCheckpoint(note, parseVkey(other.vkey()))).toThrow(expect.objectContaining({ code: 'LOG_CHECKPOINT_INVALID' }));
    expect(() => openCheckpoint(note.replace('\n12\n', '\n13\n'), parseVkey(key.vkey()))).toThrow(/does not verify/);
    expect(() => openCheckpoint(signCheckpoint(newKey('entente/org-b'), 1, root), parseVkey(key.vkey()))).toThrow(/not entente\/org-a/);
    expect(() => readCheckpoint(note.replace('\n12\n', '\n012\n'))).toThrow(/leading zeros/);
  });

  it('carry witnesses\u2019 cosignatures (tlog-cosignature, type 0x04, timestamped) that verify', () => {
    const witness = newKey('entente/org-b');
    const cp = readCheckpoint(signCheckpoint(key, 3, root));
    const cosigned = readCheckpoint(withSignatures(cp.note, [cosign(witness, cp.text, 1_700_000_000n)]));
    const wv = parseVkey(witness.vkey(SIG_TYPE.cosignatureV1));
    expect(cosignatureTime(cosigned, wv)).toBe(1_700_000_000n);
    // The log's signature still verifies; a plain Ed25519 (0x01) vkey of the witness does not match the cosignature's key ID.
    expect(openCheckpoint(cosigned.note, parseVkey(key.vkey())).size).toBe(3n);
    expect(cosignatureTime(cosigned, parseVkey(witness.vkey()))).toBeUndefined();
    const forged = readCheckpoint(withSignatures(readCheckpoint(signCheckpoint(key, 4, root)).note, [cosigned.parsed.signatures[1]!.line]));
    expect(() => cosignatureTime(forged, wv)).toThrow(/does not verify/);
  });
});

function storeAt(): ReturnType<typeof openSqliteStore> {
  return openSqliteStore(join(mkdtempSync(join(tmpdir(), 'entente-log-')), 'entente.db'), { checkpointMs: 0 });
}

let seq = 0;
function statement(taskId: string) {
  seq++;
  return { taskId, kind: 'request' as const, signerOrg: 'org-a', peerOrg: 'org-b', kid: 'k', jws: `h.p${seq}.s`, digest: `sha256:${seq}`, storedAt: seq };
}

describe('AuditLog', () => {
  it('follows the store and signs one checkpoint per size, whose root is the tree of the stored statements', async () => {
    const store = storeAt();
    const key = newKey('entente/org-a');
    const log = new AuditLog(store, key, () => 1000);
    await log.open();
    expect((await log.checkpoint()).size).toBe(0n);
    await store.write({ statements: [statement('t1'), statement('t2'), statement('t3')] });
    const cp = await log.checkpoint();
    expect(cp.size).toBe(3n);
    expect(await log.checkpoint()).toBe(cp);
    const stored = await store.listStatements();
    expect(stored.map((s) => s.index)).toEqual([0, 1, 2]);
    await store.close();
  });

  it('gives calls the latest checkpoint at once and signs the newer one in the background, at most every 100 ms', async () => {
    const store = storeAt();
    let now = 1000;
    const log = new AuditLog(store, newKey('entente/org-a'), () => now);
    await log.open();
    // The first one is waited for: there is nothing to send before it.
    expect((await log.recentCheckpoint()).size).toBe(0n);
    await store.write({ statements: [statement('t1'), statement('t2')] });
    // Within 100 ms of the last signature: the call carries size 0, and nothing is signed yet.
    expect((await log.recentCheckpoint()).size).toBe(0n);
    await log.sync();
    expect(log.latest?.size).toBe(0n);
    // Once the interval is up, a call carries size 0 without waiting, and starts size 2.
    now += 100;
    expect((await log.recentCheckpoint()).size).toBe(0n);
    await log.sync();
    expect(log.latest?.size).toBe(2n);
    expect((await log.recentCheckpoint()).size).toBe(2n);
    // With no call after the last statements, the renewal waiting for its turn (100 ms after
    // the last signature) signs them.
    await store.write({ statements: [statement('t3')] });
    expect((await log.recentCheckpoint()).size).toBe(2n);
    const deadline = Date.now() + 5000;
    while (log.latest?.size !== 3n && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
    expect(log.latest?.size).toBe(3n);
    log.stop();
    await store.close();
  });

  it('refuses to open over a store whose statements no longer match its last checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-log-'));
    const file = join(dir, 'entente.db');
    const key = newKey('entente/org-a');
    let store = openSqliteStore(file, { checkpointMs: 0 });
    await store.write({ statements: [statement('t1'), statement('t2')] });
    const log = new AuditLog(store, key, () => 1000);
    await log.open();
    await log.checkpoint();
    await store.close();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    db.exec("DROP TRIGGER statements_no_update; UPDATE statements SET leaf_hash = zeroblob(32) WHERE log_index = 1");
    db.close();
    store = openSqliteStore(file, { checkpointMs: 0 });
    await expect(new AuditLog(store, key, () => 1000).open()).rejects.toMatchObject({ code: 'LOG_INCONSISTENT' });
    await store.close();
  });
});

describe('Witness', () => {
  async function setup(opts: { checkEveryMs?: number; now?: () => number } = {}) {
    const logStore = storeAt();
    const witnessStore = storeAt();
    const logKey = newKey('entente/org-a');
    const log = new AuditLog(logStore, logKey, () => 5000);
    await log.open();
    const alarms: LogAlarmRecord[] = [];
    const witnessKey = newKey('entente/org-b');
    const witness = new Witness({
      store: witnessStore,
      key: witnessKey,
      now: opts.now ?? (() => 5000),
      keysOf: async (p) => (p === 'org-a' ? [parseVkey(logKey.vkey())] : []),
      onAlarm: (a) => alarms.push(a),
      ...(opts.checkEveryMs !== undefined ? { checkEveryMs: opts.checkEveryMs } : {}),
    });
    const proofs = async (m: bigint, n: bigint) => log.consistencyProof(m, n);
    return { logStore, witnessStore, logKey, witnessKey, log, witness, alarms, proofs };
  }

  it('accepts a growing log with consistency proofs and cosigns what it holds', async () => {
    const { logStore, witnessStore, witnessKey, log, witness, alarms, proofs } = await setup();
    for (let i = 0; i < 5; i++) {
      await logStore.write({ statements: [statement(`w${i}`)] });
      await witness.observe('org-a', (await log.checkpoint()).note, proofs);
    }
    const held = await witness.holds('org-a');
    expect(held?.size).toBe(5n);
    await logStore.write({ statements: [statement('w5')] });
    const cp = await log.checkpoint();
    const line = await witness.add('org-a', 5n, log.consistencyProof(5, 6), cp.note);
    const wv = vkeyAs(parseVkey(witnessKey.vkey()), SIG_TYPE.cosignatureV1);
    expect(cosignatureTime(readCheckpoint(withSignatures(cp.note, [line])), wv)).toBe(5n);
    await expect(witness.add('org-a', 3n, [], cp.note)).rejects.toMatchObject({ heldSize: 6n });
    expect(alarms).toEqual([]);
    expect((await witnessStore.listWitnessed('org-a')).map((w) => w.size)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('checks a growing log at most every checkEveryMs, only its newest waiting checkpoint, and a contradiction at once', async () => {
    const { logStore, logKey, log, witness, alarms } = await setup({ checkEveryMs: 300, now: () => Date.now() });
    const asked: [bigint, bigint][] = [];
    const proofs = async (m: bigint, n: bigint) => {
      asked.push([m, n]);
      return log.consistencyProof(m, n);
    };
    await logStore.write({ statements: [statement('g0')] });
    await witness.observe('org-a', (await log.checkpoint()).note, proofs);
    const firstChecked = Date.now();
    // Three newer checkpoints while the interval runs: one proof, to the newest, after it.
    const seen: Promise<void>[] = [];
    for (let i = 1; i <= 3; i++) {
      await logStore.write({ statements: [statement(`g${i}`)] });
      const note = (await log.checkpoint()).note;
      // Every exchange until the check brings the waiting one again: it waits for that check.
      for (let again = 0; again < 3; again++) seen.push(witness.observe('org-a', note, proofs));
    }
    await Promise.all(seen);
    expect(Date.now() - firstChecked).toBeGreaterThanOrEqual(250);
    expect(asked).toEqual([[1n, 4n]]);
    expect((await witness.holds('org-a'))?.size).toBe(4n);
    // The same size with another root contradicts what is verified: no waiting for the interval.
    const started = Date.now();
    await witness.observe('org-a', readCheckpoint(signCheckpoint(logKey, 4, Buffer.alloc(32, 7))).note, proofs);
    expect(Date.now() - started).toBeLessThan(250);
    expect(alarms).toHaveLength(1);
  });

  it('checks on its own a forged checkpoint brought again after another of its size was verified, even if a newer one then takes its turn', async () => {
    const { logStore, logKey, log, witness, alarms } = await setup({ checkEveryMs: 300, now: () => Date.now() });
    const slowProofs = async (m: bigint, n: bigint) => {
      await new Promise((done) => setTimeout(done, 200));
      return log.consistencyProof(m, n);
    };
    await logStore.write({ statements: [statement('f0')] });
    await witness.observe('org-a', (await log.checkpoint()).note, slowProofs);
    await logStore.write({ statements: [statement('f1')] });
    const real = witness.observe('org-a', (await log.checkpoint()).note, slowProofs);
    // While the real size 2 is being checked, a forged size 2 comes and waits its turn.
    await new Promise((done) => setTimeout(done, 350));
    const forged = readCheckpoint(signCheckpoint(logKey, 2, Buffer.alloc(32, 9))).note;
    const first = witness.observe('org-a', forged, slowProofs);
    await real;
    // Size 2 is verified now; the forgery again, then a newer real checkpoint replacing it.
    const again = witness.observe('org-a', forged, slowProofs);
    await logStore.write({ statements: [statement('f2')] });
    const newer = witness.observe('org-a', (await log.checkpoint()).note, slowProofs);
    await Promise.all([first, again, newer]);
    expect(alarms.map((a) => a.code)).toEqual(['LOG_INCONSISTENT']);
  });

  it('raises one alarm, with both checkpoints as evidence, when the log rewrites its history', async () => {
    const { logStore, logKey, log, witness, witnessStore, alarms, proofs } = await setup();
    await logStore.write({ statements: [statement('a'), statement('b'), statement('c')] });
    await witness.observe('org-a', (await log.checkpoint()).note, proofs);
    // A second history of the same log: another statement at position 1, then more.
    const forkStore = storeAt();
    const fork = new AuditLog(forkStore, logKey, () => 6000);
    await fork.open();
    const [a] = await logStore.listStatements({ limit: 1 });
    await forkStore.write({ statements: [{ ...a!, index: undefined } as never, statement('x'), statement('y'), statement('z')] });
    const forked = await fork.checkpoint();
    await witness.observe('org-a', forked.note, async (m, n) => fork.consistencyProof(m, n));
    await witness.observe('org-a', forked.note, async (m, n) => fork.consistencyProof(m, n));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ partner: 'org-a', code: 'LOG_INCONSISTENT', offending: forked.note });
    expect(alarms[0]!.held).toContain('entente/org-a\n3\n');
    expect((await witnessStore.listAlarms())).toHaveLength(1);
    expect((await witness.holds('org-a'))?.size).toBe(3n);
    // Same size, another root: a fork caught without any proof.
    const sameSize = readCheckpoint(signCheckpoint(logKey, 3, Buffer.alloc(32, 1)));
    await witness.observe('org-a', sameSize.note, proofs);
    expect(alarms).toHaveLength(2);
  });
});
