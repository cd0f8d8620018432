import { BulwarkError } from '../../core/errors.js';

/**
 * One record of a dataset as the data readers hand it over: the 1-based data `row` (header
 * excluded), the free-text input, the label, and the other columns as strings.
 */
export interface DataRecord {
  readonly row: number;
  readonly text?: string;
  readonly label?: string;
  readonly fields?: Readonly<Record<string, string>>;
}

/** Records from an array, a generator or a streamed reader. */
export type RecordSource = Iterable<DataRecord> | AsyncIterable<DataRecord>;

/** Something that looks at records one at a time and reports at the end (one pass over a stream). */
export interface RecordSink<Result> {
  /** Takes the next record. */
  add(record: DataRecord): void;
  /** Returns the result over every record added. */
  finish(): Result;
}

/**
 * Feeds every record of `source` to `onRecord` in order, checking that each is shaped like a
 * `DataRecord`; a malformed record is a fault of the reader and stops with `INPUT_INVALID`.
 */
export async function forEachRecord(
  source: RecordSource,
  onRecord: (record: DataRecord) => void,
): Promise<number> {
  let count = 0;
  if (Symbol.asyncIterator in source) {
    for await (const record of source) {
      onRecord(checkRecord(record));
      count++;
    }
  } else {
    for (const record of source) {
      onRecord(checkRecord(record));
      count++;
    }
  }
  return count;
}

/** Runs one pass over `source` feeding every sink, so a stream is read once for all detectors. */
export async function feedSinks(
  source: RecordSource,
  sinks: readonly RecordSink<unknown>[],
): Promise<number> {
  return forEachRecord(source, (record) => {
    for (const sink of sinks) sink.add(record);
  });
}

function checkRecord(record: unknown): DataRecord {
  const candidate = record as DataRecord | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    !Number.isInteger(candidate.row) ||
    candidate.row < 0 ||
    (candidate.text !== undefined && typeof candidate.text !== 'string') ||
    (candidate.label !== undefined && typeof candidate.label !== 'string') ||
    (candidate.fields !== undefined && !areStrings(candidate.fields))
  ) {
    throw new BulwarkError(
      'INPUT_INVALID',
      'a data record must have an integer `row`, and string `text`, `label` and `fields` values when present',
    );
  }
  return candidate;
}

function areStrings(fields: unknown): boolean {
  if (fields === null || typeof fields !== 'object') return false;
  for (const value of Object.values(fields)) if (typeof value !== 'string') return false;
  return true;
}

/**
 * The text a duplicate key is computed from: NFKC (compatibility forms and full-width letters fold
 * together), lower case, runs of whitespace collapsed to one space, trimmed.
 */
export function normalizeText(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase();
  // Replacing every single space with itself is most of the cost; only rewrite when needed.
  return (UNUSUAL_SPACE.test(folded) ? folded.replace(/\s+/gu, ' ') : folded).trim();
}

const UNUSUAL_SPACE = /[^\S ]|\s{2}/u;

/** A table row as the data readers yield it (`readTable`): its number and its cells by column. */
export interface TableRowLike {
  readonly row: number;
  readonly record: Readonly<Record<string, string>>;
}

/**
 * Turns table rows into records: `text` from the `text` column, `label` from the `label` column,
 * the other cells as `fields`. A named column missing from the first row is a USAGE fault that lists
 * the columns there are (`--text-column` and `--label-column` typos).
 */
export async function* recordsFromTable(
  rows: AsyncIterable<TableRowLike> | Iterable<TableRowLike>,
  columns: { readonly text?: string; readonly label?: string },
): AsyncGenerator<DataRecord> {
  let checked = false;
  for await (const { row, record } of rows) {
    if (!checked) {
      const missing = [columns.text, columns.label].filter(
        (c): c is string => c !== undefined && !(c in record),
      );
      if (missing.length > 0) {
        const known = Object.keys(record).slice(0, 20).join(', ');
        throw new BulwarkError('USAGE', `no column ${missing.join(', ')} in the data; columns: ${known}`);
      }
      checked = true;
    }
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(record)) {
      if (name !== columns.text && name !== columns.label) fields[name] = value;
    }
    const text = columns.text === undefined ? undefined : record[columns.text];
    const label = columns.label === undefined ? undefined : record[columns.label];
    yield {
      row,
      ...(text === undefined ? {} : { text }),
      ...(label === undefined || label === '' ? {} : { label }),
      fields,
    };
  }
}
