import { assessDensity, type DensityReport, type VectorCluster } from './density.js';
import { cosine, findNearDuplicates, type NearDuplicateResult } from './near-duplicates.js';
import { assessNorms, type NormReport } from './norm-anomalies.js';
import { ingestVectors, type IngestResult } from './vector-ingest.js';
import type { VectorFormat, VectorLimits, VectorReader } from './vector-types.js';

/** The checks of `bulwark scan vectors`, each of which can be switched off. */
export const VECTOR_CHECKS = ['duplicates', 'norms', 'density'] as const;

/** One of {@link VECTOR_CHECKS}. */
export type VectorCheck = (typeof VECTOR_CHECKS)[number];

/** Thresholds and bounds of the vector checks; see {@link DEFAULT_VECTOR_SETTINGS}. */
export interface VectorSettings extends VectorLimits {
  readonly checks: readonly VectorCheck[];
  /** Expected dimension; by default the .npy shape or the majority of the first records. */
  readonly dimension?: number;
  readonly nearDuplicateCosine: number;
  readonly normZ: number;
  readonly normTolerance: number;
  readonly densityZ: number;
  readonly neighbours: number;
  readonly referenceSample: number;
  readonly minClusterSize: number;
  readonly projectionDims: number;
}

/** The documented defaults; thresholds were tuned on seed 1 of `npm run eval -- vectors`. */
export const DEFAULT_VECTOR_SETTINGS: VectorSettings = {
  checks: VECTOR_CHECKS,
  nearDuplicateCosine: 0.9999,
  normZ: 6,
  normTolerance: 0.001,
  densityZ: 6,
  neighbours: 10,
  referenceSample: 2048,
  minClusterSize: 5,
  projectionDims: 64,
  maxVectors: 2_000_000,
  maxDimension: 65_536,
};

/** A density cluster with the exact similarity of its members. */
export interface ClusterReport extends VectorCluster {
  /** Mean exact cosine similarity between members (of up to 24 of them). */
  readonly meanCosine: number;
}

/** Everything the checks found in one file. */
export interface VectorReport extends IngestResult {
  readonly format: VectorFormat;
  readonly settings: VectorSettings;
  readonly nearDuplicates?: NearDuplicateResult;
  readonly norms?: NormReport;
  readonly density?: Omit<DensityReport, 'clusters'>;
  readonly clusters: readonly ClusterReport[];
}

/** Members whose exact vectors are compared to describe a cluster's tightness. */
const CLUSTER_SAMPLE = 24;

/**
 * Runs the vector checks over one file (control P4): streams it once (dimensions, NaN/Inf and zero
 * vectors, exact copies, repeated ids), then on the distinct vectors looks for near duplicates, norm
 * anomalies and density outliers, clusters apart from the rest and unusually tight clusters. Findings
 * are data in the report; only a broken file or an abort throws.
 */
export async function analyzeVectors(
  reader: VectorReader,
  settings: VectorSettings = DEFAULT_VECTOR_SETTINGS,
  signal?: AbortSignal,
): Promise<VectorReport> {
  const ingest = await ingestVectors(reader, {
    projectionDims: settings.projectionDims,
    ...(settings.dimension === undefined ? {} : { dimension: settings.dimension }),
    ...(signal === undefined ? {} : { signal }),
  });
  const { table } = ingest;
  const distinct = table.distinct();
  const has = (check: VectorCheck): boolean => settings.checks.includes(check);
  const fetch = (index: number): Promise<Float64Array> => reader.vectorAt(index);
  const nearDuplicates = has('duplicates')
    ? await findNearDuplicates(table, distinct, fetch, { cosine: settings.nearDuplicateCosine })
    : undefined;
  signal?.throwIfAborted();
  const norms = has('norms')
    ? assessNorms((i) => table.norm(i), distinct, {
        z: settings.normZ,
        tolerance: settings.normTolerance,
        fixedShare: 0.99,
      })
    : undefined;
  const density = has('density')
    ? assessDensity(table, distinct, {
        neighbours: settings.neighbours,
        referenceSample: settings.referenceSample,
        z: settings.densityZ,
        minClusterSize: settings.minClusterSize,
      })
    : undefined;
  signal?.throwIfAborted();
  const clusters: ClusterReport[] = [];
  for (const cluster of density?.clusters ?? []) {
    if (cluster.kind === 'tight' && isOneNearGroup(cluster.members, nearDuplicates)) continue;
    clusters.push({ ...cluster, meanCosine: await meanCosine(cluster.members, fetch) });
  }
  return {
    ...ingest,
    format: reader.format,
    settings,
    ...(nearDuplicates === undefined ? {} : { nearDuplicates }),
    ...(norms === undefined ? {} : { norms }),
    ...(density === undefined ? {} : { density: withoutClusters(density) }),
    clusters,
  };
}

/** A tight cluster entirely inside one near-duplicate group is already reported as that group. */
function isOneNearGroup(members: readonly number[], result: NearDuplicateResult | undefined): boolean {
  if (result === undefined) return false;
  return result.groups.some((group) => {
    const set = new Set(group.members);
    return members.every((m) => set.has(m));
  });
}

async function meanCosine(
  members: readonly number[],
  fetch: (index: number) => Promise<Float64Array>,
): Promise<number> {
  const step = Math.max(1, Math.floor(members.length / CLUSTER_SAMPLE));
  const sample: Float64Array[] = [];
  for (let i = 0; i < members.length && sample.length < CLUSTER_SAMPLE; i += step)
    sample.push(await fetch(members[i] ?? 0));
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < sample.length; a++)
    for (let b = a + 1; b < sample.length; b++) {
      sum += cosine(sample[a] as Float64Array, sample[b] as Float64Array);
      pairs++;
    }
  return pairs === 0 ? 1 : Math.round((sum / pairs) * 1e4) / 1e4;
}

function withoutClusters(density: DensityReport): Omit<DensityReport, 'clusters'> {
  const { vectors, references, neighbours, medianDistance, medianCloseDistance, outliers, omitted } = density;
  return { vectors, references, neighbours, medianDistance, medianCloseDistance, outliers, omitted };
}
