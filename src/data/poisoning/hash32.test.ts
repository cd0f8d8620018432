import { describe, expect, it } from 'vitest';
import { fmix32, hashString, hashWords } from './hash32.js';

describe('MurmurHash3 x86_32', () => {
  it('matches the published test vectors', () => {
    expect(hashWords([0x74736574], 0, 1, 0)).toBe(0xba6bd213); // "test"
    expect(hashWords([0x87654321], 0, 1, 0)).toBe(0xf55b516b);
    expect(hashWords([0x87654321], 0, 1, 0x5082edee)).toBe(0x2362f9de);
    expect(hashWords([0], 0, 1, 0)).toBe(0x2362f9de);
    expect(hashString('', 0)).toBe(0);
    expect(hashString('', 1)).toBe(0x514e28b7);
  });

  it('hashes strings as their UTF-16LE bytes', () => {
    // "test" in bytes is the code units 0x6574, 0x7473 packed little-endian.
    expect(hashString('\u6574\u7473', 0)).toBe(0xba6bd213);
    expect(hashString('abc', 7)).not.toBe(hashString('abd', 7));
    expect(hashString('abc', 7)).toBe(hashString('abc', 7));
  });

  it('finalizes with a bijection', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(fmix32(i));
    expect(seen.size).toBe(10_000);
  });
});
