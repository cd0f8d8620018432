import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../core/errors.js';
import { evaluate, generateAttacks, splitFamilies } from '../../test/fixtures/lookalike/evaluate.js';
import {
  findLookalikes,
  hasMixedScripts,
  LookalikeIndex,
  type LookalikeOptions,
  MAX_NAME_LENGTH,
  scriptsIn,
  skeleton,
} from './lookalike.js';

const REGISTRY = [
  'meta-llama/Llama-3-8B',
  'llama-3_8b',
  'Qwen/Qwen2.5-7B',
  'mistral-7b-v0.2',
  'google/gemma-2b',
  'Helsinki-NLP/opus-mt-en-de',
  'gemma',
];

const find = (candidate: string, options?: LookalikeOptions) => findLookalikes(candidate, REGISTRY, options);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isBulwarkError(error) ? error.code : 'not a BulwarkError';
  }
  return undefined;
}

describe('skeleton (UTS #39)', () => {
  it('maps look-alike characters to their prototypes', () => {
    expect(skeleton('𝔭𝒶ỿ𝕡𝕒ℓ')).toBe(skeleton('paypal'));
    expect(skeleton('\u0430\u0440\u0435')).toBe(skeleton('ape'));
    expect(skeleton('Il1|')).toBe('llll');
    expect(skeleton('m')).toBe('rn');
  });

  it('drops default-ignorable code points', () => {
    expect(skeleton('lla\u200bma\u2060')).toBe(skeleton('llama'));
  });
});

describe('hasMixedScripts', () => {
  it('finds Cyrillic or Greek letters inside a Latin name', () => {
    expect(hasMixedScripts('m\u0435ta-llama')).toBe(true);
    expect(hasMixedScripts('ll\u03b1ma')).toBe(true);
    expect(scriptsIn('m\u0435ta-llama')).toEqual(['Latin', 'Cyrillic']);
  });

  it('accepts single-script names, digits and punctuation', () => {
    expect(hasMixedScripts('meta-llama/Llama-3.1-8B')).toBe(false);
    expect(hasMixedScripts('\u043c\u0435\u0442\u0430-3')).toBe(false);
  });
});

describe('findLookalikes', () => {
  it('never flags the exact same name', () => {
    for (const name of REGISTRY) expect(find(name), name).toEqual([]);
  });

  it('flags names that differ only in case or separators', () => {
    expect(find('Llama_3-8B')).toMatchObject([
      { name: 'llama-3_8b', reason: 'case-or-separator', severity: 'high' },
    ]);
    expect(find('meta_llama/llama3-8b')).toMatchObject([
      { name: 'meta-llama/Llama-3-8B', reason: 'case-or-separator' },
    ]);
  });

  it('flags confusables and names their characters and scripts', () => {
    const [cyrillic] = find('m\u0435ta-llama/Llama-3-8B');
    expect(cyrillic).toMatchObject({ name: 'meta-llama/Llama-3-8B', reason: 'confusable', severity: 'high' });
    expect(cyrillic?.detail).toContain('U+0435 Cyrillic');
    expect(cyrillic?.detail).toContain('mixed scripts: Latin+Cyrillic');
    for (const spoof of ['meta-llarna/Llama-3-8B', 'meta-Ilama/Llama-3-8B', 'Qwen/Qwen2.5-7B\u200b']) {
      expect(find(spoof)[0], spoof).toMatchObject({ reason: 'confusable' });
    }
    expect(find('google/gemma-2\u0392')[0]).toMatchObject({ name: 'google/gemma-2b', reason: 'confusable' });
    expect(find('\uff47oogle/gemma-2b')[0]).toMatchObject({ reason: 'confusable' });
    expect(find('meta-llarna/Llama-3-8B')[0]?.detail).toContain('"rn" in place of "m"');
  });

  it('flags one and two edits, with severity falling with distance', () => {
    expect(find('mistarl-7b-v0.2')).toMatchObject([
      { name: 'mistral-7b-v0.2', reason: 'edit-distance', distance: 1, severity: 'medium' },
    ]);
    expect(find('mistrall-7b-v0.22x')).toEqual([]);
    expect(find('misstrall-7b-v0.2')).toMatchObject([{ distance: 2, severity: 'low' }]);
    expect(find('google/gemam-2b')).toMatchObject([{ name: 'google/gemma-2b', distance: 1 }]);
  });

  it('allows only one edit on short names and none under minLength', () => {
    expect(find('gemmax')).toMatchObject([{ name: 'gemma', distance: 1 }]);
    expect(find('gemmaxy')).toEqual([]);
    expect(findLookalikes('abc', ['abd'])).toMatchObject([{ name: 'abd', distance: 1 }]);
    expect(findLookalikes('abc', ['abd'], { minLength: 4 })).toEqual([]);
  });

  it('flags a known model name under a look-alike organisation', () => {
    const [org] = find('metta-lama/Llama3-8B');
    expect(org).toMatchObject({ name: 'meta-llama/Llama-3-8B', reason: 'edit-distance', distance: 2 });
    expect(org?.detail).toContain('under organisation "metta-lama", which imitates "meta-llama"');
    expect(find('Meta-LLama/llama-3-8b')[0]).toMatchObject({ reason: 'case-or-separator' });
  });

  it('leaves sibling versions and sizes alone unless asked, then reports them as info', () => {
    expect(find('Qwen/Qwen2.5-72B')).toEqual([]);
    expect(find('Helsinki-NLP/opus-mt-en-fr')).toEqual([]);
    expect(find('Qwen/Qwen2.5-72B', { variantEdits: 'report' })).toMatchObject([
      { name: 'Qwen/Qwen2.5-7B', severity: 'info', variant: 'numbers' },
    ]);
    expect(find('Helsinki-NLP/opus-mt-en-fr', { variantEdits: 'report' })).toMatchObject([
      { variant: 'short-token', severity: 'info' },
    ]);
    expect(find('Qwen/Qwen2.5-7P')).toMatchObject([{ name: 'Qwen/Qwen2.5-7B', distance: 1 }]);
  });

  it('orders by severity then distance and caps the results', () => {
    const names = ['model-alpha', 'Model_Alpha', 'model-alpho', 'modl-alphx'];
    const found = findLookalikes('model-alpha', names);
    expect(found.map((f) => f.name)).toEqual(['Model_Alpha', 'model-alpho', 'modl-alphx']);
    expect(findLookalikes('model-alpha', names, { maxResults: 1 })).toHaveLength(1);
  });

  it('skips unusable existing names and rejects bad input with one error', () => {
    const junk = ['', 'x'.repeat(MAX_NAME_LENGTH + 1), 42 as unknown as string, 'mistral-7b-v0.2'];
    expect(findLookalikes('mistarl-7b-v0.2', junk)).toHaveLength(1);
    expect(codeOf(() => find(''))).toBe('INPUT_INVALID');
    expect(codeOf(() => find('   '))).toBe('INPUT_INVALID');
    expect(codeOf(() => find('x'.repeat(MAX_NAME_LENGTH + 1)))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(() => findLookalikes('a', REGISTRY, { maxExisting: 3 }))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(() => find('abc', { maxDistance: 9 }))).toBe('INPUT_INVALID');
    expect(codeOf(() => find('abc', { minLength: -1 }))).toBe('INPUT_INVALID');
    expect(codeOf(() => findLookalikes('abc', 'abc' as unknown as string[]))).toBe('INPUT_INVALID');
  });
});

describe('LookalikeIndex', () => {
  it('finds what the one-pass search finds, on real names and generated attacks', () => {
    const { tuning } = splitFamilies();
    const index = new LookalikeIndex(tuning);
    const queries = [...tuning, ...generateAttacks(tuning).map((a) => a.name)];
    for (const q of queries) expect(index.find(q), q).toEqual(findLookalikes(q, tuning));
  });

  it('takes names added after it was built, up to its limit', () => {
    const index = new LookalikeIndex(['alpha-model'], { maxExisting: 2 });
    expect(index.find('beta-rnodel')).toEqual([]);
    index.add('beta-model');
    index.add('beta-model');
    expect(index.find('beta-rnodel')).toMatchObject([{ name: 'beta-model', reason: 'confusable' }]);
    expect(codeOf(() => index.add('gamma-model'))).toBe('LIMIT_EXCEEDED');
  });
});

// The figures in the report come from `npx tsx test/fixtures/lookalike/evaluate.ts`.
describe('evaluation on the held-out half of the model families', () => {
  it('finds generated look-alikes with few false positives at the default options', () => {
    const { reported } = splitFamilies();
    const figures = evaluate(reported);
    expect(figures.attacks).toBeGreaterThan(800);
    expect(figures.recall).toBeGreaterThan(0.97);
    expect(figures.falsePositiveRate).toBeLessThan(0.1);
    expect(figures.matchedSource / figures.detected).toBeGreaterThan(0.99);
  });

  it('shows why version and size differences are not flagged by default', () => {
    const { reported } = splitFamilies();
    const quiet = evaluate(reported);
    const loud = evaluate(reported, { variantEdits: 'report' });
    expect(loud.falsePositiveRate).toBeGreaterThan(quiet.falsePositiveRate + 0.2);
  });
});
