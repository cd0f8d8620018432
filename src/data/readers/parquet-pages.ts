import {
  snappyUncompress,
  type ColumnMetaData,
  type Compressors,
  type FileMetaData,
  type PageHeader,
} from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from 'hyparquet/src/schema.js';
import { BulwarkError, describeError } from '../../core/errors.js';
import type { ByteSource } from '../../core/scan/types.js';
import { readAt } from './byte-chunks.js';
import { bitWidth, checkPrefixedRuns, checkRuns, checkSnappy } from './parquet-streams.js';

/**
 * Bounds on what Parquet pages may declare. hyparquet trusts page contents: a corrupted or hostile
 * value count, or one RLE run of two billion levels, makes it loop and grow an array for minutes
 * until memory runs out. Pages are therefore checked before hyparquet decodes them.
 */
export interface PageLimits {
  /** Largest decoded page (default 256 MiB). */
  readonly maxPageBytes: number;
  /** Most values one page may declare (default 16 Mi; real writers stay far below). */
  readonly maxPageValues: number;
  /** Most rows one row group may declare (default 64 Mi). */
  readonly maxRowGroupRows: number;
}

/** The default page limits. */
export const DEFAULT_PAGE_LIMITS: PageLimits = {
  maxPageBytes: 256 * 1024 * 1024,
  maxPageValues: 16 * 1024 * 1024,
  maxRowGroupRows: 64 * 1024 * 1024,
};

/** Raw bytes of a column chunk, already read: handed to hyparquet so the chunk is read once. */
export interface ChunkBytes {
  readonly start: number;
  readonly bytes: Uint8Array;
}

const MAX_PAGES_PER_CHUNK = 1_000_000;
const RLE_ENCODINGS = new Set(['PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE']);

/** What a page check needs to know about its column. */
interface ColumnFacts {
  readonly meta: ColumnMetaData;
  readonly maxRepetition: number;
  readonly maxDefinition: number;
  readonly isBoolean: boolean;
  readonly compressors: Compressors | undefined;
  readonly limits: PageLimits;
  readonly where: string;
}

/**
 * Reads the chunks of top-level column `column` in row group `group` and checks every page: header
 * sizes and counts within the limits and the chunk, and no RLE run of levels or dictionary indices
 * longer than its page. Throws one clear fault otherwise; returns the chunks' bytes for reuse.
 */
export async function checkColumnPages(
  source: ByteSource,
  metadata: FileMetaData,
  group: number,
  column: string,
  options: { readonly limits: PageLimits; readonly compressors?: Compressors },
): Promise<ChunkBytes[]> {
  const rowGroup = metadata.row_groups[group];
  if (rowGroup === undefined) return [];
  const rows = Number(rowGroup.num_rows);
  if (!(rows >= 0 && rows <= options.limits.maxRowGroupRows)) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `Parquet row group ${group + 1} declares ${rows} rows, above the limit of ${options.limits.maxRowGroupRows}`,
    );
  }
  const chunks: ChunkBytes[] = [];
  for (const chunk of rowGroup.columns) {
    const meta = chunk.meta_data;
    if (meta === undefined || meta.path_in_schema[0] !== column) continue;
    const where = `column ${meta.path_in_schema.join('.')} of row group ${group + 1}`;
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const end = start + Number(meta.total_compressed_size);
    if (!(Number.isSafeInteger(start) && start >= 0 && end >= start && end <= source.size)) {
      throw invalid(`${where} lies outside the file`);
    }
    const bytes = await readAt(source, start, end - start);
    const facts = columnFacts(metadata, meta, where, options);
    let offset = 0;
    for (let pages = 0; offset < bytes.length; pages++) {
      if (pages >= MAX_PAGES_PER_CHUNK) throw invalid(`${where} has more than ${MAX_PAGES_PER_CHUNK} pages`);
      const reader = {
        view: new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.length - offset),
        offset: 0,
      };
      let header: PageHeader;
      try {
        header = parquetHeader(reader);
      } catch (error) {
        throw invalid(`a page header of ${where} cannot be read`, error);
      }
      const bodyStart = offset + reader.offset;
      checkHeader(header, bytes.length - bodyStart, facts);
      checkBody(header, bytes.subarray(bodyStart, bodyStart + header.compressed_page_size), facts);
      offset = bodyStart + header.compressed_page_size;
    }
    chunks.push({ start, bytes });
  }
  return chunks;
}

function columnFacts(
  metadata: FileMetaData,
  meta: ColumnMetaData,
  where: string,
  options: { readonly limits: PageLimits; readonly compressors?: Compressors },
): ColumnFacts {
  try {
    const path = getSchemaPath(metadata.schema, meta.path_in_schema);
    return {
      meta,
      maxRepetition: path.length > 1 ? getMaxRepetitionLevel(path) : 0,
      maxDefinition: getMaxDefinitionLevel(path),
      isBoolean: meta.type === 'BOOLEAN',
      compressors: options.compressors,
      limits: options.limits,
      where,
    };
  } catch (error) {
    throw invalid(`the schema of ${where} does not hold together`, error);
  }
}

function checkHeader(header: PageHeader, room: number, facts: ColumnFacts): void {
  const { compressed_page_size: compressed, uncompressed_page_size: uncompressed } = header;
  if (!isCount(compressed) || compressed > room) throw invalid(`a page of ${facts.where} overruns its chunk`);
  if (!isCount(uncompressed)) throw invalid(`a page of ${facts.where} declares a negative size`);
  if (uncompressed > facts.limits.maxPageBytes) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `a page of ${facts.where} decodes to ${uncompressed} bytes, above the limit of ${facts.limits.maxPageBytes}`,
    );
  }
  const counts: unknown[] = [header.data_page_header?.num_values, header.dictionary_page_header?.num_values];
  const v2 = header.data_page_header_v2;
  if (v2) {
    counts.push(v2.num_values, v2.num_rows, v2.num_nulls);
    const definition: unknown = v2.definition_levels_byte_length;
    const repetition: unknown = v2.repetition_levels_byte_length;
    if (!isCount(definition) || !isCount(repetition) || definition + repetition > compressed) {
      throw invalid(`a page of ${facts.where} declares level lengths beyond the page`);
    }
  }
  for (const count of counts) {
    if (count === undefined) continue;
    if (!isCount(count)) throw invalid(`a page of ${facts.where} declares a negative value count`);
    if (count > facts.limits.maxPageValues) {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `a page of ${facts.where} declares ${count} values, above the limit of ${facts.limits.maxPageValues}`,
      );
    }
  }
}

/** Walks the level and dictionary-index runs of a data page as hyparquet will read them. */
function checkBody(header: PageHeader, body: Uint8Array, facts: ColumnFacts): void {
  const v1 = header.data_page_header;
  const v2 = header.data_page_header_v2;
  if (v1) {
    const page = decompress(body, header.uncompressed_page_size, facts);
    if (page === undefined) return;
    let at = 0;
    if (facts.maxRepetition > 0)
      at = checkPrefixedRuns(page, at, bitWidth(facts.maxRepetition), v1.num_values, facts.where);
    if (facts.maxDefinition > 0)
      at = checkPrefixedRuns(page, at, bitWidth(facts.maxDefinition), v1.num_values, facts.where);
    checkValueRuns(page, at, v1.encoding, v1.num_values, facts, false);
  } else if (v2) {
    const repetition = v2.repetition_levels_byte_length;
    const levels = repetition + v2.definition_levels_byte_length;
    if (facts.maxRepetition > 0)
      checkRuns(body, 0, bitWidth(facts.maxRepetition), v2.num_values, facts.where);
    if (facts.maxDefinition > 0)
      checkRuns(body, repetition, bitWidth(facts.maxDefinition), v2.num_values, facts.where);
    const values =
      v2.is_compressed === false
        ? body.subarray(levels)
        : decompress(body.subarray(levels), header.uncompressed_page_size - levels, facts);
    if (values !== undefined) checkValueRuns(values, 0, v2.encoding, v2.num_values, facts, true);
  }
}

/** The decompressed page, or undefined for a codec only hyparquet's caller-provided decompressors know. */
function decompress(body: Uint8Array, size: number, facts: ColumnFacts): Uint8Array | undefined {
  const codec = facts.meta.codec;
  if (codec === 'UNCOMPRESSED') return body;
  if (!isCount(size)) throw invalid(`a page of ${facts.where} declares a negative size`);
  try {
    const custom = facts.compressors?.[codec];
    if (custom !== undefined) return custom(body, size);
    if (codec !== 'SNAPPY') return undefined;
    checkSnappy(body, size);
    const page = new Uint8Array(size);
    snappyUncompress(body, page);
    return page;
  } catch (error) {
    throw invalid(`a page of ${facts.where} does not decompress: ${describeError(error)}`, error);
  }
}

/** Dictionary indices and RLE booleans; v2 pages decode even a zero-width index stream. */
function checkValueRuns(
  page: Uint8Array,
  at: number,
  encoding: string,
  values: number,
  facts: ColumnFacts,
  isV2: boolean,
): void {
  if (!RLE_ENCODINGS.has(encoding) || at >= page.length) return;
  if (facts.isBoolean) {
    checkPrefixedRuns(page, at, 1, values, facts.where);
  } else {
    const width = page[at] ?? 0;
    if (width > 0 || isV2) checkRuns(page, at + 1, width, values, facts.where);
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function invalid(message: string, cause?: unknown): BulwarkError {
  return new BulwarkError('INPUT_INVALID', `cannot read the Parquet file: ${message}`, { cause });
}
