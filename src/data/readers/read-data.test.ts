import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/fixtures/deps/text-at.js';
import { BulwarkError } from '../../core/errors.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { identityOf } from '../../core/scan/file-kinds.js';
import type { ByteSource } from '../../core/scan/types.js';
import {
  DATA_FORMATS,
  dataUnitBatches,
  dataUnits,
  detectDataFormat,
  readColumns,
  readTable,
} from './read-data.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const source = (text: string): ByteSource => bytesSource(utf8(text));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const parquet = new Uint8Array(
  parquetWriteBuffer({
    columnData: [
      { name: 'text', data: ['hello ada@example.com', 'bye'], type: 'STRING' },
      { name: 'label', data: ['pos', 'neg'], type: 'STRING' },
    ],
  }),
);

const samples = {
  text: 'Just some prose, with a comma.\nAnd a second line.\n',
  csv: 'text,label\n"hello ada@example.com",pos\nbye,neg\n',
  tsv: 'text\tlabel\nhello ada@example.com\tpos\nbye\tneg\n',
  jsonl: '{"text":"hello ada@example.com","label":"pos"}\n{"text":"bye","label":"neg"}\n',
  json: '[{"text":"hello ada@example.com","label":"pos"},\n {"text":"bye","label":"neg"}]\n',
} as const;

describe('detectDataFormat', () => {
  it('tells each format from its content', async () => {
    for (const [format, text] of Object.entries(samples))
      expect(await detectDataFormat(source(text))).toBe(format);
    expect(await detectDataFormat(bytesSource(parquet))).toBe('parquet');
    expect(await detectDataFormat(source('a|b|c\n1|2|3\n4|5|6\n'))).toBe('csv');
    expect(await detectDataFormat(source('{"a":\n 1}\n'))).toBe('json');
    expect(await detectDataFormat(source(''))).toBe('text');
  });

  it('follows the scan framework identity when it names a data format', async () => {
    expect(await detectDataFormat(source(samples.csv), identityOf('text'))).toBe('text');
    expect(await detectDataFormat(source('{"cells":[]}'), identityOf('notebook'))).toBe('json');
    expect(await detectDataFormat(source(samples.csv), identityOf('binary'))).toBe('csv');
  });

  it('reads a UTF-16 CSV as CSV', async () => {
    const text = samples.csv;
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++)
      new DataView(bytes.buffer).setUint16(2 + 2 * i, text.charCodeAt(i), true);
    expect(await detectDataFormat(bytesSource(bytes))).toBe('csv');
    expect((await collect(dataUnits(bytesSource(bytes))))[0]).toEqual({
      kind: 'cell',
      text: 'hello ada@example.com',
      row: 1,
      field: 'text',
    });
  });
});

describe('dataUnits', () => {
  it('gives located units for every format', async () => {
    const email = 'hello ada@example.com';
    expect((await collect(dataUnits(source(samples.text))))[0]).toEqual({
      kind: 'text',
      text: 'Just some prose, with a comma.',
      line: 1,
      column: 1,
    });
    for (const format of ['csv', 'tsv'] as const) {
      expect((await collect(dataUnits(source(samples[format]))))[0]).toEqual({
        kind: 'cell',
        text: email,
        row: 1,
        field: 'text',
      });
    }
    expect((await collect(dataUnits(source(samples.jsonl))))[0]).toEqual({
      kind: 'cell',
      text: email,
      row: 1,
      field: '$.text',
    });
    expect((await collect(dataUnits(source(samples.json))))[3]).toEqual({
      kind: 'cell',
      text: 'neg',
      row: 2,
      field: '$.label',
    });
    expect((await collect(dataUnits(bytesSource(parquet))))[0]).toEqual({
      kind: 'cell',
      text: email,
      row: 1,
      field: 'text',
    });
  });

  it('yields overlapping multi-line windows for text when asked', async () => {
    const text = `${'x'.repeat(50)}\n`.repeat(100);
    const windows = await collect(
      dataUnits(source(text), { textMode: 'windows', text: { windowSize: 1000, overlap: 100 } }),
    );
    expect(windows.length).toBeGreaterThan(5);
    expect(windows[1]).toMatchObject({ kind: 'text', line: 18, column: 34 });
  });

  it('batches units without changing them', async () => {
    for (const text of Object.values(samples)) {
      const flat = (await collect(dataUnitBatches(source(text)))).flat();
      expect(flat).toEqual(await collect(dataUnits(source(text))));
    }
  });

  it('never throws anything but a BulwarkError on random bytes, whatever the format', async () => {
    const random = seededRandom(1234);
    for (let round = 0; round < 200; round++) {
      const bytes = new Uint8Array(Math.floor(random() * 3000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      if (round % 3 === 0) bytes.set(utf8('{"a":['));
      if (round % 5 === 0) bytes.set(utf8('PAR1'));
      for (const format of [undefined, ...DATA_FORMATS]) {
        try {
          for await (const batch of dataUnitBatches(bytesSource(bytes), {
            format,
            textMode: round % 2 ? 'windows' : 'lines',
          })) {
            expect(Array.isArray(batch)).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(BulwarkError);
        }
      }
    }
  });

  it('turns a failing source into one INPUT_UNREADABLE fault', async () => {
    const failing: ByteSource = { size: 100, read: () => Promise.reject(new Error('EIO')) };
    for (const format of DATA_FORMATS) {
      await expect(collect(dataUnits(failing, { format }))).rejects.toMatchObject({
        code: 'INPUT_UNREADABLE',
      });
    }
  });
});

describe('readTable and readColumns', () => {
  it('gives the same records for the same data in every format', async () => {
    const expected = [
      { row: 1, record: { text: 'hello ada@example.com', label: 'pos' } },
      { row: 2, record: { text: 'bye', label: 'neg' } },
    ];
    const inputs = [...Object.entries(samples).filter(([f]) => f !== 'text'), ['parquet', parquet] as const];
    for (const [, input] of inputs) {
      const rows = await collect(readTable(typeof input === 'string' ? source(input) : bytesSource(input)));
      expect(rows.map((r) => ({ row: r.row, record: { ...r.record } }))).toEqual(expected);
    }
    const lines = await collect(readTable(source('first\n\nthird\n')));
    expect(lines.map((r) => [r.row, r.record['text']])).toEqual([
      [1, 'first'],
      [3, 'third'],
    ]);
  });

  it('projects columns and names the known ones when one is missing', async () => {
    expect(await collect(readColumns(source(samples.jsonl), ['label', 'text']))).toEqual([
      { row: 1, values: ['pos', 'hello ada@example.com'] },
      { row: 2, values: ['neg', 'bye'] },
    ]);
    await expect(collect(readColumns(source(samples.csv), ['sentiment']))).rejects.toThrow(
      /no column sentiment in the data; columns: text, label/,
    );
  });
});
