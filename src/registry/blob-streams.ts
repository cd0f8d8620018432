import { createCipheriv, createDecipheriv, createHash, randomBytes, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import type { ByteSource } from '../core/scan/types.js';
import type { ByteSink } from './encryption/types.js';

// Streaming pieces of the blob store: hashing while reading, the throwaway spool cipher, and a
// Readable fed by a producer with backpressure.

/** A byte source read strictly front to back, with everything read hashed (SHA-256). */
export interface HashingSource {
  readonly source: ByteSource;
  /** The digest of the bytes read so far. */
  digest(): Digest;
}

/** Wraps a source that will be read once, in order, so its digest comes from the same single pass. */
export function hashingSource(inner: ByteSource): HashingSource {
  const hash: Hash = createHash('sha256');
  let next = 0;
  const source: ByteSource = {
    size: inner.size,
    async read(offset, length) {
      if (offset !== next)
        throw new BulwarkError('INTERNAL', `hashing source read at ${offset}, expected ${next}`);
      const bytes = (await inner.read(offset, length)).subarray(0, Math.max(0, length));
      hash.update(bytes);
      next += bytes.length;
      return bytes;
    },
  };
  return { source, digest: () => `sha256:${hash.copy().digest('hex')}` };
}

/**
 * AES-256-CTR under a key that lives only in memory, for spooling an upload of unknown length. The
 * spool is not authenticated: the second pass re-hashes it and compares with the first.
 */
export class SpoolCipher {
  readonly #key = randomBytes(32);
  // The low 64 bits start at zero, so the counter of block n is the prefix followed by n.
  readonly #prefix = randomBytes(8);
  readonly #cipher = createCipheriv('aes-256-ctr', this.#key, this.#counter(0));

  encrypt(piece: Uint8Array): Uint8Array {
    return new Uint8Array(this.#cipher.update(piece));
  }

  decryptingSource(stored: ByteSource): ByteSource {
    return {
      size: stored.size,
      read: async (offset, length) => {
        const sealed = await stored.read(offset, length);
        const skip = offset % 16;
        const decipher = createDecipheriv('aes-256-ctr', this.#key, this.#counter(Math.floor(offset / 16)));
        const plain = decipher.update(Buffer.concat([Buffer.alloc(skip), sealed]));
        return new Uint8Array(plain.subarray(skip));
      },
    };
  }

  #counter(block: number): Buffer {
    const counter = Buffer.alloc(16);
    this.#prefix.copy(counter, 0);
    counter.writeBigUInt64BE(BigInt(block), 8);
    return counter;
  }
}

/**
 * A Readable fed by a producer that writes to a sink: each write waits while the consumer is behind,
 * so memory stays bounded; destroying the stream aborts the producer.
 */
export function pullStream(produce: (sink: ByteSink, signal: AbortSignal) => Promise<unknown>): Readable {
  const controller = new AbortController();
  let resume: (() => void) | undefined;
  let started = false;
  const wake = (): void => {
    const waiting = resume;
    resume = undefined;
    waiting?.();
  };
  const sink: ByteSink = {
    async write(chunk) {
      controller.signal.throwIfAborted();
      if (!stream.push(chunk)) await new Promise<void>((done) => (resume = done));
      controller.signal.throwIfAborted();
    },
  };
  const stream: Readable = new Readable({
    read() {
      wake();
      if (started) return;
      started = true;
      produce(sink, controller.signal).then(
        () => stream.push(null),
        (error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
    destroy(error, callback) {
      controller.abort();
      wake();
      callback(error);
    },
  });
  return stream;
}
