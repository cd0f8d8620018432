import { hashString } from './hash32.js';
import { MinHasher, SignatureStore, type MinHashOptions } from './minhash.js';
import { normalizeText } from './records.js';
import { SortedPairs } from './sorted-pairs.js';

/** How near duplicates are decided, on top of the MinHash parameters. */
export interface NearDuplicateOptions extends MinHashOptions {
  /** Estimated Jaccard similarity at or above which two texts are near duplicates (default 0.8). */
  readonly threshold?: number;
  /**
   * Members of one LSH bucket each compared with at most this many earlier members (default 32),
   * so a bucket of ten thousand boilerplate rows costs linear, not quadratic, work.
   */
  readonly maxComparisons?: number;
}

/** A set of texts that are duplicates of one another, by index id (order of `add`). */
export interface IdGroup {
  readonly ids: readonly number[];
  /** Lowest verified similarity on the edges joining the group (1 for exact groups). */
  readonly similarity: number;
}

/** A match of a probed text in the index. */
export interface ProbeMatch {
  readonly id: number;
  readonly kind: 'exact' | 'near';
  readonly similarity: number;
}

/**
 * MinHash + LSH index over texts, in flat typed arrays: per text two 32-bit exact-key hashes of the
 * normalized text, a 128-byte packed signature and one 32-bit key per band (about 200 bytes a
 * row; 16 sorted band tables add 8 bytes per band and row while grouping or probing).
 */
export class MinHashIndex {
  /** The signature function, with its parameters. */
  readonly hasher: MinHasher;
  /** Estimated Jaccard similarity at or above which texts are near duplicates. */
  readonly threshold: number;
  readonly #maxComparisons: number;
  #size = 0;
  #exact1 = new Uint32Array(1024);
  #exact2 = new Uint32Array(1024);
  readonly #signatures: SignatureStore;
  #bandKeys: Uint32Array;
  readonly #bandScratch: Uint32Array;
  #probeTables: { exact: SortedPairs; bands: SortedPairs[] } | undefined;

  constructor(options: NearDuplicateOptions = {}) {
    this.hasher = new MinHasher(options);
    this.threshold = options.threshold ?? 0.8;
    this.#maxComparisons = options.maxComparisons ?? 32;
    const { permutations, bands } = this.hasher.parameters;
    this.#signatures = new SignatureStore(permutations);
    this.#bandKeys = new Uint32Array(1024 * bands);
    this.#bandScratch = new Uint32Array(bands);
  }

  /** Number of texts indexed. */
  get size(): number {
    return this.#size;
  }

  /** Indexes `text` and returns its id, or -1 when it is empty after normalization. */
  add(text: string): number {
    const normalized = normalizeText(text);
    const signature = this.hasher.signature(shingleText(normalized));
    if (signature === undefined) return -1;
    const id = this.#size++;
    this.#reserve(this.#size);
    const { bands } = this.hasher.parameters;
    this.#exact1[id] = hashString(normalized, 0x2545f491);
    this.#exact2[id] = hashString(normalized, 0x61c88647);
    this.#signatures.set(id, signature);
    this.hasher.bandKeys(signature, this.#bandScratch);
    this.#bandKeys.set(this.#bandScratch, id * bands);
    this.#probeTables = undefined;
    return id;
  }

  /** Groups the indexed texts: exact duplicates (same normalized text) and near duplicates. */
  groups(): { exact: IdGroup[]; near: IdGroup[] } {
    const { exact, representative } = this.#exactGroups();
    const parent = identity(this.#size);
    const weakest = new Float32Array(this.#size).fill(1);
    const reps = representatives(representative);
    for (let band = 0; band < this.hasher.parameters.bands; band++) {
      const table = this.#bandTable(reps, band);
      for (let start = 0; start < table.length;) {
        const end = table.runEnd(start);
        for (let i = start + 1; i < end; i++) {
          for (let j = i - 1; j >= start && j >= i - this.#maxComparisons; j--) {
            this.#link(parent, weakest, table.idAt(i), table.idAt(j));
          }
        }
        start = end;
      }
    }
    return { exact, near: this.#components(parent, weakest, representative) };
  }

  /**
   * Finds the indexed text that `text` duplicates: an exact match first, else the most similar near
   * one; undefined when none, null when `text` is empty after normalization.
   */
  probe(text: string): ProbeMatch | undefined | null {
    const normalized = normalizeText(text);
    const signature = this.hasher.signature(shingleText(normalized));
    if (signature === undefined) return null;
    const tables = this.#prepareProbes();
    const first = tables.exact.find(hashString(normalized, 0x2545f491));
    if (first >= 0) {
      const second = hashString(normalized, 0x61c88647);
      for (let i = first, end = tables.exact.runEnd(first); i < end; i++) {
        const id = tables.exact.idAt(i);
        if (this.#exact2[id] === second) return { id, kind: 'exact', similarity: 1 };
      }
    }
    const { bands } = this.hasher.parameters;
    const packed = this.#signatures.pack(signature);
    this.hasher.bandKeys(signature, this.#bandScratch);
    let best: ProbeMatch | undefined;
    const seen = new Set<number>();
    for (let band = 0; band < bands; band++) {
      const table = tables.bands[band]!;
      const start = table.find(this.#bandScratch[band]!);
      if (start < 0) continue;
      const end = Math.min(table.runEnd(start), start + this.#maxComparisons);
      for (let i = start; i < end; i++) {
        const id = table.idAt(i);
        if (seen.has(id)) continue;
        seen.add(id);
        const similarity = this.#signatures.similarityTo(packed, id, this.threshold);
        if (similarity >= this.threshold && (best === undefined || similarity > best.similarity)) {
          best = { id, kind: 'near', similarity };
        }
      }
    }
    return best;
  }

  #link(parent: Int32Array, weakest: Float32Array, a: number, b: number): void {
    const rootA = find(parent, a);
    const rootB = find(parent, b);
    if (rootA === rootB) return;
    const s = this.#signatures.similarity(a, b, this.threshold);
    if (s < this.threshold) return;
    const [low, high] = rootA < rootB ? [rootA, rootB] : [rootB, rootA];
    parent[high] = low;
    weakest[low] = Math.min(weakest[low]!, weakest[high]!, s);
  }

  #exactGroups(): { exact: IdGroup[]; representative: Int32Array } {
    const representative = identity(this.#size);
    const table = new SortedPairs(
      this.#size,
      (i) => this.#exact1[i]!,
      (i) => i,
    );
    const exact: IdGroup[] = [];
    for (let start = 0; start < table.length;) {
      const end = table.runEnd(start);
      if (end - start > 1) {
        const bySecond = new Map<number, number[]>();
        for (let i = start; i < end; i++) {
          const id = table.idAt(i);
          const key = this.#exact2[id]!;
          const group = bySecond.get(key);
          if (group === undefined) bySecond.set(key, [id]);
          else group.push(id);
        }
        for (const ids of bySecond.values()) {
          if (ids.length < 2) continue;
          ids.sort((x, y) => x - y);
          for (const id of ids) representative[id] = ids[0]!;
          exact.push({ ids, similarity: 1 });
        }
      }
      start = end;
    }
    exact.sort((a, b) => a.ids[0]! - b.ids[0]!);
    return { exact, representative };
  }

  #bandTable(ids: Int32Array, band: number): SortedPairs {
    const bands = this.hasher.parameters.bands;
    return new SortedPairs(
      ids.length,
      (i) => this.#bandKeys[ids[i]! * bands + band]!,
      (i) => ids[i]!,
    );
  }

  #components(parent: Int32Array, weakest: Float32Array, representative: Int32Array): IdGroup[] {
    // Only roots that absorbed another representative form near groups; most texts stay alone.
    const joined = new Uint8Array(this.#size);
    for (let id = 0; id < this.#size; id++) {
      if (representative[id] === id && parent[id] !== id) joined[find(parent, id)] = 1;
    }
    const members = new Map<number, number[]>();
    for (let id = 0; id < this.#size; id++) {
      const root = find(parent, representative[id]!);
      if (joined[root] !== 1) continue;
      const list = members.get(root);
      if (list === undefined) members.set(root, [id]);
      else list.push(id);
    }
    const near: IdGroup[] = [];
    for (const [root, ids] of members)
      near.push({ ids, similarity: Math.round(weakest[root]! * 1000) / 1000 });
    return near.sort((a, b) => a.ids[0]! - b.ids[0]!);
  }

  #prepareProbes(): { exact: SortedPairs; bands: SortedPairs[] } {
    if (this.#probeTables !== undefined) return this.#probeTables;
    const reps = representatives(this.#exactGroups().representative);
    const exact = new SortedPairs(
      this.#size,
      (i) => this.#exact1[i]!,
      (i) => i,
    );
    const bands = Array.from({ length: this.hasher.parameters.bands }, (_, band) =>
      this.#bandTable(reps, band),
    );
    this.#probeTables = { exact, bands };
    return this.#probeTables;
  }

  #reserve(count: number): void {
    if (count <= this.#exact1.length) return;
    const capacity = Math.max(count, this.#exact1.length * 2);
    const { bands } = this.hasher.parameters;
    this.#exact1 = grown(this.#exact1, capacity);
    this.#exact2 = grown(this.#exact2, capacity);
    this.#bandKeys = grown(this.#bandKeys, capacity * bands);
  }
}

/** Runs of punctuation and symbols with the single spaces around and between them (text is normalized). */
const PUNCTUATION = / ?[\p{P}\p{S}]+(?: [\p{P}\p{S}]+)* ?/gu;

/**
 * The text that is shingled: the normalized text without punctuation and symbols, as web-scale
 * deduplication pipelines do (RedPajama, SlimPajama), so re-punctuated copies still match; text made
 * only of punctuation keeps it.
 */
function shingleText(normalized: string): string {
  const stripped = normalized.replace(PUNCTUATION, ' ').trim();
  return stripped.length > 0 ? stripped : normalized;
}

function grown(array: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(capacity);
  next.set(array);
  return next;
}

function identity(size: number): Int32Array {
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = i;
  return out;
}

function representatives(representative: Int32Array): Int32Array {
  let count = 0;
  for (let id = 0; id < representative.length; id++) if (representative[id] === id) count++;
  const out = new Int32Array(count);
  for (let id = 0, k = 0; id < representative.length; id++) if (representative[id] === id) out[k++] = id;
  return out;
}

function find(parent: Int32Array, id: number): number {
  let root = id;
  while (parent[root] !== root) root = parent[root]!;
  let node = id;
  while (parent[node] !== root) {
    const next = parent[node]!;
    parent[node] = root;
    node = next;
  }
  return root;
}
