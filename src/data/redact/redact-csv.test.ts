import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { redactCsv } from './redact-csv.js';
import { redactData } from './redact-data.js';
import { memorySink, redactBytes, rescan, testAnalyzer, unredactBytes } from './redact.test-support.js';
import { Redactor } from './redactor.js';
import { openTextInput, TextOutput } from './text-io.js';

const EMAIL = 'jane.doe@acme-corp.io';
const OTHER = 'bob.stone@acme-corp.io';
const PHONE = '+1 415-555-2671';

/** Quoted cells with delimiters, line breaks and doubled quotes around the values. */
const CSV = [
  'id,contact,note,phone',
  `1,${EMAIL},"plain, with a comma",${PHONE}`,
  `2,"""${OTHER}"", quoted","line one\r\nline two: ${EMAIL}",n/a`,
  '',
  `3,"${OTHER}","say ""hi"" to ${PHONE}, please",`,
  `4,,"tail ${EMAIL}"`,
].join('\r\n');

function rows(text: string): string[][] {
  const parsed: string[][] = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    relax_quotes: true,
  });
  return parsed;
}

describe('redacting CSV', () => {
  it('replaces values inside quoted and unquoted cells and keeps the rest byte for byte', async () => {
    const { text, result } = await redactBytes(CSV, { operator: 'replace' }, { format: 'csv' });
    const expected = CSV.replaceAll(EMAIL, '<EMAIL_ADDRESS>')
      .replaceAll(OTHER, '<EMAIL_ADDRESS>')
      .replaceAll(PHONE, '<PHONE_NUMBER>');
    expect(text).toBe(expected);
    expect(result.unit).toBe('cell');
    expect(result.counts.byEntity).toEqual({ EMAIL_ADDRESS: 5, PHONE_NUMBER: 2 });
    expect(rows(text)).toHaveLength(5);
  });

  it('quotes a cell when the replacement needs it, so the row still parses', async () => {
    const replacement = 'x, "{entity}"\nredacted';
    const { text } = await redactBytes(CSV, { operator: 'replace', replacement }, { format: 'csv' });
    const before = rows(CSV);
    const after = rows(text);
    expect(after).toHaveLength(before.length);
    const filled = replacement.replaceAll('{entity}', 'EMAIL_ADDRESS');
    expect(after[1]?.[1]).toBe(filled);
    expect(after[2]?.[1]).toBe(`"${filled}", quoted`);
    expect(after[2]?.[2]).toBe(`line one\r\nline two: ${filled}`);
    expect(after.map((row) => row.length)).toEqual(before.map((row) => row.length));
  });

  it.each(['mask', 'replace', 'hash'] as const)('leaves nothing a re-scan finds (%s)', async (operator) => {
    expect(await rescan(new TextEncoder().encode(CSV), 'csv')).not.toEqual([]);
    const { bytes } = await redactBytes(CSV, { operator }, { format: 'csv' });
    expect(await rescan(bytes, 'csv')).toEqual([]);
  });

  it('restores the exact file from encrypted tokens, at any read size', async () => {
    for (const chunkSize of [undefined, 1, 5, 17]) {
      const options = { format: 'csv' as const, ...(chunkSize === undefined ? {} : { chunkSize }) };
      const { bytes, text } = await redactBytes(CSV, {}, options);
      expect(text).not.toContain(EMAIL);
      const back = await unredactBytes(bytes, undefined, options);
      expect(Buffer.from(back.bytes).toString()).toBe(CSV);
      expect(back.result.counts.tokens).toBe(7);
    }
  });

  it('leaves the header alone and uses column names as context', async () => {
    const input = 'id,dob,created,contact jane.doe@acme-corp.io\n1,1985-03-14,1985-03-14,x\n';
    const { text } = await redactBytes(input, { operator: 'replace' }, { format: 'csv', header: 'present' });
    expect(text).toBe('id,dob,created,contact jane.doe@acme-corp.io\n1,<DATE_OF_BIRTH>,1985-03-14,x\n');
  });

  it('reads TSV with tabs', async () => {
    const input = `id\temail\tnote\n1\t${EMAIL}\t"a\tb"\n`;
    const { text } = await redactBytes(
      input,
      { operator: 'replace', replacement: 'a\tb' },
      { format: 'tsv' },
    );
    expect(text).toBe('id\temail\tnote\n1\t"a\tb"\t"a\tb"\n');
  });

  it('redacts a record the reader would skip (text after a closing quote) as plain text', async () => {
    const input = `id,contact\n1,"${EMAIL}"junk\n2,${OTHER}\n`;
    const { text, result } = await redactBytes(input, { operator: 'replace' }, { format: 'csv' });
    expect(text).toBe('id,contact\n1,"<EMAIL_ADDRESS>"junk\n2,<EMAIL_ADDRESS>\n');
    expect(result.counts.malformed).toBe(1);
    const sealed = await redactBytes(input, {}, { format: 'csv' });
    expect(Buffer.from((await unredactBytes(sealed.bytes)).bytes).toString()).toBe(input);
  });

  it('stops at a record longer than the limit (an unbalanced quote)', async () => {
    const source = bytesSource(new TextEncoder().encode(`id,note\n1,"never closed ${'x'.repeat(100)}`));
    const input = await openTextInput(source, 16);
    const redactor = new Redactor({ analyzer: testAnalyzer() });
    const options = { delimiter: ',', hasHeader: true, maxRecordLength: 50 };
    await expect(
      redactCsv(input, new TextOutput(memorySink(), input.codec), redactor, options),
    ).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
    // Within the limit the open quote runs to the end of the file: that record is redacted as text.
    const done = await redactData(source, memorySink(), {
      policy: { analyzer: testAnalyzer() },
      format: 'csv',
    });
    expect(done.counts.malformed).toBe(1);
  });
});
