/**
 * Lossless text decoding for redaction: the output must equal the input byte for byte outside the
 * replaced spans, so decoding can never lose a byte. Valid UTF-8 decodes as usual; a byte that is not
 * part of a well-formed sequence becomes the lone surrogate U+DC00 + byte (U+DC80…U+DCFF), as
 * Python's `surrogateescape` does, and encodes back to the same byte. Well-formed UTF-8 never
 * decodes to a lone surrogate, so the mapping is unambiguous. UTF-16 files are decoded code unit by
 * code unit, which keeps even unpaired surrogates.
 */
import type { TextEncoding } from '../readers/byte-chunks.js';

/** Decodes a byte stream piece by piece; a sequence cut at a piece boundary waits for the next piece. */
export interface StreamDecoder {
  /** Text of `bytes` plus what was held back; a cut sequence at the end is held back. */
  decode(bytes: Uint8Array): string;
  /** Text of what was held back, and bytes that cannot be text (an odd last byte of UTF-16). */
  end(): { readonly text: string; readonly rest: Uint8Array };
}

/** Turns text of one encoding into bytes and back without loss. */
export interface TextCodec {
  readonly encoding: TextEncoding;
  /** A fresh streaming decoder. */
  decoder(): StreamDecoder;
  /** Bytes of `text`; `decode(encode(t))` is `t` and `encode(decode(b))` is `b`. */
  encode(text: string): Uint8Array;
  /** Text of complete bytes (no stream state). */
  decode(bytes: Uint8Array): string;
}

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ESCAPED_BYTE = /[\uDC80-\uDCFF]/u;
const ESCAPED_BYTES = /[\uDC80-\uDCFF]+/gu;

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const b1 = bytes[i + 1] ?? -1;
  const inRange = (b: number, low = 0x80, high = 0xbf): boolean => b >= low && b <= high;
  if (b0 >= 0xc2 && b0 <= 0xdf) return inRange(b1) ? 2 : 0;
  const b2 = bytes[i + 2] ?? -1;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const first = b0 === 0xe0 ? inRange(b1, 0xa0) : b0 === 0xed ? inRange(b1, 0x80, 0x9f) : inRange(b1);
    return first && inRange(b2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const b3 = bytes[i + 3] ?? -1;
    const first = b0 === 0xf0 ? inRange(b1, 0x90) : b0 === 0xf4 ? inRange(b1, 0x80, 0x8f) : inRange(b1);
    return first && inRange(b2) && inRange(b3) ? 4 : 0;
  }
  return 0;
}

/** Expected length of a sequence from its lead byte (1 for anything that cannot lead). */
function leadLength(b0: number): number {
  if (b0 >= 0xc2 && b0 <= 0xdf) return 2;
  if (b0 >= 0xe0 && b0 <= 0xef) return 3;
  if (b0 >= 0xf0 && b0 <= 0xf4) return 4;
  return 1;
}

/** Decodes UTF-8 without loss: ill-formed bytes become U+DC80…U+DCFF (see the file comment). */
export function decodeUtf8Lossless(bytes: Uint8Array): string {
  try {
    return fatal.decode(bytes);
  } catch {
    // Rare: walk the bytes, decoding each well-formed run at once.
  }
  const parts: string[] = [];
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (i > runStart) parts.push(fatal.decode(bytes.subarray(runStart, i)));
    parts.push(String.fromCharCode(0xdc00 + (bytes[i] ?? 0)));
    i++;
    runStart = i;
  }
  if (runStart < bytes.length) parts.push(fatal.decode(bytes.subarray(runStart)));
  return parts.join('');
}

/** Encodes text made by `decodeUtf8Lossless` back to the same bytes. */
export function encodeUtf8Lossless(text: string): Uint8Array {
  if (!ESCAPED_BYTE.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let last = 0;
  for (const match of text.matchAll(ESCAPED_BYTES)) {
    parts.push(Buffer.from(text.slice(last, match.index), 'utf8'));
    parts.push(Buffer.from(Array.from(match[0], (c) => c.charCodeAt(0) - 0xdc00)));
    last = match.index + match[0].length;
  }
  parts.push(Buffer.from(text.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** Where a trailing sequence that is cut short starts (`bytes.length` when none is). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const at = bytes.length - back;
    const byte = bytes[at] ?? 0;
    if (byte >= 0x80 && byte < 0xc0) continue;
    const wanted = leadLength(byte);
    // Held back only if the bytes so far could still become a well-formed sequence.
    if (wanted > back && sequenceLength(padded(bytes.subarray(at), wanted), 0) === wanted) return at;
    return bytes.length;
  }
  return bytes.length;
}

/** `bytes` extended with continuation bytes that fit every lead, to test a cut sequence's prefix. */
function padded(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes);
  const lead = bytes[0] ?? 0;
  for (let i = bytes.length; i < length; i++) {
    // After E0 the next byte must be ≥ A0, after F0 ≥ 90; 0x9F/0x8F/0xA0 fit the remaining leads.
    out[i] = i === 1 ? (lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80) : 0x80;
  }
  return out;
}

class Utf8StreamDecoder implements StreamDecoder {
  #held: Uint8Array = new Uint8Array(0);

  decode(bytes: Uint8Array): string {
    const all = this.#held.length === 0 ? bytes : concat(this.#held, bytes);
    const cut = incompleteTail(all);
    this.#held = all.slice(cut);
    return decodeUtf8Lossless(all.subarray(0, cut));
  }

  end(): { text: string; rest: Uint8Array } {
    const text = decodeUtf8Lossless(this.#held);
    this.#held = new Uint8Array(0);
    return { text, rest: new Uint8Array(0) };
  }
}

class Utf16StreamDecoder implements StreamDecoder {
  #held: Uint8Array = new Uint8Array(0);

  constructor(private readonly bigEndian: boolean) {}

  decode(bytes: Uint8Array): string {
    const all = this.#held.length === 0 ? bytes : concat(this.#held, bytes);
    const even = all.length - (all.length % 2);
    this.#held = all.slice(even);
    return utf16Text(all.subarray(0, even), this.bigEndian);
  }

  end(): { text: string; rest: Uint8Array } {
    const rest = this.#held;
    this.#held = new Uint8Array(0);
    return { text: '', rest };
  }
}

function utf16Text(bytes: Uint8Array, bigEndian: boolean): string {
  const parts: string[] = [];
  const step = 8192;
  for (let start = 0; start < bytes.length; start += step * 2) {
    const end = Math.min(bytes.length, start + step * 2);
    const units = new Array<number>((end - start) / 2);
    for (let i = start, k = 0; i < end; i += 2, k++) {
      const a = bytes[i] ?? 0;
      const b = bytes[i + 1] ?? 0;
      units[k] = bigEndian ? (a << 8) | b : (b << 8) | a;
    }
    parts.push(String.fromCharCode(...units));
  }
  return parts.join('');
}

function utf16Bytes(text: string, bigEndian: boolean): Uint8Array {
  const out = Buffer.from(text, 'utf16le');
  if (bigEndian) out.swap16();
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The lossless codec of an encoding (see the file comment). */
export function codecFor(encoding: TextEncoding): TextCodec {
  switch (encoding) {
    case 'utf-8':
      return {
        encoding,
        decoder: () => new Utf8StreamDecoder(),
        encode: encodeUtf8Lossless,
        decode: decodeUtf8Lossless,
      };
    case 'utf-16le':
    case 'utf-16be': {
      const bigEndian = encoding === 'utf-16be';
      return {
        encoding,
        decoder: () => new Utf16StreamDecoder(bigEndian),
        encode: (text) => utf16Bytes(text, bigEndian),
        decode: (bytes) => utf16Text(bytes.subarray(0, bytes.length - (bytes.length % 2)), bigEndian),
      };
    }
  }
}
