import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isDigest, type Digest } from '../core/digest.js';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import { readFully } from '../core/scan/byte-sources.js';
import type { ClosableByteSource } from '../core/scan/walk-entry.js';
import { hashingSource, pullStream, SpoolCipher } from './blob-streams.js';
import { decryptStream } from './encryption/decrypt-stream.js';
import { encryptStream } from './encryption/encrypt-stream.js';
import { readEncryptedHeader } from './encryption/read-encrypted-header.js';
import type { ByteSink, KeySource } from './encryption/types.js';

/** File-name suffix of a Bulwark encrypted artifact (the CLI's default output and encrypted blobs). */
export const ENCRYPTED_SUFFIX = '.bwenc';

/** Bytes read or streamed at a time, so memory stays bounded whatever the blob size. */
const PIECE = 1024 * 1024;

/** A scratch file being written; the edge implements it over a temporary file in the store root. */
export interface BlobTempFile extends ByteSink {
  /** Syncs and closes the file, then opens it for reading (a spool is read back once). */
  reopen(): Promise<ClosableByteSource>;
  /**
   * Syncs, closes and makes the file read-only, then moves it to `name` unless a file is already
   * there (atomically: two writers of one name never corrupt it); tells which happened.
   */
  commit(name: string): Promise<'created' | 'existed'>;
  /** Closes and deletes the file; harmless after `commit`. */
  discard(): Promise<void>;
}

/**
 * The disk under a blob store, implemented at the edge (`src/cli/fs-blob-files.ts`) so this engine
 * never opens files itself. Names are `/`-separated and relative to the store root.
 */
export interface BlobFiles {
  /** Creates an empty scratch file under the store's `tmp/` folder. */
  createTemp(): Promise<BlobTempFile>;
  /** Size of a stored file, or undefined when there is none. */
  sizeOf(name: string): Promise<number | undefined>;
  /** Opens a stored file for reading. */
  open(name: string): Promise<ClosableByteSource>;
  /** Opens a file the caller named by path, as the input of `put`. */
  openInput(path: string): Promise<ClosableByteSource>;
  /** The local path of a stored file, so a model can be read in place. */
  localPath(name: string): string;
}

/** Options of a blob store. */
export interface BlobStoreOptions {
  readonly files: BlobFiles;
  /** When given, new blobs are encrypted at rest, each with its own data key (control R7). */
  readonly keySource?: KeySource;
  /** Plaintext bytes per encrypted chunk (default 1 MiB). */
  readonly chunkSize?: number;
}

/** What `put` accepts: a file path, or a byte stream (a Node Readable without an encoding). */
export type BlobInput = string | AsyncIterable<Uint8Array>;

/** Options of `put`. */
export interface PutOptions {
  /** Refuse (and store nothing) unless the content has this digest, e.g. the one an uploader claimed. */
  readonly expectedDigest?: string;
}

/** What `put` stored: the digest always names the plaintext, encrypted or not. */
export interface PutResult {
  readonly digest: Digest;
  readonly size: number;
  readonly encrypted: boolean;
  /** True when the blob was already stored, so nothing was written. */
  readonly existed: boolean;
}

/** The verdict of `verify`: a failed check is a result, not an exception. */
export type BlobCheck =
  | { readonly ok: true; readonly digest: Digest; readonly size: number; readonly encrypted: boolean }
  | {
      readonly ok: false;
      readonly digest: Digest;
      readonly problem: 'missing' | 'corrupt';
      readonly message: string;
    };

interface Located {
  readonly name: string;
  readonly encrypted: boolean;
  readonly storedSize: number;
}

/**
 * A content-addressed blob store (control R5): each blob is named by the SHA-256 of its plaintext at
 * `sha256/<2 hex>/<62 hex>` (plus `.bwenc` when encrypted at rest, control R7), written read-only
 * through a scratch file and an atomic no-clobber move, and checked against its name on every read.
 */
export class BlobStore {
  readonly #files: BlobFiles;
  readonly #keySource: KeySource | undefined;
  readonly #chunkSize: number | undefined;

  constructor(options: BlobStoreOptions) {
    this.#files = options.files;
    this.#keySource = options.keySource;
    this.#chunkSize = options.chunkSize;
  }

  /** Tells whether new blobs are encrypted at rest. */
  get isEncrypting(): boolean {
    return this.#keySource !== undefined;
  }

  /** Stores content by streaming it once (twice for an encrypted stream); a no-op if already stored. */
  async put(input: BlobInput, options: PutOptions = {}): Promise<PutResult> {
    const expected = options.expectedDigest === undefined ? undefined : parseDigest(options.expectedDigest);
    const temp = await this.#files.createTemp();
    try {
      const written = this.#keySource
        ? await this.#writeEncrypted(input, temp, this.#keySource)
        : await this.#writePlain(input, temp);
      if (expected !== undefined && written.digest !== expected) {
        throw new BulwarkError(
          'SIGNATURE_INVALID',
          `content is ${written.digest}, not the expected ${expected}`,
        );
      }
      const encrypted = this.#keySource !== undefined;
      const outcome = await temp.commit(blobName(written.digest, encrypted));
      return { ...written, encrypted, existed: outcome === 'existed' };
    } finally {
      await temp.discard();
    }
  }

  /** Tells whether a blob is stored, encrypted or not. */
  async has(digest: string): Promise<boolean> {
    return (await this.#locate(parseDigest(digest))) !== undefined;
  }

  /** The plaintext size of a stored blob (for an encrypted one, as its length implies). */
  async size(digest: string): Promise<number> {
    const found = await this.#require(parseDigest(digest));
    if (!found.encrypted) return found.storedSize;
    const source = await this.#files.open(found.name);
    try {
      return (await readEncryptedHeader(source)).plaintextSize;
    } finally {
      await source.close();
    }
  }

  /**
   * The local path of an unencrypted blob, to read a model in place. Reading it this way skips the
   * digest check: call `verify` first when that matters.
   */
  async path(digest: string): Promise<string> {
    const parsed = parseDigest(digest);
    const found = await this.#require(parsed);
    if (found.encrypted) {
      throw new BulwarkError('INPUT_INVALID', `blob ${parsed} is encrypted at rest: read it with open()`);
    }
    return this.#files.localPath(found.name);
  }

  /**
   * Streams a blob's plaintext, hashing it on the way. Bytes flow before the end is checked, so treat
   * them as unverified until the stream ends: a blob altered on disk makes it fail with
   * `SIGNATURE_INVALID` instead of ending. A missing blob rejects with `NOT_FOUND`.
   */
  async open(digest: string): Promise<Readable> {
    const parsed = parseDigest(digest);
    const found = await this.#require(parsed);
    this.#requireKeyFor(parsed, found);
    return pullStream((sink, signal) => this.#produce(parsed, found, sink, signal));
  }

  /** Re-reads and re-hashes a whole blob (and authenticates it when encrypted). */
  async verify(digest: string): Promise<BlobCheck> {
    const parsed = parseDigest(digest);
    const found = await this.#locate(parsed);
    if (found === undefined) {
      return { ok: false, digest: parsed, problem: 'missing', message: `blob ${parsed} is not stored` };
    }
    try {
      const size = await this.#produce(parsed, found, { write: () => Promise.resolve() });
      return { ok: true, digest: parsed, size, encrypted: found.encrypted };
    } catch (error) {
      if (!isBulwarkError(error) || error.code !== 'SIGNATURE_INVALID') {
        throw error;
      }
      return { ok: false, digest: parsed, problem: 'corrupt', message: error.message };
    }
  }

  async #writePlain(input: BlobInput, sink: ByteSink): Promise<{ digest: Digest; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const piece of this.#pieces(input)) {
      hash.update(piece);
      size += piece.length;
      await sink.write(piece);
    }
    return { digest: `sha256:${hash.digest('hex')}`, size };
  }

  async #writeEncrypted(
    input: BlobInput,
    temp: BlobTempFile,
    keySource: KeySource,
  ): Promise<{ digest: Digest; size: number }> {
    const options = this.#chunkSize === undefined ? {} : { chunkSize: this.#chunkSize };
    if (typeof input === 'string') {
      const source = await this.#files.openInput(input);
      try {
        const hashed = hashingSource(source);
        const result = await encryptStream(hashed.source, temp, keySource, options);
        return { digest: hashed.digest(), size: result.plaintextSize };
      } finally {
        await source.close();
      }
    }
    // The STREAM format needs the size up front, so a stream is first spooled under a throwaway
    // in-memory key (plaintext never reaches the disk), then encrypted from the spool.
    const spool = await this.#files.createTemp();
    try {
      const cipher = new SpoolCipher();
      const first = await this.#writePlain(input, { write: (piece) => spool.write(cipher.encrypt(piece)) });
      const stored = await spool.reopen();
      try {
        const hashed = hashingSource(cipher.decryptingSource(stored));
        await encryptStream(hashed.source, temp, keySource, options);
        if (hashed.digest() !== first.digest) {
          throw new BulwarkError(
            'SIGNATURE_INVALID',
            'the spooled upload changed on disk while it was encrypted',
          );
        }
        return first;
      } finally {
        await stored.close();
      }
    } finally {
      await spool.discard();
    }
  }

  async *#pieces(input: BlobInput): AsyncGenerator<Uint8Array> {
    if (typeof input !== 'string') {
      for await (const chunk of input as AsyncIterable<unknown>) {
        if (!(chunk instanceof Uint8Array)) {
          throw new BulwarkError('USAGE', 'put needs a byte stream (a Readable without an encoding)');
        }
        yield chunk;
      }
      return;
    }
    const source = await this.#files.openInput(input);
    try {
      for (let offset = 0; offset < source.size; offset += PIECE) {
        const piece = await readFully(source, offset, PIECE);
        if (piece.length === 0) break; // the file shrank while read: the digest names what was stored
        yield piece;
      }
    } finally {
      await source.close();
    }
  }

  /** Sends a blob's plaintext to `sink`, then checks it hashes to its name; returns its size. */
  async #produce(digest: Digest, found: Located, sink: ByteSink, signal?: AbortSignal): Promise<number> {
    const keySource = this.#requireKeyFor(digest, found);
    const hash = createHash('sha256');
    let size = 0;
    const hashing: ByteSink = {
      write(chunk) {
        hash.update(chunk);
        size += chunk.length;
        return sink.write(chunk);
      },
    };
    const source = await this.#files.open(found.name);
    try {
      if (found.encrypted && keySource !== undefined) {
        await decryptStream(source, hashing, [keySource], signal === undefined ? {} : { signal }).catch(
          (error: unknown) => {
            // A header that does not decode or names another key is damage as far as this store can tell.
            if (isBulwarkError(error) && (error.code === 'INPUT_INVALID' || error.code === 'KEY_INVALID')) {
              throw new BulwarkError(
                'SIGNATURE_INVALID',
                `blob ${digest} cannot be authenticated (altered, or encrypted under another key): ${error.message}`,
                { cause: error },
              );
            }
            throw error;
          },
        );
      } else {
        for (let offset = 0; offset < source.size; offset += PIECE) {
          signal?.throwIfAborted();
          await hashing.write(await readFully(source, offset, PIECE));
        }
      }
    } finally {
      await source.close();
    }
    if (`sha256:${hash.digest('hex')}` !== digest) {
      throw new BulwarkError(
        'SIGNATURE_INVALID',
        `blob ${digest} was altered on disk: its content no longer matches its digest`,
      );
    }
    return size;
  }

  async #locate(digest: Digest): Promise<Located | undefined> {
    const order = this.#keySource ? [true, false] : [false, true];
    for (const encrypted of order) {
      const name = blobName(digest, encrypted);
      const storedSize = await this.#files.sizeOf(name);
      if (storedSize !== undefined) return { name, encrypted, storedSize };
    }
    return undefined;
  }

  #requireKeyFor(digest: Digest, found: Located): KeySource | undefined {
    if (found.encrypted && this.#keySource === undefined) {
      throw new BulwarkError(
        'KEY_INVALID',
        `blob ${digest} is encrypted at rest: open the store with its key source`,
      );
    }
    return this.#keySource;
  }

  async #require(digest: Digest): Promise<Located> {
    const found = await this.#locate(digest);
    if (found === undefined) throw new BulwarkError('NOT_FOUND', `blob ${digest} is not stored`);
    return found;
  }
}

/** Checks a digest string strictly (`sha256:` and 64 lowercase hex), so it can never name another path. */
export function parseDigest(value: string): Digest {
  if (isDigest(value)) return value;
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  throw new BulwarkError(
    'INPUT_INVALID',
    `not a sha256 digest (sha256:<64 lowercase hex>): ${JSON.stringify(shown)}`,
  );
}

/** Where a blob lives under the store root. */
export function blobName(digest: Digest, encrypted: boolean): string {
  const hex = digest.slice('sha256:'.length);
  return `sha256/${hex.slice(0, 2)}/${hex.slice(2)}${encrypted ? ENCRYPTED_SUFFIX : ''}`;
}

export { hashingSource, type HashingSource } from './blob-streams.js';
