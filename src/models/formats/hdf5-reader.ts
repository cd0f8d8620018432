import { readFully } from '../../core/scan/byte-sources.js';
import { hasAsciiAt, hasBytesAt, readU16le, readU32le, readU64le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import { lookup3 } from './hdf5-checksum.js';

/** The 8-byte HDF5 format signature `\x89HDF\r\n\x1a\n`. */
export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** What the superblock says about the file (addresses in it are relative to `base`). */
export interface Hdf5Superblock {
  readonly version: number;
  /** Absolute offset of the superblock: every address is relative to it. */
  readonly base: number;
  readonly offsetSize: number;
  readonly lengthSize: number;
  /** Relative address of the root group's object header. */
  readonly rootHeader: number;
}

/** One object header message, with its data and where that data sits in the file. */
export interface Hdf5Message {
  readonly type: number;
  readonly flags: number;
  readonly data: Uint8Array;
  /** Absolute file offset of `data`. */
  readonly offset: number;
}

/** Message types read here (HDF5 File Format Specification 3.0, section IV.A.2). */
export const MESSAGE_TYPES = { continuation: 0x10, attribute: 0x0c, attributeInfo: 0x15 } as const;

/** An address field holding all one bits: "undefined address" in the spec. */
export const UNDEFINED_ADDRESS = -1;

const MAX_USER_BLOCK_PROBES = 48;
const MAX_CHUNKS = 1024;
const MAX_MESSAGES = 65_536;
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * A bounded reader of the HDF5 structures that lead to the root group's attributes. Problems (bad
 * addresses, loops, checksum mismatches) are collected, never thrown, so a hostile file yields findings.
 */
export class Hdf5Reader {
  readonly source: ByteSource;
  readonly problems: Array<{ message: string; offset: number }> = [];
  #budget: number;

  constructor(source: ByteSource, maxBytes: number) {
    this.source = source;
    this.#budget = maxBytes;
  }

  /** Records a problem; reading goes on where it safely can. */
  problem(message: string, offset: number): undefined {
    if (this.problems.length < 32) this.problems.push({ message, offset });
    return undefined;
  }

  /** Reads `length` bytes at absolute `offset`, or records why not (past the end, over the budget). */
  async read(offset: number, length: number, what: string): Promise<Uint8Array | undefined> {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > this.source.size) {
      return this.problem(
        `${what} at ${offset} (${length} bytes) lies outside the file`,
        Math.max(0, offset),
      );
    }
    if (length > this.#budget) return this.problem(`${what}: metadata limit reached`, offset);
    this.#budget -= length;
    const bytes = await readFully(this.source, offset, length);
    return bytes.length === length ? bytes : this.problem(`${what} at ${offset} is truncated`, offset);
  }

  /** Finds the superblock at offset 0, 512, 1024, 2048 … (a user block may precede it). */
  async findSuperblock(): Promise<Hdf5Superblock | undefined> {
    for (let at = 0, probe = 0; at + 8 <= this.source.size && probe < MAX_USER_BLOCK_PROBES; probe++) {
      const head = await readFully(this.source, at, 8);
      if (hasBytesAt(head, 0, HDF5_SIGNATURE)) return this.#readSuperblock(at);
      at = at === 0 ? 512 : at * 2;
    }
    return this.problem('no HDF5 signature at offset 0, 512, 1024, 2048 …', 0);
  }

  async #readSuperblock(at: number): Promise<Hdf5Superblock | undefined> {
    const bytes = await this.read(at, Math.min(256, this.source.size - at), 'superblock');
    if (bytes === undefined) return undefined;
    const version = bytes[8] ?? 0;
    const v01 = version <= 1;
    const offsetSize = (v01 ? bytes[13] : bytes[9]) ?? 0;
    const lengthSize = (v01 ? bytes[14] : bytes[10]) ?? 0;
    if (version > 3) return this.problem(`unknown superblock version ${version}`, at + 8);
    if (![2, 4, 8].includes(offsetSize) || ![2, 4, 8].includes(lengthSize)) {
      return this.problem(`invalid sizes of offsets (${offsetSize}) or lengths (${lengthSize})`, at + 13);
    }
    let rootHeader: number;
    if (v01) {
      const addresses = version === 0 ? 24 : 28;
      // Root group symbol table entry after four addresses: link name offset, then object header address.
      const entry = addresses + 4 * offsetSize;
      if (entry + 2 * offsetSize > bytes.length) return this.problem('superblock is truncated', at);
      rootHeader = readAddress(bytes, entry + offsetSize, offsetSize);
    } else {
      const end = 12 + 4 * offsetSize;
      if (end + 4 > bytes.length) return this.problem('superblock is truncated', at);
      if (lookup3(bytes.subarray(0, end)) !== readU32le(bytes, end)) {
        this.problem('superblock checksum does not match', at + end);
      }
      rootHeader = readAddress(bytes, 12 + 3 * offsetSize, offsetSize);
    }
    if (rootHeader === UNDEFINED_ADDRESS) return this.problem('the root group has no object header', at);
    return { version, base: at, offsetSize, lengthSize, rootHeader };
  }

  /**
   * Reads every message of the object header at relative `address` (version 1 or 2), following
   * continuation messages; a chunk seen twice is a loop and stops the walk.
   */
  async readObjectHeader(superblock: Hdf5Superblock, address: number): Promise<Hdf5Message[]> {
    const messages: Hdf5Message[] = [];
    const start = superblock.base + address;
    const prefix = await this.read(start, 16, 'object header');
    if (prefix === undefined) return messages;
    let first: Chunk | undefined;
    if (hasAsciiAt(prefix, 0, 'OHDR')) first = await this.#firstV2Chunk(start, prefix);
    else if (prefix[0] === 1) first = await this.#v1Chunk(start + 16, readU32le(prefix, 8));
    else this.problem(`unknown object header version ${prefix[0] ?? 0}`, start);
    if (first === undefined) return messages;
    const version = first.version;
    const chunks: Chunk[] = [first];
    const seen = new Set<number>([start]);
    for (let i = 0; i < chunks.length; i++) {
      for (const message of parseMessages(chunks[i]!, this)) {
        if (messages.length >= MAX_MESSAGES)
          return this.problem('too many header messages', start) ?? messages;
        messages.push(message);
        if (message.type !== MESSAGE_TYPES.continuation) continue;
        const next = readAddress(message.data, 0, superblock.offsetSize);
        const length = readLength(message.data, superblock.offsetSize, superblock.lengthSize);
        const offset = superblock.base + next;
        if (next === UNDEFINED_ADDRESS || seen.has(offset)) {
          this.problem('object header continuation loops or points nowhere', message.offset);
          continue;
        }
        if (chunks.length >= MAX_CHUNKS) return this.problem('too many header chunks', start) ?? messages;
        seen.add(offset);
        const chunk =
          version === 2 ? await this.#v2Continuation(offset, length) : await this.#v1Chunk(offset, length);
        if (chunk !== undefined) chunks.push({ ...chunk, creationOrder: first.creationOrder });
      }
    }
    return messages;
  }

  async #v1Chunk(offset: number, length: number): Promise<Chunk | undefined> {
    if (length > MAX_CHUNK_BYTES) return this.problem(`object header chunk of ${length} bytes`, offset);
    const bytes = await this.read(offset, length, 'object header chunk');
    return bytes && { version: 1, bytes, offset, creationOrder: false };
  }

  async #firstV2Chunk(start: number, prefix: Uint8Array): Promise<Chunk | undefined> {
    const flags = prefix[5] ?? 0;
    if (prefix[4] !== 2) return this.problem(`unknown OHDR version ${prefix[4] ?? 0}`, start + 4);
    let at = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
    const sizeBytes = 1 << (flags & 0x03);
    const head = await this.read(start, at + sizeBytes, 'object header');
    if (head === undefined) return undefined;
    const length = readUnsigned(head, at, sizeBytes);
    at += sizeBytes;
    if (length > MAX_CHUNK_BYTES) return this.problem(`object header chunk of ${length} bytes`, start);
    // Chunk 0 is checksummed from the signature through its last message.
    const whole = await this.read(start, at + length + 4, 'object header chunk');
    if (whole === undefined) return undefined;
    if (lookup3(whole.subarray(0, at + length)) !== readU32le(whole, at + length)) {
      this.problem('object header checksum does not match', start);
    }
    const bytes = whole.subarray(at, at + length);
    return { version: 2, bytes, offset: start + at, creationOrder: (flags & 0x04) !== 0 };
  }

  async #v2Continuation(offset: number, length: number): Promise<Chunk | undefined> {
    if (length < 8 || length > MAX_CHUNK_BYTES)
      return this.problem(`continuation chunk of ${length} bytes`, offset);
    const framed = await this.read(offset, length, 'continuation chunk');
    if (framed === undefined) return undefined;
    if (!hasAsciiAt(framed, 0, 'OCHK'))
      return this.problem('continuation chunk lacks its OCHK signature', offset);
    if (lookup3(framed.subarray(0, length - 4)) !== readU32le(framed, length - 4)) {
      this.problem('continuation chunk checksum does not match', offset);
    }
    return { version: 2, bytes: framed.subarray(4, length - 4), offset: offset + 4, creationOrder: false };
  }
}

interface Chunk {
  readonly version: 1 | 2;
  readonly bytes: Uint8Array;
  /** Absolute offset of `bytes`. */
  readonly offset: number;
  /** Version 2 messages carry a creation order when the header tracks it. */
  readonly creationOrder: boolean;
}

/** Splits a chunk into messages; a message running past the chunk is a problem and ends it. */
function parseMessages(chunk: Chunk, reader: Hdf5Reader): Hdf5Message[] {
  const bytes = chunk.bytes;
  const messages: Hdf5Message[] = [];
  const v1 = chunk.version === 1;
  const headerSize = v1 ? 8 : chunk.creationOrder ? 6 : 4;
  let at = 0;
  // In version 2 fewer bytes than a message header at the end are a gap, not a message.
  while (at + headerSize <= bytes.length) {
    const type = v1 ? readU16le(bytes, at) : (bytes[at] ?? 0);
    const size = v1 ? readU16le(bytes, at + 2) : readU16le(bytes, at + 1);
    const flags = (v1 ? bytes[at + 4] : bytes[at + 3]) ?? 0;
    const dataAt = at + headerSize;
    if (dataAt + size > bytes.length) {
      reader.problem(`message of type ${type} runs past its chunk`, chunk.offset + at);
      break;
    }
    messages.push({
      type,
      flags,
      data: bytes.subarray(dataAt, dataAt + size),
      offset: chunk.offset + dataAt,
    });
    at = dataAt + size;
  }
  return messages;
}

/** Reads an unsigned little-endian integer of 1, 2, 4 or 8 bytes; larger than 2^53 reads as Infinity. */
export function readUnsigned(bytes: Uint8Array, at: number, size: number): number {
  if (size === 1) return bytes[at] ?? 0;
  if (size === 2) return readU16le(bytes, at);
  if (size === 4) return readU32le(bytes, at);
  return readU64le(bytes, at);
}

/** Reads an address field; all one bits is the undefined address. */
export function readAddress(bytes: Uint8Array, at: number, size: number): number {
  let allOnes = true;
  for (let i = 0; i < size; i++) if (bytes[at + i] !== 0xff) allOnes = false;
  if (allOnes) return UNDEFINED_ADDRESS;
  const value = readUnsigned(bytes, at, size);
  return Number.isFinite(value) ? value : UNDEFINED_ADDRESS;
}

/** Reads a length field (Infinity when it cannot be a real length). */
export function readLength(bytes: Uint8Array, at: number, size: number): number {
  return readUnsigned(bytes, at, size);
}
