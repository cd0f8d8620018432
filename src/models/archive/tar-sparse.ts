import { sliceSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { concatSources } from './concat-source.js';
import { parseNumber } from './tar-header.js';

/** One stretch of real data in a GNU sparse file: `size` stored bytes that belong at `offset`. */
export interface SparseExtent {
  readonly offset: number;
  readonly size: number;
}

/** Where the sparse map of an old GNU sparse header (type `S`) lies: four extents, then the real size. */
const HEADER_MAP_START = 386;
const HEADER_EXTENTS = 4;
const EXTENDED_EXTENTS = 21;
/** Extents followed at most per member, so a crafted map costs bounded work. */
export const MAX_SPARSE_EXTENTS = 4096;

/** The extents and real size in an old GNU sparse header block, as Python tarfile reads them. */
export function headerSparseMap(block: Uint8Array): {
  extents: SparseExtent[];
  realSize: number | undefined;
} {
  // tarfile keeps all four header slots, empty ones as (0, 0) extents, which add nothing.
  return {
    extents: readExtents(block, HEADER_MAP_START, HEADER_EXTENTS, false),
    realSize: parseNumber(block, 483, 12),
  };
}

/** The extents of a GNU sparse extension block; tarfile skips slots whose offset or size is zero. */
export function extendedSparseMap(block: Uint8Array): { extents: SparseExtent[]; isExtended: boolean } {
  return { extents: readExtents(block, 0, EXTENDED_EXTENTS, true), isExtended: (block[504] ?? 0) !== 0 };
}

function readExtents(block: Uint8Array, start: number, count: number, skipEmpty: boolean): SparseExtent[] {
  const extents: SparseExtent[] = [];
  for (let i = 0; i < count; i++) {
    const offset = parseNumber(block, start + i * 24, 12);
    const size = parseNumber(block, start + i * 24 + 12, 12);
    if (offset === undefined || size === undefined) break;
    if (skipEmpty && (offset === 0 || size === 0)) continue;
    extents.push({ offset, size });
  }
  return extents;
}

/**
 * The file a sparse member extracts to, as tarfile builds it: each extent's stored bytes at its offset,
 * zeros in the holes between and up to `realSize`. Returns why it cannot when the map is out of order or
 * claims more data than is stored (tarfile's reconstruction is then undefined; the raw data is scanned).
 */
export function sparseContent(
  data: ByteSource,
  extents: readonly SparseExtent[],
  realSize: number,
): ByteSource | string {
  const parts: ByteSource[] = [];
  let position = 0;
  let stored = 0;
  for (const { offset, size } of extents) {
    // Empty extents (tarfile keeps the unused header slots as (0, 0)) never hold a byte of the file.
    if (size === 0) continue;
    if (offset < position) return `its sparse map goes back to offset ${offset} after ${position}`;
    if (stored + size > data.size) return `its sparse map claims more than the ${data.size} stored bytes`;
    if (offset > position) parts.push(zeros(offset - position));
    parts.push(sliceSource(data, stored, size));
    stored += size;
    position = offset + size;
  }
  if (!Number.isSafeInteger(realSize) || realSize < position)
    return `its real size ${realSize} is smaller than its sparse map`;
  if (realSize > position) parts.push(zeros(realSize - position));
  return concatSources(parts);
}

function zeros(size: number): ByteSource {
  return {
    size,
    read: (offset, length) =>
      Promise.resolve(new Uint8Array(Math.max(0, Math.min(length, size - Math.max(0, offset))))),
  };
}
