import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../core/errors.js';
import { bytesSource } from '../core/scan/byte-sources.js';
import { openJsonlVectors } from './jsonl-vectors.js';
import { openNpyVectors } from './npy-vectors.js';
import { seededRandom } from './seeded-random.js';
import { encodeJsonl, encodeNpy } from './vector-corpus.test-support.js';
import type { VectorReader } from './vector-types.js';

const LIMITS = { maxVectors: 10_000, maxDimension: 4096 };

/**
 * Opens and drains a reader over `bytes`, reading some vectors again: it must finish, and throw
 * nothing but a BulwarkError. Returns how many vectors it produced, or the error code.
 */
async function drain(format: 'npy' | 'jsonl', bytes: Uint8Array): Promise<number | string> {
  try {
    const source = bytesSource(bytes);
    const reader: VectorReader =
      format === 'npy' ? await openNpyVectors(source, LIMITS) : openJsonlVectors(source, LIMITS);
    let count = 0;
    for await (const batch of reader.batches()) {
      for (const record of batch.records) {
        expect(record.index).toBe(count);
        expect(record.values.length).toBeLessThanOrEqual(LIMITS.maxDimension);
        count++;
      }
    }
    if (count > 0) for (const index of [0, count - 1]) await reader.vectorAt(index);
    return count;
  } catch (error) {
    if (!isBulwarkError(error)) throw error;
    expect(error.message).not.toContain('\n');
    expect(['INPUT_INVALID', 'LIMIT_EXCEEDED']).toContain(error.code);
    return error.code;
  }
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const edits = 1 + Math.floor(random() * 8);
  for (let e = 0; e < edits; e++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
  return out;
}

const random = seededRandom(20240611);
const values = Float32Array.from({ length: 6 * 5 }, () => random() * 2 - 1);
const NPY = [
  encodeNpy(values, 6, 5),
  encodeNpy(values, 6, 5, { descr: '>f8', version: 2 }),
  encodeNpy(values, 6, 5, { descr: '<f2', fortranOrder: true, version: 3 }),
];
const JSONL = new TextEncoder().encode(encodeJsonl(values, 6, 5));

describe('vector readers under hostile input', () => {
  it('never throw anything but a BulwarkError on random bytes', async () => {
    const rng = seededRandom(1);
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(rng() * 400) }, () => Math.floor(rng() * 256));
      // Half the cases start with the .npy magic so the header parser sees garbage, not just the magic check.
      if (i % 2 === 0 && bytes.length > 8) bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1 + (i % 3), 0]);
      await drain('npy', bytes);
      await drain('jsonl', bytes);
    }
  });

  it('refuse every truncation of a .npy file cleanly, and read the whole file', async () => {
    for (const file of NPY) {
      const outcomes = new Set<number | string>();
      for (let length = 0; length < file.length; length++)
        outcomes.add(await drain('npy', file.subarray(0, length)));
      expect([...outcomes]).toEqual(['INPUT_INVALID']);
      expect(await drain('npy', file)).toBe(6);
    }
  });

  it('read every truncation of a JSONL file as its complete lines plus at most one bad line', async () => {
    for (let length = 0; length <= JSONL.length; length++) {
      const count = await drain('jsonl', JSONL.subarray(0, length));
      expect(typeof count).toBe('number');
      expect(count).toBeLessThanOrEqual(6);
    }
  });

  it('survive random byte edits of valid files', async () => {
    const rng = seededRandom(2);
    for (let i = 0; i < 400; i++) {
      const npy = NPY[i % NPY.length] as Uint8Array;
      await drain('npy', mutate(npy, rng));
      await drain('jsonl', mutate(JSONL, rng));
    }
  });

  it('survive headers claiming huge shapes and dimensions', async () => {
    const claims = ['(9007199254740993, 3)', '(3, 99999999999)', '(1, 4096)', '(-1, 3)', '(2**64, 1)'];
    for (const shape of claims) {
      const header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`.padEnd(117) + '\n';
      const bytes = new Uint8Array(10 + header.length + 64);
      bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
      bytes.set(new TextEncoder().encode(header), 10);
      expect(typeof (await drain('npy', bytes))).toBe('string');
    }
  });
});
