import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import type { Finding } from '../../core/findings.js';
import { readFully } from '../../core/scan/byte-sources.js';
import {
  DEFAULT_MODEL_SCAN_LIMITS,
  type ArtifactContext,
  type ModelScanLimits,
  type NestedScan,
} from '../artifact.js';

// Deterministic builders of zip, tar and gzip bytes and a recording ArtifactContext, for the archive tests.

/** One zip member for `buildZip`; every field that a crafted archive may falsify can be overridden. */
export interface ZipMemberSpec {
  readonly name: string;
  readonly data?: Uint8Array;
  /** 0 stored (default) or 8 deflate; any other number is written as is with the raw data. */
  readonly method?: number;
  readonly flags?: number;
  readonly crc32?: number;
  readonly compressedSize?: number;
  readonly uncompressedSize?: number;
  readonly externalAttributes?: number;
  readonly madeBy?: number;
  readonly local?: {
    readonly name?: string;
    readonly method?: number;
    readonly flags?: number;
    readonly crc32?: number;
    readonly compressedSize?: number;
    readonly uncompressedSize?: number;
  };
  /** Write a data descriptor (sets flag bit 3, zeroes the local CRC and sizes). */
  readonly descriptor?: 'signed' | 'unsigned';
  readonly descriptorCrc32?: number;
  /** Pad the local extra field so the data starts at a multiple of this (PyTorch uses 64). */
  readonly align?: number;
  /** Write sizes and offset through ZIP64 extra fields. */
  readonly zip64?: boolean;
  /** No local header of its own: the central entry points at member `sharedWith`'s. */
  readonly sharedWith?: number;
  /** Bytes inserted after this member's data (hidden data). */
  readonly after?: Uint8Array;
}

/** A whole zip for `buildZip`. */
export interface ZipSpec {
  readonly members: readonly ZipMemberSpec[];
  readonly prefix?: Uint8Array;
  /** Whether offsets count the prefix (default true); false is `cat prefix archive.zip`. */
  readonly prefixInOffsets?: boolean;
  readonly comment?: Uint8Array;
  readonly trailing?: Uint8Array;
  /** Write a ZIP64 end record and locator with sentinels in the classic end record. */
  readonly zip64End?: boolean;
  readonly entryCount?: number;
  readonly directoryOffsetDelta?: number;
}

const enc = new TextEncoder();

/** Encodes text as UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return enc.encode(text);
}

/** Builds a zip archive from `spec`, deterministically (fixed times, no randomness). */
export function buildZip(spec: ZipSpec): Uint8Array {
  const prefix = spec.prefix ?? new Uint8Array(0);
  const base = spec.prefixInOffsets === false ? 0 : prefix.length;
  const chunks: Uint8Array[] = [prefix];
  let pos = base;
  const offsets: number[] = [];
  const central: Uint8Array[] = [];
  spec.members.forEach((m, index) => {
    const data = m.data ?? new Uint8Array(0);
    const method = m.method ?? 0;
    const payload = method === 8 ? deflateRawSync(data) : data;
    const crc = crc32(data);
    const flags = (m.flags ?? 0) | (m.descriptor === undefined ? 0 : 0x08);
    const name = utf8(m.name);
    const compressedSize = m.compressedSize ?? payload.length;
    const uncompressedSize = m.uncompressedSize ?? data.length;
    let localOffset = offsets[m.sharedWith ?? -1] ?? pos;
    if (m.sharedWith === undefined) {
      localOffset = pos;
      const localName = utf8(m.local?.name ?? m.name);
      const deferred = m.descriptor !== undefined;
      const localSizes = [
        m.local?.compressedSize ?? (deferred ? 0 : compressedSize),
        m.local?.uncompressedSize ?? (deferred ? 0 : uncompressedSize),
      ] as const;
      let extra: Uint8Array = m.zip64 ? zip64Extra([localSizes[1], localSizes[0]]) : new Uint8Array(0);
      if (m.align !== undefined) {
        const unpadded = pos + 30 + localName.length + extra.length + 4;
        const padding = (m.align - (unpadded % m.align)) % m.align;
        extra = concat([extra, u16(0x4246), u16(padding), new Uint8Array(padding)]);
      }
      const header = concat([
        utf8('PK\x03\x04'),
        u16(20),
        u16(m.local?.flags ?? flags),
        u16(m.local?.method ?? method),
        u32(0),
        u32(m.local?.crc32 ?? (deferred ? 0 : (m.crc32 ?? crc))),
        u32(m.zip64 ? 0xffffffff : localSizes[0]),
        u32(m.zip64 ? 0xffffffff : localSizes[1]),
        u16(localName.length),
        u16(extra.length),
        localName,
        extra,
      ]);
      const descriptor =
        m.descriptor === undefined
          ? new Uint8Array(0)
          : concat([
              m.descriptor === 'signed' ? utf8('PK\x07\x08') : new Uint8Array(0),
              u32(m.descriptorCrc32 ?? m.crc32 ?? crc),
              ...(m.zip64
                ? [u64(compressedSize), u64(uncompressedSize)]
                : [u32(compressedSize), u32(uncompressedSize)]),
            ]);
      const after = m.after ?? new Uint8Array(0);
      chunks.push(header, payload, descriptor, after);
      pos += header.length + payload.length + descriptor.length + after.length;
    }
    offsets[index] = localOffset;
    const centralExtra = m.zip64
      ? zip64Extra([uncompressedSize, compressedSize, localOffset])
      : new Uint8Array(0);
    central.push(
      concat([
        utf8('PK\x01\x02'),
        u16(m.madeBy ?? 0x031e),
        u16(20),
        u16(flags),
        u16(method),
        u32(0),
        u32(m.crc32 ?? crc),
        u32(m.zip64 ? 0xffffffff : compressedSize),
        u32(m.zip64 ? 0xffffffff : uncompressedSize),
        u16(name.length),
        u16(centralExtra.length),
        u16(0),
        u16(0),
        u16(0),
        u32(m.externalAttributes ?? 0o100644 * 0x10000),
        u32(m.zip64 ? 0xffffffff : localOffset),
        name,
        centralExtra,
      ]),
    );
  });
  const directory = concat(central);
  const directoryOffset = pos + (spec.directoryOffsetDelta ?? 0);
  const count = spec.entryCount ?? spec.members.length;
  const comment = spec.comment ?? new Uint8Array(0);
  const end: Uint8Array[] = [];
  if (spec.zip64End) {
    const recordOffset = pos + directory.length;
    end.push(
      concat([
        utf8('PK\x06\x06'),
        u64(44),
        u16(45),
        u16(45),
        u32(0),
        u32(0),
        u64(count),
        u64(count),
        u64(directory.length),
        u64(directoryOffset),
      ]),
      concat([utf8('PK\x06\x07'), u32(0), u64(recordOffset), u32(1)]),
    );
  }
  const big = spec.zip64End === true;
  end.push(
    concat([
      utf8('PK\x05\x06'),
      u16(0),
      u16(0),
      u16(big ? 0xffff : count),
      u16(big ? 0xffff : count),
      u32(big ? 0xffffffff : directory.length),
      u32(big ? 0xffffffff : directoryOffset),
      u16(comment.length),
      comment,
    ]),
  );
  return concat([...chunks, directory, ...end, spec.trailing ?? new Uint8Array(0)]);
}

function zip64Extra(values: readonly number[]): Uint8Array {
  return concat([u16(1), u16(values.length * 8), ...values.map(u64)]);
}

/** One tar member for `buildTar`. */
export interface TarMemberSpec {
  readonly name: string;
  readonly data?: Uint8Array;
  readonly type?: string;
  readonly linkName?: string;
  /** Store the name in a pax `path` record or a GNU `L` record instead of the header. */
  readonly longName?: 'pax' | 'gnu';
  readonly badChecksum?: boolean;
  /** Size written in the header instead of the data length. */
  readonly size?: number;
}

/** Builds a ustar archive with two end blocks (or `endBlocks`), then `trailing`. */
export function buildTar(
  members: readonly TarMemberSpec[],
  options: { endBlocks?: number; trailing?: Uint8Array } = {},
): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const m of members) {
    const data = m.data ?? new Uint8Array(0);
    if (m.longName === 'pax') {
      const record = paxRecord('path', m.name);
      blocks.push(tarHeader({ name: 'PaxHeader', type: 'x', size: record.length }), padBlock(record));
    } else if (m.longName === 'gnu') {
      const record = concat([utf8(m.name), new Uint8Array(1)]);
      blocks.push(
        tarHeader({ name: '././@LongLink', type: 'L', size: record.length, gnu: true }),
        padBlock(record),
      );
    }
    const name = m.longName === undefined ? m.name : m.name.slice(0, 50);
    blocks.push(
      tarHeader({
        name,
        type: m.type ?? '0',
        size: m.size ?? data.length,
        linkName: m.linkName,
        badChecksum: m.badChecksum,
        gnu: m.longName === 'gnu',
      }),
      padBlock(data),
    );
  }
  for (let i = 0; i < (options.endBlocks ?? 2); i++) blocks.push(new Uint8Array(512));
  if (options.trailing !== undefined) blocks.push(options.trailing);
  return concat(blocks);
}

function paxRecord(key: string, value: string): Uint8Array {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return utf8(`${length}${body}`);
}

/** The fields of one tar header block that the builders set. */
export interface TarHeaderSpec {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly linkName?: string | undefined;
  readonly badChecksum?: boolean | undefined;
  /** GNU magic (`ustar  \0`) instead of POSIX ustar. */
  readonly gnu?: boolean | undefined;
  /** Bytes written at absolute offsets of the block before the checksum (GNU sparse maps). */
  readonly extra?: readonly (readonly [number, Uint8Array])[] | undefined;
}

/** One 512-byte tar header block, with a correct checksum unless `badChecksum`. */
export function tarHeader(h: TarHeaderSpec): Uint8Array {
  const block = new Uint8Array(512);
  const put = (offset: number, text: string) => block.set(utf8(text).subarray(0, 512 - offset), offset);
  put(0, h.name);
  put(100, '0000644\0');
  put(108, '0001750\0');
  put(116, '0001750\0');
  put(124, `${h.size.toString(8).padStart(11, '0')}\0`);
  put(136, '00000000000\0');
  put(156, h.type);
  put(157, h.linkName ?? '');
  put(257, h.gnu ? 'ustar  \0' : 'ustar\x0000');
  put(265, 'user');
  put(297, 'group');
  for (const [offset, bytes] of h.extra ?? []) block.set(bytes, offset);
  block.fill(0x20, 148, 156);
  let sum = block.reduce((a, b) => a + b, 0);
  if (h.badChecksum) sum += 1;
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** Data padded to whole 512-byte blocks. */
export function padBlock(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

/** Options of one gzip member for `buildGzipMember`. */
export interface GzipSpec {
  readonly data: Uint8Array;
  readonly name?: string;
  readonly comment?: string;
  readonly extra?: Uint8Array;
  readonly headerCrc?: 'good' | 'bad';
  readonly crc32?: number;
  readonly isize?: number;
  readonly reservedFlags?: number;
}

/** Builds one gzip member with the optional header fields of RFC 1952. */
export function buildGzipMember(spec: GzipSpec): Uint8Array {
  const flags =
    (spec.headerCrc === undefined ? 0 : 0x02) |
    (spec.extra === undefined ? 0 : 0x04) |
    (spec.name === undefined ? 0 : 0x08) |
    (spec.comment === undefined ? 0 : 0x10) |
    (spec.reservedFlags ?? 0);
  const parts: Uint8Array[] = [Uint8Array.of(0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3)];
  if (spec.extra !== undefined) parts.push(u16(spec.extra.length), spec.extra);
  if (spec.name !== undefined) parts.push(latin1(spec.name), new Uint8Array(1));
  if (spec.comment !== undefined) parts.push(latin1(spec.comment), new Uint8Array(1));
  if (spec.headerCrc !== undefined) {
    const crc = crc32(concat(parts)) & 0xffff;
    parts.push(u16(spec.headerCrc === 'good' ? crc : crc ^ 0x1234));
  }
  parts.push(
    deflateRawSync(spec.data),
    u32(spec.crc32 ?? crc32(spec.data)),
    u32(spec.isize ?? spec.data.length),
  );
  return concat(parts);
}

/** A plain gzip of `data` as Node writes it. */
export function gzipOf(data: Uint8Array): Uint8Array {
  return gzipSync(data);
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/** What the recording context saw of one nested scan. */
export interface NestedCall {
  readonly member?: string;
  readonly baseOffset?: number;
  readonly size: number;
  /** The bytes, when the source was small enough to read whole (1 MiB); else its first 4 KiB. */
  readonly bytes: Uint8Array;
  /** Why reading it failed, if it did. */
  readonly error?: string;
}

/** Builds an ArtifactContext whose `scanNested` records (and reads) what it is given. */
export function recordingContext(
  options: {
    limits?: Partial<ModelScanLimits>;
    depth?: number;
    path?: string;
    member?: string;
    /** Bytes read of each nested source (default: all when ≤ 1 MiB, else 4 KiB). */
    readBytes?: number;
    respond?: (request: NestedScan) => Finding[];
  } = {},
): { ctx: ArtifactContext; calls: NestedCall[] } {
  const calls: NestedCall[] = [];
  const ctx: ArtifactContext = {
    location:
      options.member === undefined
        ? { path: options.path ?? 'model.bin' }
        : { path: options.path ?? 'model.bin', member: options.member },
    limits: { ...DEFAULT_MODEL_SCAN_LIMITS, ...options.limits },
    depth: options.depth ?? 0,
    async scanNested(request: NestedScan): Promise<Finding[]> {
      const size = request.source.size;
      const want = options.readBytes ?? (size <= 1024 * 1024 ? size : 4096);
      let bytes: Uint8Array = new Uint8Array(0);
      let error: string | undefined;
      try {
        bytes = await readFully(request.source, 0, Math.min(size, want));
      } catch (cause) {
        error = cause instanceof Error ? cause.message : String(cause);
      }
      calls.push({
        size,
        bytes,
        ...(request.member === undefined ? {} : { member: request.member }),
        ...(request.baseOffset === undefined ? {} : { baseOffset: request.baseOffset }),
        ...(error === undefined ? {} : { error }),
      });
      return options.respond?.(request) ?? [];
    },
  };
  return { ctx, calls };
}

/** Joins byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function u16(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff);
}

function u32(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
}

function u64(value: number): Uint8Array {
  return concat([u32(value % 2 ** 32), u32(Math.floor(value / 2 ** 32))]);
}

export { seededRandom } from '../../../test/support/seeded-random.js';
