import { describe, expect, it } from 'vitest';
import type { VariantKind } from '../types.js';
import { combineHits, noisyOr, type WeightedHit } from './heuristic-score.js';
import type { PhraseSpec } from './phrase-spec.js';

const spec = (id: string, category: PhraseSpec['category']): PhraseSpec => ({
  id,
  lang: 'en',
  category,
  heads: ['x'],
  weight: 1,
  note: id,
  examples: [],
});
const hit = (
  s: PhraseSpec,
  weight: number,
  start = 0,
  end = 5,
  variant: VariantKind = 'normalized',
): WeightedHit => ({
  spec: s,
  variant,
  start,
  end,
  weight,
});
const options = { maxEvidence: 16, minCategoryScore: 0.2 };

describe('noisyOr', () => {
  it('is the first weight alone, grows with strong followers and barely with weak ones', () => {
    expect(noisyOr([])).toBe(0);
    expect(noisyOr([0.4])).toBeCloseTo(0.4);
    expect(noisyOr([0.85, 0.75])).toBeCloseTo(1 - 0.15 * (1 - 0.75 * 0.85));
    expect(noisyOr([0.2, 0.15])).toBeCloseTo(1 - 0.8 * (1 - 0.15 * 0.4));
    expect(noisyOr([0.15, 0.2])).toBeCloseTo(noisyOr([0.2, 0.15]));
  });
});

describe('combineHits', () => {
  const override = spec('en.override.a', 'instruction-override');
  const override2 = spec('en.override.b', 'instruction-override');
  const extraction = spec('en.extract.a', 'prompt-extraction');

  it('keeps one hit per spec and one per overlapping span of a category', () => {
    const r = combineHits(
      [
        hit(override, 0.8, 0, 10),
        hit(override, 0.8, 20, 30),
        hit(override2, 0.6, 5, 12),
        hit(extraction, 0.7, 5, 12),
      ],
      options,
    );
    expect(r.evidence.map((e) => e.note.split(' ')[0])).toEqual(['en.override.a', 'en.extract.a']);
    expect(r.score).toBeCloseTo(noisyOr([0.8, 0.7]), 3);
    expect(r.categories).toEqual(['instruction-override', 'prompt-extraction']);
  });

  it('lists only categories that reach the threshold and caps evidence', () => {
    const r = combineHits([hit(override, 0.1), hit(extraction, 0.7, 8, 9)], {
      maxEvidence: 1,
      minCategoryScore: 0.2,
    });
    expect(r.categories).toEqual(['prompt-extraction']);
    expect(r.evidence).toHaveLength(1);
  });

  it('adds obfuscation when a cue is found only in decoded text', () => {
    const decoded = combineHits([hit(override, 0.8, 0, 5, 'base64')], options);
    expect(decoded.categories).toContain('obfuscation');
    expect(decoded.score).toBeGreaterThan(0.8);
    const plain = combineHits([hit(override, 0.8), hit(override, 0.8, 0, 5, 'base64')], options);
    expect(plain.categories).not.toContain('obfuscation');
  });
});
