import { createHash } from 'node:crypto';
import type { ByteSource } from '../../core/scan/types.js';
import type { HashType } from './manifest.js';

/** A byte range `[start, end)` of a source. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Hashes a source (or one range of it) and returns the lowercase hex digest. A parameter of the
 * serializer so the edge can hash in worker threads; `hashSource` is the in-process default.
 */
export type HashFunction = (source: ByteSource, hashType: HashType, range?: ByteRange) => Promise<string>;

/** Bytes read per call while streaming a file through the hash. */
export const HASH_READ_SIZE = 1024 * 1024;

const NODE_HASH_NAMES: Readonly<Record<HashType, string>> = { sha256: 'sha256', blake2b: 'blake2b512' };

/** Streams a source through node:crypto in 1 MiB reads, so memory stays bounded whatever the size. */
export async function hashSource(source: ByteSource, hashType: HashType, range?: ByteRange): Promise<string> {
  const hash = createHash(NODE_HASH_NAMES[hashType]);
  const start = Math.max(0, Math.min(range?.start ?? 0, source.size));
  const end = Math.max(start, Math.min(range?.end ?? source.size, source.size));
  let offset = start;
  while (offset < end) {
    const chunk = await source.read(offset, Math.min(HASH_READ_SIZE, end - offset));
    // A source that stops short (file truncated while hashing) must not spin forever.
    if (chunk.length === 0) break;
    const usable = chunk.length > end - offset ? chunk.subarray(0, end - offset) : chunk;
    hash.update(usable);
    offset += usable.length;
  }
  return hash.digest('hex');
}
