import { Readable, pipeline } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { BulwarkError, describeError, isBulwarkError } from '../../core/errors.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { DataUnit } from '../types.js';
import { flattenBatches } from './batches.js';
import { decodeChunks, decodeHead, detectSourceEncoding, readChunks } from './byte-chunks.js';
import { IssueSink, type ReadIssueHandler } from './read-issues.js';
import { hasHeaderRow, sampleRecords, sniffDelimiter, type TableDelimiter } from './table-sniff.js';

/** Whether the first record names the columns: decided from the data (`auto`) or told. */
export const HEADER_MODES = ['auto', 'present', 'absent'] as const;

/** One of `HEADER_MODES`. */
export type HeaderMode = (typeof HEADER_MODES)[number];

/** How a CSV/TSV file is read; every field has a default. */
export interface CsvReadOptions {
  /** Field delimiter (default: sniffed from the head; `,` when nothing fits). */
  readonly delimiter?: TableDelimiter;
  /** Default `auto`: the first record is a header unless it looks like data (see `hasHeaderRow`). */
  readonly header?: HeaderMode;
  /** Bytes read at a time (default 1 MiB). */
  readonly chunkSize?: number;
  /** Longest record in bytes (default 16 MiB); a longer one (an unbalanced quote) ends the read. */
  readonly maxRecordBytes?: number;
  /** Longest cell handed on, in UTF-16 code units (default 1 Mi); longer cells are cut and reported. */
  readonly maxCellLength?: number;
  /** Receives malformed-record, ragged-row and header notes (at most 20 of each kind, then a count). */
  readonly onIssue?: ReadIssueHandler;
}

/** One data row of a table: its 1-based number (header excluded) and its cells by column name. */
export interface TableRow {
  readonly row: number;
  readonly record: Readonly<Record<string, string>>;
}

/** Bytes of the head used to sniff the delimiter and the header. */
export const TABLE_SNIFF_BYTES = 64 * 1024;

const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_CELL_LENGTH = 1024 * 1024;

/** A parsed data row: values in file order and the column name of each. */
interface CsvRow {
  readonly row: number;
  readonly fields: readonly string[];
  readonly values: readonly string[];
}

/**
 * Yields a `cell` unit per non-empty cell of a CSV/TSV file: `row` is the 1-based data row (header
 * excluded), `field` the column name (`column_N` when the file has no header, or for fields past
 * the header of a ragged row). Streams with back-pressure: memory stays flat on multi-GB files.
 */
export function readCsvUnits(source: ByteSource, options: CsvReadOptions = {}): AsyncGenerator<DataUnit> {
  return flattenBatches(readCsvUnitBatches(source, options));
}

/** The cells of `readCsvUnits`, one batch per row. */
export async function* readCsvUnitBatches(
  source: ByteSource,
  options: CsvReadOptions = {},
): AsyncGenerator<DataUnit[]> {
  const maxCellLength = options.maxCellLength ?? DEFAULT_MAX_CELL_LENGTH;
  const sink = new IssueSink(options.onIssue);
  for await (const { row, fields, values } of readCsvRows(source, options, sink)) {
    const cells: DataUnit[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i] ?? '';
      if (value === '') continue;
      const field = fields[i] ?? `column_${i + 1}`;
      let text = value;
      if (text.length > maxCellLength) {
        text = text.slice(0, maxCellLength);
        sink.report({
          kind: 'truncated-value',
          message: `cell ${field} of row ${row} is ${value.length} characters long; only the first ${maxCellLength} are scanned`,
          row,
        });
      }
      cells.push({ kind: 'cell', text, row, field });
    }
    if (cells.length > 0) yield cells;
  }
  sink.finish();
}

/**
 * Yields each data row of a CSV/TSV file as a record keyed by column name (missing fields of a
 * ragged row are empty strings), for the poisoning and quality checks that work per column.
 */
export async function* readCsvTable(
  source: ByteSource,
  options: CsvReadOptions = {},
): AsyncGenerator<TableRow> {
  const sink = new IssueSink(options.onIssue);
  for await (const { row, fields, values } of readCsvRows(source, options, sink)) {
    const record = Object.create(null) as Record<string, string>;
    for (let i = 0; i < Math.max(values.length, fields.length); i++) {
      record[fields[i] ?? `column_${i + 1}`] = values[i] ?? '';
    }
    yield { row, record };
  }
  sink.finish();
}

/** The parsed rows of a CSV file with the header resolved; the core both public readers share. */
async function* readCsvRows(
  source: ByteSource,
  options: CsvReadOptions,
  sink: IssueSink,
): AsyncGenerator<CsvRow> {
  const head = await decodeHead(source, TABLE_SNIFF_BYTES);
  const delimiter = options.delimiter ?? sniffDelimiter(head.text, head.complete, { relaxed: true }) ?? ',';
  const headerMode = options.header ?? 'auto';
  const hasHeader =
    headerMode === 'present' ||
    (headerMode === 'auto' && hasHeaderRow(sampleRecords(head.text, delimiter, head.complete)));
  const parser = parse({
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
  });
  const feed = { stopped: false };
  const input = Readable.from(csvInput(source, options.chunkSize, feed), { highWaterMark: 1 });
  let row = 0;
  parser.on('skip', (error: CsvError) => {
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      // csv-parse cannot resynchronise after an over-long record (usually an unbalanced quote).
      // Feeding stops; the records parsed so far still come out.
      if (!feed.stopped) {
        sink.report({
          kind: 'malformed-record',
          message: `the record after data row ${row} is longer than the limit (an unbalanced quote?); the rest of the file was not read`,
          row: row + 1,
        });
      }
      feed.stopped = true;
      return;
    }
    if (feed.stopped) return;
    sink.report({
      kind: 'malformed-record',
      message: `record after data row ${row} skipped: ${error.message}`,
      row: row + 1,
    });
  });
  pipeline(input, parser, () => undefined);

  let fields: string[] | undefined;
  let width = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      if (fields === undefined) {
        fields = hasHeader ? headerNames(values, sink) : values.map((_, i) => `column_${i + 1}`);
        if (!hasHeader) {
          sink.report({
            kind: 'generated-header',
            message: `the first row looks like data, not a header; columns are named column_1…column_${values.length}`,
          });
        }
        width = fields.length;
        if (hasHeader) continue;
      }
      row++;
      if (values.length !== width) {
        sink.report({
          kind: 'ragged-row',
          message: `row ${row} has ${values.length} field(s), the header has ${width}`,
          row,
        });
      }
      if (values.length > fields.length) {
        for (let i = fields.length; i < values.length; i++) fields.push(`column_${i + 1}`);
      }
      yield { row, fields, values };
    }
  } catch (error) {
    if (isBulwarkError(error)) throw error;
    throw new BulwarkError('INPUT_INVALID', `cannot parse the table: ${describeError(error)}`, {
      cause: error,
    });
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/**
 * The bytes handed to csv-parse: the raw bytes of UTF-8 files (BOM skipped), re-encoded text of
 * UTF-16 files.
 */
async function* csvInput(
  source: ByteSource,
  chunkSize: number | undefined,
  feed: { readonly stopped: boolean },
): AsyncGenerator<Buffer> {
  const { encoding, bomLength } = await detectSourceEncoding(source);
  if (encoding === 'utf-8') {
    for await (const bytes of readChunks(source, { start: bomLength, chunkSize })) {
      if (feed.stopped) return;
      yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return;
  }
  for await (const text of decodeChunks(source, { chunkSize })) {
    if (feed.stopped) return;
    yield Buffer.from(text, 'utf8');
  }
}

/** Column names from the header record: trimmed, empty ones as `column_N`, duplicates suffixed. */
function headerNames(values: readonly string[], sink: IssueSink): string[] {
  const seen = new Set<string>();
  return values.map((value, i) => {
    const base = value.trim() === '' ? `column_${i + 1}` : value.trim();
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    if (name !== value) {
      sink.report({
        kind: 'renamed-header',
        message: `column ${i + 1} (${JSON.stringify(value.slice(0, 40))}) is named ${JSON.stringify(name.slice(0, 60))}`,
      });
    }
    return name;
  });
}
