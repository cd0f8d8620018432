import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { findDuplicates } from './near-duplicates.js';
import type { DataRecord } from './records.js';
import { generateReviews } from './synthetic-reviews.test-support.js';

const rows = (texts: string[]): DataRecord[] => texts.map((text, i) => ({ row: i + 1, text }));

describe('findDuplicates', () => {
  it('groups texts that are equal after NFKC, case folding and whitespace collapse', async () => {
    const report = await findDuplicates(
      rows([
        'Hello World, again',
        'something else entirely',
        'hello   world, AGAIN ',
        'ＨＥＬＬＯ World, again',
      ]),
    );
    expect(report.exact).toEqual([
      { kind: 'exact', rows: [1, 3, 4], labels: [null, null, null], similarity: 1 },
    ]);
    expect(report.near).toEqual([]);
    expect(report.duplicateRows).toBe(2);
  });

  it('groups near duplicates and leaves distinct texts alone', async () => {
    const texts = generateReviews(2000, 3).map((r) => r.text);
    const source = texts[10]!;
    texts.push(source.replace(/,/gu, ' ;'), `${source} Really.`);
    const report = await findDuplicates(rows(texts));
    const group = report.near.find((g) => g.rows.includes(11));
    expect(group?.rows).toEqual(expect.arrayContaining([11, 2001, 2002]));
    expect(group?.similarity).toBeGreaterThanOrEqual(0.8);
    // Clean generated reviews are not near duplicates of one another.
    const stray = report.near.flatMap((g) => g.rows).filter((row) => ![11, 2001, 2002].includes(row));
    expect(stray.length).toBeLessThan(10);
  });

  it('chains a large bucket of boilerplate into one group in linear work', async () => {
    const texts = Array.from(
      { length: 3000 },
      (_, i) => `Terms of service version ${i}: by using this site you agree to all terms.`,
    );
    const report = await findDuplicates(rows(texts));
    const largest = Math.max(...report.near.map((g) => g.rows.length));
    expect(largest).toBeGreaterThan(2900);
  });

  it('compares whole rows of tables without a text column, and carries labels', async () => {
    const records: DataRecord[] = [
      { row: 1, fields: { a: '1', b: 'x' }, label: 'cat' },
      { row: 2, fields: { b: 'x', a: '1' }, label: 'dog' },
      { row: 3, fields: { a: '2', b: 'x' }, label: 'cat' },
    ];
    const report = await findDuplicates(records);
    expect(report.exact).toEqual([{ kind: 'exact', rows: [1, 2], labels: ['cat', 'dog'], similarity: 1 }]);
  });

  it('reads async iterables and skips empty texts', async () => {
    async function* source(): AsyncGenerator<DataRecord> {
      yield await Promise.resolve({ row: 1, text: 'same words here' });
      yield { row: 2, text: '   ' };
      yield { row: 3, text: 'Same words here' };
    }
    const report = await findDuplicates(source());
    expect(report.textRows).toBe(2);
    expect(report.exact[0]?.rows).toEqual([1, 3]);
  });

  it('stops with INPUT_INVALID on a malformed record', async () => {
    for (const bad of [{ row: 'x' }, { row: 1, text: 3 }, { row: 1, fields: { a: 1 } }, null]) {
      const error = await findDuplicates([bad as unknown as DataRecord]).catch((e: unknown) => e);
      expect(isBulwarkError(error) && error.code).toBe('INPUT_INVALID');
    }
  });
});
