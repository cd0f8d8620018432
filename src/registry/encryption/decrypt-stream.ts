import { createDecipheriv } from 'node:crypto';
import { BulwarkError, isBulwarkError } from '../../core/errors.js';
import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { chunkAad, chunkNonce, DATA_KEY_LENGTH, TAG_LENGTH } from './format.js';
import type { EncryptedHeader } from './format.js';
import { readEncryptedHeader } from './read-encrypted-header.js';
import type { ByteSink, KeySource } from './types.js';

/** Options of `decryptStream`. */
export interface DecryptOptions {
  readonly signal?: AbortSignal;
}

/** What `decryptStream` recovered. */
export interface DecryptResult {
  readonly header: EncryptedHeader;
  readonly plaintextSize: number;
}

const TAMPERED =
  'encrypted file failed authentication (wrong key, modified, truncated, extended or reordered chunks)';

/**
 * Decrypts an artifact written by `encryptStream`, choosing the key source by the id in its header.
 * Only chunks whose tag verified reach the sink, but a file cut or altered after chunk N fails only
 * once chunk N is read: the caller must write to a temporary file and rename it into place only when
 * this resolves, and delete it when it rejects. Failures are `SIGNATURE_INVALID` (authentication),
 * `INPUT_INVALID` (not this format, unknown version) or `KEY_INVALID` (no key source with that id).
 */
export async function decryptStream(
  source: ByteSource,
  sink: ByteSink,
  keySources: readonly KeySource[],
  options: DecryptOptions = {},
): Promise<DecryptResult> {
  const { header, headerBytes, chunkCount, plaintextSize } = await readEncryptedHeader(source);
  const keySource = keySources.find((candidate) => candidate.id === header.keySourceId);
  if (keySource === undefined) {
    throw new BulwarkError('KEY_INVALID', `no key source with id ${header.keySourceId} was given`);
  }
  const dataKey = await unwrap(keySource, header.wrappedKey);
  try {
    const sealedSize = header.chunkSize + TAG_LENGTH;
    for (let index = 0; index < chunkCount; index++) {
      options.signal?.throwIfAborted();
      const isFinal = index === chunkCount - 1;
      const offset = header.headerLength + index * sealedSize;
      const wanted = Math.min(sealedSize, source.size - offset);
      const sealed = await readFully(source, offset, wanted);
      if (sealed.length !== wanted) {
        throw new BulwarkError(
          'INPUT_UNREADABLE',
          `source ended at ${offset + sealed.length} of ${source.size}`,
        );
      }
      const plain = openChunk(dataKey, headerBytes, header.noncePrefix, sealed, index, isFinal);
      if (plain.length > 0) await sink.write(plain);
    }
    return { header, plaintextSize };
  } finally {
    dataKey.fill(0);
  }
}

async function unwrap(keySource: KeySource, wrapped: Uint8Array): Promise<Uint8Array> {
  let key: Uint8Array;
  try {
    key = await keySource.unwrapKey(wrapped);
  } catch (cause) {
    if (isBulwarkError(cause) && cause.code !== 'SIGNATURE_INVALID') throw cause;
    throw new BulwarkError('SIGNATURE_INVALID', TAMPERED, { cause });
  }
  if (key.length !== DATA_KEY_LENGTH) throw new BulwarkError('SIGNATURE_INVALID', TAMPERED);
  return key;
}

function openChunk(
  dataKey: Uint8Array,
  headerBytes: Uint8Array,
  noncePrefix: Uint8Array,
  sealed: Uint8Array,
  index: number,
  isFinal: boolean,
): Uint8Array {
  const body = sealed.subarray(0, sealed.length - TAG_LENGTH);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, chunkNonce(noncePrefix, index, isFinal), {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAAD(chunkAad(headerBytes, index, isFinal));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
    // Buffered until final() verifies the tag, so unauthenticated plaintext never leaves this function.
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.length);
  } catch (cause) {
    throw new BulwarkError('SIGNATURE_INVALID', `${TAMPERED} at chunk ${index}`, { cause });
  }
}
