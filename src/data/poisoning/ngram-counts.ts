import { ngramHash, ngramKey, type TokenStore } from './token-store.js';

/** An n-gram that passed the support and purity filters, with where it first occurs. */
export interface NgramCandidate {
  readonly key: number;
  /** Tokens in the n-gram. */
  readonly length: number;
  /** Stored row index and token position of its first occurrence (to spell it out). */
  readonly index: number;
  readonly position: number;
  /** Rows carrying it, and how many of them carry `label` (its most frequent label id). */
  readonly support: number;
  readonly count: number;
  readonly label: number;
}

/** Bounds of the count: n-gram lengths, the support range tested, and the purity filter. */
export interface CountOptions {
  readonly maxN: number;
  readonly minSupport: number;
  readonly maxSupport: number;
  /** Keeps an n-gram seen in `support` rows, `count` of them with label id `label`. */
  readonly accept: (support: number, count: number, label: number) => boolean;
  /** N-gram occurrences per counting pass (see `TriggerOptions.partitionSize`). */
  readonly partitionSize: number;
}

/**
 * Counts, per n-gram, the rows that carry it per label, exactly, in as many passes over hash
 * partitions of the n-gram space as keep each pass's map small; returns the number of n-grams whose
 * support fell in range (the tests made) and those that also passed `accept`.
 */
export function countNgrams(
  store: TokenStore,
  options: CountOptions,
): { tested: number; candidates: NgramCandidate[] } {
  const labelCount = Math.max(1, store.labels.length);
  const partitions = Math.max(1, Math.ceil((store.tokenCount * options.maxN) / options.partitionSize));
  const candidates: NgramCandidate[] = [];
  let tested = 0;
  for (let partition = 0; partition < partitions; partition++) {
    const table = new CountTable(labelCount);
    for (let index = 0; index < store.rowCount; index++) {
      const tokens = store.tokensOf(index);
      const label = store.rowLabels[index] ?? 0;
      for (let length = 1; length <= options.maxN; length++) {
        for (let position = 0; position + length <= tokens.length; position++) {
          const first = ngramHash(tokens, position, length);
          if (first % partitions !== partition) continue;
          table.count(ngramKey(tokens, position, length, first), index, position, length, label);
        }
      }
    }
    tested += table.collect(options, candidates);
  }
  return { tested, candidates };
}

/** Stored row indices of the rows carrying each candidate, by candidate key. */
export function ngramRows(
  store: TokenStore,
  candidates: readonly NgramCandidate[],
  maxN: number,
): Map<number, number[]> {
  const rows = new Map<number, number[]>(candidates.map((candidate) => [candidate.key, []]));
  if (candidates.length === 0) return rows;
  const lengths = new Set(candidates.map((candidate) => candidate.length));
  for (let index = 0; index < store.rowCount; index++) {
    const tokens = store.tokensOf(index);
    for (let length = 1; length <= maxN; length++) {
      if (!lengths.has(length)) continue;
      for (let position = 0; position + length <= tokens.length; position++) {
        const list = rows.get(ngramKey(tokens, position, length, ngramHash(tokens, position, length)));
        if (list !== undefined && list[list.length - 1] !== index) list.push(index);
      }
    }
  }
  return rows;
}

/** One partition's counts in flat arrays: per slot, rows per label, the last row seen and the first occurrence. */
class CountTable {
  readonly #labelCount: number;
  readonly #slots = new Map<number, number>();
  #counts: Uint32Array;
  #lastRow: Int32Array;
  #first: Uint32Array;

  constructor(labelCount: number) {
    this.#labelCount = labelCount;
    this.#counts = new Uint32Array(1024 * labelCount);
    this.#lastRow = new Int32Array(1024);
    this.#first = new Uint32Array(1024 * 3);
  }

  count(key: number, index: number, position: number, length: number, label: number): void {
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      slot = this.#slots.size;
      this.#slots.set(key, slot);
      if (slot >= this.#lastRow.length) this.#grow();
      this.#lastRow[slot] = -1;
      this.#first[slot * 3] = index;
      this.#first[slot * 3 + 1] = position;
      this.#first[slot * 3 + 2] = length;
    }
    // Support counts rows, not occurrences: a word repeated in one row is one piece of evidence.
    if (this.#lastRow[slot] === index) return;
    this.#lastRow[slot] = index;
    this.#counts[slot * this.#labelCount + label]!++;
  }

  collect(options: CountOptions, out: NgramCandidate[]): number {
    let tested = 0;
    for (const [key, slot] of this.#slots) {
      let support = 0;
      let best = 0;
      let label = 0;
      for (let l = 0; l < this.#labelCount; l++) {
        const n = this.#counts[slot * this.#labelCount + l]!;
        support += n;
        if (n > best) {
          best = n;
          label = l;
        }
      }
      if (support < options.minSupport || support > options.maxSupport) continue;
      tested++;
      if (!options.accept(support, best, label)) continue;
      out.push({
        key,
        index: this.#first[slot * 3]!,
        position: this.#first[slot * 3 + 1]!,
        length: this.#first[slot * 3 + 2]!,
        support,
        count: best,
        label,
      });
    }
    return tested;
  }

  #grow(): void {
    const capacity = this.#lastRow.length * 2;
    const counts = new Uint32Array(capacity * this.#labelCount);
    counts.set(this.#counts);
    this.#counts = counts;
    const lastRow = new Int32Array(capacity);
    lastRow.set(this.#lastRow);
    this.#lastRow = lastRow;
    const first = new Uint32Array(capacity * 3);
    first.set(this.#first);
    this.#first = first;
  }
}
