import { MAD_TO_SIGMA, medianAndMad } from '../data/poisoning/statistics.js';

/** Settings of the norm check. */
export interface NormOptions {
  /** Robust z-score of the L2 norm at or beyond which a vector is reported (default 6). */
  readonly z: number;
  /** Relative tolerance around a common norm (default 0.001: float16 rounding stays inside it). */
  readonly tolerance: number;
  /** Share of vectors that must sit within the tolerance for the set to count as fixed-norm (default 0.99). */
  readonly fixedShare: number;
}

/** How the norms of a set behave, which decides what counts as anomalous. */
export type NormMode =
  /** Nearly all vectors are unit length (normalised embeddings): any other length is an anomaly. */
  | 'unit'
  /** Nearly all vectors share one length other than 1. */
  | 'fixed'
  /** Lengths vary: robust z-scores decide. */
  | 'spread';

/** A vector whose length does not fit the set. */
export interface NormAnomaly {
  readonly index: number;
  readonly norm: number;
  /** Robust z-score (`spread`), or the relative deviation from the common norm divided by the tolerance. */
  readonly z: number;
}

/** What the norm check found. */
export interface NormReport {
  readonly mode: NormMode;
  readonly median: number;
  /** Median absolute deviation of the norms, unscaled. */
  readonly mad: number;
  readonly anomalies: readonly NormAnomaly[];
}

/**
 * Checks the L2 norms of `indices` (control P4). When at least `fixedShare` of the vectors share one
 * length within `tolerance` (normalised embeddings, or a model that scales its output), a vector of
 * another length did not come from the same pipeline and is reported. Otherwise a vector is reported
 * when the robust z-score of its norm (median and 1.4826·MAD) reaches `z`: a vector with a huge norm
 * wins inner-product retrieval for almost every query ("hubness"), a tiny one is noise or a broken
 * encoder call.
 */
export function assessNorms(
  norms: (index: number) => number,
  indices: Int32Array,
  options: NormOptions,
): NormReport {
  const values = new Float64Array(indices.length);
  for (let n = 0; n < indices.length; n++) values[n] = norms(indices[n] ?? 0);
  const { median, mad } = medianAndMad(values);
  if (indices.length === 0) return { mode: 'spread', median: Number.NaN, mad: Number.NaN, anomalies: [] };
  const band = options.tolerance * median;
  let within = 0;
  for (const norm of values) if (Math.abs(norm - median) <= band) within++;
  const anomalies: NormAnomaly[] = [];
  if (within >= options.fixedShare * values.length) {
    const mode: NormMode = Math.abs(median - 1) <= options.tolerance ? 'unit' : 'fixed';
    const centre = mode === 'unit' ? 1 : median;
    values.forEach((norm, n) => {
      const deviation = Math.abs(norm - centre) / centre;
      if (deviation > options.tolerance)
        anomalies.push({
          index: indices[n] ?? 0,
          norm,
          z: round((norm - centre) / centre / options.tolerance),
        });
    });
    return { mode, median: round(median), mad, anomalies };
  }
  // Half the norms equal and the rest spread gives a MAD of 0: the tolerance keeps z finite.
  const scale = Math.max(mad * MAD_TO_SIGMA, band);
  values.forEach((norm, n) => {
    const z = (norm - median) / scale;
    if (Math.abs(z) >= options.z) anomalies.push({ index: indices[n] ?? 0, norm, z: round(z) });
  });
  return { mode: 'spread', median: round(median), mad, anomalies };
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
