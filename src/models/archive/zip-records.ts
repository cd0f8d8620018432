import { readU16le, readU32le, readU64le } from '../../core/scan/bytes.js';

/** Size of the fixed part of an end-of-central-directory record (APPNOTE 4.3.16). */
export const EOCD_SIZE = 22;
/** Size of the fixed part of a central directory file header (APPNOTE 4.3.12). */
export const CENTRAL_HEADER_SIZE = 46;
/** Size of the fixed part of a local file header (APPNOTE 4.3.7). */
export const LOCAL_HEADER_SIZE = 30;
/** The sentinel a 32-bit zip field holds when the real value is in the ZIP64 extra field. */
export const ZIP64_SENTINEL = 0xffffffff;

/** Flag bit 0: the member is encrypted. */
export const FLAG_ENCRYPTED = 0x0001;
/** Flag bit 3: CRC and sizes follow the data in a data descriptor. */
export const FLAG_DATA_DESCRIPTOR = 0x0008;
/** Flag bit 6: strong encryption. */
export const FLAG_STRONG_ENCRYPTION = 0x0040;

/** One member as the central directory (or, without one, its local header) describes it. */
export interface ZipEntry {
  /** Position in the central directory, from 0. */
  readonly index: number;
  readonly name: string;
  readonly rawName: Uint8Array;
  /** "Version made by"; the high byte is the host system (3 = Unix). */
  readonly madeBy: number;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Offset of the local header in the source, after any prepended-data shift. */
  readonly localOffset: number;
  /** External attributes; Unix writers put `st_mode` in the high 16 bits. */
  readonly externalAttributes: number;
  /** Offset of this entry's central directory header, or -1 when the entry came from a local header walk. */
  readonly centralOffset: number;
}

const nameDecoder = new TextDecoder('utf-8');

/** Decodes a member name for display and path checks (bytes that are not UTF-8 become U+FFFD). */
export function decodeName(raw: Uint8Array): string {
  return nameDecoder.decode(raw);
}

/** The data of extra field `id` in a zip extra block, or undefined; a malformed block ends the search. */
export function findExtraField(extra: Uint8Array, id: number): Uint8Array | undefined {
  let at = 0;
  while (at + 4 <= extra.length) {
    const fieldId = readU16le(extra, at);
    const length = readU16le(extra, at + 2);
    if (at + 4 + length > extra.length) return undefined;
    if (fieldId === id) return extra.subarray(at + 4, at + 4 + length);
    at += 4 + length;
  }
  return undefined;
}

/** 32-bit fields of a header and which of them ZIP64 replaces, in the order the extra field stores them. */
export interface Zip64Fields {
  uncompressedSize: number;
  compressedSize: number;
  localOffset: number;
}

/**
 * Replaces the sentinel fields of `fields` with their ZIP64 extra field values (APPNOTE 4.5.3: only the
 * fields that hold the sentinel are present, in this order). Returns false when a needed value is missing.
 */
export function applyZip64Extra(fields: Zip64Fields, extra: Uint8Array, local: boolean): boolean {
  const needsSizes = fields.uncompressedSize === ZIP64_SENTINEL || fields.compressedSize === ZIP64_SENTINEL;
  const needsAny = needsSizes || fields.localOffset === ZIP64_SENTINEL;
  if (!needsAny) return true;
  const data = findExtraField(extra, 0x0001);
  if (data === undefined) return false;
  let at = 0;
  const take = (): number | undefined => {
    if (at + 8 > data.length) return undefined;
    const value = readU64le(data, at);
    at += 8;
    return value;
  };
  // A local header's ZIP64 field holds both sizes whenever either is too large (APPNOTE 4.5.3).
  if (fields.uncompressedSize === ZIP64_SENTINEL || (local && needsSizes)) {
    const value = take();
    if (value === undefined) return false;
    fields.uncompressedSize = value;
  }
  if (fields.compressedSize === ZIP64_SENTINEL || (local && needsSizes)) {
    const value = take();
    if (value === undefined) return false;
    fields.compressedSize = value;
  }
  if (fields.localOffset === ZIP64_SENTINEL) {
    const value = take();
    if (value === undefined) return false;
    fields.localOffset = value;
  }
  return true;
}

/** Reads the fixed fields of a local file header at `at` in `bytes` (signature already checked). */
export function localFixedFields(bytes: Uint8Array, at: number) {
  return {
    flags: readU16le(bytes, at + 6),
    method: readU16le(bytes, at + 8),
    crc32: readU32le(bytes, at + 14),
    compressedSize: readU32le(bytes, at + 18),
    uncompressedSize: readU32le(bytes, at + 22),
    nameLength: readU16le(bytes, at + 26),
    extraLength: readU16le(bytes, at + 28),
  };
}

/** Human-readable name of a zip compression method, for messages. */
export function methodName(method: number): string {
  const names: Record<number, string> = {
    0: 'stored',
    8: 'deflate',
    9: 'deflate64',
    12: 'bzip2',
    14: 'LZMA',
    93: 'zstd',
    95: 'xz',
    98: 'PPMd',
    99: 'AES-encrypted',
  };
  return names[method] ?? `method ${method}`;
}
