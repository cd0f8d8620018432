import { readFully } from '../../core/scan/byte-sources.js';
import { hasAsciiAt, readU16le, readU32le, readU64le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import { HEADER_MISMATCH, MALFORMED_ARCHIVE } from './archive-rules.js';
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

/**
 * Finds the end-of-central-directory record as miniz (PyTorch) and Python zipfile both do: the last
 * `PK\x05\x06` signature with room for the fixed record in the last 65,557 bytes, whether or not its
 * comment fits in the file. Preferring a record whose comment fits would read a decoy directory whose
 * comment swallows the real end record.
 */
export async function findEndRecord(source: ByteSource): Promise<EndRecord | undefined> {
  if (source.size < EOCD_SIZE) return undefined;
  // The last possible position is checked alone first, so an ordinary zip costs one small read.
  const last = await readFully(source, source.size - EOCD_SIZE, EOCD_SIZE);
  if (hasAsciiAt(last, 0, EOCD_SIGNATURE)) {
    return { offset: source.size - EOCD_SIZE, bytes: last, end: source.size + readU16le(last, 20) };
  }
  const tailStart = Math.max(0, source.size - EOCD_SIZE - 0xffff);
  const tail = await readFully(source, tailStart, source.size - tailStart);
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail[i] !== 0x50 || !hasAsciiAt(tail, i, EOCD_SIGNATURE)) continue;
    const bytes = tail.slice(i, i + EOCD_SIZE);
    return { offset: tailStart + i, bytes, end: tailStart + i + EOCD_SIZE + readU16le(bytes, 20) };
  }
  return undefined;
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

/** One reading of the end records: the central directory that some loaders use. */
export interface EndView {
  readonly totals: Totals;
  /** Where the end records start; the central directory lies before. */
  readonly endStart: number;
  /** The loaders that read the archive this way, for messages. */
  readonly readers: string;
}

interface Zip64Record {
  readonly offset: number;
  readonly totals: Totals;
}

/**
 * Reads the ZIP64 locator and records before the end record at `eocdOffset` and returns every distinct
 * view of the central directory a real loader takes, the one miniz (PyTorch) reads first: miniz follows the
 * locator's offset and falls back to the classic values when no ZIP64 record is there; Python zipfile
 * before 3.13 reads the ZIP64 record right before the locator whatever the locator says; readers that
 * honour ZIP64 only behind sentinels read the classic values. Disagreeing views are a finding and every
 * one is scanned, so a directory shown to only one loader is still seen.
 */
export async function readEndViews(
  source: ByteSource,
  eocdOffset: number,
  classic: Totals,
  records: ZipRange[],
  { sink, location }: DirectoryReport,
): Promise<EndView[]> {
  const usesSentinel =
    classic.entries === 0xffff ||
    classic.directorySize === ZIP64_SENTINEL ||
    classic.directoryOffset === ZIP64_SENTINEL;
  const locatorOffset = eocdOffset - ZIP64_LOCATOR_SIZE;
  const locator = locatorOffset >= 0 ? await readFully(source, locatorOffset, ZIP64_LOCATOR_SIZE) : undefined;
  if (locator === undefined || !hasAsciiAt(locator, 0, 'PK\x06\x07')) {
    if (usesSentinel) {
      sink.add(MALFORMED_ARCHIVE, {
        message: 'the end record defers to ZIP64 values but there is no ZIP64 locator',
        location: { ...location, offset: eocdOffset },
      });
    }
    return [{ totals: classic, endStart: eocdOffset, readers: 'every reader' }];
  }
  records.push({ start: locatorOffset, end: eocdOffset, what: 'ZIP64 locator' });
  const declared = readU64le(locator, 8);
  const adjacent = locatorOffset - ZIP64_RECORD_SIZE;
  const atDeclared = await readZip64Record(source, declared, records, { sink, location });
  const atAdjacent =
    adjacent === declared ? atDeclared : await readZip64Record(source, adjacent, records, { sink, location });
  if (atDeclared === undefined) {
    sink.add(MALFORMED_ARCHIVE, {
      message:
        atAdjacent === undefined
          ? `the ZIP64 locator points to ${declared}, where there is no ZIP64 end record`
          : `the ZIP64 locator points to ${declared} but the ZIP64 end record is at ${adjacent}`,
      location: { ...location, offset: locatorOffset },
    });
  }
  const classicView = { totals: classic, endStart: locatorOffset };
  const view = (record: Zip64Record | undefined) =>
    record === undefined
      ? classicView
      : { totals: record.totals, endStart: Math.min(record.offset, locatorOffset) };
  const candidates = [
    { ...view(atDeclared), readers: 'miniz (PyTorch)' },
    { ...view(atAdjacent), readers: 'Python zipfile' },
    ...(usesSentinel ? [] : [{ ...classicView, readers: 'readers of the classic end record' }]),
  ];
  const views: EndView[] = [];
  for (const candidate of candidates) {
    const same = views.findIndex((v) => sameDirectory(v.totals, candidate.totals));
    if (same < 0) views.push(candidate);
    else {
      const existing = views[same];
      if (existing !== undefined)
        views[same] = { ...existing, readers: `${existing.readers}, ${candidate.readers}` };
    }
  }
  if (views.length > 1) {
    sink.add(HEADER_MISMATCH, {
      message:
        'the end records disagree about the central directory (' +
        views
          .map((v) => `${v.readers}: ${v.totals.directorySize} bytes at ${v.totals.directoryOffset}`)
          .join('; ') +
        '); each directory was scanned',
      location: { ...location, offset: locatorOffset },
      evidence: { views: views.map((v) => ({ readers: v.readers, offset: v.totals.directoryOffset })) },
    });
  }
  return views;
}

async function readZip64Record(
  source: ByteSource,
  offset: number,
  records: ZipRange[],
  { sink, location }: Pick<DirectoryReport, 'sink' | 'location'>,
): Promise<Zip64Record | undefined> {
  if (!(offset >= 0 && offset + ZIP64_RECORD_SIZE <= source.size)) return undefined;
  const record = await readFully(source, offset, ZIP64_RECORD_SIZE);
  if (!hasAsciiAt(record, 0, 'PK\x06\x06')) return undefined;
  const recordEnd = offset + 12 + readU64le(record, 4);
  if (recordEnd > source.size) {
    sink.add(MALFORMED_ARCHIVE, {
      message: 'the ZIP64 end record claims to run past the end of the file',
      location: { ...location, offset },
    });
  }
  records.push({ start: offset, end: Math.min(recordEnd, source.size), what: 'ZIP64 end record' });
  return {
    offset,
    totals: {
      disk: readU32le(record, 16),
      directoryDisk: readU32le(record, 20),
      entriesOnDisk: readU64le(record, 24),
      entries: readU64le(record, 32),
      directorySize: readU64le(record, 40),
      directoryOffset: readU64le(record, 48),
    },
  };
}

function sameDirectory(a: Totals, b: Totals): boolean {
  return a.directoryOffset === b.directoryOffset && a.directorySize === b.directorySize;
}
