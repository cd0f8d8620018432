import { describe, expect, it } from 'vitest';
import { generateSecretCorpus } from '../../../test/fixtures/secrets/generate.js';
import { rates, scanSample, scoreByEntity } from '../../../test/fixtures/secrets/score.js';
import { createSecretAnalyzer } from './secret-analyzer.js';

// A seed of its own: neither the tuning nor the reported split of docs/secret-scanning.md.
const results = generateSecretCorpus(3, { positivesPerEntity: 12, negativesPerFamily: 8, notebooks: 8 }).map(
  (s) => scanSample(s, createSecretAnalyzer()),
);

describe('the generated secret corpus', () => {
  it('finds every issuer-formatted secret at its exact offsets, in text files and notebooks', () => {
    for (const { sample, found } of results) {
      const expected = sample.expected.filter((e) => e.entity !== 'GENERIC_SECRET');
      const got = found.filter((f) => expected.some((e) => e.entity === f.entity));
      expect(got, sample.file).toEqual(expected);
    }
  });

  it('finds generic high-entropy secrets with precision and recall of at least 0.9', () => {
    const generic = scoreByEntity(results).get('GENERIC_SECRET') ?? { tp: 0, fp: 0, fn: 0 };
    expect(generic.tp).toBeGreaterThan(0);
    const { precision, recall } = rates(generic);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('stays silent on every hard negative', () => {
    for (const { sample, found } of results.filter((r) => r.sample.kind === 'negative')) {
      expect(found, `${sample.file}\n${sample.text}`).toEqual([]);
    }
  });
});
