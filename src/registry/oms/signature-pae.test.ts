import { describe, expect, it } from 'vitest';
import { legacyPreAuthEncoding, pythonBytesRepr } from './signature-pae.js';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));

describe('pythonBytesRepr', () => {
  it.each([
    ['plain', 'abc', "b'abc'"],
    ['a single quote only', "a'b", `b"a'b"`],
    ['both quotes', `a'"b`, `b'a\\'"b'`],
    ['control bytes and backslash', '\x00\t\n\r\\\x7f\xff', "b'\\x00\\t\\n\\r\\\\\\x7f\\xff'"],
  ])('matches Python for %s', (_name, input, expected) => {
    expect(pythonBytesRepr(bytes(input))).toBe(expected);
  });
});

describe('legacyPreAuthEncoding', () => {
  it('writes the v0.2.0 encoding: capital V, byte lengths, repr of the payload', () => {
    const encoded = Buffer.from(
      legacyPreAuthEncoding('application/vnd.in-toto+json', bytes('{\n}')),
    ).toString();
    expect(encoded).toBe("DSSEV1 28 application/vnd.in-toto+json 3 b'{\\n}'");
  });
});
