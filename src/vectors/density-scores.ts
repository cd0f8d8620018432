import { MAD_TO_SIGMA, medianAndMad } from '../data/poisoning/statistics.js';
import { ReferenceIndex } from './reference-index.js';
import type { VectorTable } from './vector-table.js';

/** Per-vector neighbour distances and their robust z-scores, aligned with the queried indices. */
export interface DensityScores {
  /** Distance (unit-sphere chord, projected) to the k-th nearest reference. */
  readonly far: Float64Array;
  /** Distance to the second nearest reference. */
  readonly close: Float64Array;
  /** Robust z of log `far` over the whole file. */
  readonly farZ: Float64Array;
  /**
   * Robust z of log `far` minus the median log k-NN distance of the references around the vector:
   * how much emptier its neighbourhood is than its neighbours' (a local outlier factor).
   */
  readonly localZ: Float64Array;
  /** Robust z of log `close`. */
  readonly closeZ: Float64Array;
}

/** What the scoring needs to know besides the vectors. */
export interface ScoreOptions {
  readonly neighbours: number;
  /** z at or beyond which a reference counts as packed (and is left out of local contexts). */
  readonly z: number;
  /** A packed reference's close distance is also at most this share of the median. */
  readonly tightRatio: number;
  readonly seed: number;
}

/** The neighbour whose distance measures tightness (the first is often a near duplicate). */
export const CLOSE_NEIGHBOUR = 2;
/** References around a vector whose own k-NN distances give its local context, in multiples of k. */
const CONTEXT_FACTOR = 3;
/** The MAD is floored so that a corpus of equidistant vectors flags nothing by rounding. */
const MIN_MAD = 0.01;
/** Distances below this count as this (log of zero). */
const TINY = 1e-9;

/**
 * Scores every vector of `indices` against `references` with an exact k-NN search on the unit
 * projections. The local score compares a vector's log k-NN distance with the median of those of
 * the 3k references around it, so a sparse topic does not look like a cloud of outliers, and a
 * cluster of up to about 1.5k references still has ordinary references in its context. References
 * packed far tighter than the rest (a collision cluster) are left out of every context: next to
 * one, any ordinary vector would look empty-handed.
 */
export function scoreDensity(
  table: VectorTable,
  indices: Int32Array,
  references: Int32Array,
  options: ScoreOptions,
): DensityScores {
  const k = options.neighbours;
  const width = Math.max(k * CONTEXT_FACTOR, CLOSE_NEIGHBOUR);
  const index = new ReferenceIndex(table, references, options.seed);
  const nearest = new Float64Array(width);
  const ids = new Int32Array(width);
  const referenceFar = new Float64Array(references.length);
  const referenceClose = new Float64Array(references.length);
  for (let r = 0; r < references.length; r++) {
    index.nearest(table, references[r] ?? 0, nearest, ids);
    referenceFar[r] = logOf(nearest[k - 1]);
    referenceClose[r] = logOf(nearest[CLOSE_NEIGHBOUR - 1]);
  }
  const closeScores = robustZ(referenceClose);
  const closeMedian = medianAndMad(referenceClose).median;
  const context = new Map<number, number>();
  references.forEach((reference, r) => {
    const isPacked =
      (closeScores[r] ?? 0) <= -options.z &&
      (referenceClose[r] ?? 0) <= closeMedian + Math.log(options.tightRatio);
    if (!isPacked) context.set(reference, referenceFar[r] ?? 0);
  });
  const fallback = medianAndMad(referenceFar).median;
  const far = new Float64Array(indices.length);
  const close = new Float64Array(indices.length);
  const local = new Float64Array(indices.length);
  const around = new Float64Array(width);
  for (let n = 0; n < indices.length; n++) {
    index.nearest(table, indices[n] ?? 0, nearest, ids);
    far[n] = Math.sqrt(nearest[k - 1] ?? 0);
    close[n] = Math.sqrt(nearest[CLOSE_NEIGHBOUR - 1] ?? 0);
    let count = 0;
    for (let j = 0; j < width; j++) {
      const value = context.get(ids[j] ?? -1);
      if (value !== undefined) around[count++] = value;
    }
    const base = count === 0 ? fallback : medianInPlace(around.subarray(0, count));
    local[n] = logOf(nearest[k - 1]) - base;
  }
  return {
    far,
    close,
    farZ: robustZ(far.map((d) => logOf(d * d))),
    localZ: robustZ(local),
    closeZ: robustZ(close.map((d) => logOf(d * d))),
  };
}

/** The median of a few values, sorting them in place (no allocation: it runs once per vector). */
function medianInPlace(values: Float64Array): number {
  values.sort();
  const middle = values.length >> 1;
  return values.length % 2 === 1
    ? (values[middle] ?? 0)
    : ((values[middle - 1] ?? 0) + (values[middle] ?? 0)) / 2;
}

/** Log of the distance whose square is `d2`. */
function logOf(d2: number | undefined): number {
  return 0.5 * Math.log(Math.max(d2 ?? 0, TINY * TINY));
}

/** Robust z-scores (median and 1.4826·MAD, the MAD floored at {@link MIN_MAD}). */
function robustZ(values: Float64Array): Float64Array {
  const { median, mad } = medianAndMad(values);
  const scale = Math.max(mad, MIN_MAD) * MAD_TO_SIGMA;
  return values.map((v) => (v - median) / scale);
}
