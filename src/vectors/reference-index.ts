import { seededRandom } from './seeded-random.js';
import type { VectorTable } from './vector-table.js';

/** k-means passes used to cut the references into cells. */
const KMEANS_ITERATIONS = 6;
/** Coordinates summed between checks of the partial distance against the k-th best. */
const ABANDON_BLOCK = 8;

/**
 * An exact k-nearest-neighbour index over a set of reference vectors (unit projections of a
 * {@link VectorTable}). The references are cut into about 2√R cells by k-means; a query visits cells
 * in order of the lower bound `‖q − centroid‖ − radius` and stops once that bound passes its k-th
 * best distance, skips each reference whose own bound `|‖q − centroid‖ − ‖r − centroid‖|` does,
 * and abandons a distance sum once it does. On clustered data (embeddings are) a query computes a
 * small share of the distances; on uniform data it degrades to the brute-force scan, never to a
 * wrong answer.
 */
export class ReferenceIndex {
  readonly #dims: number;
  /** Reference vectors reordered by cell, `dims` numbers each. */
  readonly #points: Float64Array;
  /** Table index of each reordered reference. */
  readonly #ids: Int32Array;
  readonly #cellStart: Int32Array;
  readonly #centroids: Float64Array;
  readonly #radii: Float64Array;
  /** Each reordered reference's distance to its cell's centroid. */
  readonly #toCentroid: Float64Array;
  /** The query's distance to each centroid. */
  readonly #centroidDistance: Float64Array;
  readonly #cellOrder: Int32Array;
  readonly #bounds: Float64Array;
  readonly #query: Float64Array;

  constructor(table: VectorTable, references: Int32Array, seed = 11) {
    const dims = table.dims;
    this.#dims = dims;
    const cells = Math.max(1, Math.min(references.length, Math.round(2 * Math.sqrt(references.length))));
    const source = table.projected;
    const assignment = kMeans(source, dims, references, cells, seed);
    const counts = new Int32Array(cells + 1);
    for (const cell of assignment.cells) counts[cell + 1] = (counts[cell + 1] ?? 0) + 1;
    for (let c = 0; c < cells; c++) counts[c + 1] = (counts[c + 1] ?? 0) + (counts[c] ?? 0);
    this.#cellStart = counts;
    this.#points = new Float64Array(references.length * dims);
    this.#ids = new Int32Array(references.length);
    const fill = counts.slice(0, cells);
    this.#radii = new Float64Array(cells);
    this.#toCentroid = new Float64Array(references.length);
    this.#centroids = assignment.centroids;
    for (let r = 0; r < references.length; r++) {
      const cell = assignment.cells[r] ?? 0;
      const slot = fill[cell] ?? 0;
      fill[cell] = slot + 1;
      const from = (references[r] ?? 0) * dims;
      let d2 = 0;
      for (let i = 0; i < dims; i++) {
        const v = source[from + i] ?? 0;
        this.#points[slot * dims + i] = v;
        const diff = v - (this.#centroids[cell * dims + i] ?? 0);
        d2 += diff * diff;
      }
      this.#ids[slot] = references[r] ?? 0;
      this.#toCentroid[slot] = Math.sqrt(d2);
      this.#radii[cell] = Math.max(this.#radii[cell] ?? 0, Math.sqrt(d2));
    }
    this.#cellOrder = new Int32Array(cells);
    this.#bounds = new Float64Array(cells);
    this.#centroidDistance = new Float64Array(cells);
    this.#query = new Float64Array(dims);
  }

  /**
   * Writes the squared distances of the `out.length` nearest references to table vector `query`
   * (itself excluded), ascending, into `out`, and their table indices into `ids`; missing neighbours
   * stay `Infinity` and -1.
   */
  nearest(table: VectorTable, query: number, out: Float64Array, ids: Int32Array): void {
    const dims = this.#dims;
    const k = out.length;
    out.fill(Infinity);
    ids.fill(-1);
    const q = this.#query;
    const projected = table.projected;
    for (let i = 0; i < dims; i++) q[i] = projected[query * dims + i] ?? 0;
    const cells = this.#radii.length;
    const centroids = this.#centroids;
    for (let c = 0; c < cells; c++) {
      let d2 = 0;
      for (let i = 0, p = c * dims; i < dims; i++, p++) {
        const diff = (q[i] ?? 0) - (centroids[p] ?? 0);
        d2 += diff * diff;
      }
      this.#centroidDistance[c] = Math.sqrt(d2);
      this.#bounds[c] = Math.max(0, Math.sqrt(d2) - (this.#radii[c] ?? 0));
      this.#cellOrder[c] = c;
    }
    sortByBound(this.#cellOrder, this.#bounds);
    const points = this.#points;
    let worst = Infinity;
    for (let o = 0; o < cells; o++) {
      const cell = this.#cellOrder[o] ?? 0;
      const bound = this.#bounds[cell] ?? 0;
      if (bound * bound >= worst) break;
      const end = this.#cellStart[cell + 1] ?? 0;
      const toCell = this.#centroidDistance[cell] ?? 0;
      for (let r = this.#cellStart[cell] ?? 0; r < end; r++) {
        // Triangle inequality: |d(q, c) − d(r, c)| ≤ d(q, r), so most references of a far cell cost nothing.
        const gap = toCell - (this.#toCentroid[r] ?? 0);
        if (gap * gap >= worst || this.#ids[r] === query) continue;
        // Partial sums only grow: stop a reference as soon as it cannot beat the k-th best.
        let d2 = 0;
        for (let i = 0, p = r * dims; i < dims && d2 < worst;) {
          const stop = Math.min(dims, i + ABANDON_BLOCK);
          for (; i < stop; i++, p++) {
            const diff = (q[i] ?? 0) - (points[p] ?? 0);
            d2 += diff * diff;
          }
        }
        if (d2 >= worst) continue;
        let slot = k - 1;
        while (slot > 0 && (out[slot - 1] ?? 0) > d2) {
          out[slot] = out[slot - 1] ?? Infinity;
          ids[slot] = ids[slot - 1] ?? -1;
          slot--;
        }
        out[slot] = d2;
        ids[slot] = this.#ids[r] ?? -1;
        worst = out[k - 1] ?? Infinity;
      }
    }
  }
}

/** Insertion sort of cell ids by bound (a few dozen cells). */
function sortByBound(order: Int32Array, bounds: Float64Array): void {
  for (let i = 1; i < order.length; i++) {
    const cell = order[i] ?? 0;
    const bound = bounds[cell] ?? 0;
    let j = i - 1;
    while (j >= 0 && (bounds[order[j] ?? 0] ?? 0) > bound) {
      order[j + 1] = order[j] ?? 0;
      j--;
    }
    order[j + 1] = cell;
  }
}

/** Lloyd's k-means over the references (seeded initial centres); returns each reference's cell. */
function kMeans(
  source: Float32Array,
  dims: number,
  references: Int32Array,
  cells: number,
  seed: number,
): { cells: Int32Array; centroids: Float64Array } {
  const random = seededRandom(seed);
  const centroids = new Float64Array(cells * dims);
  const picks = Array.from(references, (r) => ({ r, key: random() }));
  picks.sort((a, b) => a.key - b.key);
  for (let c = 0; c < cells; c++) {
    const from = (picks[c]?.r ?? 0) * dims;
    for (let i = 0; i < dims; i++) centroids[c * dims + i] = source[from + i] ?? 0;
  }
  const assigned = new Int32Array(references.length);
  const sums = new Float64Array(cells * dims);
  const counts = new Int32Array(cells);
  for (let iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
    sums.fill(0);
    counts.fill(0);
    for (let r = 0; r < references.length; r++) {
      const from = (references[r] ?? 0) * dims;
      let best = 0;
      let bestD2 = Infinity;
      for (let c = 0; c < cells; c++) {
        let d2 = 0;
        for (let i = 0; i < dims; i++) {
          const diff = (source[from + i] ?? 0) - (centroids[c * dims + i] ?? 0);
          d2 += diff * diff;
        }
        if (d2 < bestD2) {
          bestD2 = d2;
          best = c;
        }
      }
      assigned[r] = best;
      counts[best] = (counts[best] ?? 0) + 1;
      for (let i = 0; i < dims; i++)
        sums[best * dims + i] = (sums[best * dims + i] ?? 0) + (source[from + i] ?? 0);
    }
    for (let c = 0; c < cells; c++) {
      const count = counts[c] ?? 0;
      // An empty cell keeps its centre; it simply holds no references.
      if (count === 0) continue;
      for (let i = 0; i < dims; i++) centroids[c * dims + i] = (sums[c * dims + i] ?? 0) / count;
    }
  }
  return { cells: assigned, centroids };
}
