import { describe, expect, it } from 'vitest';
import type { DataRecord } from './records.js';
import { compareSplits } from './split-overlap.js';
import { generateReviews } from './synthetic-reviews.test-support.js';

const records = (texts: string[], labels?: string[]): DataRecord[] =>
  texts.map((text, i) => ({ row: i + 1, text, ...(labels?.[i] === undefined ? {} : { label: labels[i] }) }));

describe('compareSplits', () => {
  it('finds exact and near copies of training rows in validation', async () => {
    const train = generateReviews(3000, 11);
    const fresh = generateReviews(500, 12).map((r) => r.text);
    const validation = [
      ...fresh,
      train[5]!.text.toUpperCase(),
      train[6]!.text.replace('the', 'a'),
      `${train[7]!.text} Honestly.`,
    ];
    const labels = [...fresh.map(() => 'x'), train[5]!.label, 'other', train[7]!.label];
    const report = await compareSplits(
      records(
        train.map((r) => r.text),
        train.map((r) => r.label),
      ),
      records(validation, labels),
    );
    expect(report.trainRows).toBe(3000);
    expect(report.validationRows).toBe(503);
    expect(report.pairs.filter((p) => p.validationRow > 500)).toEqual([
      { validationRow: 501, trainRow: 6, kind: 'exact', similarity: 1, labelsDiffer: false },
      expect.objectContaining({ validationRow: 502, trainRow: 7, kind: 'near', labelsDiffer: true }),
      expect.objectContaining({ validationRow: 503, trainRow: 8, kind: 'near', labelsDiffer: false }),
    ]);
    expect(report.exact + report.near).toBeLessThan(3 + 5);
    expect(report.overlapShare).toBeCloseTo((report.exact + report.near) / 503, 3);
  });

  it('lists at most maxListed pairs but counts them all', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `row number ${i} with some shared words for padding`);
    const report = await compareSplits(records(texts), records(texts), { maxListed: 5 });
    expect(report.exact).toBe(20);
    expect(report.pairs).toHaveLength(5);
    expect(report.omitted).toBe(15);
  });
});
