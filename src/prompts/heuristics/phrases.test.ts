import { describe, expect, it } from 'vitest';
import { SHIELD_CATEGORIES } from '../types.js';
import { compilePhrases } from './phrase-matcher.js';
import { PHRASE_LANGUAGES } from './phrase-spec.js';
import { DEFAULT_PHRASES, phraseCoverage } from './phrases/index.js';

const matcher = compilePhrases(DEFAULT_PHRASES);
const idsIn = (text: string) => new Set(matcher.scan(text.normalize('NFKC')).map((h) => h.spec.id));

describe('default phrase lists', () => {
  it.each(DEFAULT_PHRASES.map((s) => [s.id, s] as const))(
    '%s matches its examples and not its counter-examples',
    (_id, spec) => {
      expect(spec.examples.length).toBeGreaterThan(0);
      for (const example of spec.examples) expect(idsIn(example), example).toContain(spec.id);
      for (const counter of spec.counterExamples ?? [])
        expect(idsIn(counter), counter).not.toContain(spec.id);
    },
  );

  it('use known languages and categories, ids that name them, and weights in 0–1', () => {
    for (const spec of DEFAULT_PHRASES) {
      expect(PHRASE_LANGUAGES).toContain(spec.lang);
      expect(SHIELD_CATEGORIES).toContain(spec.category);
      expect(spec.id.startsWith(`${spec.lang}.`), spec.id).toBe(true);
      expect(spec.note.length).toBeLessThanOrEqual(80);
    }
  });

  it('cover override, role switch and prompt extraction in all fifteen languages', () => {
    const coverage = phraseCoverage();
    for (const lang of PHRASE_LANGUAGES.filter((l) => l !== 'any')) {
      const byCategory = coverage.get(lang);
      for (const category of ['instruction-override', 'role-switch', 'prompt-extraction'] as const) {
        expect(byCategory?.get(category) ?? 0, `${lang} ${category}`).toBeGreaterThan(0);
      }
    }
    expect(PHRASE_LANGUAGES.length - 1).toBe(15);
  });
});
