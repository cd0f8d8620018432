import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../core/errors.js';
import {
  CompactRange,
  EMPTY_ROOT,
  consistencyProof,
  hashChildren,
  hashLeaf,
  inclusionProof,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

/*
 * Conformance vectors from transparency-dev/merkle (Apache-2.0), copied to /work/shared/data/merkle;
 * see its README.md for provenance. The repo is /work/main, so the folder is ../shared from the root.
 */
const VECTORS = new URL('../../../shared/data/merkle/', import.meta.url);

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const fromB64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

interface RootsFile {
  leafInputs: string[];
  roots: { treeSize: number; rootHash: string }[];
  nodeHashes: { levels: string[][] };
}

interface InclusionCase {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyCase {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(new URL(relative, VECTORS), 'utf8')) as T;
}

function casesUnder<T>(folder: string): [string, T][] {
  const dir = fileURLToPath(new URL(folder, VECTORS));
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name): [string, T] => [`${folder}${name}`, readJson<T>(`${folder}${name}`)]);
}

const roots = readJson<RootsFile>('roots.json');
const vectorLeaves = roots.leafInputs.map((input) => hashLeaf(fromHex(input)));

/** Deterministic distinct leaf hashes. */
function leaves(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => hashLeaf(new TextEncoder().encode(`entry ${i}`)));
}

function flipped(proof: readonly Uint8Array[], at: number, bit: number): Uint8Array[] {
  return proof.map((hash, i) => {
    if (i !== at) return hash;
    const copy = Uint8Array.from(hash);
    copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    return copy;
  });
}

// Straight transcriptions of the recursive definitions in RFC 9162 §2.1, as an independent reference.
function refSplit(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function refMth(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return EMPTY_ROOT;
  if (d.length === 1) return d[0] ?? EMPTY_ROOT;
  const k = refSplit(d.length);
  return hashChildren(refMth(d.slice(0, k)), refMth(d.slice(k)));
}
function refPath(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = refSplit(d.length);
  if (m < k) return [...refPath(m, d.slice(0, k)), refMth(d.slice(k))];
  return [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}
function refSubproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refMth(d)];
  const k = refSplit(d.length);
  if (m <= k) return [...refSubproof(m, d.slice(0, k), b), refMth(d.slice(k))];
  return [...refSubproof(m - k, d.slice(k), false), refMth(d.slice(0, k))];
}

function expectInputInvalid(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(isBulwarkError(error) && error.code).toBe('INPUT_INVALID');
    return;
  }
  expect.fail('expected a BulwarkError INPUT_INVALID');
}

describe('RFC 9162 tree hashes (roots.json known answers)', () => {
  it('hashes the leaf inputs to the level-0 node hashes', () => {
    expect(vectorLeaves.map(hex)).toEqual(roots.nodeHashes.levels[0]);
  });

  it('computes the root of every tree size 0..8 with rootOf and CompactRange', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(roots.roots).toHaveLength(9);
    for (const { treeSize, rootHash } of roots.roots) {
      expect(hex(rootOf(vectorLeaves, treeSize))).toBe(rootHash);
      expect(hex(CompactRange.fromLeaves(vectorLeaves.slice(0, treeSize)).root())).toBe(rootHash);
    }
  });

  it('computes every complete subtree hash of the size-8 tree', () => {
    roots.nodeHashes.levels.forEach((level, height) => {
      const width = 2 ** height;
      level.forEach((want, index) => {
        expect(hex(rootOf(vectorLeaves.slice(index * width, (index + 1) * width)))).toBe(want);
      });
    });
  });
});

describe('transparency-dev/merkle verification vectors', () => {
  const inclusion = casesUnder<InclusionCase>('testdata/inclusion/');
  const consistency = casesUnder<ConsistencyCase>('testdata/consistency/');

  it('finds all 98 + 98 cases', () => {
    expect(inclusion).toHaveLength(98);
    expect(consistency).toHaveLength(98);
  });

  it.each(inclusion)('%s', (_name, c) => {
    const verdict = verifyInclusion({
      leafIndex: c.leafIdx,
      treeSize: c.treeSize,
      leafHash: fromB64(c.leafHash),
      proof: (c.proof ?? []).map(fromB64),
      root: fromB64(c.root),
    });
    expect(verdict.ok, `${c.desc}: ${verdict.ok ? 'ok' : verdict.reason}`).toBe(!c.wantErr);
  });

  it.each(consistency)('%s', (_name, c) => {
    const verdict = verifyConsistency({
      size1: c.size1,
      size2: c.size2,
      proof: (c.proof ?? []).map(fromB64),
      root1: fromB64(c.root1),
      root2: fromB64(c.root2),
    });
    expect(verdict.ok, `${c.desc}: ${verdict.ok ? 'ok' : verdict.reason}`).toBe(!c.wantErr);
  });

  it('generates exactly the happy-path proofs of the vectors over the roots.json tree', () => {
    const happyInclusion = inclusion.filter(([name]) => /^testdata\/inclusion\/\d\/happy-path/.test(name));
    const happyConsistency = consistency.filter(([name]) =>
      /^testdata\/consistency\/\d\/happy-path/.test(name),
    );
    expect(happyInclusion).toHaveLength(5);
    expect(happyConsistency).toHaveLength(5);
    for (const [, c] of happyInclusion) {
      expect(inclusionProof(vectorLeaves, c.leafIdx, c.treeSize).map(hex)).toEqual(
        (c.proof ?? []).map((p) => hex(fromB64(p))),
      );
    }
    for (const [, c] of happyConsistency) {
      expect(consistencyProof(vectorLeaves, c.size1, c.size2).map(hex)).toEqual(
        (c.proof ?? []).map((p) => hex(fromB64(p))),
      );
    }
  });
});

describe('CompactRange', () => {
  it('matches rootOf and the recursive MTH at every size up to 300', () => {
    const all = leaves(300);
    const range = new CompactRange();
    for (let size = 0; size <= 300; size++) {
      const want = hex(rootOf(all, size));
      expect(range.size).toBe(size);
      expect(hex(range.root())).toBe(want);
      if (size <= 70) expect(hex(refMth(all.slice(0, size)))).toBe(want);
      const restored = CompactRange.fromNodes(range.size, range.nodes);
      expect(hex(restored.root())).toBe(want);
      const next = all[size];
      if (next !== undefined) range.append(next);
    }
  });

  it('keeps one node per 1 bit of the size and clones independently', () => {
    const range = CompactRange.fromLeaves(leaves(13));
    expect(range.nodes).toHaveLength(3);
    const copy = range.clone();
    copy.append(hashLeaf(new Uint8Array([1])));
    expect(range.size).toBe(13);
    expect(hex(range.root())).toBe(hex(rootOf(leaves(13))));
  });

  it('rejects bad leaves and inconsistent saved state', () => {
    expectInputInvalid(() => new CompactRange().append(new Uint8Array(31)));
    expectInputInvalid(() => CompactRange.fromNodes(3, leaves(1)));
    expectInputInvalid(() => CompactRange.fromNodes(-1, []));
    expectInputInvalid(() => CompactRange.fromNodes(2, [new Uint8Array(5)]));
  });
});

describe('proof generation and verification round trip', () => {
  const all = leaves(70);

  it('verifies every inclusion proof for sizes 1..70 and fails on any flipped bit', () => {
    for (let size = 1; size <= 70; size++) {
      const root = rootOf(all, size);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(all, index, size);
        const leafHash = all[index] ?? EMPTY_ROOT;
        if (size <= 20) expect(proof.map(hex)).toEqual(refPath(index, all.slice(0, size)).map(hex));
        expect(verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof, root })).toEqual({
          ok: true,
        });
        proof.forEach((_, at) => {
          const bad = flipped(proof, at, (index * 7 + at) % 256);
          expect(verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof: bad, root }).ok).toBe(
            false,
          );
        });
        if (size > 1) {
          const other = (index + 1) % size;
          expect(verifyInclusion({ leafIndex: other, treeSize: size, leafHash, proof, root }).ok).toBe(false);
        }
      }
    }
  });

  it('verifies every consistency proof for 1 <= size1 <= size2 <= 70 and fails on any flipped bit', () => {
    const rootsBySize = Array.from({ length: 71 }, (_, size) => rootOf(all, size));
    for (let size2 = 1; size2 <= 70; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = consistencyProof(all, size1, size2);
        if (size2 <= 20)
          expect(proof.map(hex)).toEqual(refSubproof(size1, all.slice(0, size2), true).map(hex));
        const root1 = rootsBySize[size1] ?? EMPTY_ROOT;
        const root2 = rootsBySize[size2] ?? EMPTY_ROOT;
        expect(verifyConsistency({ size1, size2, proof, root1, root2 })).toEqual({ ok: true });
        proof.forEach((_, at) => {
          const bad = flipped(proof, at, (size1 * 13 + at) % 256);
          expect(verifyConsistency({ size1, size2, proof: bad, root1, root2 }).ok).toBe(false);
        });
        if (size1 < size2) {
          const wrong = rootsBySize[size1 + 1] ?? EMPTY_ROOT;
          expect(verifyConsistency({ size1, size2, proof, root1: wrong, root2 }).ok).toBe(false);
        }
      }
    }
  });

  it('rejects impossible proof requests with INPUT_INVALID', () => {
    expectInputInvalid(() => inclusionProof(all, 5, 5));
    expectInputInvalid(() => inclusionProof(all, -1, 5));
    expectInputInvalid(() => inclusionProof(all, 0, 71));
    expectInputInvalid(() => consistencyProof(all, 0, 5));
    expectInputInvalid(() => consistencyProof(all, 6, 5));
    expectInputInvalid(() => consistencyProof(all, 1, 71));
    expectInputInvalid(() => rootOf(all, 71));
    expectInputInvalid(() => rootOf(all, 1.5));
    expectInputInvalid(() => rootOf([new Uint8Array(3)]));
    expect(consistencyProof(all, 9, 9)).toEqual([]);
    expect(inclusionProof(all, 0, 1)).toEqual([]);
  });
});

describe('verification rejects malformed claims', () => {
  const all = leaves(8);
  const root = rootOf(all);
  const leafHash = all[3] ?? EMPTY_ROOT;
  const proof = inclusionProof(all, 3, 8);

  it('checks hash lengths, index range and proof length', () => {
    const base = { leafIndex: 3, treeSize: 8, leafHash, proof, root };
    expect(verifyInclusion(base)).toEqual({ ok: true });
    const reasons = [
      { ...base, leafHash: leafHash.subarray(1) },
      { ...base, root: new Uint8Array(33) },
      { ...base, proof: [...proof.slice(0, 2), new Uint8Array(31)] },
      { ...base, leafIndex: 8 },
      { ...base, leafIndex: -1 },
      { ...base, treeSize: 8.5 },
      { ...base, proof: proof.slice(1) },
      { ...base, proof: [...proof, root] },
    ].map((claim) => verifyInclusion(claim));
    for (const verdict of reasons) expect(verdict.ok).toBe(false);
    expect(reasons[6]).toEqual({
      ok: false,
      reason: 'proof has 2 hashes, leaf 3 of a tree of size 8 needs 3',
    });
  });

  it('checks consistency edge cases', () => {
    const root4 = rootOf(all, 4);
    const c = { size1: 4, size2: 8, proof: consistencyProof(all, 4, 8), root1: root4, root2: root };
    expect(verifyConsistency(c)).toEqual({ ok: true });
    expect(
      verifyConsistency({ ...c, size1: 0, size2: 0, proof: [], root1: EMPTY_ROOT, root2: EMPTY_ROOT }).ok,
    ).toBe(false);
    expect(verifyConsistency({ ...c, size1: 0 }).ok).toBe(false);
    expect(verifyConsistency({ ...c, size1: 9 }).ok).toBe(false);
    expect(verifyConsistency({ ...c, size1: 8, proof: [root] }).ok).toBe(false);
    expect(verifyConsistency({ ...c, size1: 8, proof: [], root1: root4 }).ok).toBe(false);
    expect(verifyConsistency({ ...c, size1: 8, proof: [], root1: root })).toEqual({ ok: true });
    expect(verifyConsistency({ ...c, proof: [] }).ok).toBe(false);
    expect(verifyConsistency({ ...c, root2: root.subarray(0, 31) }).ok).toBe(false);
  });

  it('uses exact arithmetic for tree sizes beyond 2^32', () => {
    const leaf = hashLeaf(new Uint8Array([7]));
    const sibling = hashLeaf(new Uint8Array([8]));
    // Leaf 2^33 of a tree of 2^33 + 1 is the whole right subtree; its only sibling is the left 2^33 tree.
    const big = { leafIndex: 2 ** 33, treeSize: 2 ** 33 + 1, leafHash: leaf, proof: [sibling] };
    expect(verifyInclusion({ ...big, root: hashChildren(sibling, leaf) })).toEqual({ ok: true });
    expect(verifyInclusion({ ...big, root: hashChildren(leaf, sibling) }).ok).toBe(false);
    // The last leaf of a perfect 2^40 tree has 40 left siblings.
    const path = leaves(40);
    const top = path.reduce((acc, p) => hashChildren(p, acc), leaf);
    const last = { leafIndex: 2 ** 40 - 1, treeSize: 2 ** 40, leafHash: leaf, root: top };
    expect(verifyInclusion({ ...last, proof: path })).toEqual({ ok: true });
    expect(verifyInclusion({ ...last, proof: path.slice(1) })).toEqual({
      ok: false,
      reason: `proof has 39 hashes, leaf ${2 ** 40 - 1} of a tree of size ${2 ** 40} needs 40`,
    });
  });
});

describe('scale', () => {
  it('computes the root of 1,000,000 leaves iteratively', () => {
    const count = 1_000_000;
    const leaf = hashLeaf(new Uint8Array([42]));
    // With identical leaves a perfect subtree of 2^k leaves has a root computable in k hashes, which
    // gives an independent expected value: fold the perfect subtrees of the binary decomposition.
    const perfect = [leaf];
    for (let k = 1; k < 20; k++) perfect.push(hashChildren(perfect[k - 1] ?? leaf, perfect[k - 1] ?? leaf));
    const parts = perfect.filter((_, k) => Math.floor(count / 2 ** k) % 2 === 1);
    const want = parts.reduce((acc, part) => hashChildren(part, acc));
    const started = performance.now();
    const root = rootOf(new Array<Uint8Array>(count).fill(leaf));
    const elapsed = performance.now() - started;
    expect(hex(root)).toBe(hex(want));
    // About a second on an idle core; the bound leaves room for a loaded CI machine.
    expect(elapsed).toBeLessThan(15_000);
  });
});
