import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';

const WINDOW = 1024 * 1024;

/**
 * Reads small records from a contiguous region (a zip central directory) through a 1 MiB window, so
 * 100,000 entries cost a few large reads instead of 200,000 small ones. Reads never leave the region.
 */
export class WindowReader {
  readonly #source: ByteSource;
  readonly #end: number;
  #windowStart = 0;
  #window: Uint8Array = new Uint8Array(0);

  constructor(source: ByteSource, end: number) {
    this.#source = source;
    this.#end = Math.min(end, source.size);
  }

  /** Returns up to `length` bytes at `offset`, fewer only where the region ends. */
  async bytes(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.#end, offset + length);
    if (offset < 0 || end <= offset) return new Uint8Array(0);
    const windowEnd = this.#windowStart + this.#window.length;
    if (offset < this.#windowStart || end > windowEnd) {
      this.#windowStart = offset;
      this.#window = await readFully(
        this.#source,
        offset,
        Math.min(this.#end - offset, Math.max(WINDOW, end - offset)),
      );
    }
    const from = offset - this.#windowStart;
    return this.#window.subarray(from, Math.min(this.#window.length, from + (end - offset)));
  }
}
