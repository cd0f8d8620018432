/**
 * Scores the vector checks against a generated corpus with known plants: for each check, how many
 * planted vectors it names (recall), how many of the vectors it names were planted for it
 * (precision), and how many clean vectors it names. Used by `npm run eval -- vectors` and the tests.
 */
import { bytesSource } from '../core/scan/byte-sources.js';
import {
  analyzeVectors,
  DEFAULT_VECTOR_SETTINGS,
  type VectorReport,
  type VectorSettings,
} from './analyze-vectors.js';
import { openNpyVectors } from './npy-vectors.js';
import {
  encodeNpy,
  generateCorpus,
  type Corpus,
  type CorpusSpec,
  type PlantKind,
} from './vector-corpus.test-support.js';

/** The checks scored, each against the plants meant for it. */
export const SCORED_CHECKS = [
  'exact duplicates',
  'near duplicates',
  'norms',
  'density outliers',
  'tight clusters',
] as const;

/** One of {@link SCORED_CHECKS}. */
export type ScoredCheck = (typeof SCORED_CHECKS)[number];

const TARGETS: Readonly<Record<ScoredCheck, readonly PlantKind[]>> = {
  'exact duplicates': ['exact'],
  'near duplicates': ['near'],
  norms: ['scaled'],
  'density outliers': ['isolated', 'far-cluster'],
  'tight clusters': ['tight-cluster'],
};

/** What one check did on one corpus. */
export interface CheckFigures {
  readonly planted: number;
  readonly flagged: number;
  /** Planted vectors the check named. */
  readonly found: number;
  /** 1 when nothing was planted and nothing flagged. */
  readonly recall: number;
  readonly precision: number;
  /** Clean (unplanted) vectors the check named. */
  readonly cleanFlagged: number;
}

/** Figures of one corpus. */
export interface CorpusFigures {
  readonly corpus: Corpus;
  readonly report: VectorReport;
  readonly checks: Readonly<Record<ScoredCheck, CheckFigures>>;
  /** Planted vectors found, by kind (isolated vectors and far-cluster members separately). */
  readonly foundByKind: Readonly<Record<PlantKind, number>>;
  /** Seconds the checks took, reading the in-memory file included. */
  readonly seconds: number;
}

/** The vectors each check named in a report. */
export function flaggedByCheck(report: VectorReport): Record<ScoredCheck, Set<number>> {
  const clusters = (kind: 'far' | 'tight'): number[] =>
    report.clusters.filter((c) => c.kind === kind).flatMap((c) => [...c.members]);
  return {
    'exact duplicates': new Set(report.exactGroups.flat()),
    'near duplicates': new Set(report.nearDuplicates?.groups.flatMap((g) => [...g.members]) ?? []),
    norms: new Set(report.norms?.anomalies.map((a) => a.index) ?? []),
    'density outliers': new Set([
      ...(report.density?.outliers.map((o) => o.index) ?? []),
      ...clusters('far'),
    ]),
    'tight clusters': new Set(clusters('tight')),
  };
}

/** Generates the corpus, writes it as a .npy file in memory, runs the checks and scores them. */
export async function evaluateCorpus(
  spec: CorpusSpec,
  settings: VectorSettings = DEFAULT_VECTOR_SETTINGS,
): Promise<CorpusFigures> {
  const corpus = generateCorpus(spec);
  const bytes = encodeNpy(corpus.values, corpus.count, corpus.dims);
  const started = performance.now();
  const report = await analyzeVectors(await openNpyVectors(bytesSource(bytes)), settings);
  const seconds = (performance.now() - started) / 1000;
  const flagged = flaggedByCheck(report);
  const checks = Object.fromEntries(
    SCORED_CHECKS.map((check) => {
      const truth = new Set(TARGETS[check].flatMap((kind) => [...corpus.planted[kind]]));
      const named = flagged[check];
      const found = [...named].filter((i) => truth.has(i)).length;
      const figures: CheckFigures = {
        planted: truth.size,
        flagged: named.size,
        found,
        recall: truth.size === 0 ? 1 : found / truth.size,
        precision: named.size === 0 ? 1 : found / named.size,
        cleanFlagged: named.size - found,
      };
      return [check, figures];
    }),
  ) as Record<ScoredCheck, CheckFigures>;
  const everything = new Set(Object.values(flagged).flatMap((set) => [...set]));
  const foundByKind = Object.fromEntries(
    Object.entries(corpus.planted).map(([kind, rows]) => [
      kind,
      [...rows].filter((r) => everything.has(r)).length,
    ]),
  ) as Record<PlantKind, number>;
  return { corpus, report, checks, foundByKind, seconds };
}
