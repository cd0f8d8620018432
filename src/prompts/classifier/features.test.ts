import { describe, expect, it } from 'vitest';
import {
  canonicalizeText,
  contextHash,
  CONTEXT_SALTS,
  createFeatureBuffer,
  extractFeatures,
  forEachWindow,
  type FeatureBuffer,
} from './features.js';

const SEED = 12345;

function features(
  text: string,
  buffer: FeatureBuffer = createFeatureBuffer(4),
): { hashes: number[]; positions: number[] } {
  extractFeatures(canonicalizeText(text), SEED, buffer);
  return {
    hashes: Array.from(buffer.hashes.subarray(0, buffer.count)),
    positions: Array.from(buffer.positions.subarray(0, buffer.count)),
  };
}

describe('canonicalizeText', () => {
  it('applies NFKC, lower-cases and drops zero-width and bidi format characters', () => {
    expect(canonicalizeText('ＩＧ\u200BNORE Previous\u202E')).toBe('ignore previous');
    expect(canonicalizeText('ﬁle')).toBe('file');
  });
});

describe('extractFeatures', () => {
  it('emits the character 3–5-grams of the padded word and its unigram', () => {
    // " abc " holds three 3-grams, two 4-grams and one 5-gram.
    expect(features('abc').hashes).toHaveLength(6 + 1);
    // A one-letter word only has " a ".
    expect(features('a').hashes).toHaveLength(1 + 1);
  });

  it('adds a bigram per following token and repeats identical n-grams for a repeated word', () => {
    const once = features('abc').hashes;
    const twice = features('abc abc');
    expect(twice.hashes).toHaveLength(2 * once.length + 1);
    expect(twice.hashes.slice(0, once.length)).toEqual(once);
    expect(twice.hashes.slice(once.length, 2 * once.length)).toEqual(once);
    expect(twice.positions).toEqual([...once.map(() => 0), ...once.map(() => 4), 4]);
  });

  it('makes punctuation one-character tokens and keeps identifiers with underscores whole', () => {
    // <, |, im_start, |, > : 5 unigrams, 4 bigrams, and the 3-, 4- and 5-grams of " im_start ".
    const charGrams = 8 + 7 + 6;
    expect(features('<|im_start|>').hashes).toHaveLength(charGrams + 5 + 4);
  });

  it('is case-, width- and zero-width-insensitive and depends on the seed', () => {
    expect(features('Ignore Previous').hashes).toEqual(features('ｉｇｎｏｒｅ\u200B previous').hashes);
    const buffer = createFeatureBuffer();
    extractFeatures('ignore previous', SEED + 1, buffer);
    expect(Array.from(buffer.hashes.subarray(0, buffer.count))).not.toEqual(
      features('ignore previous').hashes,
    );
  });

  it('grows its buffer for long texts and keeps positions non-decreasing', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `w${i}#`).join(' ');
    const { hashes, positions } = features(text);
    expect(hashes.length).toBeGreaterThan(4000);
    expect(positions.every((p, i) => i === 0 || p >= (positions[i - 1] ?? 0))).toBe(true);
  });

  it('gives a text with no words no features', () => {
    expect(features(' \n\t ').hashes).toEqual([]);
  });
});

describe('contextHash', () => {
  it('moves a feature to a different bucket per context', () => {
    const h = features('ignore').hashes[0] ?? 0;
    expect(contextHash(h, CONTEXT_SALTS.user)).not.toBe(contextHash(h, CONTEXT_SALTS.document));
    expect(contextHash(h, CONTEXT_SALTS.user)).toBe(contextHash(h, CONTEXT_SALTS.user));
  });
});

describe('forEachWindow', () => {
  const buffer = (positions: number[]): FeatureBuffer => ({
    hashes: new Uint32Array(positions.length),
    positions: Int32Array.from(positions),
    count: positions.length,
  });
  const windows = (positions: number[], size: number, stride: number): [number, number][] => {
    const seen: [number, number][] = [];
    forEachWindow(buffer(positions), { size, stride }, (lo, hi) => seen.push([lo, hi]));
    return seen;
  };

  it('visits one window when the text fits in it', () => {
    expect(windows([0, 0, 5, 9], 16, 8)).toEqual([[0, 4]]);
  });

  it('slides by the stride until a window reaches the last feature', () => {
    expect(windows([0, 4, 8, 12, 16, 20], 8, 4)).toEqual([
      [0, 2],
      [1, 3],
      [2, 4],
      [3, 5],
      [4, 6],
    ]);
  });

  it('skips empty windows and visits nothing without features', () => {
    expect(windows([0, 100], 8, 4)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(windows([], 8, 4)).toEqual([]);
  });
});
