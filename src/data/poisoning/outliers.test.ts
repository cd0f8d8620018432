import { describe, expect, it } from 'vitest';
import { findOutliers, measureText } from './outliers.js';
import type { DataRecord } from './records.js';
import { generateReviews, seededRandom } from './synthetic-reviews.test-support.js';

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('findOutliers', () => {
  it('flags extreme numeric values by z-score and IQR and leaves the bulk alone', async () => {
    const random = seededRandom(1);
    const records: DataRecord[] = Array.from({ length: 5000 }, (_, i) => ({
      row: i + 1,
      fields: { amount: (100 + 15 * normal(random)).toFixed(2), id: String(i), name: `n${i}` },
    }));
    records[99] = { row: 100, fields: { amount: '100000', id: '99', name: 'x' } };
    records[199] = { row: 200, fields: { amount: '-400', id: '199', name: 'y' } };
    const report = await findOutliers(records, { excludeFields: ['id'] });
    const amount = report.outliers.filter((o) => o.field === 'amount');
    expect(amount.map((o) => o.row).sort((a, b) => a - b)).toEqual([100, 200]);
    expect(amount.find((o) => o.row === 100)?.methods).toEqual(['z-score', 'iqr']);
    const column = report.columns.find((c) => c.field === 'amount');
    expect(column).toMatchObject({ metric: 'value', outliers: 2, atLeast: false, count: 5000 });
    expect(column?.median).toBeGreaterThan(95);
    expect(column?.median).toBeLessThan(105);
    // Non-numeric and excluded columns are not checked.
    expect(report.columns.map((c) => c.field)).not.toContain('name');
    expect(report.columns.map((c) => c.field)).not.toContain('id');
  });

  it('flags texts whose length or character mix is far from the rest', async () => {
    const records: DataRecord[] = generateReviews(3000, 2).map((r, i) => ({ row: i + 1, text: r.text }));
    records.push({
      row: 3001,
      text: 'QmFzZTY0IHBheWxvYWQ6IDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTA=',
    });
    records.push({ row: 3002, text: 'Это совершенно другой язык и совсем другой алфавит для этих данных' });
    records.push({
      row: 3003,
      text: '4929 1234 5678 9012 / 4532 8812 0034 5567 / 30569309025904 / 5105105105105100',
    });
    records.push({ row: 3004, text: 'ok' });
    const report = await findOutliers(records);
    const byRow = new Map<number, string[]>();
    for (const o of report.outliers) byRow.set(o.row, [...(byRow.get(o.row) ?? []), o.metric]);
    expect(byRow.get(3002)).toContain('non-latin-ratio');
    expect(byRow.get(3003)).toContain('digit-ratio');
    expect(byRow.get(3004)).toEqual(['length']);
    expect(report.outliers.find((o) => o.row === 3004)?.value).toBe(2);
    expect([...byRow.keys()].filter((row) => row <= 3000)).toEqual([]);
  });

  it('does not call the rare value of a flag column an outlier', async () => {
    const records: DataRecord[] = Array.from({ length: 1000 }, (_, i) => ({
      row: i + 1,
      fields: { flag: i % 100 === 0 ? '1' : '0' },
    }));
    const report = await findOutliers(records);
    expect(report.outliers).toEqual([]);
  });

  it('reports "at least" when every kept extreme is an outlier', async () => {
    const records: DataRecord[] = Array.from({ length: 3000 }, (_, i) => ({
      row: i + 1,
      fields: { v: String(i < 2500 ? 10 + (i % 50) : 1e6 + i) },
    }));
    const report = await findOutliers(records);
    const column = report.columns.find((c) => c.field === 'v');
    expect(column?.atLeast).toBe(true);
    expect(column?.outliers).toBe(200);
  });

  it('measures character classes among non-space characters', () => {
    const m = measureText('ab 12 !? Жж');
    expect(m['digit-ratio']).toBeCloseTo(2 / 8, 10);
    expect(m['symbol-ratio']).toBeCloseTo(2 / 8, 10);
    expect(m['non-latin-ratio']).toBeCloseTo(2 / 8, 10);
    expect(m.length).toBeCloseTo(Math.log1p(11), 10);
  });
});
