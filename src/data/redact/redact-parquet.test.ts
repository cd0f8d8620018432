import { parquetMetadata, parquetReadObjects, type SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { OTHER_KEYS, redactBytes, rescan, unredactBytes } from './redact.test-support.js';

const ROWS = 8;
const names = ['Ada Lovelace', null, 'Grace Hopper', 'plain', 'Alan Turing', null, 'x', 'Edsger Dijkstra'];
const emails = names.map((name, i) => (name === null || i === 6 ? null : `user${i}@acme-corp.io`));
const cards = [4111111111111111n, 42n, null, 5500000000000004n, 7n, 8n, null, 9n];
const ages = [30, 31, null, 33, 34, 35, 36, 37];
const scores = [1.5, null, 2.25, -0, 1e300, 3, 4, 5];
const flags = [true, false, null, true, false, true, false, true];
const micros = [1_700_000_000_123_456n, null, 1n, 2n, 3n, 4n, 5n, 6n];
const blobs = [
  Uint8Array.from([0xff, 0x41]),
  null,
  new TextEncoder().encode('mail user2@acme-corp.io'),
  new Uint8Array(0),
  null,
  null,
  null,
  null,
];
const profiles = names.map((name, i) =>
  i % 3 === 0 ? null : { team: 'blue', contact: `c${i}@acme-corp.io`, note: name },
);
const tags = names.map((_, i) => (i % 2 === 0 ? [`t${i}`, `+1 415-555-267${i}`] : null));
const docs = names.map((_, i) =>
  i === 1 ? { to: 'doc@acme-corp.io', card: 4111111111111111, n: 3 } : i === 2 ? null : [i],
);
const ids = Array.from({ length: ROWS }, (_, i) => `id-${i}`);

const SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 12 },
  { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'email', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'card', type: 'INT64', repetition_type: 'OPTIONAL' },
  { name: 'age', type: 'INT32', repetition_type: 'OPTIONAL' },
  { name: 'score', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'flag', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
  { name: 'seen', type: 'INT64', converted_type: 'TIMESTAMP_MICROS', repetition_type: 'OPTIONAL' },
  { name: 'blob', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  { name: 'profile', repetition_type: 'OPTIONAL', num_children: 3 },
  { name: 'team', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'contact', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'note', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'doc', type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'OPTIONAL' },
];

function peopleParquet(): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ids },
        { name: 'name', data: names },
        { name: 'email', data: emails },
        { name: 'card', data: cards },
        { name: 'age', data: ages },
        { name: 'score', data: scores },
        { name: 'flag', data: flags },
        { name: 'seen', data: micros },
        { name: 'blob', data: blobs },
        { name: 'profile', data: profiles },
        { name: 'tags', data: tags },
        { name: 'doc', data: docs },
      ],
      schema: SCHEMA,
      rowGroupSize: 3,
      codec: 'UNCOMPRESSED',
      kvMetadata: [
        { key: 'origin', value: 'unit test' },
        { key: 'ARROW:schema', value: 'c2NoZW1h' },
      ],
    }),
  );
}

const rawTimes = { timestampFromMicroseconds: (v: bigint) => v };
const read = (bytes: Uint8Array, raw = false): Promise<Record<string, unknown>[]> =>
  parquetReadObjects({ file: bytes.slice().buffer, ...(raw ? { parsers: rawTimes, utf8: false } : {}) });

describe('redacting Parquet', () => {
  it('restores identical rows, types, row groups and metadata from encrypted tokens', async () => {
    const input = peopleParquet();
    const { bytes, result } = await redactBytes(input, {}, { format: 'parquet' });
    expect(result.convertedColumns).toEqual(['card']);
    const sealedRows = await read(bytes);
    expect(sealedRows[0]?.['email']).toMatch(/^<EMAIL_ADDRESS#enc1:/);
    expect(sealedRows[0]?.['card']).toMatch(/^<CREDIT_CARD#enc1:/);
    expect(sealedRows[1]?.['card']).toBe('42');
    expect(JSON.stringify(sealedRows)).not.toContain('acme-corp.io');
    const sealed = parquetMetadata(bytes.slice().buffer);
    expect(sealed.row_groups.map((group) => Number(group.num_rows))).toEqual([3, 3, 2]);
    expect(sealed.key_value_metadata?.map((entry) => entry.key)).toEqual(['origin', 'bulwark.redaction']);

    const back = await unredactBytes(bytes, undefined, { format: 'parquet' });
    expect(back.result.restoredColumns).toEqual(['card']);
    expect(await read(back.bytes)).toEqual(await read(input));
    expect(await read(back.bytes, true)).toEqual(await read(input, true));
    const original = parquetMetadata(input.slice().buffer);
    const restored = parquetMetadata(back.bytes.slice().buffer);
    expect(restored.schema).toEqual(original.schema);
    expect(restored.row_groups.map((group) => Number(group.num_rows))).toEqual([3, 3, 2]);
    expect(restored.row_groups[0]?.columns.map((c) => c.meta_data?.codec)).toEqual(
      original.row_groups[0]?.columns.map((c) => c.meta_data?.codec),
    );
    expect(restored.key_value_metadata).toEqual(original.key_value_metadata);
  });

  it.each(['mask', 'replace', 'hash'] as const)('leaves nothing a re-scan finds (%s)', async (operator) => {
    const input = peopleParquet();
    expect(await rescan(input, 'parquet')).not.toEqual([]);
    const { bytes, result } = await redactBytes(input, { operator }, { format: 'parquet' });
    expect(await rescan(bytes, 'parquet')).toEqual([]);
    expect(result.counts.byEntity).toMatchObject({ CREDIT_CARD: 3, EMAIL_ADDRESS: 12 });
    const rows = await read(bytes);
    expect(rows.map((row) => row['age'])).toEqual(ages);
    expect(rows.map((row) => row['id'])).toEqual(ids);
    expect(rows[1]?.['doc']).toMatchObject({ n: 3 });
  });

  it('masks a value in a place-name column so that even the column name does not give it away', async () => {
    const input = new Uint8Array(
      parquetWriteBuffer({ columnData: [{ name: 'city', data: ['Paris', 'Oslo', null], type: 'STRING' }] }),
    );
    expect(await rescan(input, 'parquet')).toEqual(['LOCATION: Paris', 'LOCATION: Oslo']);
    const { bytes } = await redactBytes(input, { operator: 'mask' }, { format: 'parquet' });
    expect((await read(bytes)).map((row) => row['city'])).toEqual(['*****', '****', null]);
    expect(await rescan(bytes, 'parquet')).toEqual([]);
  });

  it('keeps a column that was not all encrypted as strings when restoring', async () => {
    const input = peopleParquet();
    const { bytes } = await redactBytes(
      input,
      { operator: 'hash', entityOperators: { EMAIL_ADDRESS: 'encrypt' } },
      { format: 'parquet' },
    );
    const back = await unredactBytes(bytes, undefined, { format: 'parquet' });
    expect(back.result).toMatchObject({ restoredColumns: [], stringColumns: ['card'] });
    const rows = await read(back.bytes);
    expect(rows.map((row) => row['email'])).toEqual(emails);
    expect(rows[0]?.['card']).toMatch(/^<CREDIT_CARD#hmac:/);
  });

  it('fails on a wrong key or a changed token', async () => {
    const { bytes } = await redactBytes(peopleParquet(), {}, { format: 'parquet' });
    await expect(unredactBytes(bytes, OTHER_KEYS, { format: 'parquet' })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: expect.stringMatching(/row 1, .*wrong key/) as unknown,
    });
    const rows = await read(bytes);
    const changed = parquetWriteBuffer({
      columnData: [
        {
          name: 'email',
          data: rows.map(
            (row) =>
              (row['email'] as string | null)?.replace(
                /enc1:(.)/,
                (_all, c: string) => `enc1:${c === 'a' ? 'b' : 'a'}`,
              ) ?? null,
          ),
          type: 'STRING',
        },
      ],
    });
    await expect(
      unredactBytes(new Uint8Array(changed), undefined, { format: 'parquet' }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
  });

  it('refuses a sensitive number nested where no string fits', async () => {
    const nested = parquetWriteBuffer({
      columnData: [{ name: 'payment', data: [{ card: 4111111111111111n }] }],
      schema: [
        { name: 'root', num_children: 1 },
        { name: 'payment', repetition_type: 'OPTIONAL', num_children: 1 },
        { name: 'card', type: 'INT64', repetition_type: 'OPTIONAL' },
      ],
    });
    await expect(
      redactBytes(new Uint8Array(nested), { operator: 'mask' }, { format: 'parquet' }),
    ).rejects.toThrow(/\$\.payment\.card holds a CREDIT_CARD value in a nested non-string field/);
  });

  it('says so when the file is not Parquet', async () => {
    await expect(
      redactBytes('PAR1 not really a parquet file', {}, { format: 'parquet' }),
    ).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
  });
});
