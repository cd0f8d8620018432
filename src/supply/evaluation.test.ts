import { describe, expect, it } from 'vitest';
import { evaluateRepoIds, evaluateTyposquats, formatFigures } from '../../test/fixtures/deps/evaluate.js';
import { LEGIT_PYPI_PACKAGES } from '../../test/fixtures/deps/legit-packages.js';
import { LEGIT_REPO_IDS } from '../../test/fixtures/deps/legit-repo-ids.js';
import { normalizePypiName } from './package-names.js';
import { MIRROR_ORGANISATIONS, POPULAR_MODELS } from './popular-models.js';
import { POPULAR_PYPI_PACKAGES } from './popular-packages.js';

// The figures in docs/dependency-scanning.md come from `npx tsx test/fixtures/deps/evaluate.ts`.
describe('detection evaluation (seeded, held-out negatives)', () => {
  it('keeps the held-out negatives out of the popular lists', () => {
    const popular = new Set(POPULAR_PYPI_PACKAGES.map(normalizePypiName));
    expect(LEGIT_PYPI_PACKAGES.filter((name) => popular.has(normalizePypiName(name)))).toEqual([]);
    const orgs = new Set(
      [...POPULAR_MODELS, ...MIRROR_ORGANISATIONS.map((o) => `${o}/`)].map((id) =>
        id.split('/')[0]?.toLowerCase(),
      ),
    );
    expect(LEGIT_REPO_IDS.filter((id) => orgs.has(id.split('/')[0]?.toLowerCase()))).toEqual([]);
    expect(LEGIT_PYPI_PACKAGES.length).toBeGreaterThanOrEqual(200);
  });

  it('finds typosquats of popular packages with few false positives', () => {
    const figures = evaluateTyposquats();
    console.log(formatFigures('PyPI typosquats (single edits)', figures));
    expect(figures.positives).toBe(2000);
    expect(figures.recall).toBeGreaterThan(0.9);
    expect(figures.falsePositiveRate).toBeLessThan(0.02);
  });

  it('finds look-alike organisations and shadow repos with few false positives', () => {
    const { lookalike, shadow } = evaluateRepoIds();
    console.log(formatFigures('Hugging Face look-alike organisations', lookalike));
    console.log(formatFigures('Hugging Face shadow repos', shadow));
    expect(lookalike.recall).toBeGreaterThan(0.9);
    expect(lookalike.falsePositiveRate).toBeLessThan(0.03);
    expect(shadow.recall).toBeGreaterThan(0.95);
    expect(shadow.falsePositiveRate).toBeLessThan(0.03);
  });
});
