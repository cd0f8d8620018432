import { z } from 'zod';
import { isBulwarkError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import { findingOf } from '../core/rules.js';
import type { FileIdentity, ScanContext, Scanner, ScanTarget } from '../core/scan/types.js';
import {
  analyzeVectors,
  DEFAULT_VECTOR_SETTINGS,
  VECTOR_CHECKS,
  type VectorSettings,
} from './analyze-vectors.js';
import { openJsonlVectors } from './jsonl-vectors.js';
import { openNpyVectors } from './npy-vectors.js';
import { vectorFindings } from './vector-findings.js';
import { VECTOR_FILE_MALFORMED, VECTOR_LIMIT_REACHED, VECTOR_RULES } from './vector-rules.js';

/** File kinds read as vectors: NumPy arrays and JSON Lines (a file of long lines sniffs as `json`). */
const VECTOR_KINDS = new Set(['numpy', 'jsonl', 'json']);
/**
 * Kinds JSON Lines can sniff as when a line is not strict JSON: Python's `json` writes `NaN`, and a
 * file with one broken line looks like CSV or text. Such files are read as vectors when most of
 * their records are; otherwise they are not vector files and get no findings.
 */
const LENIENT_KINDS = new Set(['text', 'csv', 'tsv']);

const D = DEFAULT_VECTOR_SETTINGS;

/** `scanners.vectors` in bulwark.yaml: thresholds and bounds of `bulwark scan vectors`. */
export const vectorOptionsSchema = z
  .strictObject({
    checks: z
      .array(z.enum(VECTOR_CHECKS))
      .default([...VECTOR_CHECKS])
      .meta({
        description: 'Checks run beyond reading and validating every vector: duplicates, norms, density.',
      }),
    dimension: z.int().min(1).max(1_048_576).optional().meta({
      description: 'Expected dimension; by default the .npy shape or the majority of the first records.',
    }),
    nearDuplicateCosine: z
      .number()
      .min(0.9)
      .max(1)
      .default(D.nearDuplicateCosine)
      .meta({ description: 'Cosine similarity at or above which two distinct vectors are near duplicates.' }),
    normZ: z.number().min(2).max(1000).default(D.normZ).meta({
      description:
        'Robust z-score (median, 1.4826·MAD) of the L2 norm at or beyond which a vector is reported.',
    }),
    normTolerance: z.number().min(1e-7).max(0.1).default(D.normTolerance).meta({
      description:
        'Relative tolerance of a common norm: when 99% of vectors share one length within it (unit-normalised sets), any other length is reported.',
    }),
    densityZ: z.number().min(2).max(1000).default(D.densityZ).meta({
      description:
        'Robust z-score of the log k-NN distance (global or local) at or beyond which a vector is a density outlier; its negative flags tight clusters.',
    }),
    neighbours: z
      .int()
      .min(2)
      .max(100)
      .default(D.neighbours)
      .meta({ description: 'k of the k-nearest-neighbour distance of the density checks.' }),
    referenceSample: z.int().min(64).max(65_536).default(D.referenceSample).meta({
      description:
        'Reference vectors the neighbours are searched among; clusters smaller than about k·N/referenceSample vectors count as small.',
    }),
    minClusterSize: z
      .int()
      .min(2)
      .max(1_000_000)
      .default(D.minClusterSize)
      .meta({ description: 'Tight clusters with fewer vectors are not reported.' }),
    projectionDims: z.int().min(8).max(256).default(D.projectionDims).meta({
      description: 'Dimension of the sparse random projection the similarity searches run on.',
    }),
    maxVectors: z
      .int()
      .min(1)
      .max(2_000_000)
      .default(D.maxVectors)
      .meta({ description: 'Vectors checked at most per file; the rest are reported as not checked.' }),
    maxDimension: z
      .int()
      .min(1)
      .max(1_048_576)
      .default(D.maxDimension)
      .meta({ description: 'Largest vector dimension read.' }),
    maxFindingsPerRule: z
      .int()
      .min(1)
      .max(1_000_000)
      .default(100)
      .meta({ description: 'Findings listed per rule and file; the rest are summarized in one finding.' }),
  })
  .meta({
    description:
      'Vector checks (control P4, `bulwark scan vectors`): duplicates, norm anomalies and density outliers in embedding files.',
  });

/** Parsed `scanners.vectors` options. */
export type VectorOptions = z.output<typeof vectorOptionsSchema>;

/** The analysis settings of parsed options. */
export function vectorSettingsOf(options: VectorOptions): VectorSettings {
  const { dimension, ...rest } = options;
  const settings: VectorSettings & { maxFindingsPerRule?: number } = {
    ...rest,
    ...(dimension === undefined ? {} : { dimension }),
  };
  delete settings.maxFindingsPerRule;
  return settings;
}

/**
 * The vector scanner (`bulwark scan vectors FILE`, control P4): embeddings bound for a vector store,
 * as .npy arrays or JSON Lines records, are checked before they are indexed for invalid vectors,
 * exact and near duplicates, norm anomalies, density outliers and suspicious clusters. It runs only
 * when named: whether a JSON file holds embeddings depends on what it is for.
 */
export const vectorScanner: Scanner = {
  id: 'vectors',
  description:
    'embedding checks before vectors enter a vector store: invalid vectors, duplicates, norm anomalies, density outliers',
  rules: VECTOR_RULES,
  optionsSchema: vectorOptionsSchema,
  explicitOnly: true,
  accepts: (identity: FileIdentity) => VECTOR_KINDS.has(identity.kind) || LENIENT_KINDS.has(identity.kind),
  async scan(target: ScanTarget, context: ScanContext): Promise<Finding[]> {
    const options = vectorOptionsSchema.parse(context.options ?? {});
    const settings = vectorSettingsOf(options);
    const location = { path: target.path };
    try {
      const reader =
        target.identity.kind === 'numpy'
          ? await openNpyVectors(target.source, settings)
          : openJsonlVectors(target.source, settings);
      const report = await analyzeVectors(reader, settings, context.signal);
      const badLines = report.problemsOmitted + report.problems.filter((p) => p.kind === 'bad-record').length;
      if (LENIENT_KINDS.has(target.identity.kind) && report.table.size < badLines) return [];
      if (report.table.size === 0 && badLines > 0) {
        const first = report.problems.find((p) => p.kind === 'bad-record');
        return [
          findingOf(VECTOR_FILE_MALFORMED, {
            message: `${target.path} holds no vector records: ${first?.message ?? 'no line is one'}`,
            location,
            evidence: { malformedLines: badLines },
          }),
        ];
      }
      return vectorFindings(report, { path: target.path, maxPerRule: options.maxFindingsPerRule });
    } catch (error) {
      context.signal?.throwIfAborted();
      if (!isBulwarkError(error) || error.code === 'INTERNAL') throw error;
      const rule = error.code === 'LIMIT_EXCEEDED' ? VECTOR_LIMIT_REACHED : VECTOR_FILE_MALFORMED;
      return [
        findingOf(rule, {
          message: `${target.path}: ${error.message}`,
          location,
          evidence: { code: error.code },
        }),
      ];
    }
  },
};
