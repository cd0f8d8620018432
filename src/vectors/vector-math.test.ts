import { describe, expect, it } from 'vitest';
import { SparseProjection } from './projection.js';
import { ReferenceIndex } from './reference-index.js';
import { normalFrom, seededRandom } from './seeded-random.js';
import { UnionFind } from './union-find.js';
import { VectorHasher } from './vector-hash.js';
import { VectorTable } from './vector-table.js';

describe('VectorHasher', () => {
  const hasher = new VectorHasher();

  it('treats -0 as 0 and every NaN as the same NaN', () => {
    const nanBits = new Float32Array(new Uint32Array([0x7fc00001]).buffer);
    expect(hasher.hash(Float32Array.of(1, -0, 2))).toEqual(hasher.hash(Float32Array.of(1, 0, 2)));
    expect(hasher.hash(Float32Array.of(Number.NaN, 1))).toEqual(
      hasher.hash(Float32Array.of(nanBits[0] ?? 0, 1)),
    );
    expect(hasher.hash(Float64Array.of(-0, 3))).toEqual(hasher.hash(Float64Array.of(0, 3)));
  });

  it('separates vectors that differ in one value, in order or in length', () => {
    const keys = new Set(
      [
        Float32Array.of(1, 2, 3),
        Float32Array.of(1, 2, 3.0000002),
        Float32Array.of(3, 2, 1),
        Float32Array.of(1, 2, 3, 0),
        Float64Array.of(1, 2, 3),
      ].map((v) => hasher.hash(v).key),
    );
    expect(keys.size).toBe(5);
  });

  it('gives keys that are exact integers usable as map keys', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      const { key } = hasher.hash(Float64Array.from({ length: 8 }, random));
      expect(Number.isSafeInteger(key)).toBe(true);
    }
  });
});

describe('SparseProjection', () => {
  it('is the identity when the input is no wider than the output', () => {
    const projection = new SparseProjection(3, 64);
    const out = new Float64Array(3);
    projection.project(Float32Array.of(1, 2, 3), out, 0);
    expect(projection.dims).toBe(3);
    expect([...out]).toEqual([1, 2, 3]);
  });

  it('moves the output for a change in any single input component', () => {
    const projection = new SparseProjection(300, 32);
    const out = new Float64Array(32);
    for (let j = 0; j < 300; j++) {
      const basis = new Float64Array(300);
      basis[j] = 1;
      projection.project(basis, out, 0);
      expect(out.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 10);
    }
  });

  it('keeps distances between random vectors within 40% at 64 outputs, and is seeded', () => {
    const random = seededRandom(9);
    const projection = new SparseProjection(768, 64);
    const again = new SparseProjection(768, 64);
    const a = new Float64Array(64);
    const b = new Float64Array(64);
    for (let trial = 0; trial < 100; trial++) {
      const x = Float64Array.from({ length: 768 }, () => normalFrom(random));
      const y = Float64Array.from({ length: 768 }, () => normalFrom(random));
      const diff = x.map((v, i) => v - (y[i] ?? 0));
      projection.project(diff, a, 0);
      again.project(diff, b, 0);
      expect([...a]).toEqual([...b]);
      const ratio = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / diff.reduce((s, v) => s + v * v, 0));
      expect(ratio).toBeGreaterThan(0.6);
      expect(ratio).toBeLessThan(1.4);
    }
  });
});

describe('ReferenceIndex', () => {
  it('finds exactly the nearest references a brute-force scan finds', () => {
    const random = seededRandom(4);
    const dims = 16;
    const table = new VectorTable(dims);
    const centres = Array.from({ length: 6 }, () =>
      Float64Array.from({ length: dims }, () => normalFrom(random)),
    );
    for (let i = 0; i < 1500; i++) {
      const centre = centres[i % centres.length] as Float64Array;
      const v = centre.map((c) => c + 0.4 * normalFrom(random));
      const norm = Math.hypot(...v);
      table.push({ id: i, line: undefined, norm: 1, status: 'distinct', unit: v.map((x) => x / norm) });
    }
    const references = Int32Array.from({ length: 400 }, (_, i) => i * 3);
    const index = new ReferenceIndex(table, references);
    const out = new Float64Array(10);
    const ids = new Int32Array(10);
    for (let query = 0; query < 1500; query += 7) {
      index.nearest(table, query, out, ids);
      const brute = [...references]
        .filter((r) => r !== query)
        .map((r) => table.distance2(query, r))
        .sort((a, b) => a - b)
        .slice(0, 10);
      for (let j = 0; j < 10; j++) expect(out[j]).toBeCloseTo(brute[j] ?? 0, 5);
      expect(ids.includes(query)).toBe(false);
    }
  });
});

describe('UnionFind', () => {
  it('groups linked members and leaves singletons out', () => {
    const sets = new UnionFind(8);
    expect(sets.union(1, 5)).toBe(true);
    expect(sets.union(5, 7)).toBe(true);
    expect(sets.union(7, 1)).toBe(false);
    sets.union(2, 3);
    expect(sets.groups([0, 1, 2, 3, 4, 5, 6, 7])).toEqual([
      [1, 5, 7],
      [2, 3],
    ]);
  });
});
