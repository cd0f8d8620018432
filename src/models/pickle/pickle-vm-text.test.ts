import { describe, expect, it } from 'vitest';
import {
  decodeLong,
  decodeQuotedString,
  decodeRawUnicodeEscape,
  parseDecimalLine,
  parseFloatLine,
  parseIntLine,
  parseLongLine,
} from './pickle-vm-text.js';

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('protocol 0 text arguments', () => {
  it('parses INT as CPython does (strtol first, then int(x, 0))', () => {
    expect(parseIntLine('00')).toBe(false);
    expect(parseIntLine('01')).toBe(true);
    expect(parseIntLine(' +12')).toBe(12);
    expect(parseIntLine('017')).toBe(15);
    expect(parseIntLine('0b101')).toBe(5);
    expect(parseIntLine('1_000')).toBe(1000);
    expect(parseIntLine('9007199254740993')).toBe(9007199254740993n);
    expect(parseIntLine('')).toBeUndefined();
    expect(parseIntLine('1.5')).toBeUndefined();
  });

  it('parses LONG with or without its L suffix', () => {
    expect(parseLongLine('5L')).toBe(5);
    expect(parseLongLine('-0x10')).toBe(-16);
    expect(parseLongLine('L')).toBeUndefined();
  });

  it('parses FLOAT, including inf and nan', () => {
    expect(parseFloatLine('2.5e3')).toBe(2500);
    expect(parseFloatLine('.5')).toBe(0.5);
    expect(parseFloatLine('Infinity')).toBe(Infinity);
    expect(parseFloatLine('nan')).toBeNaN();
    expect(parseFloatLine('1e')).toBeUndefined();
  });

  it('parses GET/PUT indices in base 10', () => {
    expect(parseDecimalLine('42')).toBe(42);
    expect(parseDecimalLine('-1')).toBe(-1);
    expect(parseDecimalLine('0x1')).toBeUndefined();
  });

  it('decodes LONG1/LONG4 two’s complement little-endian', () => {
    expect(decodeLong(Uint8Array.of())).toBe(0);
    expect(decodeLong(Uint8Array.of(0xff, 0x7f))).toBe(0x7fff);
    expect(decodeLong(Uint8Array.of(0x00, 0xff))).toBe(-256);
    expect(decodeLong(Uint8Array.of(0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19))).toBe(
      0x1950a86a20f9469cfc6cn,
    );
  });

  it('decodes quoted STRING literals and rejects malformed ones', () => {
    expect(decodeQuotedString(bytes("'a\\tb\\\\\\101\\x42\\q'"))).toEqual(bytes('a\tb\\AB\\q'));
    expect(decodeQuotedString(bytes('"\'"'))).toEqual(bytes("'"));
    expect(decodeQuotedString(bytes("'abc"))).toBeUndefined();
    expect(decodeQuotedString(bytes("'a\\'"))).toBeUndefined();
    expect(decodeQuotedString(bytes("'\\xZZ'"))).toBeUndefined();
  });

  it('decodes raw-unicode-escape only after an odd number of backslashes', () => {
    expect(decodeRawUnicodeEscape(bytes('\\u0041\\U0001F600\xe9'))).toBe('A😀é');
    expect(decodeRawUnicodeEscape(bytes('\\\\u0041'))).toBe('\\\\u0041');
    expect(decodeRawUnicodeEscape(bytes('\\\\\\u0041'))).toBe('\\\\A');
    expect(decodeRawUnicodeEscape(bytes('\\u00'))).toBeUndefined();
    expect(decodeRawUnicodeEscape(bytes('ab\\u00'), true)).toBe('ab');
    expect(decodeRawUnicodeEscape(bytes('\\U00110000'))).toBeUndefined();
  });
});
