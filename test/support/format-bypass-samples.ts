import type { TarHeaderSpec } from '../../src/models/archive/archive.test-support.js';
import { padBlock as tarData, tarHeader } from '../../src/models/archive/archive.test-support.js';
import { deflateRawSync } from 'node:zlib';
import { bytesOf, crc32, le } from './bypass-samples.js';

// Raw zip and tar records for the format red-team tests: each record is written field by field so a
// test can lay out archives no ordinary writer produces (two end records, disagreeing ZIP64 records,
// members inside other members' data, sparse tar members).

const enc = new TextEncoder();

/** One zip member as the tests lay it out: where its local header is and what the directory says. */
export interface RawZipMember {
  readonly name: string;
  readonly data: Uint8Array;
  /** 8 deflates the data; 0 (default) stores it. */
  readonly method?: number;
  /** Method written in the local header instead of `method`. */
  readonly localMethod?: number;
  readonly flags?: number;
  readonly crc32?: number;
}

/** A local header followed by the member data (deflated when the method is 8). */
export function zipLocal(member: RawZipMember): Uint8Array {
  const payload = member.method === 8 ? deflateRawSync(member.data) : member.data;
  const name = enc.encode(member.name);
  return bytesOf(
    'PK\x03\x04',
    le(20, 2),
    le(member.flags ?? 0, 2),
    le(member.localMethod ?? member.method ?? 0, 2),
    le(0, 4),
    le(member.crc32 ?? crc32(member.data), 4),
    le(payload.length, 4),
    le(member.data.length, 4),
    le(name.length, 2),
    le(0, 2),
    name,
    payload,
  );
}

/** The central directory entry of `member` whose local header is at `offset`. */
export function zipCentral(member: RawZipMember, offset: number): Uint8Array {
  const payload = member.method === 8 ? deflateRawSync(member.data) : member.data;
  const name = enc.encode(member.name);
  return bytesOf(
    'PK\x01\x02',
    le(0x031e, 2),
    le(20, 2),
    le(member.flags ?? 0, 2),
    le(member.method ?? 0, 2),
    le(0, 4),
    le(member.crc32 ?? crc32(member.data), 4),
    le(payload.length, 4),
    le(member.data.length, 4),
    le(name.length, 2),
    le(0, 2),
    le(0, 2),
    le(0, 2),
    le(0, 2),
    le(0o100644 * 0x10000, 4),
    le(offset, 4),
    name,
  );
}

/** A classic end-of-central-directory record; `commentLength` may claim more bytes than follow. */
export function zipEnd(entries: number, size: number, offset: number, commentLength = 0): Uint8Array {
  return bytesOf(
    'PK\x05\x06',
    le(0, 4),
    le(entries, 2),
    le(entries, 2),
    le(size, 4),
    le(offset, 4),
    le(commentLength, 2),
  );
}

/** A ZIP64 end-of-central-directory record. */
export function zip64End(entries: number, size: number, offset: number): Uint8Array {
  return bytesOf(
    'PK\x06\x06',
    le(44, 8),
    le(45, 2),
    le(45, 2),
    le(0, 4),
    le(0, 4),
    le(entries, 8),
    le(entries, 8),
    le(size, 8),
    le(offset, 8),
  );
}

/** A ZIP64 end-of-central-directory locator pointing at `recordOffset`. */
export function zip64Locator(recordOffset: number): Uint8Array {
  return bytesOf('PK\x06\x07', le(0, 4), le(recordOffset, 8), le(1, 4));
}

/** Lays members out one after the other from `start`; returns the bytes and each local header offset. */
export function zipLocals(
  members: readonly RawZipMember[],
  start = 0,
): { bytes: Uint8Array; offsets: number[] } {
  const offsets: number[] = [];
  const parts: Uint8Array[] = [];
  let at = start;
  for (const member of members) {
    const local = zipLocal(member);
    offsets.push(at);
    parts.push(local);
    at += local.length;
  }
  return { bytes: bytesOf(...parts), offsets };
}

/** A central directory of `members` at the given local offsets. */
export function zipDirectory(members: readonly RawZipMember[], offsets: readonly number[]): Uint8Array {
  return bytesOf(...members.map((m, i) => zipCentral(m, offsets[i] ?? 0)));
}

/** Fields of one raw tar header. */
/** One tar header block (the archive tests' builder). */
export type RawTarHeader = TarHeaderSpec;
export { padBlock as tarData, tarHeader } from '../../src/models/archive/archive.test-support.js';

/** A pax extended header record `length key=value\n`. */
export function paxRecord(key: string, value: string): Uint8Array {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return enc.encode(`${length}${body}`);
}

/** A tar member (header and padded data). */
export function tarMember(h: Omit<RawTarHeader, 'size'> & { data?: Uint8Array; size?: number }): Uint8Array {
  const data = h.data ?? new Uint8Array(0);
  return bytesOf(tarHeader({ ...h, size: h.size ?? data.length }), tarData(data));
}

/** An octal tar number field of `width` bytes (NUL-terminated). */
export function octal(value: number, width: number): Uint8Array {
  return enc.encode(`${value.toString(8).padStart(width - 1, '0')}\0`);
}
