/**
 * Fast seeded 32-bit hashing for MinHash, LSH bands and duplicate keys. `node:crypto` costs a
 * microsecond per call, far too much for one call per shingle; these are MurmurHash3 (x86, 32-bit)
 * steps, run over UTF-16 code units or 32-bit words instead of bytes. They are deterministic across
 * runs and platforms, which keeps every report reproducible; they are not cryptographic.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3's finalizer: a bijection on 32-bit integers with full avalanche. */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes one 32-bit block into the running hash `h` (MurmurHash3 body step). */
export function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  let next = h ^ k;
  next = (next << 13) | (next >>> 19);
  return (Math.imul(next, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3 of a string's UTF-16 code units, two units per block. */
export function hashString(text: string, seed: number): number {
  let h = seed | 0;
  const length = text.length;
  let i = 0;
  for (; i + 1 < length; i += 2) h = mixBlock(h, text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
  if (i < length) {
    let k = Math.imul(text.charCodeAt(i), C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  return fmix32(h ^ (length * 2));
}

/** MurmurHash3 of `count` 32-bit words of `words` starting at `start`. */
export function hashWords(words: ArrayLike<number>, start: number, count: number, seed: number): number {
  let h = seed | 0;
  for (let i = start; i < start + count; i++) h = mixBlock(h, words[i] ?? 0);
  return fmix32(h ^ (count * 4));
}
