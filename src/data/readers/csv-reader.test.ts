import { parse as parseSync } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { DataUnit } from '../types.js';
import { readCsvTable, readCsvUnits, type CsvReadOptions } from './csv-reader.js';
import type { ReadIssue } from './read-issues.js';
import { hasHeaderRow, sniffDelimiter } from './table-sniff.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function cellsOf(
  text: string | Uint8Array,
  options: CsvReadOptions = {},
): Promise<{ cells: DataUnit[]; issues: ReadIssue[] }> {
  const issues: ReadIssue[] = [];
  const bytes = typeof text === 'string' ? utf8(text) : text;
  const cells = await collect(
    readCsvUnits(bytesSource(bytes), { ...options, onIssue: (i) => issues.push(i) }),
  );
  return { cells, issues };
}

/** A CSV of `rows` fixed-width rows generated on demand, so the test itself holds no copy of it. */
function generatedCsv(rows: number): { source: ByteSource; rowText: (i: number) => string } {
  const header = 'id,email,note,card\n';
  const rowText = (i: number): string =>
    `${String(i).padStart(9, '0')},user${String(i % 1000).padStart(4, '0')}@example.com,"note, with ""quotes"" ${String(i % 97).padStart(2, '0')}",4111111111111111\n`;
  const width = rowText(0).length;
  const size = header.length + rows * width;
  const encoder = new TextEncoder();
  return {
    rowText,
    source: {
      size,
      read(offset: number, length: number): Promise<Uint8Array> {
        const end = Math.min(size, offset + length);
        let text = '';
        let at = offset;
        if (at < header.length) {
          text += header.slice(at, Math.min(end, header.length));
          at = header.length;
        }
        for (let row = Math.floor((at - header.length) / width); at < end; row++) {
          const line = rowText(row);
          const from = at - (header.length + row * width);
          const piece = line.slice(from, Math.min(line.length, from + end - at));
          text += piece;
          at += piece.length;
        }
        return Promise.resolve(encoder.encode(text));
      },
    },
  };
}

describe('readCsvUnits', () => {
  it('gives each non-empty cell with its 1-based data row and column name', async () => {
    const { cells, issues } = await cellsOf(
      'name,email,phone\nAda,ada@example.com,\n"Lovelace, A","multi\nline",+44 20 7946 0958\n',
    );
    expect(cells).toEqual([
      { kind: 'cell', text: 'Ada', row: 1, field: 'name' },
      { kind: 'cell', text: 'ada@example.com', row: 1, field: 'email' },
      { kind: 'cell', text: 'Lovelace, A', row: 2, field: 'name' },
      { kind: 'cell', text: 'multi\nline', row: 2, field: 'email' },
      { kind: 'cell', text: '+44 20 7946 0958', row: 2, field: 'phone' },
    ]);
    expect(issues).toEqual([]);
  });

  it('names the columns column_N when the first row is data, and says so', async () => {
    const { cells, issues } = await cellsOf('1,4111111111111111,2024-01-02\n2,5500000000000004,2024-02-03\n');
    expect(cells.slice(0, 3)).toEqual([
      { kind: 'cell', text: '1', row: 1, field: 'column_1' },
      { kind: 'cell', text: '4111111111111111', row: 1, field: 'column_2' },
      { kind: 'cell', text: '2024-01-02', row: 1, field: 'column_3' },
    ]);
    expect(cells).toHaveLength(6);
    expect(issues.map((i) => i.kind)).toEqual(['generated-header']);
  });

  it('keeps a header of names over numeric data, and can be told either way', async () => {
    const text = 'id,amount\n1,20.5\n2,30\n';
    expect((await cellsOf(text)).cells[0]).toEqual({ kind: 'cell', text: '1', row: 1, field: 'id' });
    expect((await cellsOf(text, { header: 'absent' })).cells[0]).toEqual({
      kind: 'cell',
      text: 'id',
      row: 1,
      field: 'column_1',
    });
    expect((await cellsOf('1,2\n3,4\n', { header: 'present' })).cells[0]).toEqual({
      kind: 'cell',
      text: '3',
      row: 1,
      field: '1',
    });
  });

  it('tolerates ragged rows, names extra fields and reports them', async () => {
    const { cells, issues } = await cellsOf('a,b\n1,2,extra\n3\n4,5\n');
    expect(cells).toContainEqual({ kind: 'cell', text: 'extra', row: 1, field: 'column_3' });
    expect(cells).toContainEqual({ kind: 'cell', text: '5', row: 3, field: 'b' });
    expect(issues.filter((i) => i.kind === 'ragged-row').map((i) => i.row)).toEqual([1, 2]);
  });

  it('sniffs semicolon, tab and pipe delimiters and drops a BOM', async () => {
    for (const delimiter of [';', '\t', '|']) {
      const text = `\ufeffname${delimiter}city\nAda${delimiter}London\nAlan${delimiter}Wilmslow\n`;
      const { cells } = await cellsOf(text);
      expect(cells[0]).toEqual({ kind: 'cell', text: 'Ada', row: 1, field: 'name' });
      expect(cells[3]).toEqual({ kind: 'cell', text: 'Wilmslow', row: 2, field: 'city' });
    }
  });

  it('reads CRLF files and UTF-16LE exports (Excel "Unicode text")', async () => {
    const text = 'name\tnote\r\nZoë\t"a\r\nb"\r\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++)
      new DataView(bytes.buffer).setUint16(2 + 2 * i, text.charCodeAt(i), true);
    for (const input of [utf8(text), bytes]) {
      const { cells } = await cellsOf(input);
      expect(cells).toEqual([
        { kind: 'cell', text: 'Zoë', row: 1, field: 'name' },
        { kind: 'cell', text: 'a\r\nb', row: 1, field: 'note' },
      ]);
    }
  });

  it('renames empty and duplicate header names', async () => {
    const { cells, issues } = await cellsOf(',name,name\nx,y,z\n');
    expect(cells.map((c) => (c.kind === 'cell' ? c.field : ''))).toEqual(['column_1', 'name', 'name_2']);
    expect(issues.filter((i) => i.kind === 'renamed-header')).toHaveLength(2);
  });

  it('stops cleanly at an unbalanced quote that would swallow the file, keeping the rows before', async () => {
    const text = `a,b\n1,x\n2,"unclosed\n${'3,filler\n'.repeat(2000)}`;
    const { cells, issues } = await cellsOf(text, { maxRecordBytes: 1024, chunkSize: 256 });
    expect(cells.slice(0, 2)).toEqual([
      { kind: 'cell', text: '1', row: 1, field: 'a' },
      { kind: 'cell', text: 'x', row: 1, field: 'b' },
    ]);
    expect(issues.map((i) => i.kind)).toContain('malformed-record');
  });

  it('cuts an oversized cell and reports it', async () => {
    const { cells, issues } = await cellsOf(`a\n${'x'.repeat(100)}\n`, { maxCellLength: 10 });
    expect(cells).toEqual([{ kind: 'cell', text: 'x'.repeat(10), row: 1, field: 'a' }]);
    expect(issues.map((i) => i.kind)).toEqual(['truncated-value']);
  });

  it('reports at most 20 issues of a kind, then one count', async () => {
    const { issues } = await cellsOf(`a,b\n${'1\n'.repeat(50)}`);
    expect(issues.filter((i) => i.kind === 'ragged-row')).toHaveLength(20);
    expect(issues.at(-1)).toMatchObject({ kind: 'suppressed', count: 30, suppressedKind: 'ragged-row' });
  });

  // Bounded memory: a 50 MB CSV, generated on demand, streams without the heap growing with it.
  it('streams a 50 MB CSV in bounded memory (heap growth < 64 MB)', async () => {
    const rows = 50 * 1024 * 1024;
    const { source, rowText } = generatedCsv(Math.floor(rows / generatedCsv(0).rowText(0).length));
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let count = 0;
    let last: DataUnit | undefined;
    for await (const cell of readCsvUnits(source)) {
      if (++count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      last = cell;
    }
    const total = Math.floor(rows / rowText(0).length);
    expect(source.size).toBeGreaterThanOrEqual(50 * 1024 * 1024 - rowText(0).length);
    expect(count).toBe(total * 4);
    expect(last).toEqual({ kind: 'cell', text: '4111111111111111', row: total, field: 'card' });
    expect(peak - baseline).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('readCsvTable', () => {
  it('yields records keyed by column, with missing fields empty', async () => {
    const rows = await collect(readCsvTable(bytesSource(utf8('text,label\n"good, really",1\nbad\n'))));
    expect(rows.map((r) => ({ row: r.row, record: { ...r.record } }))).toEqual([
      { row: 1, record: { text: 'good, really', label: '1' } },
      { row: 2, record: { text: 'bad', label: '' } },
    ]);
  });
});

describe('table sniffing', () => {
  it('finds the consistent delimiter and leaves prose alone', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n4,5,6\n', true)).toBe(',');
    expect(sniffDelimiter('a;b\n"x;y";2\n3;4\n', true)).toBe(';');
    expect(sniffDelimiter('Hello, world.\nNothing here.\n', true)).toBeUndefined();
  });

  it('tells header rows from data rows', () => {
    expect(
      hasHeaderRow([
        ['id', 'amount'],
        ['1', '2.5'],
      ]),
    ).toBe(true);
    expect(
      hasHeaderRow([
        ['1', '2.5'],
        ['2', '3'],
      ]),
    ).toBe(false);
    expect(
      hasHeaderRow([
        ['name', 'email'],
        ['Ada', 'ada@example.com'],
      ]),
    ).toBe(true);
    expect(
      hasHeaderRow([
        ['Ada', '42'],
        ['Alan', '41'],
      ]),
    ).toBe(false);
  });
});

describe('the quote-free shortcut', () => {
  const OPTIONS = {
    delimiter: ',',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: 16 * 1024 * 1024,
  };

  /** What the reader must yield: csv-parse's records of the whole file, shaped as table rows. */
  function expectedRows(bytes: Uint8Array): { row: number; record: Record<string, string> }[] {
    const records = parseSync(Buffer.from(bytes), OPTIONS);
    let width = 0;
    return records.map((values, i) => {
      width = Math.max(width, values.length);
      const record: Record<string, string> = {};
      for (let j = 0; j < width; j++) record[`column_${j + 1}`] = values[j] ?? '';
      return { row: i + 1, record };
    });
  }

  /** Random CSV-like bytes: mostly plain lines, some quoted fields, every line break, odd UTF-8. */
  function randomCsv(random: () => number, quoteRate: number): Uint8Array {
    const pieces = ['a', 'bc', 'é', '😀', ' ', ',', ',', ',', '', '1', ';', '\t'];
    const breaks = ['\n', '\n', '\r\n', '\r', '\n\n', '\r\r\n'];
    const quoted = ['"', '""', '"a,b"', '"x\ny"', '"q""q"', '"open', 'mid"dle', '"a"b', '" "'];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const parts: (string | Uint8Array)[] = [];
    const lines = 1 + Math.floor(random() * 12);
    for (let line = 0; line < lines; line++) {
      const length = Math.floor(random() * 8);
      for (let i = 0; i < length; i++) {
        if (random() < quoteRate) parts.push(pick(quoted));
        else if (random() < 0.03) parts.push(new Uint8Array([pick([0x80, 0xc3, 0xe2, 0xed, 0xff])]));
        else parts.push(pick(pieces));
      }
      if (line < lines - 1 || random() < 0.5) parts.push(pick(breaks));
    }
    const chunks = parts.map((p) => (typeof p === 'string' ? utf8(p) : p));
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  it('reads every file as csv-parse does, whole or in tiny chunks (2,000 random files)', async () => {
    const random = seededRandom(20_241);
    for (let i = 0; i < 2000; i++) {
      const bytes = randomCsv(random, i % 4 === 0 ? 0.3 : 0.02);
      const expected = expectedRows(bytes);
      for (const chunkSize of [1 + Math.floor(random() * 9), 1024 * 1024]) {
        const rows = await collect(
          readCsvTable(bytesSource(bytes), { delimiter: ',', header: 'absent', chunkSize }),
        );
        const actual = rows.map((r) => ({ row: r.row, record: { ...r.record } }));
        expect(
          actual,
          `${JSON.stringify(Buffer.from(bytes).toString('latin1'))} in ${chunkSize}-byte chunks`,
        ).toEqual(expected);
      }
    }
  });

  it('hands a file to csv-parse from the start when a quote never closes, reporting it once', async () => {
    const text = `a,b\n${'1,plain\n'.repeat(300)}2,"never closed\n${'3,more\n'.repeat(5)}`;
    const { cells, issues } = await cellsOf(text);
    expect(cells.filter((c) => c.kind === 'cell' && c.field === 'b')).toHaveLength(300);
    expect(issues.filter((i) => i.kind === 'malformed-record')).toHaveLength(1);
  });
});
