import { BulwarkError } from '../core/errors.js';
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './merkle-hash.js';

/** Throws unless `hash` is a 32-byte tree hash; `what` names it in the message. */
export function assertTreeHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    const got = hash instanceof Uint8Array ? `${hash.length} bytes` : typeof hash;
    throw new BulwarkError('INPUT_INVALID', `${what} must be a ${HASH_SIZE}-byte SHA-256 hash, got ${got}`);
  }
}

/** Counts the 1 bits of a non-negative safe integer (bitwise operators would truncate to 32 bits). */
export function countOnes(value: number): number {
  let count = 0;
  for (let n = value; n > 0; n = Math.floor(n / 2)) count += n % 2;
  return count;
}

/**
 * The frontier of an append-only RFC 9162 tree: the roots of the perfect subtrees that the binary
 * decomposition of `size` splits the leaves into, largest first. It holds O(log n) hashes, so a log
 * can append and recompute its root without reading every earlier leaf.
 */
export class CompactRange {
  #size = 0;
  readonly #nodes: Uint8Array[] = [];

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** The perfect-subtree roots, leftmost (largest) first; one per 1 bit of `size`. */
  get nodes(): readonly Uint8Array[] {
    return [...this.#nodes];
  }

  /** Appends one leaf hash (already SHA-256(0x00 || entry)), merging equal-sized subtrees. */
  append(leafHash: Uint8Array): void {
    assertTreeHash(leafHash, `leaf hash ${this.#size}`);
    if (this.#size >= Number.MAX_SAFE_INTEGER) {
      throw new BulwarkError('LIMIT_EXCEEDED', 'compact range is full (2^53 - 1 leaves)');
    }
    let node: Uint8Array = Uint8Array.from(leafHash);
    // Each trailing 1 bit of the old size is a perfect subtree the new node now pairs with.
    for (let n = this.#size; n % 2 === 1; n = Math.floor(n / 2)) {
      const left = this.#nodes.pop();
      if (left === undefined) throw new BulwarkError('INTERNAL', 'compact range lost a subtree');
      node = hashChildren(left, node);
    }
    this.#nodes.push(node);
    this.#size += 1;
  }

  /** Returns MTH over all appended leaves (RFC 9162 §2.1.1); SHA-256("") when empty. */
  root(): Uint8Array {
    const last = this.#nodes.length - 1;
    let root = this.#nodes[last];
    if (root === undefined) return EMPTY_ROOT;
    // MTH splits at the largest power of two, so the subtrees fold from the right.
    for (let i = last - 1; i >= 0; i--) {
      const left = this.#nodes[i];
      if (left !== undefined) root = hashChildren(left, root);
    }
    return root;
  }

  /** Returns an independent copy, for computing a tentative root without disturbing this range. */
  clone(): CompactRange {
    return CompactRange.fromNodes(this.#size, this.#nodes);
  }

  /** Builds the range over `leafHashes` in order. */
  static fromLeaves(leafHashes: readonly Uint8Array[]): CompactRange {
    const range = new CompactRange();
    for (const leaf of leafHashes) range.append(leaf);
    return range;
  }

  /**
   * Restores a range saved from `size` and `nodes`; throws INPUT_INVALID unless there is exactly one
   * 32-byte hash per 1 bit of `size`.
   */
  static fromNodes(size: number, nodes: readonly Uint8Array[]): CompactRange {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `compact range size must be a non-negative integer, got ${size}`,
      );
    }
    const want = countOnes(size);
    if (nodes.length !== want) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `compact range of size ${size} needs ${want} subtree hashes, got ${nodes.length}`,
      );
    }
    nodes.forEach((node, i) => assertTreeHash(node, `compact range node ${i}`));
    const range = new CompactRange();
    range.#size = size;
    range.#nodes.push(...nodes.map((node) => Uint8Array.from(node)));
    return range;
  }
}
