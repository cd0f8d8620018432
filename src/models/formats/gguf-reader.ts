import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';

/** Bytes read ahead per window refill: small enough that reading a header never pulls in much tensor data. */
const WINDOW_BYTES = 64 * 1024;

/** Why bytes could not be made available: the file ends first, or the parse budget does. */
export type ReadShortfall = 'eof' | 'limit';

/**
 * A cursor over a byte source that reads through a small window, so a GGUF header with tens of MB of
 * tokenizer vocabulary is parsed with a few hundred reads and the tensor data is never touched. Every
 * request is checked against the bytes left in the file and against `limit` (the highest position the
 * parse may reach) before anything is read or allocated.
 */
export class GgufReader {
  readonly #source: ByteSource;
  readonly #limit: number;
  #window: Uint8Array = new Uint8Array(0);
  #view: DataView = new DataView(new ArrayBuffer(0));
  #windowStart = 0;
  /** File offset of the next byte to parse. */
  position = 0;
  /** Byte order of numbers; GGUF is little-endian unless the version field says otherwise. */
  isLittleEndian = true;

  constructor(source: ByteSource, limit: number) {
    this.#source = source;
    this.#limit = limit;
  }

  /** Bytes of the file after the current position. */
  get remaining(): number {
    return Math.max(0, this.#source.size - this.position);
  }

  /** Makes `length` bytes at the position readable; tells why not when the file or the budget ends first. */
  async ensure(length: number): Promise<ReadShortfall | undefined> {
    const shortfall = this.check(length);
    if (shortfall !== undefined) return shortfall;
    const inWindow = this.position - this.#windowStart;
    if (inWindow >= 0 && inWindow + length <= this.#window.length) return undefined;
    const wanted = Math.min(Math.max(length, WINDOW_BYTES), this.remaining);
    const bytes = await readFully(this.#source, this.position, wanted);
    if (bytes.length < length) return 'eof';
    this.#window = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#windowStart = this.position;
    return undefined;
  }

  /** Tells whether `length` bytes at the position are already in the window (no read needed). */
  has(length: number): boolean {
    const inWindow = this.position - this.#windowStart;
    return inWindow >= 0 && inWindow + length <= this.#window.length && this.position + length <= this.#limit;
  }

  /** Tells whether `length` bytes could be consumed at the position without reading them. */
  check(length: number): ReadShortfall | undefined {
    if (!(length <= this.remaining)) return 'eof';
    if (this.position + length > this.#limit) return 'limit';
    return undefined;
  }

  /** Moves past `length` bytes without reading them; call `check` first. */
  skip(length: number): void {
    this.position += length;
  }

  /** Reads an unsigned byte; call `ensure` first. */
  u8(): number {
    const value = this.#view.getUint8(this.position - this.#windowStart);
    this.position += 1;
    return value;
  }

  /** Reads an unsigned 32-bit integer; call `ensure` first. */
  u32(): number {
    const value = this.#view.getUint32(this.position - this.#windowStart, this.isLittleEndian);
    this.position += 4;
    return value;
  }

  /**
   * Reads an unsigned 64-bit integer as a number; values of 2^53 and above come back as `Infinity`
   * so every bounds check rejects them. Call `ensure` first.
   */
  u64(): number {
    const at = this.position - this.#windowStart;
    const first = this.#view.getUint32(at, this.isLittleEndian);
    const second = this.#view.getUint32(at + 4, this.isLittleEndian);
    this.position += 8;
    const [low, high] = this.isLittleEndian ? [first, second] : [second, first];
    return high >= 0x200000 ? Infinity : high * 0x100000000 + low;
  }

  /** Returns the next `length` bytes (a view into the window); call `ensure` first. */
  bytes(length: number): Uint8Array {
    const at = this.position - this.#windowStart;
    this.position += length;
    return this.#window.subarray(at, at + length);
  }
}
