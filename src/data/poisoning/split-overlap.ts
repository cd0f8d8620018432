import { MinHashIndex } from './minhash-index.js';
import { defaultTextOf, type DuplicateOptions } from './near-duplicates.js';
import { forEachRecord, type RecordSource } from './records.js';

/** Options of the split comparison: those of duplicate detection plus how many pairs to list. */
export interface SplitOverlapOptions extends DuplicateOptions {
  /** Most pairs listed (default 1000); the counts are always complete. */
  readonly maxListed?: number;
}

/** A validation row that repeats a training row. */
export interface SplitOverlapPair {
  readonly validationRow: number;
  readonly trainRow: number;
  readonly kind: 'exact' | 'near';
  readonly similarity: number;
  /** True when both rows carry labels and they differ. */
  readonly labelsDiffer: boolean;
}

/** Overlap between a training and a validation split. */
export interface SplitOverlapReport {
  readonly trainRows: number;
  readonly validationRows: number;
  readonly exact: number;
  readonly near: number;
  /** Share of validation rows (with text) found in training. */
  readonly overlapShare: number;
  readonly pairs: readonly SplitOverlapPair[];
  readonly omitted: number;
}

/**
 * Finds validation rows that repeat training rows exactly or nearly (control P2): leaked rows make
 * validation measure memory instead of generalization, and an attacker who can write to both
 * splits hides a backdoor's effect from evaluation. Training texts are indexed (exact keys and LSH
 * bands over MinHash signatures); each validation text is probed, exact match first.
 */
export async function compareSplits(
  train: RecordSource,
  validation: RecordSource,
  options: SplitOverlapOptions = {},
): Promise<SplitOverlapReport> {
  const textOf = options.textOf ?? defaultTextOf;
  const maxListed = options.maxListed ?? 1000;
  const index = new MinHashIndex(options);
  const trainRows: number[] = [];
  const trainLabels: (string | undefined)[] = [];
  await forEachRecord(train, (record) => {
    const text = textOf(record);
    if (text === undefined || index.add(text) < 0) return;
    trainRows.push(record.row);
    trainLabels.push(record.label);
  });
  let validationRows = 0;
  let exact = 0;
  let near = 0;
  const pairs: SplitOverlapPair[] = [];
  await forEachRecord(validation, (record) => {
    const text = textOf(record);
    if (text === undefined) return;
    const match = index.probe(text);
    if (match === null) return;
    validationRows++;
    if (match === undefined) return;
    if (match.kind === 'exact') exact++;
    else near++;
    if (pairs.length >= maxListed) return;
    const trainLabel = trainLabels[match.id];
    pairs.push({
      validationRow: record.row,
      trainRow: trainRows[match.id] ?? 0,
      kind: match.kind,
      similarity: Math.round(match.similarity * 1000) / 1000,
      labelsDiffer: trainLabel !== undefined && record.label !== undefined && trainLabel !== record.label,
    });
  });
  return {
    trainRows: trainRows.length,
    validationRows,
    exact,
    near,
    overlapShare: validationRows === 0 ? 0 : Math.round(((exact + near) / validationRows) * 10000) / 10000,
    pairs,
    omitted: exact + near - pairs.length,
  };
}
