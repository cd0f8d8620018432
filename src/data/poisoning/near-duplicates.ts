import { MinHashIndex, type NearDuplicateOptions } from './minhash-index.js';
import { forEachRecord, type DataRecord, type RecordSink, type RecordSource } from './records.js';

/** Which text of a record is compared; by default `text`, else every field joined. */
export type TextOf = (record: DataRecord) => string | undefined;

/** Options of duplicate detection: MinHash/LSH parameters and what text to compare. */
export interface DuplicateOptions extends NearDuplicateOptions {
  readonly textOf?: TextOf;
}

/** Rows that hold the same text (`exact`, after normalization) or nearly the same (`near`). */
export interface DuplicateGroup {
  readonly kind: 'exact' | 'near';
  /** Data rows in reading order; the first is the one the others copy. */
  readonly rows: readonly number[];
  /** The label of each row (same order), null where a row has none. */
  readonly labels: readonly (string | null)[];
  /** Lowest estimated Jaccard similarity on the edges joining the group (1 for exact groups). */
  readonly similarity: number;
}

/** What duplicate detection found over one dataset. */
export interface DuplicateReport {
  /** Rows that had text to compare. */
  readonly textRows: number;
  readonly exact: readonly DuplicateGroup[];
  /** Groups of near duplicates; each holds every member, including exact copies of a member. */
  readonly near: readonly DuplicateGroup[];
  /** Rows that repeat an earlier row, exactly or nearly (every member of a group but its first). */
  readonly duplicateRows: number;
}

/**
 * The default text of a record: `text`, or the values of `fields` joined in key order with a unit
 * separator, so tables without a text column still get exact and near duplicate checks on whole rows.
 */
export const defaultTextOf: TextOf = (record) => {
  if (record.text !== undefined) return record.text;
  if (record.fields === undefined) return undefined;
  const keys = Object.keys(record.fields).sort();
  return keys.map((key) => record.fields?.[key] ?? '').join('\u001f');
};

/**
 * Finds exact and near-duplicate rows in one pass (control D6): a repeated row weighs more in
 * training than it should, which is how an attacker amplifies a few poisoned examples, and
 * duplicates inflate evaluation figures.
 */
export class DuplicateDetector implements RecordSink<DuplicateReport> {
  readonly #index: MinHashIndex;
  readonly #textOf: TextOf;
  readonly #rows: number[] = [];
  readonly #labels: (string | null)[] = [];

  constructor(options: DuplicateOptions = {}) {
    this.#index = new MinHashIndex(options);
    this.#textOf = options.textOf ?? defaultTextOf;
  }

  /** Indexes the record's text. */
  add(record: DataRecord): void {
    const text = this.#textOf(record);
    if (text === undefined) return;
    const id = this.#index.add(text);
    if (id < 0) return;
    this.#rows.push(record.row);
    this.#labels.push(record.label ?? null);
  }

  /** Groups the rows seen so far. */
  finish(): DuplicateReport {
    const { exact, near } = this.#index.groups();
    const toGroup = (kind: 'exact' | 'near', ids: readonly number[], similarity: number): DuplicateGroup => ({
      kind,
      rows: ids.map((id) => this.#rows[id]!),
      labels: ids.map((id) => this.#labels[id] ?? null),
      similarity,
    });
    const exactGroups = exact.map((g) => toGroup('exact', g.ids, 1));
    const nearGroups = near.map((g) => toGroup('near', g.ids, g.similarity));
    const repeated = new Set<number>();
    for (const group of [...exactGroups, ...nearGroups])
      for (const row of group.rows.slice(1)) repeated.add(row);
    return {
      textRows: this.#rows.length,
      exact: exactGroups,
      near: nearGroups,
      duplicateRows: repeated.size,
    };
  }
}

/** Finds exact and near-duplicate rows of `records` (see `DuplicateDetector`). */
export async function findDuplicates(
  records: RecordSource,
  options: DuplicateOptions = {},
): Promise<DuplicateReport> {
  const detector = new DuplicateDetector(options);
  await forEachRecord(records, (record) => detector.add(record));
  return detector.finish();
}
