import { mixBlock, fmix32 } from '../data/poisoning/hash32.js';
import { seededRandom } from './seeded-random.js';
import { UnionFind } from './union-find.js';
import type { VectorTable } from './vector-table.js';

/** Settings of the near-duplicate search. */
export interface NearDuplicateOptions {
  /** Cosine similarity at or above which two vectors are near duplicates (default 0.9999). */
  readonly cosine: number;
  /** Hash tables (default 16). */
  readonly tables?: number;
  /** Projected coordinates quantized into each table's key (default 8). */
  readonly keyCoordinates?: number;
  /** Candidate pairs kept at most (default 1,000,000); the search reports when it stopped there. */
  readonly maxCandidates?: number;
  readonly seed?: number;
}

/** Distinct vectors whose cosine similarity, verified on the exact values, links them into a group. */
export interface NearDuplicateGroup {
  /** Vector indices ascending; the first is the one the others nearly repeat. */
  readonly members: readonly number[];
  /** Lowest verified cosine on the links that join the group. */
  readonly minCosine: number;
}

/** What the search found and what it cost. */
export interface NearDuplicateResult {
  readonly groups: readonly NearDuplicateGroup[];
  /** Pairs that passed the projected pre-filter. */
  readonly candidates: number;
  /** Pairs whose exact vectors were compared. */
  readonly verified: number;
  /** True when `maxCandidates` cut the candidate list. */
  readonly isTruncated: boolean;
}

/** Reads a vector's exact values again (from the file), for verification. */
export type FetchVector = (index: number) => Promise<Float64Array>;

/** Members compared backwards within one bucket; large buckets are sampled by many tables instead. */
const BUCKET_WINDOW = 32;
/** Width of a quantization cell, in multiples of the per-coordinate spread of a pair at the threshold. */
const CELL_WIDTH = 16;
/** A candidate's projected distance may exceed the threshold distance by this factor (projection error). */
const PREFILTER_SLACK = 2;
const INDEX_BITS = 2 ** 21;

/**
 * Finds near-duplicate vectors among `indices` (distinct vectors of `table`) with p-stable LSH
 * (Datar et al., E2LSH) on the unit projections: each of sixteen tables keys a vector by eight
 * randomly offset, quantized coordinates, with cells sixteen times the spread a pair at the
 * threshold shows per coordinate. Such a pair shares a key in a table about half the time, so all
 * sixteen tables rarely miss it (no miss among 480 planted pairs over 40 seeds), while pairs a few
 * times farther apart almost never collide. Random-hyperplane (SimHash) buckets cannot be tuned to a
 * radius this small: every vector of a tight topic would share them. Candidates are pre-filtered on
 * projected distance and then verified on the exact values re-read through `fetch`, closest first,
 * skipping pairs already joined.
 */
export async function findNearDuplicates(
  table: VectorTable,
  indices: Int32Array,
  fetch: FetchVector,
  options: NearDuplicateOptions,
): Promise<NearDuplicateResult> {
  const radius = Math.sqrt(Math.max(0, 2 * (1 - options.cosine)));
  const { pairs, isTruncated } = candidatePairs(table, indices, radius, options);
  const order = [...pairs.keys()].sort((a, b) => (pairs.get(a) ?? 0) - (pairs.get(b) ?? 0));
  const sets = new UnionFind(table.size);
  const cache = new VectorCache(fetch);
  const minCosine = new Map<number, number>();
  let verified = 0;
  for (const pair of order) {
    const a = Math.floor(pair / INDEX_BITS);
    const b = pair % INDEX_BITS;
    if (sets.find(a) === sets.find(b)) continue;
    verified++;
    const similarity = cosine(await cache.get(a), await cache.get(b));
    if (similarity < options.cosine) continue;
    const lowest = Math.min(minCosine.get(sets.find(a)) ?? 1, minCosine.get(sets.find(b)) ?? 1, similarity);
    sets.union(a, b);
    minCosine.set(sets.find(a), lowest);
  }
  const groups = sets.groups(indices).map((members) => ({
    members,
    minCosine: round(minCosine.get(sets.find(members[0] ?? 0)) ?? 1),
  }));
  return { groups, candidates: pairs.size, verified, isTruncated };
}

/** Candidate pairs (`a·2^21 + b`, a < b) with their projected squared distance. */
function candidatePairs(
  table: VectorTable,
  indices: Int32Array,
  radius: number,
  options: NearDuplicateOptions,
): { pairs: Map<number, number>; isTruncated: boolean } {
  const dims = table.dims;
  const tables = options.tables ?? 16;
  const coords = Math.min(options.keyCoordinates ?? 8, dims);
  const maxCandidates = options.maxCandidates ?? 1_000_000;
  const width = (CELL_WIDTH * radius) / Math.sqrt(dims) || 1e-9;
  const limit = (PREFILTER_SLACK * radius) ** 2;
  const random = seededRandom(options.seed ?? 7);
  const projected = table.projected;
  const pairs = new Map<number, number>();
  const keys = new Float64Array(indices.length);
  for (let t = 0; t < tables; t++) {
    const chosen = pickCoordinates(dims, coords, random);
    const offsets = chosen.map(() => random() * width);
    for (let n = 0; n < indices.length; n++) {
      const index = indices[n] ?? 0;
      let h = t;
      for (let c = 0; c < chosen.length; c++) {
        const value = projected[index * dims + (chosen[c] ?? 0)] ?? 0;
        h = mixBlock(h, Math.floor((value + (offsets[c] ?? 0)) / width));
      }
      keys[n] = fmix32(h) * INDEX_BITS + index;
    }
    keys.sort();
    let start = 0;
    for (let n = 1; n <= keys.length; n++) {
      if (
        n < keys.length &&
        Math.floor((keys[n] ?? 0) / INDEX_BITS) === Math.floor((keys[start] ?? 0) / INDEX_BITS)
      )
        continue;
      for (let p = start + 1; p < n; p++) {
        const b = (keys[p] ?? 0) % INDEX_BITS;
        for (let q = p - 1; q >= Math.max(start, p - BUCKET_WINDOW); q--) {
          const a = (keys[q] ?? 0) % INDEX_BITS;
          const d2 = table.distance2(a, b);
          if (d2 > limit) continue;
          if (pairs.size >= maxCandidates) return { pairs, isTruncated: true };
          pairs.set(a * INDEX_BITS + b, d2);
        }
      }
      start = n;
    }
  }
  return { pairs, isTruncated: false };
}

function pickCoordinates(dims: number, count: number, random: () => number): number[] {
  const all = Array.from({ length: dims }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (dims - i));
    [all[i], all[j]] = [all[j] ?? 0, all[i] ?? 0];
  }
  return all.slice(0, count);
}

/** Exact vectors read again, most recent kept up to a byte budget (verification revisits group members). */
class VectorCache {
  readonly #fetch: FetchVector;
  readonly #entries = new Map<number, Float64Array>();
  #bytes = 0;

  constructor(fetch: FetchVector) {
    this.#fetch = fetch;
  }

  async get(index: number): Promise<Float64Array> {
    const hit = this.#entries.get(index);
    if (hit !== undefined) {
      this.#entries.delete(index);
      this.#entries.set(index, hit);
      return hit;
    }
    const values = await this.#fetch(index);
    this.#entries.set(index, values);
    this.#bytes += values.byteLength;
    while (this.#bytes > 64 * 1024 * 1024 && this.#entries.size > 2) {
      const [oldest, vector] = this.#entries.entries().next().value as [number, Float64Array];
      this.#entries.delete(oldest);
      this.#bytes -= vector.byteLength;
    }
    return values;
  }
}

/** Cosine similarity of two exact vectors (0 when either is all zeros). */
export function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function round(value: number): number {
  return Math.floor(value * 1e6) / 1e6;
}
