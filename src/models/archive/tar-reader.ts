import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { firstNonZeroOffset } from './archive-region.js';
import { ARCHIVE_BOMB, HIDDEN_DATA, MALFORMED_ARCHIVE } from './archive-rules.js';
import type { FindingSink } from './finding-sink.js';
import {
  extendedSparseMap,
  headerSparseMap,
  MAX_SPARSE_EXTENTS,
  paxSparseMap,
  readSparse10Map,
  type SparseExtent,
} from './tar-sparse.js';
import {
  isZeroBlock,
  paddedSize,
  parseLongName,
  parsePaxRecords,
  parseTarHeader,
  TAR_BLOCK,
  type TarHeader,
} from './tar-header.js';

/** Pax and GNU long-name records larger than this are not read. */
const MAX_EXTENSION_BYTES = 1024 * 1024;
/** Bytes after the end-of-archive block checked for being padding before they count as data. */
const MAX_PADDING_CHECK = 16 * 1024 * 1024;
/** GNU sparse map extension blocks followed at most per member. */
const MAX_SPARSE_BLOCKS = 1024;
/** Types whose size tarfile does not skip as data: it reads the next header right after them. */
const NON_DATA_TYPES = new Set(['1', '2', '3', '4', '5', '6']);

/** A tar member with its names resolved through pax and GNU long-name records. */
export interface TarMember {
  readonly name: string;
  /** Offset of its header block. */
  readonly offset: number;
  readonly dataOffset: number;
  /** Data bytes (0 for links, devices and directories). */
  readonly size: number;
  readonly type: string;
  readonly linkName: string;
  /**
   * For a GNU sparse member (type `S`, or pax sparse 0.0, 0.1 and 1.0): where its stored bytes go in the
   * extracted file, or why tarfile could not read its map.
   */
  readonly sparse?: {
    readonly extents: readonly SparseExtent[];
    readonly realSize: number | undefined;
    readonly problem?: string;
  };
}

/** The members of a tar and the region after them that must be scanned as raw bytes, if any. */
export interface TarContents {
  readonly members: readonly TarMember[];
  readonly rest?: { readonly start: number; readonly end: number };
}

interface Pending {
  pax: Map<string, string>;
  /** The records of the last pax header, in order (GNU sparse 0.0 repeats its keys). */
  paxEntries: (readonly [string, string])[];
  readonly global: Map<string, string>;
  /**
   * The name from the first GNU long-name or pax record before the member: tarfile lets each extension
   * header read the rest of the chain first and then apply its own name, so the first one wins.
   */
  longName?: string;
  longLink?: string;
}

/**
 * Walks the headers of a tar archive as Python tarfile does (which PyTorch's legacy loader uses): stops at
 * the first zero block or at a header with a bad checksum, and reports that and truncation, data after the
 * end, and link or device headers that declare data tarfile does not skip.
 */
export async function readTarMembers(
  source: ByteSource,
  ctx: ArtifactContext,
  sink: FindingSink,
): Promise<TarContents> {
  const members: TarMember[] = [];
  const pending: Pending = { pax: new Map(), paxEntries: [], global: new Map() };
  const at = (offset: number) => ({ ...ctx.location, offset });
  const maxHeaders = ctx.limits.maxMembers * 4 + 16;
  let offset = 0;
  for (let headers = 0; ; headers++) {
    ctx.signal?.throwIfAborted();
    if (offset >= source.size) {
      sink.add(MALFORMED_ARCHIVE, {
        message: 'the tar archive has no end-of-archive block',
        location: at(offset),
        severity: 'low',
      });
      return { members };
    }
    if (offset + TAR_BLOCK > source.size) {
      sink.add(MALFORMED_ARCHIVE, {
        message: `the tar archive ends inside a header at offset ${offset}`,
        location: at(offset),
      });
      return { members };
    }
    if (headers >= maxHeaders || members.length >= ctx.limits.maxMembers) {
      sink.add(ARCHIVE_BOMB, {
        message: `the tar archive has more than ${ctx.limits.maxMembers} members; the rest were not scanned`,
        location: at(offset),
        evidence: { maxMembers: ctx.limits.maxMembers },
      });
      return { members };
    }
    const block = await readFully(source, offset, TAR_BLOCK);
    if (isZeroBlock(block))
      return { members, ...(await checkAfterEnd(source, offset + TAR_BLOCK, ctx, sink)) };
    const header = parseTarHeader(block);
    if (!header.checksumOk || header.size === undefined) {
      const what = header.checksumOk ? 'a size that is not a number' : 'a bad checksum';
      sink.add(MALFORMED_ARCHIVE, {
        message:
          `the tar header at offset ${offset} has ${what}; tarfile stops there, so the remaining ` +
          `${source.size - offset} bytes were scanned as raw data`,
        location: at(offset),
      });
      return { members, rest: { start: offset, end: source.size } };
    }
    const dataOffset = offset + TAR_BLOCK;
    const size = header.size;
    if (isExtension(header.type)) {
      const next = await readExtension(source, { type: header.type, size, dataOffset }, pending);
      if (typeof next === 'string') {
        sink.add(MALFORMED_ARCHIVE, {
          message: `the tar extension header at offset ${offset}: ${next}`,
          location: at(offset),
        });
        if (!Number.isSafeInteger(dataOffset + size) || dataOffset + size > source.size) return { members };
      }
      offset = dataOffset + paddedSize(size);
      continue;
    }
    const member = await resolveMember(source, { header, block }, { offset, size }, pending);
    if (NON_DATA_TYPES.has(member.type) && member.declaredSize > 0) {
      sink.add(MALFORMED_ARCHIVE, {
        message:
          `the header of ${member.name} (type ${member.type}) declares ${member.declaredSize} data bytes; ` +
          'tarfile reads the next header right after it while other tools skip the data',
        location: at(offset),
        severity: 'high',
      });
    }
    if (member.dataOffset + member.size > source.size) {
      sink.add(MALFORMED_ARCHIVE, {
        message: `the data of ${member.name} runs past the end of the file (the tar archive is truncated)`,
        location: at(offset),
        evidence: { size: member.size, available: Math.max(0, source.size - member.dataOffset) },
      });
      members.push(member);
      return { members };
    }
    members.push(member);
    offset = member.dataOffset + paddedSize(member.size);
  }
}

function isExtension(type: string): boolean {
  return type === 'x' || type === 'X' || type === 'g' || type === 'L' || type === 'K';
}

/** Reads a pax or GNU long-name record into `pending`; returns why it could not. */
async function readExtension(
  source: ByteSource,
  { type, size, dataOffset }: { type: string; size: number; dataOffset: number },
  pending: Pending,
): Promise<string | undefined> {
  if (size > MAX_EXTENSION_BYTES) return `its ${size}-byte record is over the limit and was skipped`;
  const data = await readFully(source, dataOffset, size);
  if (data.length < size) return 'its record is truncated';
  if (type === 'L') pending.longName ??= parseLongName(data);
  else if (type === 'K') pending.longLink ??= parseLongName(data);
  else {
    const { records, entries, problem } = parsePaxRecords(data);
    const target = type === 'g' ? pending.global : pending.pax;
    for (const [key, value] of records) target.set(key, value);
    if (type !== 'g') {
      pending.paxEntries = entries;
      const path = records.get('path');
      const linkPath = records.get('linkpath');
      if (path !== undefined) pending.longName ??= path;
      if (linkPath !== undefined) pending.longLink ??= linkPath;
    }
    return problem;
  }
  return undefined;
}

async function resolveMember(
  source: ByteSource,
  { header, block }: { header: TarHeader; block: Uint8Array },
  { offset, size }: { offset: number; size: number },
  pending: Pending,
): Promise<TarMember & { declaredSize: number }> {
  const pax = new Map([...pending.global, ...pending.pax]);
  // tarfile applies global pax records to the member header itself, before any extension in the chain.
  const name = pax.get('GNU.sparse.name') ?? pending.longName ?? pending.global.get('path') ?? header.name;
  const linkName = pending.longLink ?? pending.global.get('linkpath') ?? header.linkName;
  const paxSize = pax.get('size');
  const declaredSize = paxSize !== undefined && /^\d{1,16}$/.test(paxSize) ? Number(paxSize) : size;
  const paxSparse = header.type === 'S' ? undefined : paxSparseMap(pax, pending.paxEntries);
  pending.pax = new Map();
  pending.paxEntries = [];
  delete pending.longName;
  delete pending.longLink;
  let dataOffset = offset + TAR_BLOCK;
  const sparse = header.type === 'S' ? headerSparseMap(block) : undefined;
  if (header.sparseExtended) {
    for (let i = 0; i < MAX_SPARSE_BLOCKS; i++) {
      const extension = await readFully(source, dataOffset, TAR_BLOCK);
      dataOffset += TAR_BLOCK;
      if (extension.length < TAR_BLOCK) break;
      const { extents, isExtended } = extendedSparseMap(extension);
      if (sparse !== undefined && sparse.extents.length < MAX_SPARSE_EXTENTS) sparse.extents.push(...extents);
      if (!isExtended) break;
    }
  }
  const carriesData = !NON_DATA_TYPES.has(header.type);
  const member = {
    name,
    offset,
    dataOffset,
    size: carriesData ? declaredSize : 0,
    type: header.type,
    linkName,
    declaredSize,
  };
  if (sparse !== undefined) return { ...member, sparse };
  if (paxSparse === undefined || !carriesData) return member;
  if (paxSparse.kind === 'invalid')
    return { ...member, sparse: { extents: [], realSize: undefined, problem: paxSparse.problem } };
  if (paxSparse.kind === 'map')
    return { ...member, sparse: { extents: paxSparse.extents, realSize: paxSparse.realSize ?? member.size } };
  return withSparse10Map(source, member, paxSparse.realSize);
}

/** A pax sparse 1.0 member: its map is read from the start of its data, which then starts after it. */
async function withSparse10Map<T extends TarMember>(
  source: ByteSource,
  member: T,
  realSize: number | undefined,
): Promise<T> {
  const maxBlocks = Math.min(MAX_SPARSE_BLOCKS, Math.ceil(member.size / TAR_BLOCK));
  const read = (blocks: number) =>
    readFully(source, member.dataOffset, Math.min(blocks * TAR_BLOCK, member.size));
  const map = maxBlocks === 0 ? 'its sparse map runs past its data' : await readSparse10Map(read, maxBlocks);
  if (typeof map === 'string') return { ...member, sparse: { extents: [], realSize, problem: map } };
  // The map's blocks stay part of the member for the walk: the next header follows the declared size.
  return {
    ...member,
    dataOffset: member.dataOffset + map.mapBytes,
    size: Math.max(0, member.size - map.mapBytes),
    sparse: { extents: map.extents, realSize: realSize ?? member.size },
  };
}

/** Reports and returns non-zero bytes after the end-of-archive block (tar pads with zeros, nothing else). */
async function checkAfterEnd(
  source: ByteSource,
  start: number,
  ctx: ArtifactContext,
  sink: FindingSink,
): Promise<{ rest?: { start: number; end: number } }> {
  const found = await firstNonZeroOffset(source, start, MAX_PADDING_CHECK);
  if (found === undefined) return {};
  const blockStart = found - (found % TAR_BLOCK);
  sink.add(HIDDEN_DATA, {
    message: `${source.size - blockStart} bytes of data follow the end-of-archive block at offset ${start - TAR_BLOCK}`,
    location: { ...ctx.location, offset: blockStart },
    evidence: { offset: blockStart, length: source.size - blockStart },
  });
  return { rest: { start: blockStart, end: source.size } };
}
