import { crc32 } from 'node:zlib';
import { readFully } from '../../core/scan/byte-sources.js';
import { readU16le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED = 0xe0;
/** FNAME and FCOMMENT longer than this are treated as unterminated. */
const MAX_TEXT_FIELD = 64 * 1024;

/** A gzip member header (RFC 1952, 2.3). */
export interface GzipHeader {
  readonly offset: number;
  /** Header bytes, up to the start of the deflate data. */
  readonly length: number;
  /** The original file name (FNAME), ISO 8859-1. */
  readonly name?: string;
  /** Whether the FHCRC header checksum, when present, matches. */
  readonly headerCrcOk: boolean;
  /** Something tools disagree on (reserved flag bits) but that does not stop reading. */
  readonly warning?: string;
}

/**
 * Reads the gzip member header at `offset` with its optional FEXTRA, FNAME, FCOMMENT and FHCRC fields.
 * Returns why it could not when there is no valid header there.
 */
export async function readGzipHeader(source: ByteSource, offset: number): Promise<GzipHeader | string> {
  const fixed = await readFully(source, offset, 10);
  if (fixed.length < 10) return `the gzip header at offset ${offset} is truncated`;
  if (fixed[0] !== 0x1f || fixed[1] !== 0x8b) return `there is no gzip signature at offset ${offset}`;
  if (fixed[2] !== 8)
    return `the gzip member at offset ${offset} uses unknown compression method ${fixed[2]}`;
  const flags = fixed[3] ?? 0;
  let at = offset + 10;
  if ((flags & FEXTRA) !== 0) {
    const length = await readFully(source, at, 2);
    if (length.length < 2) return `the gzip extra field at offset ${at} is truncated`;
    at += 2 + readU16le(length, 0);
  }
  let name: string | undefined;
  for (const flag of [FNAME, FCOMMENT]) {
    if ((flags & flag) === 0) continue;
    const window = await readFully(source, at, MAX_TEXT_FIELD);
    const nul = window.indexOf(0);
    if (nul < 0)
      return `the gzip ${flag === FNAME ? 'file name' : 'comment'} at offset ${at} is not terminated`;
    if (flag === FNAME) name = String.fromCharCode(...window.subarray(0, Math.min(nul, 4096)));
    at += nul + 1;
  }
  let headerCrcOk = true;
  if ((flags & FHCRC) !== 0) {
    const header = await readFully(source, offset, at + 2 - offset);
    if (header.length < at + 2 - offset) return `the gzip header CRC at offset ${at} is truncated`;
    headerCrcOk = (crc32(header.subarray(0, at - offset)) & 0xffff) === readU16le(header, at - offset);
    at += 2;
  }
  if (at > source.size) return `the gzip header at offset ${offset} runs past the end of the file`;
  return {
    offset,
    length: at - offset,
    ...(name === undefined ? {} : { name }),
    headerCrcOk,
    ...((flags & RESERVED) === 0
      ? {}
      : { warning: `reserved flag bits 0x${(flags & RESERVED).toString(16)} are set` }),
  };
}
