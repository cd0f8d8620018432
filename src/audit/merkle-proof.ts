import { BulwarkError } from '../core/errors.js';
import { assertTreeHash } from './merkle-compact-range.js';
import { EMPTY_ROOT, hashChildren } from './merkle-hash.js';

/*
 * Proof generation walks the RFC 9162 recursion top-down with a loop instead of recursing, and hashes
 * each sibling subtree once: the siblings are disjoint, so a proof costs at most n - 1 node hashes.
 */

/** Returns the largest power of two strictly below `n` (n >= 2), the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaves [begin, end), iteratively: a stack of perfect-subtree roots, merged as they fill. */
function subtreeRoot(leafHashes: readonly Uint8Array[], begin: number, end: number): Uint8Array {
  const stack: Uint8Array[] = [];
  for (let i = begin; i < end; i++) {
    let node = leafHashes[i];
    if (node === undefined) throw new BulwarkError('INPUT_INVALID', `leaf hash ${i} is missing`);
    assertTreeHash(node, `leaf hash ${i}`);
    for (let n = i - begin; n % 2 === 1; n = Math.floor(n / 2)) {
      const left = stack.pop();
      if (left === undefined) throw new BulwarkError('INTERNAL', 'Merkle stack underflow');
      node = hashChildren(left, node);
    }
    stack.push(node);
  }
  let root = stack.pop();
  if (root === undefined) return EMPTY_ROOT;
  for (let left = stack.pop(); left !== undefined; left = stack.pop()) root = hashChildren(left, root);
  return root;
}

function checkTreeSize(leafHashes: readonly Uint8Array[], size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new BulwarkError('INPUT_INVALID', `${what} must be a non-negative integer, got ${size}`);
  }
  if (size > leafHashes.length) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `${what} ${size} exceeds the ${leafHashes.length} leaf hashes given`,
    );
  }
}

/**
 * Returns the Merkle Tree Hash of the first `size` leaf hashes (RFC 9162 §2.1.1), SHA-256("") for
 * none. Iterative, so a million leaves need no recursion and about a million node hashes.
 */
export function rootOf(leafHashes: readonly Uint8Array[], size: number = leafHashes.length): Uint8Array {
  checkTreeSize(leafHashes, size, 'tree size');
  return subtreeRoot(leafHashes, 0, size);
}

/**
 * Returns the inclusion proof (audit path, RFC 9162 §2.1.3.1) of leaf `index` in the tree of the
 * first `size` leaves, ordered from the leaf's sibling up to the root's child.
 */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number, size: number): Uint8Array[] {
  checkTreeSize(leafHashes, size, 'tree size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new BulwarkError('INPUT_INVALID', `leaf index ${index} is outside a tree of size ${size}`);
  }
  const path: Uint8Array[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const mid = lo + splitPoint(hi - lo);
    if (index < mid) {
      path.push(subtreeRoot(leafHashes, mid, hi));
      hi = mid;
    } else {
      path.push(subtreeRoot(leafHashes, lo, mid));
      lo = mid;
    }
  }
  return path.reverse();
}

/**
 * Returns the consistency proof (RFC 9162 §2.1.4.1) that the tree of the first `size1` leaves is a
 * prefix of the tree of the first `size2`. Empty when the sizes are equal; a proof from the empty
 * tree is not defined, so `size1` must be at least 1.
 */
export function consistencyProof(
  leafHashes: readonly Uint8Array[],
  size1: number,
  size2: number,
): Uint8Array[] {
  checkTreeSize(leafHashes, size2, 'second tree size');
  if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > size2) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `first tree size must be an integer from 1 to the second size ${size2}, got ${size1}`,
    );
  }
  const proof: Uint8Array[] = [];
  let lo = 0;
  let hi = size2;
  let m = size1;
  // True while the old tree is still the left edge of the current subtree (the `b` flag of SUBPROOF).
  let onLeftEdge = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      proof.push(subtreeRoot(leafHashes, lo + k, hi));
      hi = lo + k;
    } else {
      proof.push(subtreeRoot(leafHashes, lo, lo + k));
      lo += k;
      m -= k;
      onLeftEdge = false;
    }
  }
  if (!onLeftEdge) proof.push(subtreeRoot(leafHashes, lo, hi));
  return proof.reverse();
}
