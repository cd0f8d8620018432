import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { seededRandom } from './archive.test-support.js';
import { inflateToEnd, inflatingSource } from './inflate-source.js';

/** Text-like bytes that compress about 3:1, so inflating far means reading far. */
function textLike(size: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const words = ['tensor', 'weight', 'bias', 'layer', 'norm', 'attention', ' ', '\n', '0', '1'];
  const out = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const word = words[Math.floor(random() * words.length)] ?? ' ';
    for (let i = 0; i < word.length && at < size; i++) out[at++] = word.charCodeAt(i);
  }
  return out;
}

function counting(source: ByteSource): { source: ByteSource; read: () => number } {
  let bytes = 0;
  return {
    source: {
      size: source.size,
      async read(offset, length) {
        const out = await source.read(offset, length);
        bytes += out.length;
        return out;
      },
    },
    read: () => bytes,
  };
}

describe('inflatingSource', () => {
  const plain = textLike(8 * 1024 * 1024, 1);
  const compressed = deflateRawSync(plain);

  it('inflates only as far as reads reach', async () => {
    const { source, read } = counting(bytesSource(compressed));
    const inflated = inflatingSource(source, plain.length, { maxBytes: plain.length });
    expect(await inflated.read(0, 4096)).toEqual(plain.subarray(0, 4096));
    expect(read()).toBeLessThanOrEqual(16 * 1024);
    expect(await inflated.read(1_000_000, 100)).toEqual(plain.subarray(1_000_000, 1_000_100));
    expect(read()).toBeLessThan(compressed.length / 2);
    inflated.close();
  });

  it('serves concurrent reads in order and finishes with length, CRC and consumed bytes', async () => {
    const inflated = inflatingSource(bytesSource(concat(compressed, Uint8Array.of(1, 2, 3))), plain.length, {
      maxBytes: plain.length,
    });
    const [a, b] = await Promise.all([inflated.read(5_000_000, 10), inflated.read(10, 10)]);
    expect(a).toEqual(plain.subarray(5_000_000, 5_000_010));
    expect(b).toEqual(plain.subarray(10, 20));
    expect(await inflated.finish()).toEqual({
      outcome: 'complete',
      inflatedBytes: plain.length,
      consumedBytes: compressed.length,
      crc32: crc32(plain),
    });
  });

  it('fails reads past the per-member limit with LIMIT_EXCEEDED and shares a budget', async () => {
    const inflated = inflatingSource(bytesSource(compressed), plain.length, { maxBytes: 1024 * 1024 });
    expect((await inflated.read(0, 1024 * 1024)).length).toBe(1024 * 1024);
    const error: unknown = await inflated.read(2 * 1024 * 1024, 10).catch((e: unknown) => e);
    expect(isBulwarkError(error) && error.code).toBe('LIMIT_EXCEEDED');
    inflated.close();

    const budget = { remaining: 3 * 1024 * 1024 };
    const first = await inflateToEnd(bytesSource(compressed), { maxBytes: Infinity, budget });
    expect(first).toMatchObject({ outcome: 'total-limit', inflatedBytes: 3 * 1024 * 1024 });
    expect(budget.remaining).toBe(0);
  });

  it('reads short where a stream is truncated and reports corrupt data', async () => {
    const cut = compressed.subarray(0, 100_000);
    const inflated = inflatingSource(bytesSource(cut), plain.length, { maxBytes: plain.length });
    const all = await inflated.read(0, plain.length);
    expect(all.length).toBeGreaterThan(100_000);
    expect(Buffer.compare(all, plain.subarray(0, all.length))).toBe(0);
    expect((await inflated.finish()).outcome).toBe('truncated');

    const garbage = Uint8Array.from(compressed.subarray(0, 1000));
    garbage[0] = 0xff;
    expect((await inflateToEnd(bytesSource(garbage), { maxBytes: 1e9 })).outcome).toBe('corrupt');
    expect((await inflateToEnd(bytesSource(new Uint8Array(0)), { maxBytes: 1e9 })).outcome).toBe('truncated');
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
