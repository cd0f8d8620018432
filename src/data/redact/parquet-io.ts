import {
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type CompressionCodec,
  type FileMetaData,
  type ParquetParsers,
  type SchemaElement,
} from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer';
import { BulwarkError, describeError, isBulwarkError } from '../../core/errors.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ByteSink } from '../../registry/encryption/types.js';
import { readAt } from '../readers/byte-chunks.js';
import { checkColumnPages, DEFAULT_PAGE_LIMITS, type ChunkBytes } from '../readers/parquet-pages.js';
import { asyncBufferOf, withChunks } from '../readers/parquet-reader.js';
import { decodeUtf8Lossless } from './lossless-text.js';

/** Largest footer read (64 MiB) and largest row group decoded at once (1 GiB), as the data reader. */
const MAX_METADATA_BYTES = 64 * 1024 * 1024;
const MAX_ROW_GROUP_BYTES = 1024 ** 3;

/**
 * A timestamp read from Parquet: a `Date` for the recognizers (as the data reader shows it) that keeps
 * the stored integer, so microseconds and nanoseconds are written back exactly.
 */
export class StoredTimestamp extends Date {
  constructor(
    readonly stored: bigint,
    millis: number,
  ) {
    super(millis);
  }
}

/**
 * Parsers that lose nothing: timestamps keep their stored integer, strings that are not valid UTF-8
 * keep their bytes (see `decodeUtf8Lossless`).
 */
const LOSSLESS_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis: bigint) => new StoredTimestamp(millis, Number(millis)),
  timestampFromMicroseconds: (micros: bigint) => new StoredTimestamp(micros, Number(micros / 1000n)),
  timestampFromNanoseconds: (nanos: bigint) => new StoredTimestamp(nanos, Number(nanos / 1_000_000n)),
  stringFromBytes: (bytes: Uint8Array) => (bytes === undefined ? bytes : decodeUtf8Lossless(bytes)),
};

/** An opened Parquet file: its footer, top-level columns and the codec each used. */
export interface ParquetInput {
  readonly source: ByteSource;
  readonly file: AsyncBuffer;
  readonly metadata: FileMetaData;
  /** Top-level columns in file order, with their schema element and whether they nest. */
  readonly columns: readonly {
    readonly name: string;
    readonly element: SchemaElement;
    readonly isNested: boolean;
  }[];
}

/** Opens a Parquet file: checks the magic and the footer size, reads the footer. */
export async function openParquet(source: ByteSource): Promise<ParquetInput> {
  if (source.size < 12) throw new BulwarkError('INPUT_INVALID', 'not a Parquet file: too short');
  const tail = await readAt(source, source.size - 8, 8);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  if (tail.length < 8 || view.getUint32(4, true) !== 0x31524150) {
    throw new BulwarkError('INPUT_INVALID', 'not a Parquet file: the footer magic PAR1 is missing');
  }
  const length = view.getUint32(0, true);
  if (length > MAX_METADATA_BYTES) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `Parquet footer of ${length} bytes is above the ${MAX_METADATA_BYTES}-byte limit`,
    );
  }
  const file = asyncBufferOf(source);
  const metadata = await guarded(() => parquetMetadataAsync(file, { initialFetchSize: length + 8 }));
  const columns = guardedSync(() =>
    parquetSchema(metadata).children.map((child) => ({
      name: child.element.name,
      element: child.element,
      isNested: child.children.length > 0,
    })),
  );
  for (const element of metadata.schema) {
    if (element.type === 'INT96') {
      throw new BulwarkError(
        'INPUT_UNREADABLE',
        `Parquet column ${element.name} holds legacy INT96 timestamps, which cannot be written back; convert them to TIMESTAMP first`,
      );
    }
  }
  return { source, file, metadata, columns };
}

/**
 * The rows of one row group (or of some columns of it), as objects. Pages are checked against the
 * data reader's limits before hyparquet decodes them (control D7).
 */
export async function readRowGroup(
  input: ParquetInput,
  group: number,
  rowStart: number,
  columns?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const meta = input.metadata.row_groups[group];
  const rows = Number(meta?.num_rows ?? 0);
  if (meta === undefined || rows <= 0) return [];
  if (Number(meta.total_byte_size) > MAX_ROW_GROUP_BYTES) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `Parquet row group ${group + 1} decodes to ${meta.total_byte_size} bytes, above the ${MAX_ROW_GROUP_BYTES}-byte limit`,
    );
  }
  const chunks: ChunkBytes[] = [];
  for (const column of columns ?? input.columns.map((c) => c.name)) {
    chunks.push(
      ...(await checkColumnPages(input.source, input.metadata, group, column, {
        limits: DEFAULT_PAGE_LIMITS,
      })),
    );
  }
  return await guarded(() =>
    parquetReadObjects({
      file: withChunks(input.file, chunks),
      metadata: input.metadata,
      rowStart,
      rowEnd: rowStart + rows,
      utf8: false,
      parsers: LOSSLESS_PARSERS,
      ...(columns === undefined ? {} : { columns: [...columns] }),
    }),
  );
}

/** The codec of a column's first chunk, when hyparquet-writer can write it (else Snappy). */
export function columnCodec(metadata: FileMetaData, column: string): CompressionCodec {
  const chunk = metadata.row_groups[0]?.columns.find((c) => c.meta_data?.path_in_schema[0] === column);
  const codec = chunk?.meta_data?.codec;
  return codec === 'UNCOMPRESSED' ? 'UNCOMPRESSED' : 'SNAPPY';
}

/** A hyparquet-writer `Writer` that hands each finished row group to a sink, so memory stays bounded. */
export class SinkWriter extends ByteWriter {
  #written = 0;

  constructor(private readonly sink: ByteSink) {
    super(1024 * 1024);
  }

  /** Bytes handed to the sink. */
  get bytesWritten(): number {
    return this.#written;
  }

  /** Hands what is buffered to the sink (hyparquet-writer calls this after each row group; call it after `finish`). */
  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer, 0, this.index).slice();
    this.index = 0;
    this.#written += bytes.length;
    return bytes.length === 0 ? Promise.resolve() : this.sink.write(bytes);
  }
}

/** Runs a hyparquet call, turning its errors on corrupt or unsupported files into one clear fault. */
export async function guarded<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw parquetFault(error);
  }
}

function guardedSync<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw parquetFault(error);
  }
}

function parquetFault(error: unknown): BulwarkError {
  if (isBulwarkError(error)) return error;
  const message = describeError(error);
  const unsupported = /unsupported|not supported/i.test(message);
  return new BulwarkError(
    unsupported ? 'INPUT_UNREADABLE' : 'INPUT_INVALID',
    `cannot read the Parquet file: ${message}`,
    { cause: error },
  );
}
