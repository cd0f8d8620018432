import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { normalizeText, recordsFromTable, type DataRecord } from './records.js';

async function collect(source: AsyncIterable<DataRecord>): Promise<DataRecord[]> {
  const out: DataRecord[] = [];
  for await (const record of source) out.push(record);
  return out;
}

describe('normalizeText', () => {
  it('folds compatibility forms and case, and collapses whitespace', () => {
    expect(normalizeText('  ＡＢＣ\tdef\u00A0 ghi\n')).toBe('abc def ghi');
    expect(normalizeText('ﬁne café')).toBe('fine café');
    expect(normalizeText('plain words')).toBe('plain words');
  });
});

describe('recordsFromTable', () => {
  it('maps the text and label columns and keeps the other cells as fields', async () => {
    const rows = [
      { row: 1, record: { id: '7', review: 'Nice', sentiment: 'pos' } },
      { row: 2, record: { id: '8', review: 'Bad', sentiment: '' } },
    ];
    expect(await collect(recordsFromTable(rows, { text: 'review', label: 'sentiment' }))).toEqual([
      { row: 1, text: 'Nice', label: 'pos', fields: { id: '7' } },
      { row: 2, text: 'Bad', fields: { id: '8' } },
    ]);
  });

  it('names a missing column and the columns there are', async () => {
    const error = await collect(recordsFromTable([{ row: 1, record: { a: 'x' } }], { text: 'txt' })).catch(
      (e: unknown) => e,
    );
    expect(isBulwarkError(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toBe('no column txt in the data; columns: a');
  });
});
