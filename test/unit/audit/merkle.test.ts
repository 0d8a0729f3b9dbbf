import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, MerkleTree, leafHash, verifyConsistency, verifyInclusion } from '../../../gateway/src/audit/index.js';

// An independent, naive reading of RFC 6962 §2.1 over arrays of leaf hashes, to check the
// tree's incremental implementation against.
const sha = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
const mth = (d: Buffer[]): Buffer => (d.length === 0 ? sha() : d.length === 1 ? d[0]! : sha(Buffer.from([1]), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length)))));
const path = (m: number, d: Buffer[]): Buffer[] => {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
};
const subproof = (m: number, d: Buffer[], b: boolean): Buffer[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
};

// The Certificate Transparency reference leaves and roots (certificate-transparency test data).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => leafHash(Buffer.from(h, 'hex')));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const hex = (hs: Buffer[]) => hs.map((h) => h.toString('hex'));
const many = Array.from({ length: 70 }, (_, i) => leafHash(`entry ${i}`));

describe('leafHash', () => {
  it('is SHA-256(0x00 || leaf)', () => {
    expect(leafHash('abc').equals(sha(Buffer.from([0]), Buffer.from('abc')))).toBe(true);
  });
});

describe('MerkleTree', () => {
  const ct = MerkleTree.of(CT_LEAVES);

  it('has the Certificate Transparency reference root at every size 0..8', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(CT_ROOTS[0]);
    for (let n = 0; n <= 8; n++) expect(ct.root(n).toString('hex'), `size ${n}`).toBe(CT_ROOTS[n]);
  });

  it('gives the reference inclusion proofs for leaves 0 and 5 of 8', () => {
    expect(hex(ct.inclusionProof(0, 8))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hex(ct.inclusionProof(5, 8))).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('agrees with the naive RFC 6962 definitions for every size, index and older size up to 70', () => {
    const tree = new MerkleTree();
    for (let n = 1; n <= many.length; n++) {
      expect(tree.append(many[n - 1]!)).toBe(n - 1);
      const d = many.slice(0, n);
      expect(tree.root().equals(mth(d)), `root ${n}`).toBe(true);
      for (let m = 0; m < n; m++) expect(hex(tree.inclusionProof(m)), `path ${m} of ${n}`).toEqual(hex(path(m, d)));
      for (let m = 1; m < n; m++) expect(hex(tree.consistencyProof(m)), `consistency ${m}→${n}`).toEqual(hex(subproof(m, d, true)));
    }
    // Roots and proofs for earlier sizes stay available after later appends.
    expect(tree.root(33).equals(mth(many.slice(0, 33)))).toBe(true);
    expect(hex(tree.inclusionProof(7, 21))).toEqual(hex(path(7, many.slice(0, 21))));
  });

  it('refuses indexes and sizes outside the tree', () => {
    expect(() => ct.root(9)).toThrow(expect.objectContaining({ code: 'LOG_RANGE' }));
    expect(() => ct.inclusionProof(8, 8)).toThrow(expect.objectContaining({ code: 'LOG_RANGE' }));
    expect(() => ct.inclusionProof(0, 0)).toThrow(expect.objectContaining({ code: 'LOG_RANGE' }));
    expect(() => ct.inclusionProof(1.5, 8)).toThrow(expect.objectContaining({ code: 'LOG_RANGE' }));
    expect(() => ct.consistencyProof(5, 4)).toThrow(expect.objectContaining({ code: 'LOG_RANGE' }));
    expect(() => new MerkleTree().append(Buffer.alloc(31))).toThrow(/32 bytes/);
  });
});

describe('verifyInclusion', () => {
  const tree = MerkleTree.of(many);

  it('accepts every leaf of every tree size 1..64 with its proof', () => {
    for (let n = 1; n <= 64; n++) {
      const root = tree.root(n);
      for (let m = 0; m < n; m++) expect(() => verifyInclusion(many[m]!, m, n, tree.inclusionProof(m, n), root)).not.toThrow();
    }
  });

  it('accepts bigint indexes and sizes', () => {
    expect(() => verifyInclusion(many[3]!, 3n, 10n, tree.inclusionProof(3, 10), tree.root(10))).not.toThrow();
  });

  it('refuses the wrong leaf, index, size, root or a tampered proof', () => {
    const proof = tree.inclusionProof(5, 13);
    const root = tree.root(13);
    const invalid = expect.objectContaining({ code: 'LOG_PROOF_INVALID' });
    expect(() => verifyInclusion(many[6]!, 5, 13, proof, root)).toThrow(invalid);
    expect(() => verifyInclusion(many[5]!, 4, 13, proof, root)).toThrow(invalid);
    // A size is only checked through the path's shape (sizes 9..16 share leaf 5's shape; the
    // signed tree head binds size to root), so claim a size whose shape differs.
    expect(() => verifyInclusion(many[5]!, 5, 7, proof, root)).toThrow(invalid);
    expect(() => verifyInclusion(many[5]!, 5, 13, proof, tree.root(12))).toThrow(invalid);
    const tampered = proof.map((h, i) => (i === 1 ? Buffer.from(h.map((b, j) => (j === 0 ? b ^ 1 : b))) : h));
    expect(() => verifyInclusion(many[5]!, 5, 13, tampered, root)).toThrow(invalid);
    expect(() => verifyInclusion(many[5]!, 5, 13, proof.slice(1), root)).toThrow(invalid);
    expect(() => verifyInclusion(many[5]!, 5, 13, [...proof, proof[0]!], root)).toThrow(invalid);
    expect(() => verifyInclusion(many[5]!, 5, 13, [Buffer.alloc(3)], root)).toThrow(invalid);
  });

  it('parses attacker-controlled index and size defensively', () => {
    const range = expect.objectContaining({ code: 'LOG_RANGE' });
    expect(() => verifyInclusion(many[0]!, 13, 13, [], tree.root(13))).toThrow(range);
    expect(() => verifyInclusion(many[0]!, -1, 13, [], tree.root(13))).toThrow(range);
    expect(() => verifyInclusion(many[0]!, 2 ** 60, 2 ** 61, [], tree.root(13))).toThrow(range);
    expect(() => verifyInclusion(many[0]!, 0n, 2n ** 64n, [], tree.root(13))).toThrow(range);
    // A huge but valid size needs a long proof, which a short one cannot fake.
    expect(() => verifyInclusion(many[0]!, 0n, 2n ** 63n, tree.inclusionProof(0, 8), tree.root(8))).toThrow(expect.objectContaining({ code: 'LOG_PROOF_INVALID' }));
  });
});

describe('verifyConsistency', () => {
  const tree = MerkleTree.of(many);

  it('accepts every pair of sizes of every tree size 1..64', () => {
    for (let n = 1; n <= 64; n++) {
      for (let m = 0; m <= n; m++) {
        expect(() => verifyConsistency(m, n, tree.consistencyProof(m, n), tree.root(m), tree.root(n)), `${m}→${n}`).not.toThrow();
      }
    }
  });

  it('accepts the Certificate Transparency reference consistency proofs', () => {
    const ct = MerkleTree.of(CT_LEAVES);
    const h = (xs: string[]) => xs.map((x) => Buffer.from(x, 'hex'));
    const root = (n: number) => Buffer.from(CT_ROOTS[n]!, 'hex');
    const p18 = h(['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']);
    const p68 = h(['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']);
    const p25 = h(['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']);
    for (const [m, n, p] of [[1, 8, p18], [6, 8, p68], [2, 5, p25]] as const) {
      expect(hex(ct.consistencyProof(m, n)), `${m}→${n}`).toEqual(hex([...p]));
      expect(() => verifyConsistency(m, n, p, root(m), root(n))).not.toThrow();
    }
  });

  it('refuses reordered leaves and a truncated proof', () => {
    const reordered = MerkleTree.of([...many.slice(0, 10), many[11]!, many[10]!, ...many.slice(12, 30)]);
    const invalid = expect.objectContaining({ code: 'LOG_PROOF_INVALID' });
    expect(() => verifyConsistency(11, 30, reordered.consistencyProof(11, 30), tree.root(11), reordered.root(30))).toThrow(invalid);
    expect(() => verifyConsistency(11, 30, tree.consistencyProof(11, 30).slice(0, -1), tree.root(11), tree.root(30))).toThrow(invalid);
    // A size is bound to the proof through its shape: claim one whose shape differs.
    expect(() => verifyConsistency(11, 45, tree.consistencyProof(11, 30), tree.root(11), tree.root(30))).toThrow(invalid);
  });

  it('refuses a rewritten history', () => {
    const rewritten = MerkleTree.of([...many.slice(0, 4), leafHash('forged'), ...many.slice(5, 20)]);
    const invalid = expect.objectContaining({ code: 'LOG_PROOF_INVALID' });
    // The rewritten log cannot prove it extends the honest old head.
    expect(() => verifyConsistency(7, 20, rewritten.consistencyProof(7, 20), tree.root(7), rewritten.root(20))).toThrow(invalid);
    expect(() => verifyConsistency(7, 20, tree.consistencyProof(7, 20), tree.root(7), rewritten.root(20))).toThrow(invalid);
    expect(() => verifyConsistency(7, 20, tree.consistencyProof(6, 20), tree.root(7), tree.root(20))).toThrow(invalid);
    expect(() => verifyConsistency(7, 20, [], tree.root(7), tree.root(20))).toThrow(invalid);
    expect(() => verifyConsistency(8, 8, [], tree.root(8), tree.root(9))).toThrow(invalid);
    expect(() => verifyConsistency(9, 8, [], tree.root(8), tree.root(9))).toThrow(expect.objectContaining({ code: 'LOG_RANGE' }));
  });
});
