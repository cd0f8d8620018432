import { readFully, sliceSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { Location } from '../../core/findings.js';
import { memberLocation, type ArtifactContext } from '../artifact.js';
import {
  ARCHIVE_BOMB,
  ENCRYPTED_MEMBER,
  INTEGRITY_MISMATCH,
  LINK_MEMBER,
  MALFORMED_ARCHIVE,
  SPECIAL_MEMBER,
  UNSUPPORTED_COMPRESSION,
} from './archive-rules.js';
import { scanRegion } from './archive-region.js';
import { crc32OfSource } from './crc-source.js';
import type { FindingSink } from './finding-sink.js';
import { inflatingSource, type InflateBudget, type InflateResult } from './inflate-source.js';
import { linkTargetEscapes } from './member-path.js';
import { FLAG_ENCRYPTED, FLAG_STRONG_ENCRYPTION, methodName, type ZipEntry } from './zip-records.js';

/**
 * Stored members up to this size are CRC-checked, and so is every larger member that loaders execute
 * or parse (pickles, JSON configs); other large members (tensor data) are not read, so a multi-GB
 * checkpoint costs a few seeks.
 */
export const MAX_STORED_CRC_BYTES = 1024 ** 2;
/** Members smaller than this are never called bombs for their ratio alone (zeros compress 1000:1). */
export const RATIO_FLOOR_BYTES = 1024 ** 2;
const MAX_LINK_TARGET = 4096;

/** A central directory entry joined with its local header. */
export interface ZipMember {
  readonly entry: ZipEntry;
  /** Where the member data starts, or undefined when the local header could not be read. */
  readonly dataOffset: number | undefined;
}

/** What scanning one member needs besides the member. */
export interface ZipMemberScan {
  readonly source: ByteSource;
  readonly ctx: ArtifactContext;
  readonly sink: FindingSink;
  /** Decompressed bytes still allowed for this archive. */
  readonly budget: InflateBudget;
}

type FileType = 'regular' | 'directory' | 'symlink' | 'special';

/**
 * Checks one zip member (type, encryption, method, bomb limits, CRC) and hands its content to
 * `ctx.scanNested`: stored members as a window of the archive (never copied), deflated ones through a lazily
 * inflating source. Stored members over 64 MiB are not CRC-checked, so a 10 GB checkpoint is not read.
 */
export async function scanZipMember(member: ZipMember, scan: ZipMemberScan): Promise<void> {
  const { entry, dataOffset } = member;
  const { sink, ctx } = scan;
  const location = { ...memberLocation(ctx.location, entry.name), offset: entry.localOffset };
  const type = fileType(entry);
  if (entry.name.endsWith('/')) {
    if (entry.compressedSize === 0 && entry.uncompressedSize === 0) return;
    sink.add(MALFORMED_ARCHIVE, {
      message: `directory entry ${entry.name} carries ${entry.compressedSize} bytes of data; it is scanned as a file`,
      location,
    });
  }
  if (type === 'special') {
    const mode = (entry.externalAttributes >>> 16).toString(8);
    sink.add(SPECIAL_MEMBER, {
      message: `member ${entry.name} is not a regular file (Unix mode ${mode})`,
      location,
      evidence: { mode },
    });
  }
  if (dataOffset === undefined) return;
  if ((entry.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 || entry.method === 99) {
    sink.add(ENCRYPTED_MEMBER, {
      message: `member ${entry.name} is encrypted and could not be scanned`,
      location,
    });
    return;
  }
  const data = sliceSource(scan.source, dataOffset, entry.compressedSize);
  if (entry.method === 0) await scanStored(entry, data, type, location, scan);
  else if (entry.method === 8) await scanDeflated(entry, { data, dataOffset }, type, location, scan);
  else {
    sink.add(UNSUPPORTED_COMPRESSION, {
      message: `member ${entry.name} is compressed with ${methodName(entry.method)} and could not be inspected`,
      location,
      evidence: { method: entry.method },
    });
  }
}

async function scanStored(
  entry: ZipEntry,
  data: ByteSource,
  type: FileType,
  location: Location,
  scan: ZipMemberScan,
): Promise<void> {
  if (entry.compressedSize !== entry.uncompressedSize) {
    scan.sink.add(MALFORMED_ARCHIVE, {
      message:
        `stored member ${entry.name} declares ${entry.compressedSize} compressed but ` +
        `${entry.uncompressedSize} uncompressed bytes`,
      location,
    });
  }
  const content = sliceSource(data, 0, Math.min(entry.compressedSize, entry.uncompressedSize));
  await scanContent(entry, content, type, location, scan);
  if (content.size !== entry.uncompressedSize) return;
  if (content.size > MAX_STORED_CRC_BYTES && !(await isParsedByLoaders(entry.name, content))) return;
  const crc = await crc32OfSource(content);
  if (crc !== entry.crc32) reportCrc(entry, crc, location, scan.sink);
}

async function scanDeflated(
  entry: ZipEntry,
  { data, dataOffset }: { data: ByteSource; dataOffset: number },
  type: FileType,
  location: Location,
  scan: ZipMemberScan,
): Promise<void> {
  const { sink, ctx, budget } = scan;
  const { maxInflatedBytes, maxCompressionRatio } = ctx.limits;
  const declared = entry.uncompressedSize;
  let bombReported = false;
  if (declared > maxInflatedBytes) {
    bombReported = true;
    sink.add(ARCHIVE_BOMB, {
      message:
        `member ${entry.name} declares ${declared} uncompressed bytes, over the per-member limit of ` +
        `${maxInflatedBytes}; only that much was scanned`,
      location,
      evidence: { declared, maxInflatedBytes },
    });
  } else if (isRatioBomb(declared, entry.compressedSize, maxCompressionRatio)) {
    bombReported = true;
    sink.add(ARCHIVE_BOMB, ratioFinding(entry, declared, maxCompressionRatio, location));
  }
  if (budget.remaining <= 0) {
    sink.add(ARCHIVE_BOMB, {
      message: `member ${entry.name} was not scanned: the archive's decompression budget is spent`,
      location,
      evidence: { maxTotalInflatedBytes: ctx.limits.maxTotalInflatedBytes },
    });
    return;
  }
  const size = Math.min(declared, Number.MAX_SAFE_INTEGER);
  const content = inflatingSource(data, size, { maxBytes: maxInflatedBytes, budget });
  let result: InflateResult;
  try {
    await scanContent(entry, content, type, location, scan);
    result = await content.finish();
  } finally {
    content.close();
  }
  await checkInflated(entry, result, { data, dataOffset, location, scan, bombReported });
}

async function checkInflated(
  entry: ZipEntry,
  result: InflateResult,
  checks: {
    data: ByteSource;
    dataOffset: number;
    location: Location;
    scan: ZipMemberScan;
    bombReported: boolean;
  },
): Promise<void> {
  const { data, location, scan } = checks;
  const { sink, ctx } = scan;
  const limits = ctx.limits;
  switch (result.outcome) {
    case 'complete':
      if (result.consumedBytes < data.size) {
        sink.add(MALFORMED_ARCHIVE, {
          message:
            `the deflate stream of ${entry.name} ends after ${result.consumedBytes} of its ` +
            `${data.size} compressed bytes; the rest belongs to no member`,
          location,
          evidence: { consumed: result.consumedBytes, compressedSize: data.size },
        });
        const start = checks.dataOffset + result.consumedBytes;
        await scanRegion(scan.source, { start, end: checks.dataOffset + data.size }, ctx, sink);
      }
      if (result.inflatedBytes !== entry.uncompressedSize) {
        sink.add(INTEGRITY_MISMATCH, {
          message:
            `member ${entry.name} inflates to ${result.inflatedBytes} bytes but declares ` +
            `${entry.uncompressedSize}`,
          location,
          evidence: { actual: result.inflatedBytes, declared: entry.uncompressedSize },
        });
      } else if (result.crc32 !== entry.crc32) {
        reportCrc(entry, result.crc32, location, sink);
      }
      if (!checks.bombReported && isRatioBomb(result.inflatedBytes, data.size, limits.maxCompressionRatio)) {
        sink.add(
          ARCHIVE_BOMB,
          ratioFinding(entry, result.inflatedBytes, limits.maxCompressionRatio, location),
        );
      }
      return;
    case 'truncated':
    case 'corrupt':
      sink.add(MALFORMED_ARCHIVE, {
        message:
          `the deflate data of ${entry.name} is ${result.outcome} after ${result.inflatedBytes} inflated bytes` +
          (result.message === undefined ? '' : `: ${result.message}`),
        location,
        evidence: { inflated: result.inflatedBytes, consumed: result.consumedBytes },
      });
      return;
    case 'member-limit':
      if (!checks.bombReported || entry.uncompressedSize <= limits.maxInflatedBytes) {
        sink.add(ARCHIVE_BOMB, {
          message:
            `member ${entry.name} inflates past the per-member limit of ${limits.maxInflatedBytes} bytes ` +
            `(it declares ${entry.uncompressedSize}); the rest was not scanned`,
          location,
          evidence: { declared: entry.uncompressedSize, maxInflatedBytes: limits.maxInflatedBytes },
        });
      }
      return;
    case 'total-limit':
      sink.add(ARCHIVE_BOMB, {
        message:
          `the archive's members inflate past the per-file limit of ${limits.maxTotalInflatedBytes} bytes ` +
          `while reading ${entry.name}; the rest was not scanned`,
        location,
        evidence: { maxTotalInflatedBytes: limits.maxTotalInflatedBytes },
      });
      return;
  }
}

async function scanContent(
  entry: ZipEntry,
  content: ByteSource,
  type: FileType,
  location: Location,
  scan: ZipMemberScan,
): Promise<void> {
  if (type === 'symlink') {
    const target = new TextDecoder().decode(
      await readFully(content, 0, Math.min(content.size, MAX_LINK_TARGET)),
    );
    const escapes = linkTargetEscapes(entry.name, target);
    scan.sink.add(LINK_MEMBER, {
      message: `member ${entry.name} is a symbolic link to ${JSON.stringify(target)}`,
      location,
      severity: escapes ? 'high' : 'medium',
      evidence: { target, escapes },
    });
  }
  // Loaders such as miniz read a member's bytes whatever its file type says, so every member is scanned.
  scan.sink.addNested(await scan.ctx.scanNested({ source: content, member: entry.name }));
}

function fileType(entry: ZipEntry): FileType {
  const format = (entry.externalAttributes >>> 16) & 0o170000;
  if (format === 0 || format === 0o100000) return 'regular';
  if (format === 0o040000) return 'directory';
  if (format === 0o120000) return 'symlink';
  return 'special';
}

function isRatioBomb(inflated: number, compressed: number, maxRatio: number): boolean {
  return inflated >= RATIO_FLOOR_BYTES && inflated / Math.max(1, compressed) > maxRatio;
}

function ratioFinding(entry: ZipEntry, inflated: number, maxRatio: number, location: Location) {
  const ratio = Math.round(inflated / Math.max(1, entry.compressedSize));
  return {
    message: `member ${entry.name} expands ${ratio}:1 (${inflated} bytes), over the ratio limit of ${maxRatio}:1`,
    location,
    severity: 'medium' as const,
    evidence: { ratio, inflated, compressed: entry.compressedSize, maxCompressionRatio: maxRatio },
  };
}

function reportCrc(entry: ZipEntry, actual: number, location: Location, sink: FindingSink): void {
  const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
  sink.add(INTEGRITY_MISMATCH, {
    message:
      `member ${entry.name} has CRC-32 ${hex(actual)} but the archive declares ${hex(entry.crc32)}: PyTorch ` +
      'ignores this while zipfile-based scanners reject the file',
    location,
    evidence: { actual: hex(actual), declared: hex(entry.crc32) },
  });
}

/** Whether a loader parses the member (a pickle or a JSON config) rather than mapping it as tensor bytes. */
async function isParsedByLoaders(name: string, content: ByteSource): Promise<boolean> {
  if (/\.(pkl|pickle|json)$/i.test(name)) return true;
  const head = await content.read(0, 2);
  return (head[0] === 0x80 && (head[1] ?? 0xff) <= 5) || head[0] === 0x7b;
}
