import {
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type Compressors,
  type FileMetaData,
} from 'hyparquet';
import { BulwarkError, describeError, isBulwarkError } from '../../core/errors.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { DataUnit } from '../types.js';
import { flattenBatches } from './batches.js';
import { readAt } from './byte-chunks.js';
import type { TableRow } from './csv-reader.js';
import { leavesOf } from './parquet-values.js';
import { checkColumnPages, DEFAULT_PAGE_LIMITS, type ChunkBytes, type PageLimits } from './parquet-pages.js';
import { IssueSink, type ReadIssueHandler } from './read-issues.js';

/** How a Parquet file is read; every field has a default. */
export interface ParquetReadOptions {
  /** Extra decompressors (e.g. from `hyparquet-compressors`); Snappy and uncompressed are built in. */
  readonly compressors?: Compressors;
  /** Largest footer accepted (default 64 MiB). */
  readonly maxMetadataBytes?: number;
  /** Largest decoded column chunk of one row group (default 512 MiB); bigger ones are skipped and reported. */
  readonly maxColumnChunkBytes?: number;
  /** Largest row group `readParquetTable` decodes at once (default 1 GiB). */
  readonly maxRowGroupBytes?: number;
  /** Longest cell handed on, in UTF-16 code units (default 1 Mi); longer ones are cut and reported. */
  readonly maxCellLength?: number;
  /** Bounds on pages (sizes, value counts, runs), checked before hyparquet decodes them (see `PageLimits`). */
  readonly pageLimits?: Partial<PageLimits>;
  /** Receives skipped-column and truncated-value notes. */
  readonly onIssue?: ReadIssueHandler;
}

const MAGIC = 0x31524150; // "PAR1", little-endian

/** Adapts a byte source to hyparquet's `AsyncBuffer`: each slice is one bounded read. */
export function asyncBufferOf(source: ByteSource): AsyncBuffer {
  return {
    byteLength: source.size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const from = Math.max(0, Math.min(start, source.size));
      const to = Math.max(from, Math.min(end ?? source.size, source.size));
      const bytes = await readAt(source, from, to - from);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

/**
 * Yields a `cell` unit per non-empty value of a Parquet file, one row group and one column at a
 * time so memory stays within one decoded column chunk. `row` counts 1-based across the file;
 * `field` is the column name, or for nested (struct/list/map) columns the JSON path of each leaf
 * (`$.address.city`, `$.tags[1]`).
 */
export function readParquetUnits(
  source: ByteSource,
  options: ParquetReadOptions = {},
): AsyncGenerator<DataUnit> {
  return flattenBatches(readParquetUnitBatches(source, options));
}

/** The cells of `readParquetUnits`, one batch per column chunk. */
export async function* readParquetUnitBatches(
  source: ByteSource,
  options: ParquetReadOptions = {},
): AsyncGenerator<DataUnit[]> {
  const sink = new IssueSink(options.onIssue);
  const maxCellLength = options.maxCellLength ?? 1024 * 1024;
  const file = asyncBufferOf(source);
  const metadata = await readMetadata(source, file, options);
  const columns = columnNames(metadata);
  const limit = options.maxColumnChunkBytes ?? 512 * 1024 * 1024;
  const pageCheck = pageCheckOf(options);
  let groupStart = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    for (const column of columns) {
      const size = columnChunkBytes(metadata, index, column);
      if (size > limit) {
        sink.report({
          kind: 'skipped-column',
          message: `column ${column} of row group ${index + 1} decodes to ${size} bytes, above the ${limit}-byte limit; not scanned`,
        });
        continue;
      }
      const chunks = await checkColumnPages(source, metadata, index, column, pageCheck);
      const records = await readRows(withChunks(file, chunks), metadata, options, {
        columns: [column],
        groupStart,
        rows,
      });
      const cells: DataUnit[] = [];
      for (const [offset, record] of records.entries()) {
        const row = groupStart + offset + 1;
        for (const { field, text } of leavesOf(column, record[column])) {
          if (text === '') continue;
          if (text.length > maxCellLength) {
            sink.report({
              kind: 'truncated-value',
              message: `${field} of row ${row} is ${text.length} characters long; only the first ${maxCellLength} are scanned`,
              row,
            });
          }
          cells.push({
            kind: 'cell',
            text: text.length > maxCellLength ? text.slice(0, maxCellLength) : text,
            row,
            field,
          });
        }
      }
      if (cells.length > 0) yield cells;
    }
    groupStart += rows;
  }
  sink.finish();
}

/**
 * Yields each row of a Parquet file as a flat table row keyed by column name, one row group in memory
 * at a time. Nested values are flattened like JSON records (`address.city`, `tags[1]`); null reads as
 * an empty string.
 */
export async function* readParquetTable(
  source: ByteSource,
  options: ParquetReadOptions = {},
): AsyncGenerator<TableRow> {
  const file = asyncBufferOf(source);
  const metadata = await readMetadata(source, file, options);
  const limit = options.maxRowGroupBytes ?? 1024 ** 3;
  const pageCheck = pageCheckOf(options);
  const columns = columnNames(metadata);
  let groupStart = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    const size = Number(group.total_byte_size);
    if (size > limit) {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `Parquet row group ${index + 1} decodes to ${size} bytes, above the ${limit}-byte limit`,
      );
    }
    const chunks: ChunkBytes[] = [];
    for (const column of columns)
      chunks.push(...(await checkColumnPages(source, metadata, index, column, pageCheck)));
    const records = await readRows(withChunks(file, chunks), metadata, options, { groupStart, rows });
    for (const [offset, values] of records.entries()) {
      const record = Object.create(null) as Record<string, string>;
      for (const [column, value] of Object.entries(values)) {
        let leaves = 0;
        for (const { field, text } of leavesOf(column, value)) {
          record[field.startsWith('$') ? field.replace(/^\$\.?/, '') : field] = text;
          leaves++;
        }
        // Null, and an empty list or struct, read as an empty cell.
        if (leaves === 0) record[column] = '';
      }
      yield { row: groupStart + offset + 1, record };
    }
    groupStart += rows;
  }
}

function pageCheckOf(options: ParquetReadOptions): { limits: PageLimits; compressors?: Compressors } {
  const limits = { ...DEFAULT_PAGE_LIMITS, ...options.pageLimits };
  return options.compressors === undefined ? { limits } : { limits, compressors: options.compressors };
}

/** `file`, answering reads inside chunks already read (and checked) from memory. */
export function withChunks(file: AsyncBuffer, chunks: readonly ChunkBytes[]): AsyncBuffer {
  return {
    byteLength: file.byteLength,
    slice(start: number, end?: number) {
      const stop = end ?? file.byteLength;
      const chunk = chunks.find((c) => c.start <= start && stop <= c.start + c.bytes.length);
      if (chunk === undefined) return file.slice(start, stop);
      const from = chunk.bytes.byteOffset + start - chunk.start;
      return chunk.bytes.buffer.slice(from, from + stop - start) as ArrayBuffer;
    },
  };
}

/** Reads and checks the footer; a file that is not Parquet is one INPUT_INVALID fault. */
async function readMetadata(
  source: ByteSource,
  file: AsyncBuffer,
  options: ParquetReadOptions,
): Promise<FileMetaData> {
  if (source.size < 12) throw new BulwarkError('INPUT_INVALID', 'not a Parquet file: too short');
  const tail = await readAt(source, source.size - 8, 8);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  if (tail.length < 8 || view.getUint32(4, true) !== MAGIC) {
    throw new BulwarkError('INPUT_INVALID', 'not a Parquet file: the footer magic PAR1 is missing');
  }
  const length = view.getUint32(0, true);
  const limit = options.maxMetadataBytes ?? 64 * 1024 * 1024;
  if (length > limit) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `Parquet footer of ${length} bytes is above the ${limit}-byte limit`,
    );
  }
  return await guarded(() => parquetMetadataAsync(file, { initialFetchSize: length + 8 }));
}

/** The top-level column names; a schema that does not hold together is INPUT_INVALID. */
function columnNames(metadata: FileMetaData): string[] {
  try {
    return parquetSchema(metadata).children.map((child) => child.element.name);
  } catch (error) {
    throw new BulwarkError('INPUT_INVALID', `cannot read the Parquet schema: ${describeError(error)}`, {
      cause: error,
    });
  }
}

/** Reads the rows of one row group (optionally some columns) as objects. */
async function readRows(
  file: AsyncBuffer,
  metadata: FileMetaData,
  options: ParquetReadOptions,
  range: { readonly columns?: string[]; readonly groupStart: number; readonly rows: number },
): Promise<Record<string, unknown>[]> {
  if (range.rows <= 0) return [];
  return await guarded(() =>
    parquetReadObjects({
      file,
      metadata,
      rowStart: range.groupStart,
      rowEnd: range.groupStart + range.rows,
      ...(range.columns === undefined ? {} : { columns: range.columns }),
      ...(options.compressors === undefined ? {} : { compressors: options.compressors }),
    }),
  );
}

/** Runs a hyparquet call, turning its errors on corrupt or unsupported files into one clear fault. */
async function guarded<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isBulwarkError(error)) throw error;
    const message = describeError(error);
    const unsupported = /unsupported|not supported/i.test(message);
    throw new BulwarkError(
      unsupported ? 'INPUT_UNREADABLE' : 'INPUT_INVALID',
      `cannot read the Parquet file: ${message}`,
      { cause: error },
    );
  }
}

/** Decoded bytes of the chunks of a top-level column in one row group (all its leaf columns). */
function columnChunkBytes(metadata: FileMetaData, group: number, column: string): number {
  let total = 0;
  for (const chunk of metadata.row_groups[group]?.columns ?? []) {
    const meta = chunk.meta_data;
    if (meta?.path_in_schema[0] === column) total += Number(meta.total_uncompressed_size);
  }
  return total;
}
