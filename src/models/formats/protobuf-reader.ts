import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';

/** Protobuf wire types this reader accepts (groups, types 3 and 4, are refused). */
export const WIRE_TYPES = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** A wire type this reader accepts. */
export type WireType = (typeof WIRE_TYPES)[keyof typeof WIRE_TYPES];

/** One field of a message: its header is parsed, its payload is only located (read on request). */
export interface ProtoField {
  readonly number: number;
  readonly wireType: WireType;
  /** The value of a varint field; 0 for the other wire types. Above 2^53 it loses precision. */
  readonly value: number;
  /** Absolute offset of the payload (after the tag and, for bytes, the length). */
  readonly offset: number;
  /** Payload length in bytes (0 for varints). */
  readonly length: number;
  /** Absolute offset of the field's tag, for findings. */
  readonly start: number;
}

/** Why parsing stopped: the bytes are not a valid message, or the metadata limit was reached. */
export interface ProtoProblem {
  readonly kind: 'malformed' | 'limit';
  readonly message: string;
  readonly offset: number;
}

/** Bounds of one parse; both guard against hostile input (control D7). */
export interface ProtoReaderOptions {
  /** Bytes of tags, lengths, varints and strings read at most; skipped payloads do not count. */
  readonly maxBytes: number;
  /** Messages nested at most this deep (protobuf's own default is 100). */
  readonly maxDepth?: number;
}

const WINDOW = 16 * 1024;
const MAX_FIELD_HEADER = 20;
const MAX_FIELD_NUMBER = 2 ** 29 - 1;
const DEFAULT_MAX_DEPTH = 100;
const utf8 = new TextDecoder('utf-8');

/**
 * A protobuf wire-format reader over a `ByteSource` that descends only into the messages a scanner asks
 * for and seeks past everything else, so tensor payloads (ONNX `raw_data`, TF `Const` values) are never
 * read. Every length is checked against its enclosing message, nesting is bounded, and the bytes parsed
 * are counted against a budget. The first problem is sticky: every cursor then stops, and the caller
 * reports `problem` as a finding instead of catching an exception.
 */
export class ProtoReader {
  readonly #source: ByteSource;
  readonly #maxBytes: number;
  readonly maxDepth: number;
  #used = 0;
  #window: Uint8Array = new Uint8Array(0);
  #windowStart = 0;
  #problem: ProtoProblem | undefined;

  constructor(source: ByteSource, options: ProtoReaderOptions) {
    this.#source = source;
    this.#maxBytes = options.maxBytes;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  /** The first problem met, if any; once set, every cursor returns no more fields. */
  get problem(): ProtoProblem | undefined {
    return this.#problem;
  }

  /** Bytes counted against the budget so far. */
  get bytesParsed(): number {
    return this.#used;
  }

  /** A cursor over the whole source as one top-level message. */
  root(): ProtoMessage {
    return new ProtoMessage(this, 0, this.#source.size, 0);
  }

  /** Records the first problem; later ones are consequences of it and are dropped. */
  fail(kind: ProtoProblem['kind'], message: string, offset: number): void {
    this.#problem ??= { kind, message, offset };
  }

  /** Counts `count` bytes against the budget; false (and a problem) once it is exhausted. */
  consume(count: number, offset: number): boolean {
    this.#used += count;
    if (this.#used <= this.#maxBytes) return true;
    this.fail(
      'limit',
      `stopped after ${this.#maxBytes} bytes of metadata (the maxMetadataBytes limit)`,
      offset,
    );
    return false;
  }

  /** Makes `[offset, offset + length)` readable from the window (length at most the window size). */
  async load(offset: number, length: number): Promise<void> {
    if (offset >= this.#windowStart && offset + length <= this.#windowStart + this.#window.length) return;
    this.#windowStart = offset;
    this.#window = await readFully(this.#source, offset, Math.max(length, WINDOW));
  }

  /** Reads a varint at `offset` from the window, not past `end`; undefined when truncated or too long. */
  varintAt(offset: number, end: number): { value: number; next: number } | undefined {
    let value = 0;
    let scale = 1;
    const limit = Math.min(end, offset + 10);
    for (let at = offset; at < limit; at++) {
      const byte = this.#window[at - this.#windowStart];
      if (byte === undefined) return undefined;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return { value, next: at + 1 };
    }
    return undefined;
  }

  /** Reads `length` bytes at `offset` (the caller has bounds-checked them against the message). */
  async bytesAt(offset: number, length: number): Promise<Uint8Array> {
    if (length <= WINDOW) {
      await this.load(offset, length);
      const from = offset - this.#windowStart;
      return this.#window.subarray(from, from + length);
    }
    return readFully(this.#source, offset, length);
  }
}

/** A cursor over the fields of one message (a region of the source). */
export class ProtoMessage {
  readonly #reader: ProtoReader;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  #pos: number;

  constructor(reader: ProtoReader, start: number, end: number, depth: number) {
    this.#reader = reader;
    this.start = start;
    this.end = end;
    this.depth = depth;
    this.#pos = start;
  }

  /** The next field, its payload skipped unless asked for; undefined at the end or after a problem. */
  async next(): Promise<ProtoField | undefined> {
    const reader = this.#reader;
    if (reader.problem !== undefined || this.#pos >= this.end) return undefined;
    const start = this.#pos;
    await reader.load(start, Math.min(MAX_FIELD_HEADER, this.end - start));
    const tag = reader.varintAt(start, this.end);
    if (tag === undefined) return this.#stop('truncated or over-long field tag', start);
    const number = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (number === 0 || number > MAX_FIELD_NUMBER) return this.#stop(`invalid field number ${number}`, start);
    let value = 0;
    let offset = tag.next;
    let length = 0;
    switch (wire) {
      case WIRE_TYPES.varint: {
        const varint = reader.varintAt(tag.next, this.end);
        if (varint === undefined) return this.#stop(`truncated varint in field ${number}`, start);
        value = varint.value;
        this.#pos = varint.next;
        break;
      }
      case WIRE_TYPES.fixed64:
      case WIRE_TYPES.fixed32:
        length = wire === WIRE_TYPES.fixed64 ? 8 : 4;
        if (length > this.end - tag.next) return this.#stop(`truncated fixed field ${number}`, start);
        this.#pos = tag.next + length;
        break;
      case WIRE_TYPES.bytes: {
        const size = reader.varintAt(tag.next, this.end);
        if (size === undefined) return this.#stop(`truncated length of field ${number}`, start);
        if (size.value > this.end - size.next) {
          return this.#stop(`field ${number} claims ${size.value} bytes, past the end of its message`, start);
        }
        offset = size.next;
        length = size.value;
        this.#pos = size.next + size.value;
        break;
      }
      case 3:
      case 4:
        return this.#stop(`field ${number} uses the deprecated group encoding`, start);
      default:
        return this.#stop(`field ${number} has invalid wire type ${wire}`, start);
    }
    if (!reader.consume(offset - start, start)) return undefined;
    return { number, wireType: wire, value, offset, length, start };
  }

  /** A cursor over an embedded message field; undefined (with a problem) when nesting is too deep. */
  child(field: ProtoField): ProtoMessage | undefined {
    if (this.#reader.problem !== undefined) return undefined;
    if (field.wireType !== WIRE_TYPES.bytes) {
      this.#stop(
        `field ${field.number} should be a message but has wire type ${field.wireType}`,
        field.start,
      );
      return undefined;
    }
    if (this.depth + 1 > this.#reader.maxDepth) {
      this.#stop(`messages nested deeper than ${this.#reader.maxDepth} levels`, field.start);
      return undefined;
    }
    return new ProtoMessage(this.#reader, field.offset, field.offset + field.length, this.depth + 1);
  }

  /**
   * The UTF-8 text of a bytes field, or undefined when it is longer than `maxLength` (the caller decides
   * whether that matters) or the field has another wire type (a problem).
   */
  async text(field: ProtoField, maxLength: number): Promise<string | undefined> {
    const bytes = await this.bytes(field, maxLength);
    return bytes === undefined ? undefined : utf8.decode(bytes);
  }

  /** The payload of a bytes field, or undefined when it is longer than `maxLength` or not a bytes field. */
  async bytes(field: ProtoField, maxLength: number): Promise<Uint8Array | undefined> {
    if (this.#reader.problem !== undefined) return undefined;
    if (field.wireType !== WIRE_TYPES.bytes) {
      this.#stop(`field ${field.number} should be a string but has wire type ${field.wireType}`, field.start);
      return undefined;
    }
    if (field.length > maxLength) return undefined;
    if (!this.#reader.consume(field.length, field.start)) return undefined;
    return this.#reader.bytesAt(field.offset, field.length);
  }

  #stop(message: string, offset: number): undefined {
    this.#reader.fail('malformed', message, offset);
    this.#pos = this.end;
    return undefined;
  }
}
