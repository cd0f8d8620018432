import { describe, expect, it } from 'vitest';
import { bytesSource } from '../core/scan/byte-sources.js';
import { assessDensity } from './density.js';
import { findNearDuplicates } from './near-duplicates.js';
import { assessNorms } from './norm-anomalies.js';
import { openNpyVectors } from './npy-vectors.js';
import { normalFrom, seededRandom } from './seeded-random.js';
import { encodeNpy, generateCorpus, type Corpus } from './vector-corpus.test-support.js';
import { evaluateCorpus } from './vector-evaluation.test-support.js';
import { ingestVectors } from './vector-ingest.js';
import type { VectorReader } from './vector-types.js';

async function ingestCorpus(
  corpus: Corpus,
): Promise<{ reader: VectorReader } & Awaited<ReturnType<typeof ingestVectors>>> {
  const reader = await openNpyVectors(bytesSource(encodeNpy(corpus.values, corpus.count, corpus.dims)));
  return { reader, ...(await ingestVectors(reader, { projectionDims: 64 })) };
}

const NORM_OPTIONS = { z: 6, tolerance: 0.001, fixedShare: 0.99 };
const DENSITY_OPTIONS = { neighbours: 10, referenceSample: 2048, z: 6, minClusterSize: 5 };

describe('findNearDuplicates', () => {
  it('groups planted near duplicates (cosine ≥ 0.9999) and leaves paraphrases at 0.998–0.999 alone', async () => {
    const corpus = generateCorpus({
      count: 3000,
      dims: 128,
      seed: 11,
      normalized: true,
      plants: { near: 12 },
      paraphrases: 30,
    });
    const { reader, table } = await ingestCorpus(corpus);
    const result = await findNearDuplicates(table, table.distinct(), (i) => reader.vectorAt(i), {
      cosine: 0.9999,
    });
    const flagged = new Set(result.groups.flatMap((g) => g.members));
    expect(flagged).toEqual(corpus.planted.near);
    expect(result.groups).toHaveLength(12);
    for (const group of result.groups) expect(group.minCosine).toBeGreaterThanOrEqual(0.9999);
    expect(result.isTruncated).toBe(false);
  });

  it('decides on the exact vectors, not on the projections', async () => {
    const corpus = generateCorpus({ count: 500, dims: 64, seed: 12, normalized: true, plants: { near: 3 } });
    const { table } = await ingestCorpus(corpus);
    const random = seededRandom(1);
    // A fetch that hands back unrelated vectors: the candidates must all fail verification.
    const unrelated = (): Promise<Float64Array> =>
      Promise.resolve(Float64Array.from({ length: 64 }, () => normalFrom(random)));
    const result = await findNearDuplicates(table, table.distinct(), unrelated, { cosine: 0.9999 });
    expect(result.verified).toBeGreaterThanOrEqual(3);
    expect(result.groups).toEqual([]);
  });

  it('joins a chain of near copies into one group', async () => {
    const random = seededRandom(5);
    const base = Float64Array.from({ length: 200 }, () => normalFrom(random));
    const rows: number[] = [];
    for (let c = 0; c < 4; c++) rows.push(...base.map((v, i) => v + (i === c ? 0.05 : 0)));
    for (let n = 0; n < 200; n++) rows.push(...Array.from({ length: 200 }, () => normalFrom(random)));
    const reader = await openNpyVectors(bytesSource(encodeNpy(rows, 204, 200)));
    const { table } = await ingestVectors(reader, { projectionDims: 64 });
    const result = await findNearDuplicates(table, table.distinct(), (i) => reader.vectorAt(i), {
      cosine: 0.9999,
    });
    expect(result.groups.map((g) => g.members)).toEqual([[0, 1, 2, 3]]);
  });
});

describe('assessNorms', () => {
  const norms = (values: number[]) => ({
    of: (i: number) => values[i] ?? Number.NaN,
    indices: Int32Array.from(values.keys()),
  });

  it('in a unit-normalised set, reports any other length', () => {
    const values = [...Array<number>(500).fill(1), 1.0000004, 1.05, 0.9];
    const { of, indices } = norms(values);
    const report = assessNorms(of, indices, NORM_OPTIONS);
    expect(report.mode).toBe('unit');
    expect(report.anomalies.map((a) => a.index)).toEqual([501, 502]);
  });

  it('in a fixed-length set other than 1, reports the odd ones out', () => {
    const { of, indices } = norms([...Array<number>(300).fill(12.5), 12.5001, 14]);
    const report = assessNorms(of, indices, NORM_OPTIONS);
    expect(report.mode).toBe('fixed');
    expect(report.anomalies.map((a) => a.index)).toEqual([301]);
  });

  it('in a spread set, reports norms 6 robust deviations out and nothing from a normal sample', () => {
    const random = seededRandom(8);
    const values = Array.from({ length: 20_000 }, () => 4 * (1 + 0.08 * normalFrom(random)));
    const clean = norms(values);
    expect(assessNorms(clean.of, clean.indices, NORM_OPTIONS).anomalies).toEqual([]);
    const planted = norms([...values, 12, 0.8]);
    const report = assessNorms(planted.of, planted.indices, NORM_OPTIONS);
    expect(report.mode).toBe('spread');
    expect(report.anomalies.map((a) => [a.index, Math.sign(a.z)])).toEqual([
      [20_000, 1],
      [20_001, -1],
    ]);
  });

  it('keeps z finite when half the norms are equal', () => {
    const { of, indices } = norms([
      ...Array<number>(60).fill(2),
      ...Array.from({ length: 40 }, (_, i) => 2 + i * 0.001),
      9,
    ]);
    const report = assessNorms(of, indices, NORM_OPTIONS);
    expect(report.anomalies.every((a) => Number.isFinite(a.z))).toBe(true);
    expect(report.anomalies.map((a) => a.index)).toContain(100);
  });
});

describe('assessDensity', () => {
  it('finds isolated vectors, a far cluster and a tight cluster, each as what it is', async () => {
    const corpus = generateCorpus({
      count: 4000,
      dims: 128,
      seed: 21,
      normalized: true,
      plants: { isolated: 4, 'far-cluster': 12, 'tight-cluster': 20 },
    });
    const { table } = await ingestCorpus(corpus);
    const report = assessDensity(table, table.distinct(), DENSITY_OPTIONS);
    expect(new Set(report.outliers.map((o) => o.index))).toEqual(corpus.planted.isolated);
    const far = report.clusters.filter((c) => c.kind === 'far');
    const tight = report.clusters.filter((c) => c.kind === 'tight');
    expect(far.map((c) => new Set(c.members))).toEqual([corpus.planted['far-cluster']]);
    expect(tight.map((c) => new Set(c.members))).toEqual([corpus.planted['tight-cluster']]);
    for (const outlier of report.outliers) expect(outlier.z).toBeGreaterThanOrEqual(6);
    expect(report.references).toBe(2048);
  });

  it('flags nothing in a clean mixture of topics of different sizes and spreads', async () => {
    for (const normalized of [true, false]) {
      const corpus = generateCorpus({ count: 4000, dims: 128, seed: 22, normalized });
      const { table } = await ingestCorpus(corpus);
      const report = assessDensity(table, table.distinct(), DENSITY_OPTIONS);
      expect(report.outliers).toEqual([]);
      expect(report.clusters).toEqual([]);
    }
  });

  it('returns no verdicts when there are too few vectors for k neighbours', async () => {
    const corpus = generateCorpus({ count: 8, dims: 16, seed: 1, normalized: true });
    const { table } = await ingestCorpus(corpus);
    const report = assessDensity(table, table.distinct(), DENSITY_OPTIONS);
    expect(report).toMatchObject({ vectors: 8, outliers: [], clusters: [] });
  });
});

describe('evaluateCorpus', () => {
  it('scores each check against the plants meant for it', async () => {
    const figures = await evaluateCorpus({
      count: 1500,
      dims: 64,
      seed: 3,
      normalized: false,
      plants: { exact: 2, near: 2, scaled: 3 },
    });
    expect(figures.checks['exact duplicates']).toMatchObject({
      planted: 4,
      found: 4,
      recall: 1,
      precision: 1,
    });
    expect(figures.checks['near duplicates']).toMatchObject({ planted: 4, found: 4, cleanFlagged: 0 });
    expect(figures.checks.norms).toMatchObject({ planted: 3, flagged: 3, found: 3 });
    expect(figures.checks['tight clusters']).toMatchObject({ planted: 0, flagged: 0, recall: 1 });
    expect(figures.foundByKind.scaled).toBe(3);
  });
});
