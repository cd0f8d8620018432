import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/fixtures/deps/text-at.js';
import { BulwarkError } from '../../core/errors.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { DataUnit } from '../types.js';
import { readParquetTable, readParquetUnits } from './parquet-reader.js';
import type { ReadIssue } from './read-issues.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function faultOf(run: () => Promise<unknown>): Promise<BulwarkError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(BulwarkError);
    return error as BulwarkError;
  }
  return expect.fail('expected a BulwarkError');
}

const names = ['Ada', 'Alan', null, 'Grace', 'Edsger', 'Barbara', null, 'Donald', 'Tony', 'Frances'];
const emails = names.map((name) => (name === null ? null : `${name.toLowerCase()}@example.com`));
const ages = names.map((_, i) => 30 + i);
const cards = names.map((_, i) => 4111111111111111n + BigInt(i) * 1_000_000_000_000_000n);

function peopleParquet(codec: 'SNAPPY' | 'UNCOMPRESSED'): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'name', data: names, type: 'STRING' },
      { name: 'email', data: emails, type: 'STRING' },
      { name: 'age', data: ages, type: 'INT32' },
      { name: 'card', data: cards, type: 'INT64' },
    ],
    rowGroupSize: 3,
    codec,
  });
  return new Uint8Array(buffer);
}

describe('readParquetUnits', () => {
  it('reads every non-null value with its 1-based row across row groups and its column', async () => {
    for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
      const cells = await collect(readParquetUnits(bytesSource(peopleParquet(codec))));
      const expected: DataUnit[] = [];
      for (let group = 0; group * 3 < names.length; group++) {
        const rows = names.map((_, i) => i).slice(group * 3, group * 3 + 3);
        for (const [field, values] of [
          ['name', names],
          ['email', emails],
          ['age', ages],
          ['card', cards],
        ] as const) {
          for (const i of rows) {
            const value = values[i];
            if (value !== null && value !== undefined)
              expected.push({ kind: 'cell', text: String(value), row: i + 1, field });
          }
        }
      }
      expect(cells).toEqual(expected);
      expect(cells).toContainEqual({ kind: 'cell', text: '13111111111111111', row: 10, field: 'card' });
    }
  });

  it('names the leaves of struct and list columns by their JSON path', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: [1, 2, 3] },
        { name: 'address', data: [{ city: 'Paris', zip: '75001' }, null, { city: 'Oslo', zip: null }] },
        { name: 'tags', data: [['vip', 'eu'], [], null] },
      ],
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'address', repetition_type: 'OPTIONAL', num_children: 2 },
        { name: 'city', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'zip', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ],
    });
    const cells = await collect(readParquetUnits(bytesSource(new Uint8Array(buffer))));
    expect(cells.filter((c) => c.kind === 'cell' && c.field !== 'id')).toEqual([
      { kind: 'cell', text: 'Paris', row: 1, field: '$.address.city' },
      { kind: 'cell', text: '75001', row: 1, field: '$.address.zip' },
      { kind: 'cell', text: 'Oslo', row: 3, field: '$.address.city' },
      { kind: 'cell', text: 'vip', row: 1, field: '$.tags[0]' },
      { kind: 'cell', text: 'eu', row: 1, field: '$.tags[1]' },
    ]);
    const rows = await collect(readParquetTable(bytesSource(new Uint8Array(buffer))));
    expect(rows.map((r) => ({ ...r.record }))).toEqual([
      { id: '1', 'address.city': 'Paris', 'address.zip': '75001', 'tags[0]': 'vip', 'tags[1]': 'eu' },
      { id: '2', address: '', tags: '' },
      { id: '3', 'address.city': 'Oslo', tags: '' },
    ]);
  });

  it('reads one column chunk at a time, never the whole file', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `row ${i} ${'lorem ipsum '.repeat(8)}`);
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'text', data: text, type: 'STRING' },
          { name: 'n', data: text.map((_, i) => i), type: 'INT32' },
        ],
        rowGroupSize: 2_000,
        codec: 'UNCOMPRESSED',
      }),
    );
    let largest = 0;
    const counting: ByteSource = {
      size: bytes.length,
      read(offset, length) {
        largest = Math.max(largest, length);
        return bytesSource(bytes).read(offset, length);
      },
    };
    let count = 0;
    let lastRow = 0;
    for await (const unit of readParquetUnits(counting)) {
      count++;
      if (unit.kind === 'cell') lastRow = Math.max(lastRow, unit.row);
    }
    expect(count).toBe(40_000);
    expect(lastRow).toBe(20_000);
    expect(largest).toBeLessThan(bytes.length / 5);
  });

  it('skips a column chunk above the limit and says so', async () => {
    const issues: ReadIssue[] = [];
    const cells = await collect(
      readParquetUnits(bytesSource(peopleParquet('UNCOMPRESSED')), {
        maxColumnChunkBytes: 1,
        onIssue: (issue) => issues.push(issue),
      }),
    );
    expect(cells).toEqual([]);
    expect(issues[0]?.kind).toBe('skipped-column');
  });

  it('turns a file that is not Parquet, or a broken one, into one clear fault', async () => {
    const valid = peopleParquet('SNAPPY');
    expect(
      await faultOf(() => collect(readParquetUnits(bytesSource(new TextEncoder().encode('a,b\n1,2\n'))))),
    ).toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(
      await faultOf(() => collect(readParquetUnits(bytesSource(valid.subarray(0, valid.length - 40))))),
    ).toMatchObject({
      code: 'INPUT_INVALID',
    });
    const hugeFooter = new Uint8Array(64);
    hugeFooter.set(new TextEncoder().encode('PAR1'));
    new DataView(hugeFooter.buffer).setUint32(56, 0xfffffff0, true);
    hugeFooter.set(new TextEncoder().encode('PAR1'), 60);
    expect(await faultOf(() => collect(readParquetUnits(bytesSource(hugeFooter))))).toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
  });

  it('never throws anything but a BulwarkError on corrupted files', async () => {
    const random = seededRandom(99);
    const valid = peopleParquet('SNAPPY');
    for (let round = 0; round < 300; round++) {
      const bytes = valid.slice();
      const flips = 1 + Math.floor(random() * 8);
      for (let k = 0; k < flips; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      try {
        await collect(readParquetUnits(bytesSource(bytes)));
      } catch (error) {
        expect(error).toBeInstanceOf(BulwarkError);
      }
    }
  });
});

describe('readParquetTable', () => {
  it('yields rows keyed by column with nulls as empty strings', async () => {
    const rows = await collect(readParquetTable(bytesSource(peopleParquet('SNAPPY'))));
    expect(rows).toHaveLength(10);
    expect({ row: rows[2]?.row, ...rows[2]?.record }).toEqual({
      row: 3,
      name: '',
      email: '',
      age: '32',
      card: '6111111111111111',
    });
  });
});
