import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';
import { DATA_KEY_LENGTH, isValidKeySourceId } from './format.js';
import type { KeySource, WrappedKey } from './types.js';

/** Bytes of a local key-encryption key (AES-256). */
export const LOCAL_KEY_LENGTH = 32;

const WRAP_NONCE_LENGTH = 12;
const WRAP_TAG_LENGTH = 16;
const WRAP_CONTEXT = 'bulwark/local-key-wrap/v1\0';
const ID_CONTEXT = 'bulwark/local-key-id/v1\0';

/** Options for a local key source. */
export interface LocalKeySourceOptions {
  /**
   * Id written in encrypted headers. Default: `local:` and 16 hex digits of a domain-separated SHA-256
   * of the key, so the same key matches whether it came from a file or an environment variable, and
   * the id reveals nothing about the key.
   */
  readonly id?: string;
}

/** Returns 32 fresh random bytes for a new local key (the CLI writes them base64 to a 0600 file). */
export function generateLocalKey(): Uint8Array {
  return new Uint8Array(randomBytes(LOCAL_KEY_LENGTH));
}

/**
 * Decodes local key material: exactly 32 raw bytes, or text holding the base64 (or base64url) of 32
 * bytes with surrounding whitespace ignored; anything else is `KEY_INVALID`.
 */
export function parseLocalKey(material: Uint8Array | string): Uint8Array {
  if (typeof material !== 'string' && material.length === LOCAL_KEY_LENGTH) return material.slice();
  const text = (typeof material === 'string' ? material : new TextDecoder().decode(material)).trim();
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const decoded = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === LOCAL_KEY_LENGTH) return new Uint8Array(decoded);
  }
  throw new BulwarkError('KEY_INVALID', `an encryption key must be ${LOCAL_KEY_LENGTH} bytes, raw or base64`);
}

/** The default id of a local key: a fingerprint that names the key without revealing it. */
export function localKeyId(key: Uint8Array): string {
  const digest = createHash('sha256').update(ID_CONTEXT).update(key).digest('hex');
  return `local:${digest.slice(0, 16)}`;
}

/**
 * A key source over a 32-byte key held in memory, wrapping data keys with AES-256-GCM (random 96-bit
 * nonce, the source id as associated data). GCM rather than AES-KW (RFC 3394): the same primitive as
 * the chunks, associated data binds the wrap to its key id, and a random nonce is safe far beyond the
 * number of files one key will ever wrap.
 */
export class LocalKeySource implements KeySource {
  readonly id: string;
  readonly #key: Uint8Array;

  constructor(key: Uint8Array, options: LocalKeySourceOptions = {}) {
    if (key.length !== LOCAL_KEY_LENGTH) {
      throw new BulwarkError('KEY_INVALID', `an encryption key must be ${LOCAL_KEY_LENGTH} bytes`);
    }
    const id = options.id ?? localKeyId(key);
    if (!isValidKeySourceId(id)) {
      throw new BulwarkError('KEY_INVALID', 'a key-source id must be 1-256 visible ASCII characters');
    }
    this.id = id;
    this.#key = key.slice();
  }

  wrapKey(dataKey: Uint8Array): Promise<WrappedKey> {
    if (dataKey.length !== DATA_KEY_LENGTH) {
      return Promise.reject(new BulwarkError('KEY_INVALID', `a data key must be ${DATA_KEY_LENGTH} bytes`));
    }
    const nonce = randomBytes(WRAP_NONCE_LENGTH);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: WRAP_TAG_LENGTH });
    cipher.setAAD(this.#context());
    const sealed = Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return Promise.resolve(new Uint8Array(sealed));
  }

  unwrapKey(wrapped: WrappedKey): Promise<Uint8Array> {
    const expected = WRAP_NONCE_LENGTH + DATA_KEY_LENGTH + WRAP_TAG_LENGTH;
    if (wrapped.length !== expected) return Promise.reject(unwrapFailed());
    const nonce = wrapped.subarray(0, WRAP_NONCE_LENGTH);
    const body = wrapped.subarray(WRAP_NONCE_LENGTH, WRAP_NONCE_LENGTH + DATA_KEY_LENGTH);
    const tag = wrapped.subarray(WRAP_NONCE_LENGTH + DATA_KEY_LENGTH);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: WRAP_TAG_LENGTH });
      decipher.setAAD(this.#context());
      decipher.setAuthTag(tag);
      const key = Buffer.concat([decipher.update(body), decipher.final()]);
      return Promise.resolve(new Uint8Array(key));
    } catch (cause) {
      return Promise.reject(unwrapFailed(cause));
    }
  }

  #context(): Uint8Array {
    return new TextEncoder().encode(WRAP_CONTEXT + this.id);
  }
}

function unwrapFailed(cause?: unknown): BulwarkError {
  return new BulwarkError('SIGNATURE_INVALID', 'the data key did not unwrap: wrong key or modified header', {
    cause,
  });
}

/**
 * A local key source from a key file's content (32 raw bytes or base64 text); the CLI reads the file.
 */
export function keySourceFromFileContent(
  content: Uint8Array,
  options?: LocalKeySourceOptions,
): LocalKeySource {
  return new LocalKeySource(parseLocalKey(content), options);
}

/**
 * A local key source from an environment variable's value (base64 text); the CLI reads the variable.
 */
export function keySourceFromEnvValue(value: string, options?: LocalKeySourceOptions): LocalKeySource {
  return new LocalKeySource(parseLocalKey(value), options);
}
