import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/fixtures/deps/text-at.js';
import { codecFor, decodeUtf8Lossless, encodeUtf8Lossless } from './lossless-text.js';

function randomBytes(random: () => number, length: number): Uint8Array {
  // Mostly text-like bytes with some stray high bytes and cut sequences.
  const pool = [
    0x41, 0x20, 0x0a, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0xed, 0xa0, 0x80,
  ];
  return Uint8Array.from({ length }, () =>
    random() < 0.5 ? (pool[Math.floor(random() * pool.length)] ?? 0) : Math.floor(random() * 256),
  );
}

function decodeInPieces(bytes: Uint8Array, encoding: 'utf-8' | 'utf-16le', sizes: () => number): string {
  const decoder = codecFor(encoding).decoder();
  let text = '';
  for (let at = 0; at < bytes.length;) {
    const size = Math.max(1, sizes());
    text += decoder.decode(bytes.subarray(at, at + size));
    at += size;
  }
  return text + decoder.end().text;
}

describe('lossless UTF-8', () => {
  it('decodes valid UTF-8 as TextDecoder does', () => {
    const text = 'plain, café, 中文, 😀 and a BOM \uFEFF inside';
    const bytes = new TextEncoder().encode(text);
    expect(decodeUtf8Lossless(bytes)).toBe(text);
    expect(Buffer.from(encodeUtf8Lossless(text)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('keeps every ill-formed byte as U+DC80…U+DCFF and writes it back', () => {
    const bytes = Uint8Array.from([0x61, 0xff, 0x62, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98]);
    const text = decodeUtf8Lossless(bytes);
    expect(text).toBe('a\uDCFFb\uDCC3(\uDCED\uDCA0\uDC80\uDCF0\uDC9F\uDC98');
    expect(Array.from(encodeUtf8Lossless(text))).toEqual(Array.from(bytes));
  });

  it('round-trips random bytes, whole and in random pieces', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 300; round++) {
      const bytes = randomBytes(random, Math.floor(random() * 200));
      const whole = decodeUtf8Lossless(bytes);
      expect(Array.from(encodeUtf8Lossless(whole))).toEqual(Array.from(bytes));
      expect(decodeInPieces(bytes, 'utf-8', () => Math.floor(random() * 5) + 1)).toBe(whole);
    }
  });
});

describe('lossless UTF-16', () => {
  it('keeps unpaired surrogates and an odd last byte', () => {
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      const codec = codecFor(encoding);
      const text = 'a\uD800b😀\uDC00';
      const bytes = codec.encode(text);
      expect(codec.decode(bytes)).toBe(text);
      const decoder = codec.decoder();
      const withOdd = Uint8Array.from([...bytes, 0x41]);
      const decoded = decoder.decode(withOdd.subarray(0, 3)) + decoder.decode(withOdd.subarray(3));
      const end = decoder.end();
      expect(decoded + end.text).toBe(text);
      expect(Array.from(end.rest)).toEqual([0x41]);
    }
  });

  it('decodes in any piece sizes', () => {
    const random = seededRandom(11);
    const bytes = Uint8Array.from({ length: 1000 }, () => Math.floor(random() * 256));
    const whole = codecFor('utf-16le').decode(bytes);
    expect(decodeInPieces(bytes, 'utf-16le', () => Math.floor(random() * 7) + 1)).toBe(whole);
    expect(Array.from(codecFor('utf-16le').encode(whole))).toEqual(Array.from(bytes));
  });
});
