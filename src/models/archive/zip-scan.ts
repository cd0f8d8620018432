import type { Finding } from '../../core/findings.js';
import type { ByteSource } from '../../core/scan/types.js';
import { memberLocation, type ArtifactContext } from '../artifact.js';
import { analyzeLayout, type LayoutRange } from './archive-layout.js';
import { reportMemberNames } from './archive-names.js';
import { scanRegion } from './archive-region.js';
import {
  HEADER_MISMATCH,
  HIDDEN_DATA,
  MALFORMED_ARCHIVE,
  OVERLAPPING_DATA,
  PREPENDED_DATA,
} from './archive-rules.js';
import { isTooDeep } from './archive-depth.js';
import { FindingSink } from './finding-sink.js';
import { readZipDirectory, type ZipRange } from './zip-directory.js';
import { headerDifferences, readDescriptor, readLocalHeader, walkLocalHeaders } from './zip-local.js';
import { scanZipMember, type ZipMember } from './zip-member.js';
import { FLAG_DATA_DESCRIPTOR, LOCAL_HEADER_SIZE, type ZipEntry } from './zip-records.js';

/** Regions outside the members handed to the nested scanner at most per archive. */
const MAX_REGION_SCANS = 32;

interface PlacedMember extends ZipMember {
  readonly end: number;
}

/**
 * Scans a zip archive (PyTorch checkpoint, .npz, .keras, nested zip) written by any tool: reads the end
 * record, ZIP64 records, central directory and each local header without reading member data it does not
 * need, reports every disagreement between them (CRC, headers, descriptors, duplicate or unsafe names,
 * links, overlaps, prepended or hidden bytes, bombs), and hands each member and each unreferenced region to
 * `ctx.scanNested`. Members are found from the central directory, as PyTorch's miniz reader does. CRCs are
 * verified for deflated members, for stored members up to 1 MiB and for larger ones that loaders parse
 * (pickles, JSON); other large stored members (tensor data)
 * are not CRC-checked, so a 10 GB checkpoint is not read.
 */
export async function scanZip(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const sink = new FindingSink(ctx.location);
  if (isTooDeep(ctx, sink, 'zip archive', 'its members were not scanned')) return sink.findings();
  const directory = await readZipDirectory(source, { sink, location: ctx.location, limits: ctx.limits });
  const entries = directory?.entries ?? (await walkWithoutDirectory(source, ctx, sink));
  const members = await placeMembers(source, entries, ctx, sink, directory !== undefined);
  reportMemberNames(
    members.map((m) => ({ name: m.entry.name, offset: m.entry.localOffset })),
    sink,
    ctx.location,
  );
  if (directory?.complete === true) await checkLayout(source, members, directory.records, ctx, sink);
  const budget = { remaining: ctx.limits.maxTotalInflatedBytes };
  for (const member of members) {
    ctx.signal?.throwIfAborted();
    await scanZipMember(member, { source, ctx, sink, budget });
  }
  return sink.findings();
}

async function walkWithoutDirectory(
  source: ByteSource,
  ctx: ArtifactContext,
  sink: FindingSink,
): Promise<ZipEntry[]> {
  const walk = await walkLocalHeaders(source, ctx.limits.maxMembers);
  if (walk.entries.length > 0) {
    sink.add(MALFORMED_ARCHIVE, {
      message:
        `without a central directory, ${walk.entries.length} members were found by walking local headers ` +
        `(${walk.stoppedAt === undefined ? 'to the end of the file' : `until offset ${walk.stoppedAt.offset}: ${walk.stoppedAt.reason}`})`,
      location: { ...ctx.location, offset: 0 },
      evidence: { members: walk.entries.length },
    });
    if (walk.stoppedAt !== undefined)
      await scanRegion(source, { start: walk.stoppedAt.offset, end: source.size }, ctx, sink);
  }
  return walk.entries;
}

/** Reads each entry's local header, compares it (and its data descriptor) with the central directory. */
async function placeMembers(
  source: ByteSource,
  entries: readonly ZipEntry[],
  ctx: ArtifactContext,
  sink: FindingSink,
  hasDirectory: boolean,
): Promise<PlacedMember[]> {
  const members: PlacedMember[] = [];
  for (const entry of entries) {
    ctx.signal?.throwIfAborted();
    const location = { ...memberLocation(ctx.location, entry.name), offset: entry.localOffset };
    const local = await readLocalHeader(source, entry.localOffset);
    if (typeof local === 'string') {
      sink.add(MALFORMED_ARCHIVE, {
        message: `member ${entry.name} has no usable local header: ${local}`,
        location,
      });
      members.push({ entry, dataOffset: undefined, end: entry.localOffset + LOCAL_HEADER_SIZE });
      continue;
    }
    const dataEnd = local.dataOffset + entry.compressedSize;
    if (dataEnd > source.size) {
      sink.add(MALFORMED_ARCHIVE, {
        message: `the data of member ${entry.name} runs ${dataEnd - source.size} bytes past the end of the file`,
        location,
        evidence: {
          dataOffset: local.dataOffset,
          compressedSize: entry.compressedSize,
          fileSize: source.size,
        },
      });
    }
    let end = dataEnd;
    if (hasDirectory) {
      const differences = headerDifferences(entry, local);
      if (differences.length > 0) {
        const flagsOnly = differences.every((d) => d.startsWith('flags'));
        sink.add(HEADER_MISMATCH, {
          message: `the local header of ${entry.name} disagrees with the central directory: ${differences.join('; ')}`,
          location,
          severity: flagsOnly ? 'medium' : 'high',
          evidence: { fields: differences },
        });
      }
      if (((entry.flags | local.flags) & FLAG_DATA_DESCRIPTOR) !== 0 && dataEnd <= source.size) {
        const descriptor = await readDescriptor(source, entry, dataEnd);
        end += descriptor.length;
        if (descriptor.problem !== undefined) {
          sink.add(descriptor.problem.kind === 'missing' ? MALFORMED_ARCHIVE : HEADER_MISMATCH, {
            message: `member ${entry.name}: ${descriptor.problem.detail}`,
            location: { ...location, offset: dataEnd },
          });
        }
      }
    } else if ((local.flags & FLAG_DATA_DESCRIPTOR) !== 0) {
      end += 16;
    }
    members.push({ entry, dataOffset: local.dataOffset, end });
  }
  return members;
}

/** Reports overlapping members and scans every byte range that no member or record covers. */
async function checkLayout(
  source: ByteSource,
  members: readonly PlacedMember[],
  records: readonly ZipRange[],
  ctx: ArtifactContext,
  sink: FindingSink,
): Promise<void> {
  const ranges: LayoutRange[] = [
    ...members.map((m) => ({ start: m.entry.localOffset, end: m.end, what: m.entry.name, isMember: true })),
    ...records.map((r) => ({ ...r, isMember: false })),
  ];
  const layout = analyzeLayout(ranges, source.size);
  for (const { first, second } of layout.overlaps) {
    const name = second.isMember ? second.what : first.what;
    const located = first.isMember || second.isMember ? memberLocation(ctx.location, name) : ctx.location;
    sink.add(OVERLAPPING_DATA, {
      message:
        `${describe(second)} (bytes ${second.start}–${second.end}) overlaps ${describe(first)} ` +
        `(bytes ${first.start}–${first.end})`,
      location: { ...located, offset: second.start },
      evidence: { first: first.what, second: second.what },
    });
  }
  let scanned = 0;
  for (const gap of layout.gaps) {
    const length = gap.end - gap.start;
    const before = gap.position === 'before';
    sink.add(before ? PREPENDED_DATA : HIDDEN_DATA, {
      message: before
        ? `${length} bytes precede the first zip record; torch.load reads such a file as a legacy pickle`
        : `${length} bytes at offset ${gap.start} belong to no member or zip record`,
      location: { ...ctx.location, offset: gap.start },
      evidence: { offset: gap.start, length },
    });
    if (scanned++ < MAX_REGION_SCANS) await scanRegion(source, gap, ctx, sink);
  }
}

function describe(range: LayoutRange): string {
  return range.isMember ? `member ${range.what}` : `the ${range.what}`;
}
