import { HASH_SIZE, equalBytes, hashChildren } from './merkle-hash.js';

/** Outcome of checking a Merkle proof: a failed check is data with a one-line reason, never a throw. */
export type MerkleVerdict = { ok: true } | { ok: false; reason: string };

/** What an inclusion proof (RFC 9162 §2.1.3) claims: `leafHash` sits at `leafIndex` under `root`. */
export interface InclusionClaim {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** The RFC 9162 leaf hash SHA-256(0x00 || entry), not the entry itself. */
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

/** What a consistency proof (RFC 9162 §2.1.4) claims: the `size1` tree is a prefix of the `size2` tree. */
export interface ConsistencyClaim {
  readonly size1: number;
  readonly size2: number;
  readonly proof: readonly Uint8Array[];
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
}

const OK: MerkleVerdict = { ok: true };

function fail(reason: string): MerkleVerdict {
  return { ok: false, reason };
}

// Tree sizes may exceed 2^32, where JavaScript bitwise operators truncate, so bits are taken arithmetically.
const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

function badSize(value: number, what: string): string | undefined {
  return Number.isSafeInteger(value) && value >= 0 ? undefined : `${what} must be a non-negative integer`;
}

function badHashes(
  hashes: readonly [Uint8Array, string][],
  proof: readonly Uint8Array[],
): string | undefined {
  for (const [hash, what] of hashes) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE)
      return `${what} is not a ${HASH_SIZE}-byte hash`;
  }
  if (!Array.isArray(proof)) return 'proof must be a list of hashes';
  const at = proof.findIndex((hash) => !(hash instanceof Uint8Array) || hash.length !== HASH_SIZE);
  return at < 0 ? undefined : `proof hash ${at} is not a ${HASH_SIZE}-byte hash`;
}

/**
 * Runs the fn/sn walk of RFC 9162 §2.1.3.2 / §2.1.4.2 without hashing and returns how many proof hashes
 * it consumes before sn reaches 0; a proof of any other length cannot verify.
 */
function walkLength(fn0: number, sn0: number): number {
  let fn = fn0;
  let sn = sn0;
  let steps = 0;
  while (sn > 0) {
    if (!isOdd(fn) && fn === sn) {
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    }
    [fn, sn] = [half(fn), half(sn)];
    steps += 1;
  }
  return steps;
}

/** Verifies an RFC 9162 §2.1.3.2 inclusion proof; rejects bad hash lengths, out-of-range indexes and proofs of the wrong length. */
export function verifyInclusion(claim: InclusionClaim): MerkleVerdict {
  const { leafIndex, treeSize, leafHash, proof, root } = claim;
  const sizeProblem = badSize(leafIndex, 'leaf index') ?? badSize(treeSize, 'tree size');
  if (sizeProblem !== undefined) return fail(sizeProblem);
  if (leafIndex >= treeSize) return fail(`leaf index ${leafIndex} is not below tree size ${treeSize}`);
  const hashProblem = badHashes(
    [
      [leafHash, 'leaf hash'],
      [root, 'root'],
    ],
    proof,
  );
  if (hashProblem !== undefined) return fail(hashProblem);
  const want = walkLength(leafIndex, treeSize - 1);
  if (proof.length !== want) {
    return fail(
      `proof has ${proof.length} hashes, leaf ${leafIndex} of a tree of size ${treeSize} needs ${want}`,
    );
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = hashChildren(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return equalBytes(r, root) ? OK : fail('calculated root does not match the given root');
}

/**
 * Verifies an RFC 9162 §2.1.4.2 consistency proof. A proof from the empty tree is rejected (it proves
 * nothing), as are `size1 > size2` and, for equal sizes, a non-empty proof or different roots; otherwise
 * both roots and every proof hash must be 32 bytes.
 */
export function verifyConsistency(claim: ConsistencyClaim): MerkleVerdict {
  const { size1, size2, proof, root1, root2 } = claim;
  const sizeProblem = badSize(size1, 'first tree size') ?? badSize(size2, 'second tree size');
  if (sizeProblem !== undefined) return fail(sizeProblem);
  if (size1 === 0) return fail('a consistency proof from the empty tree proves nothing');
  if (size1 > size2) return fail(`first tree size ${size1} is larger than second tree size ${size2}`);
  if (size1 === size2) {
    // Nothing is hashed here, so like the transparency-dev verifier (whose vectors pin this down) the
    // roots are only compared, whatever their length.
    if (proof.length !== 0)
      return fail(`proof between equal tree sizes must be empty, got ${proof.length} hashes`);
    return equalBytes(root1, root2) ? OK : fail(`roots differ for the same tree size ${size1}`);
  }
  const hashProblem = badHashes(
    [
      [root1, 'first root'],
      [root2, 'second root'],
    ],
    proof,
  );
  if (hashProblem !== undefined) return fail(hashProblem);
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  // When size1 is a power of two the old root is itself a node of the new tree, so the proof omits it.
  const seedFromRoot1 = fn === 0;
  const want = walkLength(fn, sn) + (seedFromRoot1 ? 0 : 1);
  if (proof.length !== want) {
    return fail(`proof has ${proof.length} hashes, sizes ${size1} to ${size2} need ${want}`);
  }
  const path = seedFromRoot1 ? [root1, ...proof] : proof;
  const [first, ...rest] = path;
  if (first === undefined) return fail('proof is empty');
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = hashChildren(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (!equalBytes(fr, root1)) return fail('calculated first root does not match the given first root');
  if (!equalBytes(sr, root2)) return fail('calculated second root does not match the given second root');
  return OK;
}
