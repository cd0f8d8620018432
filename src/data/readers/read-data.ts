import { BulwarkError } from '../../core/errors.js';
import { identifySource } from '../../core/scan/sniff.js';
import type { ByteSource, FileIdentity } from '../../core/scan/types.js';
import type { DataUnit } from '../types.js';
import { decodeHead, readAt } from './byte-chunks.js';
import { flattenBatches } from './batches.js';
import { readCsvTable, readCsvUnitBatches, type CsvReadOptions, type TableRow } from './csv-reader.js';
import { readJsonTable, readJsonUnitBatches } from './json-reader.js';
import { readParquetTable, readParquetUnitBatches, type ParquetReadOptions } from './parquet-reader.js';
import { notebookBatches, readNotebookUnits } from './notebook-units.js';
import { IssueSink, type ReadIssueHandler } from './read-issues.js';
import { sniffDelimiter } from './table-sniff.js';
import {
  ownsMatch,
  readTextLineBatches,
  readTextLines,
  readTextWindows,
  type TextReadOptions,
  type TextUnit,
  type TextWindowOptions,
} from './text-reader.js';

/** The data formats `dataUnits` reads. */
export const DATA_FORMATS = ['text', 'csv', 'tsv', 'jsonl', 'json', 'parquet'] as const;

/** One of `DATA_FORMATS`. */
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Bytes of the head used to tell the format. */
export const DATA_SNIFF_BYTES = 64 * 1024;

/** How a data file is read; every field has a default. */
export interface DataReadOptions {
  /** The format, when already known; otherwise taken from `identity`, else sniffed from the content. */
  readonly format?: DataFormat;
  /** What the scan framework's content sniffing said the file is. */
  readonly identity?: FileIdentity;
  /**
   * Text files: one unit per line (default; the lines of a PEM private-key block are one unit) or
   * overlapping multi-line windows.
   */
  readonly textMode?: 'lines' | 'windows';
  /** CSV/TSV: whether the first record is a header (default `auto`). */
  readonly header?: CsvReadOptions['header'];
  /** Bytes read at a time (default 1 MiB). */
  readonly chunkSize?: number;
  /** Longest cell handed on (default 1 Mi UTF-16 code units). */
  readonly maxCellLength?: number;
  /** Parquet decompressors beyond Snappy (e.g. `hyparquet-compressors`). */
  readonly compressors?: ParquetReadOptions['compressors'];
  /** Text line and window sizes. */
  readonly text?: TextReadOptions & TextWindowOptions;
  /** Receives what readers noticed without failing (malformed lines, ragged rows, generated headers…). */
  readonly onIssue?: ReadIssueHandler;
}

const FORMAT_OF_KIND: Readonly<Record<string, DataFormat>> = {
  parquet: 'parquet',
  json: 'json',
  notebook: 'json',
  jsonl: 'jsonl',
  csv: 'csv',
  tsv: 'tsv',
  text: 'text',
  python: 'text',
  pem: 'text',
  empty: 'text',
};

/**
 * Tells the data format of a file: from the scan framework's identity when it names a data format,
 * otherwise from the content: the Parquet magic `PAR1`; JSON Lines when the first lines are each a
 * complete JSON value; JSON when the text starts with `{` or `[`; CSV/TSV when a delimiter is
 * consistent across records; text otherwise (binary files too, read like `strings`).
 */
export async function detectDataFormat(source: ByteSource, identity?: FileIdentity): Promise<DataFormat> {
  const known = identity === undefined ? undefined : FORMAT_OF_KIND[identity.kind];
  if (known !== undefined) return known;
  const magic = await readAt(source, 0, Math.min(4, source.size));
  if (source.size >= 12 && String.fromCharCode(...magic) === 'PAR1') return 'parquet';
  const head = await decodeHead(source, DATA_SNIFF_BYTES);
  const trimmed = head.text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return jsonLayoutOf(trimmed, head.complete);
  const delimiter = sniffDelimiter(head.text, head.complete);
  if (delimiter === '\t') return 'tsv';
  return delimiter === undefined ? 'text' : 'csv';
}

/**
 * The located units of a data file for the recognizers: text lines (or windows) with line/column,
 * table cells with row/field. Streams every format in bounded memory; a file that cannot be read
 * at all (not Parquet after all, a failing source) is one BulwarkError, anything less is an issue.
 */
export function dataUnits(source: ByteSource, options: DataReadOptions = {}): AsyncGenerator<DataUnit> {
  return flattenBatches(dataUnitBatches(source, options));
}

/**
 * The units of `dataUnits` in batches (a chunk of lines, a row, a column chunk): iterating batches
 * saves the per-item cost of an async generator, which matters at millions of units. A Jupyter
 * notebook (as the scan framework's sniffing tells, or as it would tell when no identity is given)
 * gives its cell lines with raw-file locations (see notebook-units.ts); a file sniffed as one that
 * turns out not to be a notebook is read as JSON.
 */
export async function* dataUnitBatches(
  source: ByteSource,
  options: DataReadOptions = {},
): AsyncGenerator<readonly DataUnit[]> {
  const common = {
    chunkSize: options.chunkSize,
    maxCellLength: options.maxCellLength,
    onIssue: options.onIssue,
  };
  if (options.format === undefined && (await isNotebook(source, options.identity))) {
    const units = await readNotebookUnits(source, { chunkSize: options.chunkSize, onIssue: options.onIssue });
    if (units !== undefined) {
      yield* notebookBatches(units);
      return;
    }
  }
  const format = options.format ?? (await detectDataFormat(source, options.identity));
  switch (format) {
    case 'text':
      if (options.textMode === 'windows') {
        for await (const window of readTextWindows(source, {
          ...options.text,
          chunkSize: options.chunkSize,
        })) {
          yield [window];
        }
      } else {
        yield* withPemBlocks(readTextLineBatches(source, { ...options.text, chunkSize: options.chunkSize }));
      }
      return;
    case 'csv':
    case 'tsv':
      yield* readCsvUnitBatches(source, { ...common, header: options.header, ...tsvDelimiter(format) });
      return;
    case 'jsonl':
    case 'json':
      yield* readJsonUnitBatches(source, format === 'jsonl' ? 'lines' : 'document', common);
      return;
    case 'parquet':
      yield* readParquetUnitBatches(source, { ...common, compressors: options.compressors });
      return;
  }
}

/**
 * The rows of a data file as records keyed by column name, for the per-column poisoning and quality
 * checks: CSV/TSV columns, JSON record keys (nested ones by path, `user.email`), Parquet columns; a
 * text file is one column `text` with a row per non-empty line (`row` = the line number).
 */
export async function* readTable(
  source: ByteSource,
  options: DataReadOptions = {},
): AsyncGenerator<TableRow> {
  const format = options.format ?? (await detectDataFormat(source, options.identity));
  const common = {
    chunkSize: options.chunkSize,
    maxCellLength: options.maxCellLength,
    onIssue: options.onIssue,
  };
  switch (format) {
    case 'text':
      yield* textTable(source, options);
      return;
    case 'csv':
    case 'tsv':
      yield* readCsvTable(source, { ...common, header: options.header, ...tsvDelimiter(format) });
      return;
    case 'jsonl':
    case 'json':
      yield* readJsonTable(source, format === 'jsonl' ? 'lines' : 'document', common);
      return;
    case 'parquet':
      yield* readParquetTable(source, { compressors: options.compressors, onIssue: options.onIssue });
      return;
  }
}

/**
 * The values of `columns` row by row. The columns must exist in the first row (a USAGE fault names
 * the ones that do); a later row without one reads it as an empty string.
 */
export async function* readColumns(
  source: ByteSource,
  columns: readonly string[],
  options: DataReadOptions = {},
): AsyncGenerator<{ readonly row: number; readonly values: readonly string[] }> {
  let checked = false;
  for await (const { row, record } of readTable(source, options)) {
    if (!checked) {
      const missing = columns.filter((column) => !(column in record));
      if (missing.length > 0) {
        const known = Object.keys(record).slice(0, 20).join(', ');
        throw new BulwarkError('USAGE', `no column ${missing.join(', ')} in the data; columns: ${known}`);
      }
      checked = true;
    }
    yield { row, values: columns.map((column) => record[column] ?? '') };
  }
}

/** Text as a one-column table; a line longer than the cell limit is cut and reported. */
async function* textTable(source: ByteSource, options: DataReadOptions): AsyncGenerator<TableRow> {
  const sink = new IssueSink(options.onIssue);
  const maxLength = options.maxCellLength ?? 1024 * 1024;
  for await (const unit of readTextLines(source, {
    maxUnitLength: maxLength,
    overlap: 0,
    chunkSize: options.chunkSize,
  })) {
    if (unit.column > 1) continue;
    if (unit.ownedLength !== undefined) {
      sink.report({
        kind: 'truncated-value',
        message: `line ${unit.line} is longer than ${maxLength} characters; only its start is used`,
        line: unit.line,
        row: unit.line,
      });
    }
    const record = Object.create(null) as Record<string, string>;
    record['text'] = unit.text;
    yield { row: unit.line, record };
  }
  sink.finish();
}

/**
 * Tells whether a match starting at `start` in `unit` is this unit's to report. A line longer than
 * the unit limit is cut into pieces that overlap, so a value on the cut is seen whole; a match in the
 * overlap belongs to the next piece, and counting it here too would report it twice.
 */
export function isOwnedMatch(unit: DataUnit, start: number): boolean {
  return unit.kind !== 'text' || ownsMatch(unit, start);
}

/** The header line of a PEM private key (PKCS #1/#8, EC, OpenSSH, encrypted, PGP armour). */
const PEM_PRIVATE_KEY_BEGIN = /-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const PEM_END = '-----END';
/** Longest PEM block joined into one unit (a 16 Ki body, as the private-key recognizer reads, plus headers). */
export const MAX_PEM_BLOCK_LENGTH = 20 * 1024;

/** Where a line opens a PEM private-key block that it does not close itself, or -1. */
function pemBlockStart(unit: TextUnit): number {
  if (unit.ownedLength !== undefined || !unit.text.includes('-----BEGIN')) return -1;
  const begin = PEM_PRIVATE_KEY_BEGIN.exec(unit.text);
  if (begin === null) return -1;
  return unit.text.includes(PEM_END, begin.index + begin[0].length) ? -1 : begin.index;
}

/** The lines of a block as one unit; the line breaks (and blank lines) between them are kept as `\n`. */
function joinLines(lines: readonly TextUnit[]): TextUnit {
  const first = lines[0] as TextUnit;
  let text = first.text;
  for (let i = 1; i < lines.length; i++) {
    const unit = lines[i] as TextUnit;
    text += '\n'.repeat(unit.line - (lines[i - 1] as TextUnit).line) + unit.text;
  }
  return { kind: 'text', text, line: first.line, column: first.column };
}

/**
 * Text lines with each PEM private-key block (its BEGIN line to its END line) joined into one unit,
 * so the key is one finding located from the BEGIN to the END line, never cut into lines or found
 * twice. A block that does not end within {@link MAX_PEM_BLOCK_LENGTH} (or meets a line cut for
 * length, or another BEGIN) stays separate lines, where the BEGIN line alone is still reported.
 */
export async function* withPemBlocks(
  batches: AsyncIterable<readonly TextUnit[]>,
): AsyncGenerator<readonly TextUnit[]> {
  let block: TextUnit[] = [];
  let length = 0;
  for await (const batch of batches) {
    if (block.length === 0 && !batch.some((unit) => unit.text.includes('-----BEGIN'))) {
      yield batch;
      continue;
    }
    const out: TextUnit[] = [];
    for (const unit of batch) {
      if (block.length > 0) {
        const fits = unit.column === 1 && unit.ownedLength === undefined;
        length += unit.text.length + 1;
        if (fits && length <= MAX_PEM_BLOCK_LENGTH && pemBlockStart(unit) === -1) {
          block.push(unit);
          if (unit.text.includes(PEM_END)) {
            out.push(joinLines(block));
            block = [];
          }
          continue;
        }
        out.push(...block);
        block = [];
      }
      if (pemBlockStart(unit) === -1) {
        out.push(unit);
      } else {
        block = [unit];
        length = unit.text.length;
      }
    }
    if (out.length > 0) yield out;
  }
  if (block.length > 0) yield block;
}

/**
 * Tells whether a file is a Jupyter notebook: the sniffed identity says so. The sniffer reads the
 * head and the tail, where Jupyter writes `nbformat`, so a notebook sniffed as JSON is not one.
 */
async function isNotebook(source: ByteSource, identity: FileIdentity | undefined): Promise<boolean> {
  if (identity !== undefined) return identity.kind === 'notebook';
  if (source.size === 0) return false;
  // Through readAt, so a failing source is the same INPUT_UNREADABLE fault as in the readers.
  const reading: ByteSource = { size: source.size, read: (offset, length) => readAt(source, offset, length) };
  return (await identifySource(reading)).kind === 'notebook';
}

function tsvDelimiter(format: 'csv' | 'tsv'): { delimiter?: '\t' } {
  return format === 'tsv' ? { delimiter: '\t' } : {};
}

/** JSON Lines when the first complete lines each hold one JSON value (two at least), else JSON. */
function jsonLayoutOf(text: string, complete: boolean): DataFormat {
  const lines = text.split('\n');
  if (!complete) lines.pop();
  const sample = lines
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, 20);
  if (sample.length < 2) return 'json';
  for (const line of sample) {
    try {
      JSON.parse(line);
    } catch {
      return 'json';
    }
  }
  return 'jsonl';
}
