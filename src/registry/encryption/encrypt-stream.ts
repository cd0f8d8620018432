import { createCipheriv, randomBytes } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';
import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import {
  chunkAad,
  CIPHER_SUITE_AES256_GCM_STREAM,
  ENCRYPTED_FORMAT_VERSION,
  chunkCountFor,
  chunkNonce,
  DATA_KEY_LENGTH,
  DEFAULT_CHUNK_SIZE,
  encodeHeader,
  isValidKeySourceId,
  MAX_CHUNK_SIZE,
  MAX_CHUNKS,
  MAX_WRAPPED_KEY_LENGTH,
  MIN_CHUNK_SIZE,
  NONCE_PREFIX_LENGTH,
  TAG_LENGTH,
} from './format.js';
import type { EncryptedHeader } from './format.js';
import type { ByteSink, KeySource } from './types.js';

/** Options of `encryptStream`. */
export interface EncryptOptions {
  /** Plaintext bytes per chunk; default 1 MiB, between 16 bytes and 16 MiB. Memory use is about twice this. */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
}

/** What `encryptStream` wrote. */
export interface EncryptResult {
  readonly header: EncryptedHeader;
  readonly plaintextSize: number;
  readonly encryptedSize: number;
}

/**
 * Encrypts a source into a sink with a fresh AES-256 data key wrapped by `keySource` (envelope
 * encryption, control R7), sealing fixed-size chunks with AES-256-GCM in the STREAM construction
 * (Hoang–Reyhanitabar–Rogaway–Vizár 2015), so memory stays bounded for multi-GB models.
 */
export async function encryptStream(
  source: ByteSource,
  sink: ByteSink,
  keySource: KeySource,
  options: EncryptOptions = {},
): Promise<EncryptResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new BulwarkError('USAGE', `chunk size must be an integer in ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}`);
  }
  if (!isValidKeySourceId(keySource.id)) {
    throw new BulwarkError('KEY_INVALID', 'a key-source id must be 1-256 visible ASCII characters');
  }
  const chunkCount = chunkCountFor(source.size, chunkSize);
  if (chunkCount > MAX_CHUNKS) throw new BulwarkError('LIMIT_EXCEEDED', 'file too large for this chunk size');

  const dataKey = randomBytes(DATA_KEY_LENGTH);
  try {
    const wrappedKey = await keySource.wrapKey(new Uint8Array(dataKey));
    if (wrappedKey.length === 0 || wrappedKey.length > MAX_WRAPPED_KEY_LENGTH) {
      throw new BulwarkError(
        'KEY_INVALID',
        `key source ${keySource.id} returned a wrapped key of bad length`,
      );
    }
    const fields = {
      chunkSize,
      noncePrefix: new Uint8Array(randomBytes(NONCE_PREFIX_LENGTH)),
      keySourceId: keySource.id,
      wrappedKey,
    };
    const headerBytes = encodeHeader(fields);
    const header: EncryptedHeader = {
      ...fields,
      version: ENCRYPTED_FORMAT_VERSION,
      cipherSuite: CIPHER_SUITE_AES256_GCM_STREAM,
      headerLength: headerBytes.length,
    };
    await sink.write(headerBytes);
    for (let index = 0; index < chunkCount; index++) {
      options.signal?.throwIfAborted();
      const offset = index * chunkSize;
      const wanted = Math.min(chunkSize, source.size - offset);
      const plain = await readFully(source, offset, wanted);
      if (plain.length !== wanted) {
        throw new BulwarkError(
          'INPUT_UNREADABLE',
          `source ended at ${offset + plain.length} of ${source.size}`,
        );
      }
      const isFinal = index === chunkCount - 1;
      const cipher = createCipheriv('aes-256-gcm', dataKey, chunkNonce(fields.noncePrefix, index, isFinal), {
        authTagLength: TAG_LENGTH,
      });
      cipher.setAAD(chunkAad(headerBytes, index, isFinal));
      const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      await sink.write(new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.length));
    }
    return {
      header,
      plaintextSize: source.size,
      encryptedSize: headerBytes.length + source.size + chunkCount * TAG_LENGTH,
    };
  } finally {
    dataKey.fill(0);
  }
}
