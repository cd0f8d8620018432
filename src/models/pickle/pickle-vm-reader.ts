import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';

/** Bytes read from the source at a time. */
export const READ_WINDOW = 1 << 20;

/** Bytes kept buffered ahead of each opcode, so fixed-size arguments are read synchronously. */
export const LOOKAHEAD = 32;

/** A text line of the stream: its first bytes (without the newline) and its full length. */
export interface PickleLine {
  readonly bytes: Uint8Array;
  readonly length: number;
  /** Absolute offset of the line's first byte. */
  readonly offset: number;
}

/** Why the machine stopped reading a pickle; thrown inside the machine only. */
export class PickleBreak extends Error {
  constructor(
    readonly status: 'truncated' | 'invalid' | 'limit',
    message: string,
  ) {
    super(message);
    this.name = 'PickleBreak';
  }
}

/** The stream ended inside an opcode or its argument. */
export function truncated(message = 'the stream ends before the STOP opcode'): PickleBreak {
  return new PickleBreak('truncated', message);
}

/** CPython would raise while loading at this opcode. */
export function invalid(message: string): PickleBreak {
  return new PickleBreak('invalid', message);
}

const EMPTY = new Uint8Array(0);

/**
 * A buffered cursor over a byte source: the machine reads opcodes synchronously from a window of
 * {@link READ_WINDOW} bytes and awaits only to refill it, and skips large payloads without reading them.
 *
 * It also models the one place where a loader reads the file behind the pickle's back: joblib reads an
 * array from the file position, which inside a protocol 4 frame is the end of the frame, so the cursor can
 * be told to jump over that data when it reaches the frame's end.
 */
export class PickleReader {
  buf: Uint8Array = EMPTY;
  /** Absolute offset of `buf[0]`. */
  base = 0;
  pos: number;
  readonly size: number;
  /** Where the current protocol 4 frame ends (0 when no frame was seen). */
  frameEnd = 0;
  /** When `pos` reaches `jumpFrom`, reading continues at `jumpTo`. */
  jumpFrom = Infinity;
  jumpTo = 0;

  constructor(
    readonly source: ByteSource,
    start: number,
  ) {
    this.size = source.size;
    this.pos = start;
  }

  /** Reuses another reader's buffer when it already holds this reader's position. */
  share(other: PickleReader): void {
    if (this.pos >= other.base && this.pos < other.base + other.buf.length) {
      this.buf = other.buf;
      this.base = other.base;
    }
  }

  /** Bytes buffered from the cursor on. */
  get ahead(): number {
    return this.base + this.buf.length - this.pos;
  }

  /** Tells whether the buffer holds everything up to the end of the source. */
  get reachesEnd(): boolean {
    return this.base + this.buf.length >= this.size;
  }

  /** Buffers at least `minimum` bytes from the cursor (fewer only at the end of the source). */
  async fill(minimum: number): Promise<void> {
    const length = Math.min(this.size - this.pos, Math.max(minimum, READ_WINDOW));
    if (length <= 0) return;
    this.buf = await readFully(this.source, this.pos, length);
    this.base = this.pos;
  }

  /** Makes `count` bytes at the cursor available, or throws `truncated` when the source ends first. */
  async need(count: number): Promise<void> {
    if (this.ahead >= count) return;
    if (this.pos + count > this.size) throw truncated();
    await this.fill(count);
    if (this.ahead < count) throw truncated();
  }

  /** A view of `length` buffered bytes at absolute `offset` (the caller made sure they are buffered). */
  view(offset: number, length: number): Uint8Array {
    const start = offset - this.base;
    return this.buf.subarray(start, start + length);
  }

  /** Reads an unsigned byte; the caller made sure it is buffered (see {@link LOOKAHEAD}). */
  u1(): number {
    if (this.ahead < 1) throw truncated();
    return this.buf[this.pos++ - this.base] ?? 0;
  }

  u2(): number {
    if (this.ahead < 2) throw truncated();
    const i = this.pos - this.base;
    this.pos += 2;
    return (this.buf[i] ?? 0) | ((this.buf[i + 1] ?? 0) << 8);
  }

  i4(): number {
    if (this.ahead < 4) throw truncated();
    const i = this.pos - this.base;
    this.pos += 4;
    const b = this.buf;
    return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24);
  }

  u4(): number {
    return this.i4() >>> 0;
  }

  /** An unsigned 64-bit length; values beyond 2^53 come back as Infinity, which bounds checks reject. */
  u8(): number {
    const low = this.u4();
    const high = this.u4();
    return high >= 0x200000 ? Infinity : low + high * 0x100000000;
  }

  /** A big-endian IEEE 754 double (BINFLOAT). */
  f8(): number {
    if (this.ahead < 8) throw truncated();
    const start = this.pos - this.base;
    this.pos += 8;
    return new DataView(this.buf.buffer, this.buf.byteOffset + start, 8).getFloat64(0, false);
  }

  /**
   * Reads a newline-terminated line, keeping at most `keep` bytes of it; a line longer than the buffer
   * is streamed through. Throws `truncated` when the source ends before the newline, as CPython does.
   */
  async line(keep: number): Promise<PickleLine> {
    const offset = this.pos;
    const found = this.buf.indexOf(0x0a, this.pos - this.base);
    if (found >= 0) {
      const length = found + this.base - this.pos;
      const bytes = this.view(this.pos, Math.min(length, keep));
      this.pos += length + 1;
      return { bytes, length, offset };
    }
    return this.longLine(keep, offset);
  }

  private async longLine(keep: number, offset: number): Promise<PickleLine> {
    const kept: Uint8Array[] = [];
    let keptLength = 0;
    for (;;) {
      if (this.ahead <= 0) {
        if (this.pos >= this.size) throw truncated('the stream ends inside a text line');
        await this.fill(READ_WINDOW);
      }
      const found = this.buf.indexOf(0x0a, this.pos - this.base);
      const chunkEnd = found >= 0 ? found + this.base : this.base + this.buf.length;
      if (keptLength < keep) {
        const part = this.view(this.pos, Math.min(chunkEnd - this.pos, keep - keptLength)).slice();
        kept.push(part);
        keptLength += part.length;
      }
      if (found >= 0) {
        const length = chunkEnd - offset;
        this.pos = chunkEnd + 1;
        return { bytes: concat(kept, keptLength), length, offset };
      }
      this.pos = chunkEnd;
    }
  }

  /** Moves the cursor over `length` bytes without reading them; throws `truncated` past the end. */
  skip(length: number): void {
    if (length > this.size - this.pos) throw truncated('the stream ends inside an argument');
    this.pos += length;
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
