import { medianAndMad } from '../data/poisoning/statistics.js';
import { CLOSE_NEIGHBOUR, scoreDensity } from './density-scores.js';
import { seededRandom } from './seeded-random.js';
import { UnionFind } from './union-find.js';
import type { VectorTable } from './vector-table.js';

/** Settings of the density checks. */
export interface DensityOptions {
  /** k of the k-nearest-neighbour distance (default 10). */
  readonly neighbours: number;
  /** Reference vectors the neighbours are searched among (default 2,048; all vectors when fewer). */
  readonly referenceSample: number;
  /** Robust z-score of the log k-NN distance at or beyond which a vector is flagged (default 6). */
  readonly z: number;
  /** Tight clusters smaller than this are not reported (default 5). */
  readonly minClusterSize: number;
  readonly seed?: number;
}

/** A vector alone in empty space: far from the k-th nearest reference. */
export interface DensityOutlier {
  readonly index: number;
  /** Distance (unit-sphere chord, projected) to the k-th nearest reference. */
  readonly distance: number;
  readonly z: number;
}

/** A group of flagged vectors: apart from the rest (`far`) or packed far tighter than the rest (`tight`). */
export interface VectorCluster {
  readonly kind: 'far' | 'tight';
  /** Vector indices ascending. */
  readonly members: readonly number[];
  /** Median of the members' neighbour distances (k-th for far clusters, second for tight ones). */
  readonly distance: number;
  /** The members' median z-score. */
  readonly z: number;
}

/** What the density checks found. */
export interface DensityReport {
  readonly vectors: number;
  readonly references: number;
  readonly neighbours: number;
  /** Median distance to the k-th nearest reference: the corpus's ordinary neighbour distance. */
  readonly medianDistance: number;
  /** Median distance to the second nearest reference, against which tight clusters are measured. */
  readonly medianCloseDistance: number;
  readonly outliers: readonly DensityOutlier[];
  readonly clusters: readonly VectorCluster[];
  /** Flagged vectors beyond the grouping cap, not listed. */
  readonly omitted: number;
}

/** A flagged sparse vector must also be this many times farther out than the median. */
const MIN_SPARSE_RATIO = 1.25;
/** A flagged dense vector's close distance must be at most this share of the median. */
const MAX_TIGHT_RATIO = 0.5;

/** A flagged vector with the distance and z-score that flagged it. */
interface Flagged {
  readonly index: number;
  readonly distance: number;
  readonly z: number;
}

/** Flagged vectors grouped at most per side (pairwise grouping is quadratic). */
const MAX_GROUPED = 4000;

/**
 * Density checks on the unit projections of `indices` (control P4). Each vector's distance to its
 * k-th nearest reference (a seeded sample of the vectors; exact k-NN below the sample size) is put
 * on a log scale and scored with robust z-scores (median and MAD), over the file and against the
 * references around it (see `scoreDensity`). Far above: a vector in empty space, or
 * with others that are flagged and close to it, a small cluster apart from the rest: what a batch of
 * planted documents on a foreign topic looks like. With R references among N vectors, a cluster
 * holding fewer than about k·N/R vectors counts as small. Far below, on the distance to the second
 * nearest reference: a group of at least `minClusterSize` vectors packed much tighter than anything
 * else, the footprint of embedding-collision poisoning (many documents crafted to land on one spot).
 */
export function assessDensity(
  table: VectorTable,
  indices: Int32Array,
  options: DensityOptions,
): DensityReport {
  const k = options.neighbours;
  const references = sampleReferences(indices, options.referenceSample, options.seed ?? 5);
  const empty = {
    vectors: indices.length,
    references: references.length,
    neighbours: k,
    medianDistance: Number.NaN,
    medianCloseDistance: Number.NaN,
    outliers: [],
    clusters: [],
    omitted: 0,
  };
  if (references.length <= Math.max(k, CLOSE_NEIGHBOUR) + 1) return empty;
  const scores = scoreDensity(table, indices, references, {
    neighbours: k,
    z: options.z,
    tightRatio: MAX_TIGHT_RATIO,
    seed: options.seed ?? 5,
  });
  const { far, close, farZ, localZ, closeZ } = scores;
  const medianDistance = medianAndMad(far).median;
  const medianCloseDistance = medianAndMad(close).median;
  const sparse: Flagged[] = [];
  const dense: Flagged[] = [];
  for (let n = 0; n < indices.length; n++) {
    const zFar = Math.max(farZ[n] ?? 0, localZ[n] ?? 0);
    const zClose = closeZ[n] ?? 0;
    const index = indices[n] ?? 0;
    if (zFar >= options.z && (far[n] ?? 0) >= MIN_SPARSE_RATIO * medianDistance)
      sparse.push({ index, distance: far[n] ?? 0, z: zFar });
    else if (zClose <= -options.z && (close[n] ?? 0) <= MAX_TIGHT_RATIO * medianCloseDistance)
      dense.push({ index, distance: close[n] ?? 0, z: zClose });
  }
  const omitted = Math.max(0, sparse.length - MAX_GROUPED) + Math.max(0, dense.length - MAX_GROUPED);
  const sparseKept = strongest(sparse);
  const outliers: DensityOutlier[] = [];
  const clusters: VectorCluster[] = [];
  for (const group of groupFlagged(table, sparseKept, medianDistance)) {
    if (group.length === 1) outliers.push(group[0] as DensityOutlier);
    else clusters.push(clusterOf('far', group));
  }
  const tightLink = 2 * MAX_TIGHT_RATIO * medianCloseDistance;
  for (const group of groupFlagged(table, strongest(dense), tightLink)) {
    if (group.length >= options.minClusterSize) clusters.push(clusterOf('tight', group));
  }
  outliers.sort((a, b) => a.index - b.index);
  clusters.sort((a, b) => (a.members[0] ?? 0) - (b.members[0] ?? 0));
  return {
    ...empty,
    medianDistance: round(medianDistance),
    medianCloseDistance: round(medianCloseDistance),
    outliers: outliers.map((o) => ({ ...o, distance: round(o.distance), z: round(o.z) })),
    clusters,
    omitted,
  };
}

/** A seeded sample of `size` of the indices (all of them when there are fewer), in file order. */
function sampleReferences(indices: Int32Array, size: number, seed: number): Int32Array {
  if (indices.length <= size) return indices;
  const random = seededRandom(seed);
  const pool = Int32Array.from(indices);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const swap = pool[i] ?? 0;
    pool[i] = pool[j] ?? 0;
    pool[j] = swap;
  }
  return pool.subarray(0, size).sort();
}

function strongest<T extends { readonly z: number }>(flagged: T[]): T[] {
  if (flagged.length <= MAX_GROUPED) return flagged;
  return [...flagged].sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, MAX_GROUPED);
}

/** Single-linkage groups of flagged vectors whose projections lie within `radius` of each other. */
function groupFlagged<T extends { readonly index: number }>(
  table: VectorTable,
  flagged: T[],
  radius: number,
): T[][] {
  const sets = new UnionFind(flagged.length);
  const limit = radius * radius;
  for (let a = 0; a < flagged.length; a++)
    for (let b = a + 1; b < flagged.length; b++)
      if (table.distance2(flagged[a]?.index ?? 0, flagged[b]?.index ?? 0) <= limit) sets.union(a, b);
  const groups = new Map<number, T[]>();
  flagged.forEach((item, i) => {
    const root = sets.find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [item]);
    else group.push(item);
  });
  return [...groups.values()];
}

function clusterOf(kind: VectorCluster['kind'], group: readonly Flagged[]): VectorCluster {
  const members = group.map((g) => g.index).sort((a, b) => a - b);
  return {
    kind,
    members,
    distance: round(medianAndMad(group.map((g) => g.distance)).median),
    z: round(medianAndMad(group.map((g) => g.z)).median),
  };
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
