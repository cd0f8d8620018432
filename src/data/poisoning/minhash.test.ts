import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { minHashParameters, MinHasher, SignatureStore } from './minhash.js';
import { seededRandom } from './synthetic-reviews.test-support.js';

function shingleSet(text: string, size = 5): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + size <= text.length; i++) out.add(text.slice(i, i + size));
  return out;
}

function trueJaccard(a: string, b: string): number {
  const x = shingleSet(a);
  const y = shingleSet(b);
  let shared = 0;
  for (const s of x) if (y.has(s)) shared++;
  return shared / (x.size + y.size - shared);
}

function estimate(hasher: MinHasher, a: string, b: string): number {
  const store = new SignatureStore(hasher.parameters.permutations, 1);
  store.set(0, hasher.signature(a)!);
  store.set(1, hasher.signature(b)!);
  return store.similarity(0, 1);
}

const WORDS =
  'river stone cloud maple ember quartz meadow falcon harbor lantern violet copper willow summit'.split(' ');

function sentence(random: () => number, words: number): string[] {
  return Array.from(
    { length: words },
    () => WORDS[Math.floor(random() * WORDS.length)]! + Math.floor(random() * 50),
  );
}

describe('minHashParameters', () => {
  it('fills the documented defaults', () => {
    expect(minHashParameters()).toEqual({
      permutations: 128,
      shingle: 'char',
      shingleSize: 5,
      bands: 16,
      rowsPerBand: 8,
      seed: 0x5eed,
    });
    expect(minHashParameters({ shingle: 'word' }).shingleSize).toBe(3);
  });

  it('refuses bands that do not divide the slots', () => {
    let error: unknown;
    try {
      minHashParameters({ permutations: 100, bands: 16 });
    } catch (caught) {
      error = caught;
    }
    expect(isBulwarkError(error) && error.code).toBe('USAGE');
  });
});

describe('MinHasher', () => {
  it('is deterministic for one seed and differs across seeds', () => {
    const text = 'the quick brown fox jumps over the lazy dog';
    const a = Array.from(new MinHasher().signature(text)!);
    expect(Array.from(new MinHasher().signature(text)!)).toEqual(a);
    expect(Array.from(new MinHasher({ seed: 1 }).signature(text)!)).not.toEqual(a);
    expect(new MinHasher().signature('')).toBeUndefined();
  });

  it('estimates the Jaccard similarity of character shingles without bias', () => {
    const random = seededRandom(5);
    const hasher = new MinHasher();
    const errors: number[] = [];
    for (let i = 0; i < 300; i++) {
      const words = sentence(random, 12 + Math.floor(random() * 20));
      const edited = [...words];
      const edits = Math.floor(random() * 6);
      for (let e = 0; e < edits; e++) edited[Math.floor(random() * edited.length)] = `x${e}`;
      const a = words.join(' ');
      const b = edited.join(' ');
      errors.push(estimate(hasher, a, b) - trueJaccard(a, b));
    }
    const mean = errors.reduce((x, y) => x + y, 0) / errors.length;
    const rms = Math.sqrt(errors.reduce((x, y) => x + y * y, 0) / errors.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(rms).toBeLessThan(0.06);
  });

  it('stops comparing once a similarity threshold is out of reach, without changing results above it', () => {
    const hasher = new MinHasher();
    const store = new SignatureStore(128, 1);
    const random = seededRandom(9);
    for (let i = 0; i < 200; i++) {
      const words = sentence(random, 15);
      const edited = [...words];
      for (let e = 0; e < i % 7; e++) edited[Math.floor(random() * edited.length)] = `y${e}`;
      store.set(0, hasher.signature(words.join(' '))!);
      store.set(1, hasher.signature(edited.join(' '))!);
      const full = store.similarity(0, 1);
      const early = store.similarity(0, 1, 0.8);
      expect(early).toBe(full >= 0.8 ? full : 0);
      expect(store.similarityTo(store.pack(hasher.signature(edited.join(' '))!), 0)).toBe(full);
    }
  });

  it('builds word shingles too', () => {
    const hasher = new MinHasher({ shingle: 'word' });
    const a = 'one two three four five six seven eight nine ten eleven twelve';
    expect(estimate(hasher, a, a)).toBe(1);
    expect(estimate(hasher, a, 'alpha beta gamma delta epsilon zeta eta theta')).toBeLessThan(0.1);
  });
});
