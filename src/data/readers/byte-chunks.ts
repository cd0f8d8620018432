import { BulwarkError, describeError, isBulwarkError } from '../../core/errors.js';
import type { ByteSource } from '../../core/scan/types.js';

/** Bytes read from a source at a time: large enough to be fast, small enough to keep memory flat. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/** The text encodings readers decode; a byte-order mark selects UTF-16, anything else is UTF-8. */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be'] as const;

/** One of `TEXT_ENCODINGS`. */
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** The encoding of a file and the length of its byte-order mark (0 when there is none). */
export interface DetectedEncoding {
  readonly encoding: TextEncoding;
  readonly bomLength: number;
}

/**
 * Tells the encoding from the first bytes, as editors and pip do: `FF FE` is UTF-16LE, `FE FF`
 * UTF-16BE, `EF BB BF` UTF-8 with a BOM, anything else UTF-8.
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Reads `length` bytes at `offset`, turning a failing source into one INPUT_UNREADABLE fault. */
export async function readAt(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  try {
    return await source.read(offset, length);
  } catch (error) {
    if (isBulwarkError(error)) throw error;
    throw new BulwarkError(
      'INPUT_UNREADABLE',
      `cannot read data at byte ${offset}: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Yields the bytes of `source` from `start` in chunks of at most `chunkSize`; never holds more than
 * one chunk. Stops early if the source returns nothing (a file truncated while being read).
 */
export async function* readChunks(
  source: ByteSource,
  options: { readonly start?: number; readonly chunkSize?: number } = {},
): AsyncGenerator<Uint8Array> {
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  let offset = Math.max(0, options.start ?? 0);
  while (offset < source.size) {
    const bytes = await readAt(source, offset, Math.min(chunkSize, source.size - offset));
    if (bytes.length === 0) return;
    offset += bytes.length;
    yield bytes;
  }
}

/** The encoding of a source, from its first bytes. */
export async function detectSourceEncoding(source: ByteSource): Promise<DetectedEncoding> {
  return detectEncoding(await readAt(source, 0, Math.min(4, source.size)));
}

/**
 * Yields the decoded text of `source` in pieces, with the byte-order mark dropped. Decoding is
 * streaming, so a character split across chunks is decoded whole; invalid sequences become U+FFFD
 * (one per maximal invalid subpart, as the WHATWG Encoding Standard and browsers do).
 */
export async function* decodeChunks(
  source: ByteSource,
  options: { readonly chunkSize?: number } = {},
): AsyncGenerator<string> {
  const { encoding, bomLength } = await detectSourceEncoding(source);
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  for await (const bytes of readChunks(source, { start: bomLength, chunkSize: options.chunkSize })) {
    const text = decoder.decode(bytes, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/**
 * Decodes the first `length` bytes of `source` (BOM dropped, a character cut at the end left out),
 * for format sniffing. `complete` tells whether the head is the whole file.
 */
export async function decodeHead(
  source: ByteSource,
  length: number,
): Promise<{ readonly text: string; readonly complete: boolean; readonly encoding: TextEncoding }> {
  const { encoding, bomLength } = await detectSourceEncoding(source);
  const wanted = Math.min(source.size, length);
  const bytes = await readAt(source, 0, wanted);
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  const complete = bytes.length >= source.size;
  // Streaming mode holds back a sequence cut by the window instead of turning it into U+FFFD.
  const text = decoder.decode(bytes.subarray(Math.min(bomLength, bytes.length)), { stream: !complete });
  return { text, complete, encoding };
}
