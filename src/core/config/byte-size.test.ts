import { describe, expect, it } from 'vitest';
import { formatByteSize, parseByteSize } from './byte-size.js';

describe('parseByteSize', () => {
  it.each([
    [1, 1],
    [4096, 4096],
    ['512', 512],
    ['10B', 10],
    ['2GiB', 2 * 1024 ** 3],
    ['2 gib', 2 * 1024 ** 3],
    ['1.5KiB', 1536],
    ['1kB', 1000],
    ['3MB', 3_000_000],
    ['1TiB', 1024 ** 4],
    ['16g', 16 * 1024 ** 3],
    [' 7 m ', 7 * 1024 ** 2],
  ])('reads %j as %d bytes', (input, bytes) => {
    expect(parseByteSize(input)).toBe(bytes);
  });

  it.each([
    0,
    -1,
    1.5,
    Number.NaN,
    Infinity,
    '',
    'lots',
    '2 GiBs',
    '-3MB',
    '1e3',
    '0.1B',
    '99999999999TiB',
    '5 XB',
  ])('refuses %j', (input) => {
    expect(parseByteSize(input)).toBeUndefined();
  });
});

describe('formatByteSize', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [16 * 1024 ** 3, '16 GiB'],
    [300 * 1024 ** 2, '300 MiB'],
  ])('writes %d as %s', (bytes, text) => {
    expect(formatByteSize(bytes)).toBe(text);
  });
});
