import { readU16le, readU32le } from '../../core/scan/bytes.js';

/** Magic at the start of every Bulwark encrypted artifact (`\x89BWENC\r\n`, PNG-style line-ending guard). */
export const ENCRYPTED_MAGIC = [0x89, 0x42, 0x57, 0x45, 0x4e, 0x43, 0x0d, 0x0a] as const;

/** The only format version this build reads and writes. */
export const ENCRYPTED_FORMAT_VERSION = 1;

/** Cipher suite 1: AES-256-GCM in the STREAM construction with a 7-byte nonce prefix. */
export const CIPHER_SUITE_AES256_GCM_STREAM = 1;

/** Bytes of a GCM authentication tag appended to every chunk. */
export const TAG_LENGTH = 16;

/** Bytes of the random per-file nonce prefix (96-bit nonce = prefix ‖ u32 chunk index ‖ final flag). */
export const NONCE_PREFIX_LENGTH = 7;

/** Bytes of a data key (AES-256). */
export const DATA_KEY_LENGTH = 32;

/** Plaintext bytes per chunk when the caller does not choose (1 MiB: small overhead, bounded memory). */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/** Smallest chunk size accepted (small only so tests can exercise many chunks). */
export const MIN_CHUNK_SIZE = 16;

/** Largest chunk size accepted on write and on read, so a hostile header cannot make us allocate more. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

/** Longest key-source id in bytes. */
export const MAX_KEY_SOURCE_ID_LENGTH = 256;

/** Longest wrapped key in bytes (room for a KMS ciphertext blob). */
export const MAX_WRAPPED_KEY_LENGTH = 4096;

/** Most chunks in one file: the chunk index is a 32-bit counter in the nonce. */
export const MAX_CHUNKS = 0xffffffff;

const FIXED_HEADER_LENGTH = ENCRYPTED_MAGIC.length + 1 + 1 + 4 + NONCE_PREFIX_LENGTH + 2 + 2;

/** Largest header the reader will look at. */
export const MAX_HEADER_LENGTH = FIXED_HEADER_LENGTH + MAX_KEY_SOURCE_ID_LENGTH + MAX_WRAPPED_KEY_LENGTH;

/** The decoded header of an encrypted artifact; every field is authenticated by each chunk's tag. */
export interface EncryptedHeader {
  readonly version: number;
  readonly cipherSuite: number;
  /** Plaintext bytes per chunk (every chunk but the last is exactly this long). */
  readonly chunkSize: number;
  readonly noncePrefix: Uint8Array;
  readonly keySourceId: string;
  readonly wrappedKey: Uint8Array;
  /** Bytes of the header, where the first chunk starts. */
  readonly headerLength: number;
}

/** Fields a writer chooses; the rest follow. */
export type HeaderFields = Omit<EncryptedHeader, 'version' | 'cipherSuite' | 'headerLength'>;

/** Tells whether a key-source id is 1–256 bytes of visible ASCII, so it prints safely and compares exactly. */
export function isValidKeySourceId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_KEY_SOURCE_ID_LENGTH && /^[\x21-\x7e]+$/.test(id);
}

/** Serializes a header; the caller has validated the fields. */
export function encodeHeader(fields: HeaderFields): Uint8Array {
  const id = new TextEncoder().encode(fields.keySourceId);
  const out = new Uint8Array(FIXED_HEADER_LENGTH + id.length + fields.wrappedKey.length);
  const view = new DataView(out.buffer);
  out.set(ENCRYPTED_MAGIC, 0);
  let at = ENCRYPTED_MAGIC.length;
  out[at++] = ENCRYPTED_FORMAT_VERSION;
  out[at++] = CIPHER_SUITE_AES256_GCM_STREAM;
  view.setUint32(at, fields.chunkSize, true);
  at += 4;
  out.set(fields.noncePrefix, at);
  at += NONCE_PREFIX_LENGTH;
  view.setUint16(at, id.length, true);
  at += 2;
  out.set(id, at);
  at += id.length;
  view.setUint16(at, fields.wrappedKey.length, true);
  at += 2;
  out.set(fields.wrappedKey, at);
  return out;
}

/** Why a header could not be decoded: `truncated` means more bytes are needed (or the file ends). */
export type HeaderProblem = { kind: 'truncated'; needed: number } | { kind: 'invalid'; reason: string };

/**
 * Decodes a header from its first bytes; returns a problem instead of throwing so the caller can read
 * more or report one error.
 */
export function decodeHeader(bytes: Uint8Array): EncryptedHeader | HeaderProblem {
  if (bytes.length < FIXED_HEADER_LENGTH) {
    if (!hasMagicPrefix(bytes))
      return { kind: 'invalid', reason: 'not a Bulwark encrypted file (bad magic)' };
    return { kind: 'truncated', needed: FIXED_HEADER_LENGTH };
  }
  if (!hasMagicPrefix(bytes)) return { kind: 'invalid', reason: 'not a Bulwark encrypted file (bad magic)' };
  let at = ENCRYPTED_MAGIC.length;
  const version = bytes[at++] ?? 0;
  if (version !== ENCRYPTED_FORMAT_VERSION) {
    return { kind: 'invalid', reason: `unsupported encrypted format version ${version}` };
  }
  const cipherSuite = bytes[at++] ?? 0;
  if (cipherSuite !== CIPHER_SUITE_AES256_GCM_STREAM) {
    return { kind: 'invalid', reason: `unsupported cipher suite ${cipherSuite}` };
  }
  const chunkSize = readU32le(bytes, at);
  at += 4;
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    return {
      kind: 'invalid',
      reason: `chunk size ${chunkSize} outside ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}`,
    };
  }
  const noncePrefix = bytes.slice(at, at + NONCE_PREFIX_LENGTH);
  at += NONCE_PREFIX_LENGTH;
  const idLength = readU16le(bytes, at);
  at += 2;
  if (idLength === 0 || idLength > MAX_KEY_SOURCE_ID_LENGTH) {
    return { kind: 'invalid', reason: `key-source id length ${idLength} out of range` };
  }
  if (bytes.length < at + idLength + 2) return { kind: 'truncated', needed: at + idLength + 2 };
  const keySourceId = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(at, at + idLength));
  if (!isValidKeySourceId(keySourceId))
    return { kind: 'invalid', reason: 'key-source id is not visible ASCII' };
  at += idLength;
  const wrappedLength = readU16le(bytes, at);
  at += 2;
  if (wrappedLength === 0 || wrappedLength > MAX_WRAPPED_KEY_LENGTH) {
    return { kind: 'invalid', reason: `wrapped key length ${wrappedLength} out of range` };
  }
  if (bytes.length < at + wrappedLength) return { kind: 'truncated', needed: at + wrappedLength };
  const wrappedKey = bytes.slice(at, at + wrappedLength);
  at += wrappedLength;
  return { version, cipherSuite, chunkSize, noncePrefix, keySourceId, wrappedKey, headerLength: at };
}

function hasMagicPrefix(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, ENCRYPTED_MAGIC.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== ENCRYPTED_MAGIC[i]) return false;
  return true;
}

/** The 96-bit GCM nonce of a chunk: prefix ‖ big-endian u32 index ‖ 1 if final else 0 (STREAM). */
export function chunkNonce(noncePrefix: Uint8Array, index: number, isFinal: boolean): Uint8Array {
  const nonce = new Uint8Array(NONCE_PREFIX_LENGTH + 5);
  nonce.set(noncePrefix, 0);
  new DataView(nonce.buffer).setUint32(NONCE_PREFIX_LENGTH, index, false);
  nonce[NONCE_PREFIX_LENGTH + 4] = isFinal ? 1 : 0;
  return nonce;
}

/**
 * The associated data of a chunk: the whole header ‖ big-endian u32 index ‖ final flag, so the header
 * cannot be swapped and chunks cannot be reordered, dropped or appended.
 */
export function chunkAad(header: Uint8Array, index: number, isFinal: boolean): Uint8Array {
  const aad = new Uint8Array(header.length + 5);
  aad.set(header, 0);
  new DataView(aad.buffer).setUint32(header.length, index, false);
  aad[header.length + 4] = isFinal ? 1 : 0;
  return aad;
}

/** How a body of sealed chunks splits, or why it cannot be a valid body. */
export type ChunkLayout =
  { kind: 'ok'; chunkCount: number; lastSealedLength: number; plaintextSize: number } | { kind: 'truncated' };

/** Derives the chunk count and the final chunk's length from the body size (there is always ≥ 1 chunk). */
export function layoutChunks(bodySize: number, chunkSize: number): ChunkLayout {
  const sealed = chunkSize + TAG_LENGTH;
  if (bodySize < TAG_LENGTH) return { kind: 'truncated' };
  const chunkCount = Math.ceil(bodySize / sealed);
  const lastSealedLength = bodySize - (chunkCount - 1) * sealed;
  if (lastSealedLength < TAG_LENGTH || chunkCount > MAX_CHUNKS) return { kind: 'truncated' };
  return { kind: 'ok', chunkCount, lastSealedLength, plaintextSize: bodySize - chunkCount * TAG_LENGTH };
}

/** Number of chunks a plaintext of `size` bytes is sealed in (an empty file still has one final chunk). */
export function chunkCountFor(size: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(size / chunkSize));
}
