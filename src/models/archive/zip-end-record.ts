import { readFully } from '../../core/scan/byte-sources.js';
import { hasAsciiAt, readU16le, readU32le, readU64le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import { MALFORMED_ARCHIVE } from './archive-rules.js';
import type { DirectoryReport, ZipRange } from './zip-directory.js';
import { EOCD_SIZE, ZIP64_SENTINEL } from './zip-records.js';

const EOCD_SIGNATURE = 'PK\x05\x06';
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_RECORD_SIZE = 56;

/** The end-of-central-directory record found at the end of a zip. */
export interface EndRecord {
  readonly offset: number;
  readonly bytes: Uint8Array;
  readonly end: number;
}

/** What the end records say about the central directory (classic values replaced by ZIP64 ones). */
export interface Totals {
  disk: number;
  directoryDisk: number;
  entriesOnDisk: number;
  entries: number;
  directorySize: number;
  directoryOffset: number;
}

/** Finds the last end-of-central-directory record whose comment fits in the file, in the last 65,557 bytes. */
export async function findEndRecord(source: ByteSource): Promise<EndRecord | undefined> {
  if (source.size < EOCD_SIZE) return undefined;
  const last = await readFully(source, source.size - EOCD_SIZE, EOCD_SIZE);
  if (hasAsciiAt(last, 0, EOCD_SIGNATURE) && readU16le(last, 20) === 0) {
    return { offset: source.size - EOCD_SIZE, bytes: last, end: source.size };
  }
  const tailStart = Math.max(0, source.size - EOCD_SIZE - 0xffff);
  const tail = await readFully(source, tailStart, source.size - tailStart);
  let fallback: EndRecord | undefined;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail[i] !== 0x50 || !hasAsciiAt(tail, i, EOCD_SIGNATURE)) continue;
    const record = { offset: tailStart + i, bytes: tail.slice(i, i + EOCD_SIZE) };
    const end = tailStart + i + EOCD_SIZE + readU16le(tail, i + 20);
    if (end <= source.size) return { ...record, end };
    fallback ??= { ...record, end };
  }
  return fallback;
}

/** The directory totals of a classic end record. */
export function eocdTotals(bytes: Uint8Array): Totals {
  return {
    disk: readU16le(bytes, 4),
    directoryDisk: readU16le(bytes, 6),
    entriesOnDisk: readU16le(bytes, 8),
    entries: readU16le(bytes, 10),
    directorySize: readU32le(bytes, 12),
    directoryOffset: readU32le(bytes, 16),
  };
}

/** Replaces the totals with the ZIP64 record's when a locator precedes the end record; returns where the end records start. */
export async function applyZip64(
  source: ByteSource,
  eocdOffset: number,
  totals: Totals,
  records: ZipRange[],
  { sink, location }: DirectoryReport,
): Promise<number> {
  const usesSentinel =
    totals.entries === 0xffff ||
    totals.directorySize === ZIP64_SENTINEL ||
    totals.directoryOffset === ZIP64_SENTINEL;
  const locatorOffset = eocdOffset - ZIP64_LOCATOR_SIZE;
  const locator = locatorOffset >= 0 ? await readFully(source, locatorOffset, ZIP64_LOCATOR_SIZE) : undefined;
  if (locator === undefined || !hasAsciiAt(locator, 0, 'PK\x06\x07')) {
    if (usesSentinel) {
      sink.add(MALFORMED_ARCHIVE, {
        message: 'the end record defers to ZIP64 values but there is no ZIP64 locator',
        location: { ...location, offset: eocdOffset },
      });
    }
    return eocdOffset;
  }
  records.push({ start: locatorOffset, end: eocdOffset, what: 'ZIP64 locator' });
  const declared = readU64le(locator, 8);
  const adjacent = locatorOffset - ZIP64_RECORD_SIZE;
  for (const candidate of [declared, adjacent]) {
    if (!(candidate >= 0 && candidate + ZIP64_RECORD_SIZE <= locatorOffset)) continue;
    const record = await readFully(source, candidate, ZIP64_RECORD_SIZE);
    if (!hasAsciiAt(record, 0, 'PK\x06\x06')) continue;
    if (candidate !== declared) {
      sink.add(MALFORMED_ARCHIVE, {
        message: `the ZIP64 locator points to ${declared} but the ZIP64 end record is at ${candidate}`,
        location: { ...location, offset: locatorOffset },
      });
    }
    const recordEnd = candidate + 12 + readU64le(record, 4);
    if (recordEnd > locatorOffset) {
      sink.add(MALFORMED_ARCHIVE, {
        message: 'the ZIP64 end record claims to run past its locator',
        location: { ...location, offset: candidate },
      });
    }
    records.push({ start: candidate, end: Math.min(recordEnd, locatorOffset), what: 'ZIP64 end record' });
    totals.disk = readU32le(record, 16);
    totals.directoryDisk = readU32le(record, 20);
    totals.entriesOnDisk = readU64le(record, 24);
    totals.entries = readU64le(record, 32);
    totals.directorySize = readU64le(record, 40);
    totals.directoryOffset = readU64le(record, 48);
    return candidate;
  }
  sink.add(MALFORMED_ARCHIVE, {
    message: `the ZIP64 locator points to ${declared}, where there is no ZIP64 end record`,
    location: { ...location, offset: locatorOffset },
  });
  return locatorOffset;
}
