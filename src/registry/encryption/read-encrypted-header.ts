import { BulwarkError } from '../../core/errors.js';
import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { decodeHeader, layoutChunks, MAX_HEADER_LENGTH } from './format.js';
import type { EncryptedHeader } from './format.js';

/** A decoded header with the raw bytes the chunks authenticate and the sizes the file claims. */
export interface EncryptedFileInfo {
  readonly header: EncryptedHeader;
  /** The header exactly as stored (every chunk's associated data starts with it). */
  readonly headerBytes: Uint8Array;
  /** Plaintext size implied by the file size; unauthenticated until `decryptStream` succeeds. */
  readonly plaintextSize: number;
  readonly chunkCount: number;
}

/**
 * Reads and checks the header of an encrypted artifact without any key (to show which key source it
 * needs). A file that is not one, is of an unknown version or ends inside its header is
 * `INPUT_INVALID`; one whose body is too short to hold a final chunk is `SIGNATURE_INVALID`.
 */
export async function readEncryptedHeader(source: ByteSource): Promise<EncryptedFileInfo> {
  let bytes = await readFully(source, 0, Math.min(source.size, 64));
  for (let attempt = 0; attempt < 4; attempt++) {
    const decoded = decodeHeader(bytes);
    if (!('kind' in decoded)) return withLayout(decoded, bytes.slice(0, decoded.headerLength), source.size);
    if (decoded.kind === 'invalid') throw new BulwarkError('INPUT_INVALID', decoded.reason);
    const needed = Math.min(decoded.needed, MAX_HEADER_LENGTH);
    if (needed > source.size || needed <= bytes.length) break;
    bytes = await readFully(source, 0, needed);
  }
  throw new BulwarkError('INPUT_INVALID', 'encrypted file is truncated inside its header');
}

function withLayout(header: EncryptedHeader, headerBytes: Uint8Array, size: number): EncryptedFileInfo {
  const layout = layoutChunks(size - header.headerLength, header.chunkSize);
  if (layout.kind !== 'ok') {
    throw new BulwarkError('SIGNATURE_INVALID', 'encrypted file is truncated: its final chunk is missing');
  }
  return { header, headerBytes, plaintextSize: layout.plaintextSize, chunkCount: layout.chunkCount };
}
