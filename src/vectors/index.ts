/**
 * The vector checks as a library (control P4): readers for .npy and JSON Lines embeddings, the
 * analysis, its findings, and the scanner `bulwark scan vectors` runs. Pure: files come in as byte
 * sources.
 */
export { analyzeVectors, DEFAULT_VECTOR_SETTINGS, VECTOR_CHECKS } from './analyze-vectors.js';
export type { ClusterReport, VectorCheck, VectorReport, VectorSettings } from './analyze-vectors.js';
export { openJsonlVectors } from './jsonl-vectors.js';
export { openNpyVectors } from './npy-vectors.js';
export { vectorFindings, type VectorFindingOptions } from './vector-findings.js';
export { VECTOR_RULES } from './vector-rules.js';
export {
  vectorOptionsSchema,
  vectorScanner,
  vectorSettingsOf,
  type VectorOptions,
} from './vector-scanner.js';
export { DEFAULT_VECTOR_LIMITS, VECTOR_FORMATS } from './vector-types.js';
export type {
  VectorBatch,
  VectorFormat,
  VectorId,
  VectorLimits,
  VectorProblem,
  VectorReader,
  VectorRecord,
} from './vector-types.js';
