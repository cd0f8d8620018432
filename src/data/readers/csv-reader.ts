import { parse, type CsvError, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
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
/** Rows handed on at a time: enough to amortise the async hand-over, few enough to die young. */
const ROWS_PER_BATCH = 256;

/** A parsed data row: values in file order and the column name of each. */
interface CsvRow {
  readonly row: number;
  /** Column names, shared by the rows of a file and growing when a wider row comes. */
  readonly fields: readonly string[];
  /** How many column names there were when this row was read. */
  readonly width: number;
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

/** The cells of `readCsvUnits`, one batch per chunk read. */
export async function* readCsvUnitBatches(
  source: ByteSource,
  options: CsvReadOptions = {},
): AsyncGenerator<DataUnit[]> {
  const maxCellLength = options.maxCellLength ?? DEFAULT_MAX_CELL_LENGTH;
  const sink = new IssueSink(options.onIssue);
  for await (const rows of readCsvRows(source, options, sink)) {
    const cells: DataUnit[] = [];
    for (const { row, fields, values } of rows) {
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
  for await (const rows of readCsvRows(source, options, sink)) {
    for (const { row, fields, values, width } of rows) {
      const record = Object.create(null) as Record<string, string>;
      for (let i = 0; i < Math.max(values.length, width); i++) {
        record[fields[i] ?? `column_${i + 1}`] = values[i] ?? '';
      }
      yield { row, record };
    }
  }
  sink.finish();
}

/**
 * The parsed rows of a CSV file with the header resolved, in batches; the core both public readers
 * share. csv-parse decides every record, with one shortcut: a line without a quote character is
 * split on the delimiter directly (what csv-parse makes of such a line, at a fraction of the cost),
 * and only lines with quotes go to csv-parse. Anything unusual (an unbalanced quote, an over-long
 * record, a head full of quotes) sends the whole file through csv-parse the usual way.
 */
async function* readCsvRows(
  source: ByteSource,
  options: CsvReadOptions,
  sink: IssueSink,
): AsyncGenerator<CsvRow[]> {
  const head = await decodeHead(source, TABLE_SNIFF_BYTES);
  const delimiter = options.delimiter ?? sniffDelimiter(head.text, head.complete, { relaxed: true }) ?? ',';
  const headerMode = options.header ?? 'auto';
  const hasHeader =
    headerMode === 'present' ||
    (headerMode === 'auto' && hasHeaderRow(sampleRecords(head.text, delimiter, head.complete)));
  const settings: ParseSettings = {
    delimiter,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    chunkSize: options.chunkSize,
  };
  const shaper = new RowShaper(hasHeader, sink);
  let done = 0;
  if (isMostlyUnquoted(head.text)) {
    const splitter = new QuoteFreeSplitter(settings);
    let isFinished = false;
    for await (const text of decodeChunks(source, { chunkSize: options.chunkSize })) {
      yield* inBatches(shaper.shapeAll(splitter.push(text)));
      if (splitter.isAbandoned) break;
    }
    if (!splitter.isAbandoned) {
      yield* inBatches(shaper.shapeAll(splitter.end()));
      isFinished = !splitter.isAbandoned;
    }
    if (isFinished) return;
    done = splitter.records;
  }
  yield* parseRows(source, settings, shaper, done);
}

/** `rows` in slices of `ROWS_PER_BATCH`. */
function* inBatches(rows: CsvRow[]): Generator<CsvRow[]> {
  for (let at = 0; at < rows.length; at += ROWS_PER_BATCH) yield rows.slice(at, at + ROWS_PER_BATCH);
}

/** What every csv-parse run of a file is set up with. */
interface ParseSettings {
  readonly delimiter: TableDelimiter;
  readonly maxRecordBytes: number;
  readonly chunkSize: number | undefined;
}

function parseOptions(settings: ParseSettings): Options {
  return {
    delimiter: settings.delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: settings.maxRecordBytes,
  };
}

/** Shares of lines with a quote above which the shortcut would cost more than it saves. */
const MAX_QUOTED_LINE_SHARE = 1 / 8;

function isMostlyUnquoted(head: string): boolean {
  let lines = 0;
  let quoted = 0;
  for (const line of head.split('\n')) {
    lines++;
    if (line.includes('"')) quoted++;
  }
  return quoted <= lines * MAX_QUOTED_LINE_SHARE;
}

/** Turns records into data rows: the header, generated column names, row numbers, ragged-row notes. */
class RowShaper {
  /** Data rows so far. */
  row = 0;
  private fields: string[] | undefined;
  private width = 0;

  constructor(
    private readonly hasHeader: boolean,
    readonly sink: IssueSink,
  ) {}

  /** The data row of a record; undefined for the header record. */
  shape(values: string[]): CsvRow | undefined {
    let fields = this.fields;
    if (fields === undefined) {
      fields = this.hasHeader ? headerNames(values, this.sink) : values.map((_, i) => `column_${i + 1}`);
      if (!this.hasHeader) {
        this.sink.report({
          kind: 'generated-header',
          message: `the first row looks like data, not a header; columns are named column_1…column_${values.length}`,
        });
      }
      this.fields = fields;
      this.width = fields.length;
      if (this.hasHeader) return undefined;
    }
    const row = ++this.row;
    if (values.length !== this.width) {
      this.sink.report({
        kind: 'ragged-row',
        message: `row ${row} has ${values.length} field(s), the header has ${this.width}`,
        row,
      });
    }
    if (values.length > fields.length) {
      for (let i = fields.length; i < values.length; i++) fields.push(`column_${i + 1}`);
    }
    return { row, fields, values, width: fields.length };
  }

  shapeAll(records: readonly string[][]): CsvRow[] {
    const rows: CsvRow[] = [];
    for (const values of records) {
      const next = this.shape(values);
      if (next !== undefined) rows.push(next);
    }
    return rows;
  }
}

const QUOTE = '"';

/**
 * The shortcut of {@link readCsvRows}. A complete line without a quote is a record of its
 * delimiter-separated parts (an empty line none), as csv-parse reads it with our options; a line
 * with a quote starts a segment that runs, by csv-parse's quoting rules, to the line end where the
 * record closes, and the segment is parsed by csv-parse. A segment csv-parse skips or finds too
 * long, or an over-long line, abandons the shortcut: `records` tells how many records it produced,
 * so a full csv-parse run can take over after them.
 */
class QuoteFreeSplitter {
  /** Records produced so far. */
  records = 0;
  isAbandoned = false;
  private pending = '';
  /** Lines (with their line breaks) of a record with quotes that is not closed yet. */
  private segment = '';
  private isQuoting = false;
  private readonly maxLineLength: number;

  constructor(private readonly settings: ParseSettings) {
    // A UTF-16 code unit is at most 3 bytes of UTF-8: shorter lines are within csv-parse's limit.
    this.maxLineLength = Math.floor(settings.maxRecordBytes / 3);
  }

  /** Splits the complete lines of the text so far; the last, unfinished one waits for more. */
  push(text: string): string[][] {
    return this.split(this.pending + text, false);
  }

  /** Splits what is left at the end of the file. */
  end(): string[][] {
    return this.split(this.pending, true);
  }

  private split(text: string, isFinal: boolean): string[][] {
    const out: string[][] = [];
    const { delimiter } = this.settings;
    let at = 0;
    let nextLf = text.indexOf('\n');
    let nextCr = text.indexOf('\r');
    let nextQuote = text.indexOf(QUOTE);
    while (at < text.length && !this.isAbandoned) {
      if (nextLf !== -1 && nextLf < at) nextLf = text.indexOf('\n', at);
      if (nextCr !== -1 && nextCr < at) nextCr = text.indexOf('\r', at);
      if (nextQuote !== -1 && nextQuote < at) nextQuote = text.indexOf(QUOTE, at);
      let lineEnd = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      // A CR that ends the text may be the first half of a CRLF: wait for the next chunk.
      if (lineEnd === text.length - 1 && text.charCodeAt(lineEnd) === 0x0d && !isFinal) break;
      if (lineEnd === -1 && !isFinal) break;
      if (lineEnd === -1) lineEnd = text.length;
      const next =
        text.charCodeAt(lineEnd) === 0x0d && text.charCodeAt(lineEnd + 1) === 0x0a
          ? lineEnd + 2
          : lineEnd + 1;
      if (lineEnd - at > this.maxLineLength || this.segment.length > this.maxLineLength) {
        this.isAbandoned = true;
        break;
      }
      if (this.segment === '' && (nextQuote === -1 || nextQuote >= lineEnd)) {
        if (lineEnd > at) {
          out.push(text.slice(at, lineEnd).split(delimiter));
          this.records++;
        }
      } else {
        this.isQuoting = quotingAfter(
          text,
          at,
          lineEnd,
          this.segment === '' ? false : this.isQuoting,
          delimiter,
        );
        this.segment += text.slice(at, Math.min(next, text.length));
        if (!this.isQuoting || (isFinal && next >= text.length)) this.parseSegment(out);
      }
      at = next;
    }
    this.pending = at >= text.length ? '' : text.slice(at);
    if (this.pending.length > this.maxLineLength) this.isAbandoned = true;
    if (isFinal && this.segment !== '' && !this.isAbandoned) this.parseSegment(out);
    return out;
  }

  /** Hands the segment to csv-parse; a record it skips abandons the shortcut. */
  private parseSegment(out: string[][]): void {
    let isSkipped = false;
    const records = parseSync(Buffer.from(this.segment, 'utf8'), {
      ...parseOptions(this.settings),
      on_skip: () => {
        isSkipped = true;
      },
    });
    this.segment = '';
    this.isQuoting = false;
    if (isSkipped) {
      this.isAbandoned = true;
      return;
    }
    for (const record of records) out.push(record);
    this.records += records.length;
  }
}

/**
 * Whether csv-parse is inside a quoted field at the end of `text[from, to)`, having been so at
 * `from` when `isQuoting`: a quote opens a field only at the field's start, `""` inside is a quote,
 * and any other quote ends the quoted part (the relaxed rule). Only used to find where a record
 * with quotes ends; csv-parse itself then reads the record.
 */
function quotingAfter(
  text: string,
  from: number,
  to: number,
  isQuoting: boolean,
  delimiter: string,
): boolean {
  let quoting = isQuoting;
  let isFieldStart = !isQuoting;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (quoting) {
      if (c !== QUOTE) continue;
      if (text[i + 1] === QUOTE) {
        i++;
        continue;
      }
      quoting = false;
      isFieldStart = false;
    } else if (c === QUOTE && isFieldStart) {
      quoting = true;
    } else {
      isFieldStart = c === delimiter;
    }
  }
  return quoting;
}

/**
 * The records of a file from csv-parse, streamed: each chunk is written to the parser and what it
 * parsed is read back at once, so a row costs no trip through stream plumbing and promises. The
 * first `done` records (already produced by the shortcut) are passed over.
 */
async function* parseRows(
  source: ByteSource,
  settings: ParseSettings,
  shaper: RowShaper,
  done: number,
): AsyncGenerator<CsvRow[]> {
  const parser = parse(parseOptions(settings));
  const sink = shaper.sink;
  let isStopped = false;
  let failure: { readonly error: unknown } | undefined;
  parser.on('error', (error) => (failure ??= { error }));
  parser.on('skip', (error: CsvError) => {
    const row = shaper.row;
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      // csv-parse cannot resynchronise after an over-long record (usually an unbalanced quote).
      // Feeding stops; the records parsed so far still come out.
      if (!isStopped) {
        sink.report({
          kind: 'malformed-record',
          message: `the record after data row ${row} is longer than the limit (an unbalanced quote?); the rest of the file was not read`,
          row: row + 1,
        });
      }
      isStopped = true;
      return;
    }
    if (isStopped) return;
    sink.report({
      kind: 'malformed-record',
      message: `record after data row ${row} skipped: ${error.message}`,
      row: row + 1,
    });
  });
  let passed = 0;
  const take = (values: string[], rows: CsvRow[]): void => {
    if (passed < done) {
      passed++;
      return;
    }
    const next = shaper.shape(values);
    if (next !== undefined) rows.push(next);
  };
  /** Up to `ROWS_PER_BATCH` rows parsed so far (fewer when the parser has no more). */
  const parsed = (): CsvRow[] => {
    const rows: CsvRow[] = [];
    while (rows.length < ROWS_PER_BATCH) {
      const values = parser.read() as string[] | null;
      if (values === null) break;
      take(values, rows);
    }
    return rows;
  };

  try {
    for await (const bytes of csvInput(source, settings.chunkSize)) {
      if (isStopped) break;
      parser.write(bytes);
      for (let rows = parsed(); rows.length > 0; rows = parsed()) yield rows;
      // csv-parse reports a fault as an 'error' event after the write returns.
      if (failure !== undefined) throw failure.error;
    }
    parser.end();
    // The end flushes the last record; it and any fault arrive asynchronously.
    let rest: CsvRow[] = [];
    for await (const values of parser as AsyncIterable<string[]>) {
      take(values, rest);
      if (rest.length < ROWS_PER_BATCH) continue;
      yield rest;
      rest = [];
    }
    if (rest.length > 0) yield rest;
  } catch (error) {
    if (isBulwarkError(error)) throw error;
    throw new BulwarkError('INPUT_INVALID', `cannot parse the table: ${describeError(error)}`, {
      cause: error,
    });
  } finally {
    parser.destroy();
  }
}

/**
 * The bytes handed to csv-parse: the raw bytes of UTF-8 files (BOM skipped), re-encoded text of
 * UTF-16 files.
 */
async function* csvInput(source: ByteSource, chunkSize: number | undefined): AsyncGenerator<Buffer> {
  const { encoding, bomLength } = await detectSourceEncoding(source);
  if (encoding === 'utf-8') {
    for await (const bytes of readChunks(source, { start: bomLength, chunkSize })) {
      yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return;
  }
  for await (const text of decodeChunks(source, { chunkSize })) yield Buffer.from(text, 'utf8');
}

/**
 * Column names from the header record: trimmed, empty ones as `column_N`, duplicates suffixed; each
 * rename is reported to `sink` when given. Redaction names columns the same way.
 */
export function headerNames(values: readonly string[], sink?: IssueSink): string[] {
  const seen = new Set<string>();
  return values.map((value, i) => {
    const base = value.trim() === '' ? `column_${i + 1}` : value.trim();
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    if (name !== value) {
      sink?.report({
        kind: 'renamed-header',
        message: `column ${i + 1} (${JSON.stringify(value.slice(0, 40))}) is named ${JSON.stringify(name.slice(0, 60))}`,
      });
    }
    return name;
  });
}
