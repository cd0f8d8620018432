import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../core/errors.js';
import { bytesSource } from '../core/scan/byte-sources.js';
import { buildNpy } from '../models/formats/numpy.test-support.js';
import { halfToFloat, openNpyVectors } from './npy-vectors.js';
import { encodeNpy, type NpyEncoding } from './vector-corpus.test-support.js';
import type { VectorBatch, VectorReader } from './vector-types.js';

const VALUES = [1, -2, 0.5, 3, 0, -0.25, 7, 8, -9, 10, 11, 12];

async function readAll(
  reader: VectorReader,
): Promise<{ rows: number[][]; problems: VectorBatch['problems'] }> {
  const rows: number[][] = [];
  const problems: VectorBatch['problems'][number][] = [];
  for await (const batch of reader.batches()) {
    for (const record of batch.records) {
      expect(record.index).toBe(rows.length);
      expect(record.id).toBe(record.index);
      rows.push([...record.values]);
    }
    problems.push(...batch.problems);
  }
  return { rows, problems };
}

async function rejection(bytes: Uint8Array, maxDimension = 65_536): Promise<BulwarkError> {
  const error: unknown = await openNpyVectors(bytesSource(bytes), { maxVectors: 100, maxDimension }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BulwarkError);
  return error as BulwarkError;
}

describe('openNpyVectors', () => {
  it.each<NpyEncoding>([
    { descr: '<f4' },
    { descr: '>f4' },
    { descr: '<f8' },
    { descr: '>f8' },
    { descr: '<f2' },
    { descr: '<f4', version: 2 },
    { descr: '<f4', version: 3 },
    { descr: '<f4', fortranOrder: true },
    { descr: '<f8', fortranOrder: true },
  ])('reads 4 vectors of 3 from %o in row order', async (encoding) => {
    const reader = await openNpyVectors(bytesSource(encodeNpy(VALUES, 4, 3, encoding)));
    expect(reader.format).toBe('npy');
    expect(reader.declaredDimension).toBe(3);
    const { rows, problems } = await readAll(reader);
    expect(problems).toEqual([]);
    expect(rows).toEqual([VALUES.slice(0, 3), VALUES.slice(3, 6), VALUES.slice(6, 9), VALUES.slice(9, 12)]);
    expect([...(await reader.vectorAt(2))]).toEqual(VALUES.slice(6, 9));
  });

  it('reads int8 and uint8 (quantized) embeddings as numbers', async () => {
    const signed = await readAll(
      await openNpyVectors(bytesSource(encodeNpy([-128, 5, 127, 0], 2, 2, { descr: '|i1' }))),
    );
    expect(signed.rows).toEqual([
      [-128, 5],
      [127, 0],
    ]);
    const unsigned = await readAll(
      await openNpyVectors(bytesSource(encodeNpy([255, 1], 1, 2, { descr: '|u1' }))),
    );
    expect(unsigned.rows).toEqual([[255, 1]]);
  });

  it('reads a 1-D array as one vector and an empty 2-D array as none', async () => {
    const one = await readAll(
      await openNpyVectors(bytesSource(encodeNpy([1, 2, 3], 1, 3, { oneDimensional: true }))),
    );
    expect(one.rows).toEqual([[1, 2, 3]]);
    const none = await readAll(await openNpyVectors(bytesSource(encodeNpy([], 0, 8))));
    expect(none.rows).toEqual([]);
  });

  it('streams a file larger than one read chunk and reads any row again', async () => {
    const count = 3000;
    const dims = 128;
    const values = Float32Array.from({ length: count * dims }, (_, i) => (i % 977) / 977);
    const reader = await openNpyVectors(bytesSource(encodeNpy(values, count, dims)));
    let seen = 0;
    let batches = 0;
    for await (const batch of reader.batches()) {
      batches++;
      for (const record of batch.records) {
        expect(record.values[5]).toBe(values[record.index * dims + 5]);
        seen++;
      }
    }
    expect(seen).toBe(count);
    expect(batches).toBeGreaterThan(2);
    expect((await reader.vectorAt(2999))[127]).toBe(values[2999 * dims + 127]);
  });

  it('reports bytes after the array and stops at the vector limit', async () => {
    const file = encodeNpy(VALUES, 4, 3);
    const padded = new Uint8Array(file.length + 5);
    padded.set(file);
    const reader = await openNpyVectors(bytesSource(padded), { maxVectors: 3, maxDimension: 10 });
    const { rows, problems } = await readAll(reader);
    expect(rows).toHaveLength(3);
    expect(problems.map((p) => p.kind)).toEqual(['limit', 'trailing-data']);
    expect(problems[0]).toMatchObject({ limit: 'max-vectors', row: 4 });
    expect(problems[1]).toMatchObject({ offset: file.length });
    expect(problems[1]?.message).toMatch(/^5 bytes follow the array data/);
  });

  it.each([
    ['no magic', new TextEncoder().encode('{"id": 1}'), /does not start with the \.npy magic/],
    ['a cut preamble', encodeNpy(VALUES, 4, 3).subarray(0, 9), /ends inside the \.npy preamble/],
    [
      'version 4.0',
      buildNpy({ shape: [1, 1], data: new Uint8Array(4), version: '3.0' }).map((b, i) => (i === 6 ? 4 : b)),
      /version 4\.0/,
    ],
    ['a header past the end', encodeNpy(VALUES, 4, 3).subarray(0, 40), /reaches past the end/],
    ['a list header', buildNpy({ header: "['<f4', False, (1, 3)]" }), /header is a list, not a dict/],
    ['an unparsable header', buildNpy({ header: "{'descr': '<f4', " }), /not a Python literal/],
    ['missing keys', buildNpy({ header: "{'descr': '<f4', 'shape': (1, 3)}" }), /not exactly 'descr'/],
    ['a structured dtype', buildNpy({ descr: "[('x', '<f4')]", shape: [1] }), /structured/],
    [
      'a complex dtype',
      buildNpy({ descr: "'<c8'", shape: [1, 1], data: new Uint8Array(8) }),
      /dtype '<c8' is not/,
    ],
    [
      'an object dtype',
      buildNpy({ descr: "'|O'", shape: [1, 1], data: new Uint8Array(8) }),
      /dtype '\|O' is not/,
    ],
    ['a 3-D shape', buildNpy({ shape: [2, 2, 2], data: new Uint8Array(32) }), /shape \(2, 2, 2\) is neither/],
    ['a scalar', buildNpy({ shape: [], data: new Uint8Array(4) }), /shape \(\) is neither/],
    ['vectors without components', buildNpy({ shape: [3, 0] }), /without components/],
    [
      'a fortran_order string',
      buildNpy({ header: "{'descr': '<f4', 'fortran_order': 'no', 'shape': (1, 1)}" }),
      /'fortran_order' is not a bool/,
    ],
    [
      'truncated data',
      encodeNpy(VALUES, 4, 3).subarray(0, 128 + 20),
      /data is truncated: shape \(4, 3\) of <f4 needs 48 bytes but 20 follow/,
    ],
  ])('refuses %s with one clear line', async (_name, bytes, message) => {
    const error = await rejection(bytes);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toMatch(/^not a readable \.npy array of vectors: /);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('refuses a dimension over the limit as a limit, not as a broken file', async () => {
    const error = await rejection(encodeNpy(VALUES, 1, 12), 8);
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toBe('the vectors have 12 dimensions, over the limit of 8');
  });
});

describe('halfToFloat', () => {
  it('decodes normal, subnormal and special binary16 values', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x3555)).toBeCloseTo(0.33325, 5);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
  });
});
