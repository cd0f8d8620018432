import { readFully } from '../../core/scan/byte-sources.js';
import { hasAsciiAt, readU16le, readU32le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import { memberLocation, type ArtifactLocation, type ModelScanLimits } from '../artifact.js';
import { ARCHIVE_BOMB, MALFORMED_ARCHIVE, PREPENDED_DATA } from './archive-rules.js';
import type { FindingSink } from './finding-sink.js';
import { WindowReader } from './window-reader.js';
import { eocdTotals, findEndRecord, readEndViews, type EndView, type Totals } from './zip-end-record.js';
import { applyZip64Extra, CENTRAL_HEADER_SIZE, decodeName, type ZipEntry } from './zip-records.js';

const CENTRAL_SIGNATURE = 'PK\x01\x02';

/** A byte range occupied by the zip's own records rather than by a member. */
export interface ZipRange {
  readonly start: number;
  readonly end: number;
  readonly what: string;
}

/** The central directory of a zip: its entries and where its records lie. */
export interface ZipDirectory {
  readonly entries: readonly ZipEntry[];
  readonly records: readonly ZipRange[];
  /** False when the member limit stopped the listing: the unlisted members' bytes are not gaps. */
  readonly complete: boolean;
}

/** Where findings go while reading the directory. */
export interface DirectoryReport {
  readonly sink: FindingSink;
  readonly location: ArtifactLocation;
  readonly limits: ModelScanLimits;
}

/**
 * Reads the end of central directory (the last signature in the last 65,557 bytes, as miniz and zipfile
 * find it), the ZIP64 locator and records, and every entry of each central directory a real loader would
 * read (they differ only in crafted archives), reporting structural problems to `report.sink`. Returns
 * undefined when there is no usable central directory.
 */
export async function readZipDirectory(
  source: ByteSource,
  report: DirectoryReport,
): Promise<ZipDirectory | undefined> {
  const { sink, location } = report;
  const at = (offset: number) => ({ ...location, offset });
  const end = await findEndRecord(source);
  if (end === undefined) {
    sink.add(MALFORMED_ARCHIVE, { message: 'no end of central directory record was found', location: at(0) });
    return undefined;
  }
  if (end.end > source.size) {
    sink.add(MALFORMED_ARCHIVE, {
      message: 'the archive comment runs past the end of the file',
      location: at(end.offset),
    });
  }
  const records: ZipRange[] = [
    { start: end.offset, end: Math.min(end.end, source.size), what: 'end record' },
  ];
  const views = await readEndViews(source, end.offset, eocdTotals(end.bytes), records, report);
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let complete = true;
  let found = false;
  for (const view of views) {
    const listed = await readView(source, view, records, report);
    if (listed === undefined) continue;
    found = true;
    complete &&= !listed.limited;
    for (const entry of listed.entries) {
      // Views that agree list the same members; only the ones a single loader sees are added.
      const key = `${entry.localOffset}\0${entry.name}`;
      if (seen.has(key) || entries.length >= report.limits.maxMembers) continue;
      seen.add(key);
      entries.push({ ...entry, index: entries.length });
    }
  }
  return found ? { entries, records, complete } : undefined;
}

/** Reads the central directory that one view of the end records points to. */
async function readView(
  source: ByteSource,
  { totals, endStart }: EndView,
  records: ZipRange[],
  report: DirectoryReport,
): Promise<{ entries: ZipEntry[]; limited: boolean } | undefined> {
  const { sink, location } = report;
  const at = (offset: number) => ({ ...location, offset });
  if (totals.disk !== 0 || totals.directoryDisk !== 0) {
    sink.add(MALFORMED_ARCHIVE, {
      message: 'the archive claims to span several disks',
      location: at(endStart),
    });
  }
  if (totals.entriesOnDisk !== totals.entries) {
    sink.add(MALFORMED_ARCHIVE, {
      message: `the end record counts ${totals.entriesOnDisk} entries on this disk but ${totals.entries} in total`,
      location: at(endStart),
      evidence: { entriesOnDisk: totals.entriesOnDisk, entries: totals.entries },
    });
  }
  const start = await locateDirectory(source, totals, endStart, report);
  if (start === undefined) return undefined;
  const directoryEnd = start + totals.directorySize;
  if (directoryEnd > endStart) {
    sink.add(MALFORMED_ARCHIVE, {
      message: `the central directory (${totals.directorySize} bytes at ${start}) runs into the end records or past the file`,
      location: at(start),
    });
  }
  const limit = Math.min(directoryEnd, endStart, source.size);
  records.push({ start, end: Math.max(start, limit), what: 'central directory' });
  // Python zipfile shifts member offsets by the prepended length; a negative shift would point before the file.
  const shift = Math.max(0, start - totals.directoryOffset);
  const listed = await readEntries(source, start, limit, shift, report);
  if (listed.entries.length !== totals.entries && !listed.limited) {
    sink.add(MALFORMED_ARCHIVE, {
      message: `the end record counts ${totals.entries} entries but the central directory holds ${listed.entries.length}`,
      location: at(start),
      evidence: { declared: totals.entries, found: listed.entries.length },
    });
  }
  return listed;
}

/**
 * Finds the central directory at its declared offset (as miniz does) or, failing that, right before the end
 * records (as Python zipfile does for archives with prepended data, shifting every offset).
 */
async function locateDirectory(
  source: ByteSource,
  totals: Totals,
  endStart: number,
  { sink, location }: DirectoryReport,
): Promise<number | undefined> {
  const declared = totals.directoryOffset;
  if (totals.entries === 0 && totals.directorySize === 0) return Math.min(declared, endStart);
  if (await hasSignature(source, declared, CENTRAL_SIGNATURE)) return declared;
  const guess = endStart - totals.directorySize;
  if (guess >= 0 && guess !== declared && (await hasSignature(source, guess, CENTRAL_SIGNATURE))) {
    const shift = guess - declared;
    const rule = shift > 0 ? PREPENDED_DATA : MALFORMED_ARCHIVE;
    sink.add(rule, {
      message:
        shift > 0
          ? `the central directory is ${shift} bytes after where the end record says: data was prepended; ` +
            'Python zipfile shifts every offset to match while miniz (PyTorch) reads them as written'
          : `the central directory is ${-shift} bytes before where the end record says; it was read where it is`,
      location: { ...location, offset: guess },
      evidence: { declaredOffset: declared, actualOffset: guess },
    });
    return guess;
  }
  sink.add(MALFORMED_ARCHIVE, {
    message: `there is no central directory at offset ${declared} (${totals.directorySize} bytes declared)`,
    location: { ...location, offset: Math.min(declared, source.size) },
    evidence: { directoryOffset: declared, directorySize: totals.directorySize },
  });
  return undefined;
}

async function hasSignature(source: ByteSource, offset: number, signature: string): Promise<boolean> {
  if (!(offset >= 0 && offset + 4 <= source.size)) return false;
  return hasAsciiAt(await readFully(source, offset, 4), 0, signature);
}

async function readEntries(
  source: ByteSource,
  start: number,
  limit: number,
  shift: number,
  { sink, location, limits }: DirectoryReport,
): Promise<{ entries: ZipEntry[]; limited: boolean }> {
  const reader = new WindowReader(source, limit);
  const entries: ZipEntry[] = [];
  let at = start;
  while (at < limit) {
    if (entries.length >= limits.maxMembers) {
      sink.add(ARCHIVE_BOMB, {
        message: `the archive lists more than ${limits.maxMembers} members; the rest were not scanned`,
        location: { ...location, offset: at },
        evidence: { maxMembers: limits.maxMembers },
      });
      return { entries, limited: true };
    }
    const head = await reader.bytes(at, CENTRAL_HEADER_SIZE);
    if (head.length < CENTRAL_HEADER_SIZE || !hasAsciiAt(head, 0, CENTRAL_SIGNATURE)) {
      const what = head.length < CENTRAL_HEADER_SIZE ? 'is truncated' : 'has no valid signature';
      sink.add(MALFORMED_ARCHIVE, {
        message: `central directory entry ${entries.length} at offset ${at} ${what}`,
        location: { ...location, offset: at },
      });
      break;
    }
    const nameLength = readU16le(head, 28);
    const extraLength = readU16le(head, 30);
    const recordEnd = at + CENTRAL_HEADER_SIZE + nameLength + extraLength + readU16le(head, 32);
    if (recordEnd > limit) {
      sink.add(MALFORMED_ARCHIVE, {
        message: `central directory entry ${entries.length} at offset ${at} runs past the directory`,
        location: { ...location, offset: at },
      });
      break;
    }
    const variable = await reader.bytes(at + CENTRAL_HEADER_SIZE, nameLength + extraLength);
    const rawName = variable.slice(0, nameLength);
    const name = decodeName(rawName);
    const fields = {
      compressedSize: readU32le(head, 20),
      uncompressedSize: readU32le(head, 24),
      localOffset: readU32le(head, 42),
    };
    if (!applyZip64Extra(fields, variable.subarray(nameLength), false)) {
      sink.add(MALFORMED_ARCHIVE, {
        message: `central directory entry ${name} defers to ZIP64 values that its extra field does not hold`,
        location: { ...memberLocation(location, name), offset: at },
      });
    }
    if (readU16le(head, 34) !== 0) {
      sink.add(MALFORMED_ARCHIVE, {
        message: `member ${name} claims to start on another disk`,
        location: { ...memberLocation(location, name), offset: at },
      });
    }
    entries.push({
      index: entries.length,
      name,
      rawName,
      madeBy: readU16le(head, 4),
      flags: readU16le(head, 8),
      method: readU16le(head, 10),
      crc32: readU32le(head, 16),
      compressedSize: fields.compressedSize,
      uncompressedSize: fields.uncompressedSize,
      localOffset: fields.localOffset + shift,
      externalAttributes: readU32le(head, 38),
      centralOffset: at,
    });
    at = recordEnd;
  }
  return { entries, limited: false };
}
