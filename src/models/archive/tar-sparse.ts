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

/** Which pax sparse format a member's records select, as tarfile decides it (0.1, then 0.0, then 1.0). */
export type PaxSparse =
  | { readonly kind: 'map'; readonly extents: SparseExtent[]; readonly realSize: number | undefined }
  | { readonly kind: 'in-data'; readonly realSize: number | undefined }
  | { readonly kind: 'invalid'; readonly problem: string };

const DECIMAL = /^\d{1,16}$/;

function decimal(value: string | undefined): number | undefined {
  return value !== undefined && DECIMAL.test(value) ? Number(value) : undefined;
}

/**
 * The sparse map of a pax member (GNU tar's `--format=posix` sparse files): 0.1 keeps it in
 * `GNU.sparse.map` (`offset,size,...`), 0.0 in repeated `GNU.sparse.offset`/`GNU.sparse.numbytes`
 * records (read in order), both with the real size in `GNU.sparse.size`; 1.0 (`GNU.sparse.major=1`,
 * `minor=0`) keeps the map at the start of the data ({@link readSparse10Map}) and the real size in
 * `GNU.sparse.realsize`. Undefined for a member without sparse records.
 */
export function paxSparseMap(
  pax: ReadonlyMap<string, string>,
  entries: readonly (readonly [string, string])[],
): PaxSparse | undefined {
  const map = pax.get('GNU.sparse.map');
  if (map !== undefined) {
    const numbers = map.split(',').map((part) => decimal(part.trim()));
    if (numbers.some((n) => n === undefined))
      return { kind: 'invalid', problem: 'GNU.sparse.map is not a list of numbers' };
    return {
      kind: 'map',
      extents: pairs(numbers as number[]),
      realSize: decimal(pax.get('GNU.sparse.size')),
    };
  }
  if (pax.has('GNU.sparse.size')) {
    const offsets: number[] = [];
    const sizes: number[] = [];
    for (const [key, value] of entries) {
      if (key !== 'GNU.sparse.offset' && key !== 'GNU.sparse.numbytes') continue;
      const n = decimal(value);
      if (n === undefined)
        return { kind: 'invalid', problem: `${key} ${JSON.stringify(value.slice(0, 40))} is not a number` };
      (key === 'GNU.sparse.offset' ? offsets : sizes).push(n);
    }
    const count = Math.min(offsets.length, sizes.length, MAX_SPARSE_EXTENTS);
    const extents: SparseExtent[] = [];
    for (let i = 0; i < count; i++) extents.push({ offset: offsets[i] ?? 0, size: sizes[i] ?? 0 });
    return { kind: 'map', extents, realSize: decimal(pax.get('GNU.sparse.size')) };
  }
  if (pax.get('GNU.sparse.major') === '1' && pax.get('GNU.sparse.minor') === '0')
    return { kind: 'in-data', realSize: decimal(pax.get('GNU.sparse.realsize')) };
  return undefined;
}

function pairs(numbers: readonly number[]): SparseExtent[] {
  const extents: SparseExtent[] = [];
  for (let i = 0; i + 1 < numbers.length && extents.length < MAX_SPARSE_EXTENTS; i += 2)
    extents.push({ offset: numbers[i] ?? 0, size: numbers[i + 1] ?? 0 });
  return extents;
}

/**
 * Reads a GNU sparse 1.0 map from the start of a member's data as tarfile does: a count line, then
 * 2 * count number lines, read in 512-byte blocks; the data starts at the next block after the map.
 * `read(blocks)` returns the first `blocks` blocks of the data. Returns the extents and the bytes the
 * map occupies, or why it cannot be read.
 */
export async function readSparse10Map(
  read: (blocks: number) => Promise<Uint8Array>,
  maxBlocks: number,
): Promise<{ extents: SparseExtent[]; mapBytes: number } | string> {
  let blocks = 1;
  let data = await read(blocks);
  let at = 0;
  const line = async (): Promise<number | string> => {
    for (;;) {
      const newline = data.indexOf(0x0a, at);
      if (newline >= 0) {
        if (newline - at > 20) return 'its sparse map has a line too long for a number';
        const text = String.fromCharCode(...data.subarray(at, newline));
        at = newline + 1;
        return decimal(text) ?? `sparse map line ${JSON.stringify(text.slice(0, 20))} is not a number`;
      }
      if (data.length - at > 20) return 'its sparse map has a line too long for a number';
      if (blocks >= maxBlocks || data.length < blocks * 512) return 'its sparse map runs past its data';
      blocks++;
      data = await read(blocks);
    }
  };
  const count = await line();
  if (typeof count === 'string') return count;
  if (count > MAX_SPARSE_EXTENTS) return `its sparse map declares ${count} extents`;
  const numbers: number[] = [];
  for (let i = 0; i < count * 2; i++) {
    const n = await line();
    if (typeof n === 'string') return n;
    numbers.push(n);
  }
  return { extents: pairs(numbers), mapBytes: blocks * 512 };
}
