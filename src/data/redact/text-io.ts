import type { ByteSource } from '../../core/scan/types.js';
import type { ByteSink } from '../../registry/encryption/types.js';
import { detectSourceEncoding, readAt, readChunks } from '../readers/byte-chunks.js';
import { codecFor, type TextCodec } from './lossless-text.js';

/** Bytes buffered before the output is handed to the sink. */
const OUTPUT_FLUSH_BYTES = 1024 * 1024;

/** A text file opened for lossless rewriting: its codec, its byte-order mark and its text in pieces. */
export interface TextInput {
  readonly codec: TextCodec;
  /** The byte-order mark as it was (empty when there is none); written back first. */
  readonly bom: Uint8Array;
  /** The decoded text, piece by piece, in bounded memory. */
  readonly pieces: AsyncGenerator<string>;
  /** Bytes after the last whole character (an odd last byte of UTF-16), written back last. */
  trailing(): Uint8Array;
}

/** Opens `source` as text: encoding from the byte-order mark (UTF-8 without one), decoded losslessly. */
export async function openTextInput(source: ByteSource, chunkSize?: number): Promise<TextInput> {
  const { encoding, bomLength } = await detectSourceEncoding(source);
  const codec = codecFor(encoding);
  const bom = bomLength === 0 ? new Uint8Array(0) : await readAt(source, 0, bomLength);
  let rest: Uint8Array = new Uint8Array(0);
  async function* pieces(): AsyncGenerator<string> {
    const decoder = codec.decoder();
    for await (const bytes of readChunks(source, { start: bomLength, chunkSize })) {
      const text = decoder.decode(bytes);
      if (text.length > 0) yield text;
    }
    const end = decoder.end();
    rest = end.rest;
    if (end.text.length > 0) yield end.text;
  }
  return { codec, bom, pieces: pieces(), trailing: () => rest };
}

/** Text output encoded with the input's codec and written to a sink in large pieces. */
export class TextOutput {
  readonly #sink: ByteSink;
  readonly #codec: TextCodec;
  #parts: string[] = [];
  #pending = 0;
  #bytes = 0;

  constructor(sink: ByteSink, codec: TextCodec) {
    this.#sink = sink;
    this.#codec = codec;
  }

  /** Writes out everything queued, a lone surrogate at the end included. */
  async finish(): Promise<void> {
    await this.flush(true);
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.#bytes;
  }

  /** Queues text; flushes when enough is queued. */
  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    this.#parts.push(text);
    this.#pending += text.length;
    if (this.#pending >= OUTPUT_FLUSH_BYTES) await this.flush();
  }

  /** Writes bytes as they are (a byte-order mark, a stray last byte), after the queued text. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    await this.flush(true);
    this.#bytes += bytes.length;
    await this.#sink.write(bytes);
  }

  /**
   * Encodes and hands on what is queued. A high surrogate at the very end waits for the low one that
   * may follow (encoding half a pair alone would not give the original bytes) unless `final`.
   */
  async flush(final = false): Promise<void> {
    if (this.#parts.length === 0) return;
    let text = this.#parts.join('');
    const last = text.charCodeAt(text.length - 1);
    const held = !final && last >= 0xd800 && last <= 0xdbff ? text.slice(-1) : '';
    if (held !== '') text = text.slice(0, -1);
    this.#parts = held === '' ? [] : [held];
    this.#pending = held.length;
    if (text.length === 0) return;
    const bytes = this.#codec.encode(text);
    this.#bytes += bytes.length;
    await this.#sink.write(bytes);
  }
}
