import { crc32 } from 'node:zlib';
import type { ByteSource } from '../../core/scan/types.js';

const CHUNK = 1024 * 1024;

/** CRC-32 (as zip and gzip use it) of a whole byte source, read in 1 MiB chunks. */
export async function crc32OfSource(source: ByteSource): Promise<number> {
  let crc = 0;
  for (let offset = 0; offset < source.size;) {
    const chunk = await source.read(offset, Math.min(CHUNK, source.size - offset));
    if (chunk.length === 0) break;
    crc = crc32(chunk, crc);
    offset += chunk.length;
  }
  return crc;
}
