import { readFully } from '../../core/scan/byte-sources.js';
import { hasAsciiAt, readU32le, readU64le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import {
  applyZip64Extra,
  decodeName,
  FLAG_DATA_DESCRIPTOR,
  LOCAL_HEADER_SIZE,
  localFixedFields,
  type ZipEntry,
} from './zip-records.js';

/** A local file header: what a streaming reader sees before the member data. */
export interface LocalHeader {
  readonly offset: number;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly rawName: Uint8Array;
  /** Where the member data starts: after the header, its name and its extra field. */
  readonly dataOffset: number;
}

/**
 * Reads the local header at `offset`, reading exactly the header, name and extra field and nothing of the
 * data. Returns why it could not when there is none.
 */
export async function readLocalHeader(source: ByteSource, offset: number): Promise<LocalHeader | string> {
  if (!(offset >= 0 && offset + LOCAL_HEADER_SIZE <= source.size))
    return `offset ${offset} is outside the file`;
  const fixed = await readFully(source, offset, LOCAL_HEADER_SIZE);
  if (!hasAsciiAt(fixed, 0, 'PK\x03\x04')) return `there is no local header signature at offset ${offset}`;
  const header = localFixedFields(fixed, 0);
  const variableLength = header.nameLength + header.extraLength;
  const variable = await readFully(source, offset + LOCAL_HEADER_SIZE, variableLength);
  if (variable.length < variableLength) return `the local header at offset ${offset} is truncated`;
  const sizes = {
    compressedSize: header.compressedSize,
    uncompressedSize: header.uncompressedSize,
    localOffset: 0,
  };
  applyZip64Extra(sizes, variable.subarray(header.nameLength), true);
  return {
    offset,
    flags: header.flags,
    method: header.method,
    crc32: header.crc32,
    compressedSize: sizes.compressedSize,
    uncompressedSize: sizes.uncompressedSize,
    rawName: variable.slice(0, header.nameLength),
    dataOffset: offset + LOCAL_HEADER_SIZE + variableLength,
  };
}

/**
 * Lists the fields in which a local header disagrees with its central directory entry. With flag bit 3 the
 * local CRC and sizes are normally zero (the data descriptor holds them), so only non-zero ones count.
 */
export function headerDifferences(entry: ZipEntry, local: LocalHeader): string[] {
  const differences: string[] = [];
  if (!sameBytes(entry.rawName, local.rawName))
    differences.push(`name (local ${JSON.stringify(decodeName(local.rawName))})`);
  if (entry.method !== local.method)
    differences.push(`method (local ${local.method}, central ${entry.method})`);
  if (entry.flags !== local.flags)
    differences.push(`flags (local 0x${hex(local.flags)}, central 0x${hex(entry.flags)})`);
  const deferred = (local.flags & FLAG_DATA_DESCRIPTOR) !== 0;
  const compare = (what: string, localValue: number, centralValue: number, asHex = false): void => {
    if (localValue === centralValue || (deferred && localValue === 0)) return;
    const show = (v: number) => (asHex ? `0x${hex(v)}` : String(v));
    differences.push(`${what} (local ${show(localValue)}, central ${show(centralValue)})`);
  };
  compare('CRC-32', local.crc32, entry.crc32, true);
  compare('compressed size', local.compressedSize, entry.compressedSize);
  compare('uncompressed size', local.uncompressedSize, entry.uncompressedSize);
  return differences;
}

/** A data descriptor after the member data, as far as it could be matched. */
export interface Descriptor {
  /** Bytes it occupies (0 when missing). */
  readonly length: number;
  /** Why it does not confirm the central directory, when it does not. */
  readonly problem?: { readonly kind: 'missing' | 'mismatch'; readonly detail: string };
}

/**
 * Reads the data descriptor of a flag-bit-3 member at `dataEnd` in any of its four forms (with or without
 * signature, 32- or 64-bit sizes) and checks it against the central directory entry.
 */
export async function readDescriptor(
  source: ByteSource,
  entry: ZipEntry,
  dataEnd: number,
): Promise<Descriptor> {
  const bytes = dataEnd >= 0 ? await readFully(source, dataEnd, 24) : new Uint8Array(0);
  const signed = hasAsciiAt(bytes, 0, 'PK\x07\x08');
  const forms = [
    ...(signed ? [form(bytes, 4, 4, 16), form(bytes, 4, 8, 24)] : []),
    form(bytes, 0, 4, 12),
    form(bytes, 0, 8, 20),
  ];
  const match = forms.find(
    (f) =>
      bytes.length >= f.length &&
      f.crc32 === entry.crc32 &&
      f.compressedSize === entry.compressedSize &&
      f.uncompressedSize === entry.uncompressedSize,
  );
  if (match !== undefined) return { length: match.length };
  if (bytes.length < 12 || hasAsciiAt(bytes, 0, 'PK\x03\x04') || hasAsciiAt(bytes, 0, 'PK\x01\x02')) {
    return {
      length: 0,
      problem: { kind: 'missing', detail: 'flag bit 3 is set but no data descriptor follows the data' },
    };
  }
  const shown = forms[0] ?? form(bytes, 0, 4, 12);
  return {
    length: shown.length,
    problem: {
      kind: 'mismatch',
      detail:
        `the data descriptor says CRC-32 0x${hex(shown.crc32)}, ${shown.compressedSize} compressed and ` +
        `${shown.uncompressedSize} uncompressed bytes; the central directory says 0x${hex(entry.crc32)}, ` +
        `${entry.compressedSize} and ${entry.uncompressedSize}`,
    },
  };
}

function form(bytes: Uint8Array, at: number, width: 4 | 8, length: number) {
  const read = width === 4 ? readU32le : readU64le;
  return {
    length,
    crc32: readU32le(bytes, at),
    compressedSize: read(bytes, at + 4),
    uncompressedSize: read(bytes, at + 4 + width),
  };
}

/** The result of walking local headers from the start of a zip that has no usable central directory. */
export interface LocalWalk {
  readonly entries: ZipEntry[];
  /** Why the walk stopped before the end of the file, if it did. */
  readonly stoppedAt?: { readonly offset: number; readonly reason: string };
}

/**
 * Finds members by walking local headers from offset 0, as streaming readers do, for a zip without a
 * central directory (a truncated download still holds its first members). Stops at the first member whose
 * size is only in a data descriptor, or after `maxMembers`.
 */
export async function walkLocalHeaders(source: ByteSource, maxMembers: number): Promise<LocalWalk> {
  const entries: ZipEntry[] = [];
  let offset = 0;
  while (offset < source.size && entries.length < maxMembers) {
    const local = await readLocalHeader(source, offset);
    if (typeof local === 'string') return { entries, stoppedAt: { offset, reason: local } };
    const rawName = local.rawName;
    entries.push({
      index: entries.length,
      name: decodeName(rawName),
      rawName,
      madeBy: 0,
      flags: local.flags,
      method: local.method,
      crc32: local.crc32,
      compressedSize: local.compressedSize,
      uncompressedSize: local.uncompressedSize,
      localOffset: offset,
      externalAttributes: 0,
      centralOffset: -1,
    });
    if ((local.flags & FLAG_DATA_DESCRIPTOR) !== 0 && local.compressedSize === 0) {
      return { entries, stoppedAt: { offset, reason: 'its size is only given in a data descriptor' } };
    }
    offset = local.dataOffset + local.compressedSize;
    if ((local.flags & FLAG_DATA_DESCRIPTOR) !== 0) {
      offset += hasAsciiAt(await readFully(source, offset, 4), 0, 'PK\x07\x08') ? 16 : 12;
    }
  }
  return offset < source.size
    ? { entries, stoppedAt: { offset, reason: 'the member limit was reached' } }
    : { entries };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
