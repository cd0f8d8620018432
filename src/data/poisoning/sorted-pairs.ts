/**
 * Sorted (key, id) tables of 32-bit integers, packed two to a 64-bit slot so the engine's native
 * numeric sort does the work: no comparator calls, no objects, 8 bytes per entry. LSH buckets and
 * exact-duplicate runs are runs of equal keys in such a table, which keeps a million-row index in a
 * few flat buffers instead of millions of Map entries.
 */
export class SortedPairs {
  /** Number of pairs. */
  readonly length: number;
  readonly #words: Uint32Array;

  /** Builds the table from `count` pairs given by `keyOf(i)` and `idOf(i)`. */
  constructor(count: number, keyOf: (i: number) => number, idOf: (i: number) => number) {
    const wide = new BigUint64Array(count);
    const words = new Uint32Array(wide.buffer);
    // Little-endian layout: the high word (the key) decides the order, the id breaks ties.
    const high = isLittleEndian() ? 1 : 0;
    for (let i = 0; i < count; i++) {
      words[2 * i + high] = keyOf(i);
      words[2 * i + 1 - high] = idOf(i);
    }
    wide.sort();
    this.length = count;
    this.#words = isLittleEndian() ? words : swapped(words);
  }

  /** The key at position `i`. */
  keyAt(i: number): number {
    return this.#words[2 * i + 1]!;
  }

  /** The id at position `i`. */
  idAt(i: number): number {
    return this.#words[2 * i]!;
  }

  /** The first position whose key is `key`, or -1. */
  find(key: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.keyAt(middle) < key) low = middle + 1;
      else high = middle;
    }
    return low < this.length && this.keyAt(low) === key ? low : -1;
  }

  /** The end (exclusive) of the run of equal keys starting at `start`. */
  runEnd(start: number): number {
    const key = this.keyAt(start);
    let end = start + 1;
    while (end < this.length && this.keyAt(end) === key) end++;
    return end;
  }
}

let littleEndian: boolean | undefined;

function isLittleEndian(): boolean {
  littleEndian ??= new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  return littleEndian;
}

/** On big-endian hosts the sorted words are (key, id); rewrite them as (id, key) for the accessors. */
function swapped(words: Uint32Array): Uint32Array {
  const out = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i += 2) {
    out[i] = words[i + 1]!;
    out[i + 1] = words[i]!;
  }
  return out;
}
