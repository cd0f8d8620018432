import type { Finding, Location } from '../../core/findings.js';
import { readFully, sliceSource } from '../../core/scan/byte-sources.js';
import { readU32le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { firstNonZeroOffset, scanRegion } from './archive-region.js';
import { ARCHIVE_BOMB, HIDDEN_DATA, INTEGRITY_MISMATCH, MALFORMED_ARCHIVE } from './archive-rules.js';
import { concatSources } from './concat-source.js';
import { isTooDeep } from './archive-depth.js';
import { FindingSink } from './finding-sink.js';
import { readGzipHeader } from './gzip-header.js';
import { inflateToEnd, inflatingSource, type InflateResult, type InflatingSource } from './inflate-source.js';
import { RATIO_FLOOR_BYTES } from './zip-member.js';

const MAX_PADDING_CHECK = 16 * 1024 * 1024;

/** One gzip member: where its deflate data is and what it inflated to. */
interface GzipPart {
  readonly dataOffset: number;
  readonly compressedLength: number;
  readonly inflatedBytes: number;
}

/**
 * Scans a gzip file of one or more members (RFC 1952): checks each header, inflates each member once to
 * its end within the limits (CRC-32, ISIZE, ratio, truncation), then hands the whole decompressed stream
 * to `ctx.scanNested` under the stored file name (FNAME) or the file's stem, through sources that inflate
 * again lazily, only as far as the nested scanner reads.
 */
export async function scanGzip(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const sink = new FindingSink(ctx.location);
  const at = (offset: number): Location => ({ ...ctx.location, offset });
  if (isTooDeep(ctx, sink, 'gzip stream', 'it was not decompressed')) return sink.findings();
  const parts: GzipPart[] = [];
  const budget = { remaining: ctx.limits.maxTotalInflatedBytes };
  let inflated = 0;
  let name: string | undefined;
  let offset = 0;
  while (offset < source.size && parts.length < ctx.limits.maxMembers) {
    ctx.signal?.throwIfAborted();
    if (parts.length > 0) {
      const next = await firstNonZeroOffset(source, offset, MAX_PADDING_CHECK);
      if (next === undefined) break;
      offset = next;
    }
    const header = await readGzipHeader(source, offset);
    if (typeof header === 'string') {
      if (parts.length === 0) sink.add(MALFORMED_ARCHIVE, { message: header, location: at(offset) });
      else await reportTrailing(source, offset, ctx, sink);
      break;
    }
    name ??= header.name;
    if (header.warning !== undefined) {
      sink.add(MALFORMED_ARCHIVE, {
        message: `gzip member at offset ${offset}: ${header.warning}`,
        location: at(offset),
      });
    }
    if (!header.headerCrcOk) {
      sink.add(INTEGRITY_MISMATCH, {
        message: `the gzip header CRC at offset ${offset} does not match`,
        location: at(offset),
      });
    }
    const dataOffset = offset + header.length;
    const result = await inflateToEnd(sliceSource(source, dataOffset, source.size - dataOffset), {
      maxBytes: ctx.limits.maxInflatedBytes - inflated,
      budget,
    });
    inflated += result.inflatedBytes;
    const complete = result.outcome === 'complete';
    parts.push({
      dataOffset,
      compressedLength: complete ? result.consumedBytes : source.size - dataOffset,
      inflatedBytes: result.inflatedBytes,
    });
    if (!complete) {
      reportIncomplete(result, ctx, sink, at(dataOffset));
      break;
    }
    const trailerOffset = dataOffset + result.consumedBytes;
    await checkTrailer(source, trailerOffset, result, sink, at(trailerOffset));
    offset = trailerOffset + 8;
  }
  if (inflated >= RATIO_FLOOR_BYTES && inflated / Math.max(1, source.size) > ctx.limits.maxCompressionRatio) {
    const ratio = Math.round(inflated / Math.max(1, source.size));
    sink.add(ARCHIVE_BOMB, {
      message: `the gzip stream expands ${ratio}:1 (${inflated} bytes), over the ratio limit of ${ctx.limits.maxCompressionRatio}:1`,
      location: ctx.location,
      severity: 'medium',
      evidence: { ratio, inflated, maxCompressionRatio: ctx.limits.maxCompressionRatio },
    });
  }
  if (parts.length > 0) await scanContent(source, parts, name ?? stemOf(ctx), ctx, sink);
  return sink.findings();
}

async function scanContent(
  source: ByteSource,
  parts: readonly GzipPart[],
  member: string,
  ctx: ArtifactContext,
  sink: FindingSink,
): Promise<void> {
  const sources: InflatingSource[] = parts.map((part) =>
    inflatingSource(sliceSource(source, part.dataOffset, part.compressedLength), part.inflatedBytes, {
      maxBytes: part.inflatedBytes,
    }),
  );
  try {
    const content = sources.length === 1 && sources[0] !== undefined ? sources[0] : concatSources(sources);
    sink.addNested(await ctx.scanNested({ source: content, member }));
  } finally {
    for (const part of sources) part.close();
  }
}

async function checkTrailer(
  source: ByteSource,
  offset: number,
  result: InflateResult,
  sink: FindingSink,
  location: Location,
): Promise<void> {
  const trailer = await readFully(source, offset, 8);
  if (trailer.length < 8) {
    sink.add(MALFORMED_ARCHIVE, { message: 'the gzip trailer (CRC-32 and size) is truncated', location });
    return;
  }
  const crc = readU32le(trailer, 0);
  const isize = readU32le(trailer, 4);
  const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
  if (crc !== result.crc32) {
    sink.add(INTEGRITY_MISMATCH, {
      message: `the gzip member inflates to CRC-32 ${hex(result.crc32)} but its trailer says ${hex(crc)}`,
      location,
      evidence: { actual: hex(result.crc32), declared: hex(crc) },
    });
  }
  if (isize !== result.inflatedBytes % 2 ** 32) {
    sink.add(INTEGRITY_MISMATCH, {
      message: `the gzip member inflates to ${result.inflatedBytes} bytes but its trailer says ${isize} (mod 2^32)`,
      location,
      evidence: { actual: result.inflatedBytes, declared: isize },
    });
  }
}

function reportIncomplete(
  result: InflateResult,
  ctx: ArtifactContext,
  sink: FindingSink,
  location: Location,
): void {
  const limits = ctx.limits;
  switch (result.outcome) {
    case 'complete':
      return;
    case 'truncated':
    case 'corrupt':
      sink.add(MALFORMED_ARCHIVE, {
        message:
          `the gzip deflate data is ${result.outcome} after ${result.inflatedBytes} inflated bytes` +
          (result.message === undefined ? '' : `: ${result.message}`),
        location,
      });
      return;
    case 'member-limit':
    case 'total-limit':
      sink.add(ARCHIVE_BOMB, {
        message:
          `the gzip stream inflates past the limit of ${Math.min(limits.maxInflatedBytes, limits.maxTotalInflatedBytes)} ` +
          'bytes; only that much was scanned',
        location,
        evidence: {
          maxInflatedBytes: limits.maxInflatedBytes,
          maxTotalInflatedBytes: limits.maxTotalInflatedBytes,
        },
      });
      return;
  }
}

async function reportTrailing(
  source: ByteSource,
  offset: number,
  ctx: ArtifactContext,
  sink: FindingSink,
): Promise<void> {
  sink.add(HIDDEN_DATA, {
    message: `${source.size - offset} bytes after the last gzip member are not a gzip member`,
    location: { ...ctx.location, offset },
    evidence: { offset, length: source.size - offset },
  });
  await scanRegion(source, { start: offset, end: source.size }, ctx, sink);
}

/** The name the decompressed stream gets without FNAME: the file or member name without its extension. */
function stemOf(ctx: ArtifactContext): string {
  const full = ctx.location.member ?? ctx.location.path;
  const base = full.split(/[/!\\]/).pop() ?? full;
  if (/\.tgz$/i.test(base)) return `${base.slice(0, -4)}.tar`;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
