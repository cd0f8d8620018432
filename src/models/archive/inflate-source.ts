import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';
import { BulwarkError } from '../../core/errors.js';
import type { ByteSource } from '../../core/scan/types.js';

/** How a deflate stream ended once inflated to its end or to a limit. */
export type InflateOutcome = 'complete' | 'truncated' | 'corrupt' | 'member-limit' | 'total-limit';

/** What inflating a whole deflate stream found: its length, checksum and how it ended. */
export interface InflateResult {
  readonly outcome: InflateOutcome;
  /** Bytes inflated, up to the limit that stopped it. */
  readonly inflatedBytes: number;
  /** Compressed bytes the deflate stream occupies (up to where it stopped when not complete). */
  readonly consumedBytes: number;
  /** CRC-32 of the inflated bytes (meaningful when complete). */
  readonly crc32: number;
  /** The decoder's message when the stream is truncated or corrupt. */
  readonly message?: string;
}

/** Decompressed bytes still allowed over one file, shared by all of its members (mutated as they inflate). */
export interface InflateBudget {
  remaining: number;
}

/** Bounds of one inflating source. */
export interface InflateOptions {
  /** Bytes inflated at most from this stream; reads past them fail with LIMIT_EXCEEDED. */
  readonly maxBytes: number;
  /** A budget shared with other streams of the same file; inflating stops when it runs out. */
  readonly budget?: InflateBudget;
}

/** A byte source over inflated bytes that inflates only as far as its reads reach. */
export interface InflatingSource extends ByteSource {
  /**
   * Inflates the rest of the stream without keeping it (only length and CRC) and tells how it ended;
   * the bytes kept for reads are released, so read no more afterwards.
   */
  finish(): Promise<InflateResult>;
  /** Stops inflating and releases the decoder and kept bytes; idempotent. */
  close(): void;
}

const FIRST_CHUNK = 16 * 1024;
const MAX_CHUNK = 256 * 1024;

/**
 * Exposes the raw deflate stream in `compressed` as `size` inflated bytes, inflated lazily: the first read of
 * a 4 KiB head inflates a few compressed chunks, not a 2 GB member. The inflated prefix is kept in memory up
 * to `maxBytes`; reads beyond it fail, and a stream that is truncated or corrupt reads short where it breaks.
 */
export function inflatingSource(
  compressed: ByteSource,
  size: number,
  options: InflateOptions,
): InflatingSource {
  const inflater = new LazyInflater(compressed, options);
  const total = Math.max(0, size);
  return {
    size: total,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, total));
      const end = Math.min(total, start + Math.max(0, length));
      if (end <= start) return new Uint8Array(0);
      return inflater.slice(start, end);
    },
    finish: () => inflater.finish(),
    close: () => inflater.close(),
  };
}

/** Inflates a deflate stream to its end without keeping the output: length, CRC and how it ended. */
export async function inflateToEnd(compressed: ByteSource, options: InflateOptions): Promise<InflateResult> {
  const inflater = new LazyInflater(compressed, options);
  return inflater.finish();
}

class LazyInflater {
  readonly #compressed: ByteSource;
  readonly #maxBytes: number;
  readonly #budget: InflateBudget | undefined;
  #stream: InflateRaw | undefined;
  #settled: Promise<void> | undefined;
  #kept: Uint8Array = new Uint8Array(0);
  #keptLength = 0;
  #keeping = true;
  #released = false;
  #produced = 0;
  #crc = 0;
  #fed = 0;
  #chunk = FIRST_CHUNK;
  #consumed: number | undefined;
  #outcome: InflateOutcome | undefined;
  #message: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(compressed: ByteSource, options: InflateOptions) {
    this.#compressed = compressed;
    this.#maxBytes = Math.max(0, options.maxBytes);
    this.#budget = options.budget;
  }

  async slice(start: number, end: number): Promise<Uint8Array> {
    if (end > this.#keptLength && this.#outcome === undefined) await this.#serialized(() => this.#pump(end));
    if (this.#released)
      throw new BulwarkError('INTERNAL', 'read from an inflating source after it was finished');
    if (end > this.#keptLength && (this.#outcome === 'member-limit' || this.#outcome === 'total-limit')) {
      const which =
        this.#outcome === 'member-limit' ? `${this.#maxBytes} bytes per member` : 'the per-file budget';
      throw new BulwarkError('LIMIT_EXCEEDED', `decompression stopped at ${which}; byte ${end} is past it`);
    }
    return this.#kept.subarray(start, Math.max(start, Math.min(end, this.#keptLength)));
  }

  async finish(): Promise<InflateResult> {
    await this.#serialized(async () => {
      this.#keeping = false;
      this.#release();
      await this.#pump(Infinity);
    });
    this.close();
    return {
      outcome: this.#outcome ?? 'truncated',
      inflatedBytes: this.#produced,
      consumedBytes: this.#consumed ?? this.#fed,
      crc32: this.#crc,
      ...(this.#message === undefined ? {} : { message: this.#message }),
    };
  }

  close(): void {
    this.#release();
    this.#stream?.destroy();
    this.#outcome ??= 'truncated';
  }

  #release(): void {
    this.#released = true;
    this.#kept = new Uint8Array(0);
    this.#keptLength = 0;
  }

  #serialized(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #pump(target: number): Promise<void> {
    while (this.#outcome === undefined && this.#produced < target) {
      const stream = this.#open();
      const remaining = this.#compressed.size - this.#fed;
      const chunk =
        remaining > 0 ? await this.#compressed.read(this.#fed, Math.min(this.#chunk, remaining)) : undefined;
      if (chunk === undefined || chunk.length === 0) {
        stream.end();
        await this.#settled;
        break;
      }
      this.#fed += chunk.length;
      this.#chunk = Math.min(this.#chunk * 2, MAX_CHUNK);
      await this.#write(stream, chunk);
    }
  }

  #write(stream: InflateRaw, chunk: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      stream.write(chunk, () => resolve());
      void this.#settled?.then(resolve);
    });
  }

  #open(): InflateRaw {
    if (this.#stream !== undefined) return this.#stream;
    const stream = createInflateRaw();
    this.#stream = stream;
    this.#settled = new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => this.#take(stream, chunk));
      stream.once('end', () => {
        this.#outcome ??= 'complete';
        this.#consumed = stream.bytesWritten;
        stream.destroy();
        resolve();
      });
      stream.on('error', (error: NodeJS.ErrnoException) => {
        this.#outcome ??= error.code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt';
        this.#message ??= error.message;
        this.#consumed ??= stream.bytesWritten;
        resolve();
      });
      stream.once('close', () => {
        this.#outcome ??= 'truncated';
        resolve();
      });
    });
    return stream;
  }

  #take(stream: InflateRaw, chunk: Buffer): void {
    if (this.#outcome !== undefined) return;
    const memberRoom = this.#maxBytes - this.#produced;
    const budgetRoom = this.#budget?.remaining ?? Infinity;
    let part: Uint8Array = chunk;
    if (chunk.length > Math.min(memberRoom, budgetRoom)) {
      this.#outcome = memberRoom <= budgetRoom ? 'member-limit' : 'total-limit';
      part = chunk.subarray(0, Math.max(0, Math.min(memberRoom, budgetRoom)));
    }
    this.#crc = crc32(part, this.#crc);
    this.#produced += part.length;
    if (this.#budget !== undefined) this.#budget.remaining -= part.length;
    if (this.#keeping) this.#keep(part);
    if (this.#outcome !== undefined) stream.destroy();
  }

  #keep(part: Uint8Array): void {
    const needed = this.#keptLength + part.length;
    if (needed > this.#kept.length) {
      const grown = new Uint8Array(
        Math.min(this.#maxBytes, Math.max(needed, this.#kept.length * 2, 64 * 1024)),
      );
      grown.set(this.#kept.subarray(0, this.#keptLength));
      this.#kept = grown;
    }
    this.#kept.set(part, this.#keptLength);
    this.#keptLength = needed;
  }
}
