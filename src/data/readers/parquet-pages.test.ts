import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../core/errors.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { readParquetUnits } from './parquet-reader.js';

/** A three-row file with one optional INT64 column, and where its first page body starts. */
function oneColumn(codec: 'SNAPPY' | 'UNCOMPRESSED'): { bytes: Uint8Array; body: number } {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'card', data: [4111111111111111n, 5500000000000004n, 340000000000009n], type: 'INT64' },
    ],
    codec,
  });
  const meta = parquetMetadata(buffer).row_groups[0]?.columns[0]?.meta_data;
  if (meta === undefined) throw new Error('no column chunk');
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const reader = { view: new DataView(buffer, start), offset: 0 };
  const header = parquetHeader(reader);
  expect(header.type).toBe('DATA_PAGE_V2');
  expect(header.data_page_header_v2?.definition_levels_byte_length).toBe(2);
  return { bytes: new Uint8Array(buffer), body: start + reader.offset };
}

async function faultOf(bytes: Uint8Array): Promise<{ error: BulwarkError; ms: number }> {
  const started = performance.now();
  try {
    for await (const _ of readParquetUnits(bytesSource(bytes))) void _;
  } catch (error) {
    expect(error).toBeInstanceOf(BulwarkError);
    return { error: error as BulwarkError, ms: performance.now() - started };
  }
  return expect.fail('expected a BulwarkError');
}

describe('checkColumnPages', () => {
  it('reads the untouched files', async () => {
    for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
      const { bytes } = oneColumn(codec);
      const cells = [];
      for await (const cell of readParquetUnits(bytesSource(bytes))) cells.push(cell);
      expect(cells.map((c) => c.text)).toEqual(['4111111111111111', '5500000000000004', '340000000000009']);
    }
  });

  it('rejects a definition-level run longer than its page before hyparquet writes it out', async () => {
    const { bytes, body } = oneColumn('UNCOMPRESSED');
    expect([bytes[body], bytes[body + 1]]).toEqual([3, 7]); // one bit-packed group: levels 1, 1, 1
    bytes.set([0xfe, 0x7f], body); // a run of 8191
    const { error } = await faultOf(bytes);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toMatch(/run of 8191 values where 3 are left/);
  });

  it('rejects a snappy literal whose corrupt length hyparquet would read as negative, at once', async () => {
    const { bytes, body } = oneColumn('SNAPPY');
    const values = body + 2;
    expect([bytes[values], bytes[values + 1]]).toEqual([24, 0x5c]); // 24 bytes, one 24-byte literal
    bytes.set([0xfc, 0xc7, 0xf1, 0x68, 0xa5], values + 1);
    const { error, ms } = await faultOf(bytes);
    expect(error.message).toMatch(/does not decompress: a literal runs past the input/);
    expect(ms).toBeLessThan(1000);
  });

  it('rejects a page that claims more values than the limit allows', async () => {
    const { bytes } = oneColumn('UNCOMPRESSED');
    let error: unknown;
    try {
      for await (const _ of readParquetUnits(bytesSource(bytes), { pageLimits: { maxPageValues: 2 } }))
        void _;
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BulwarkError);
    expect((error as BulwarkError).code).toBe('LIMIT_EXCEEDED');
    expect((error as BulwarkError).message).toMatch(/declares 3 values/);
  });
});
