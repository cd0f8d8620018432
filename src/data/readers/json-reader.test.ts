import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/fixtures/deps/text-at.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { DataUnit } from '../types.js';
import { readJsonLinesUnits, readJsonTable, readJsonUnits, type JsonReadOptions } from './json-reader.js';
import type { ReadIssue } from './read-issues.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function linesOf(
  text: string,
  options: JsonReadOptions = {},
): Promise<{ cells: DataUnit[]; issues: ReadIssue[] }> {
  const issues: ReadIssue[] = [];
  const cells = await collect(
    readJsonLinesUnits(bytesSource(utf8(text)), { ...options, onIssue: (i) => issues.push(i) }),
  );
  return { cells, issues };
}

async function documentOf(
  text: string,
  options: JsonReadOptions = {},
): Promise<{ cells: DataUnit[]; issues: ReadIssue[] }> {
  const issues: ReadIssue[] = [];
  const cells = await collect(
    readJsonUnits(bytesSource(utf8(text)), { ...options, onIssue: (i) => issues.push(i) }),
  );
  return { cells, issues };
}

const cell = (text: string, row: number, field: string): DataUnit => ({ kind: 'cell', text, row, field });

/** The expected cells of a value, computed from the parsed value (an oracle independent of the scanner). */
function expectedCells(value: unknown, row: number, path = '$'): DataUnit[] {
  if (typeof value === 'string') return value === '' ? [] : [cell(value, row, path)];
  if (typeof value === 'number') return [cell(String(value), row, path)];
  if (Array.isArray(value)) return value.flatMap((item, i) => expectedCells(item, row, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      expectedCells(
        item,
        row,
        /^[A-Za-z_$][\w$]*$/.test(key)
          ? `${path}.${key}`
          : `${path}['${key.replace(/[\\']/g, (c) => `\\${c}`)}']`,
      ),
    );
  }
  return [];
}

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 4 : 7));
  const text = (): string =>
    Array.from(
      { length: Math.floor(random() * 8) },
      () => ['a', 'é', '中', '😀', '"', '\\', '\n', ' ', "'", '\u0001'][Math.floor(random() * 10)],
    ).join('');
  switch (pick) {
    case 0:
      return text();
    case 1:
      return Math.floor(random() * 2e9) - 1e9;
    case 2:
      return random() < 0.5 ? null : random() < 0.5;
    case 3:
      return Math.round(random() * 1e6) / 1e3;
    case 4:
    case 5:
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, () => [text(), randomValue(random, depth + 1)]),
      );
    default:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  }
}

describe('readJsonLinesUnits', () => {
  it('gives each string and number with the line as row and the JSON path as field', async () => {
    const text = [
      '{"user":{"email":"ada@example.com"},"items":[{"name":"x"},{"name":"y"}],"ok":true,"none":null}',
      '',
      '{"card":4111111111111111111,"first name":"Ada","e":"\\u00e9\\ud83d\\ude00\\n","empty":""}',
    ].join('\n');
    const { cells, issues } = await linesOf(text);
    expect(cells).toEqual([
      cell('ada@example.com', 1, '$.user.email'),
      cell('x', 1, '$.items[0].name'),
      cell('y', 1, '$.items[1].name'),
      cell('4111111111111111111', 3, '$.card'),
      cell('Ada', 3, "$['first name']"),
      cell('é😀\n', 3, '$.e'),
    ]);
    expect(issues).toEqual([]);
  });

  it('reports a malformed line and goes on with the next', async () => {
    const text = '{"a":"1"}\n{"a": oops}\n{"a":"3"\n{"a":"4"} trailing\n{"a":"5"}\n';
    const { cells, issues } = await linesOf(text);
    expect(cells).toEqual([
      cell('1', 1, '$.a'),
      cell('3', 3, '$.a'),
      cell('4', 4, '$.a'),
      cell('5', 5, '$.a'),
    ]);
    expect(issues.map((i) => [i.kind, i.line])).toEqual([
      ['malformed-record', 2],
      ['malformed-record', 3],
      ['malformed-record', 4],
    ]);
  });

  it('agrees with JSON.parse on random records, whatever the chunk size', async () => {
    const random = seededRandom(21);
    for (let round = 0; round < 30; round++) {
      const values = Array.from({ length: 5 }, () => randomValue(random, 0));
      const text = values.map((v) => JSON.stringify(v)).join('\r\n');
      const expected = values.flatMap((v, i) => expectedCells(v, i + 1));
      const chunkSize = 1 + Math.floor(random() * 40);
      const { cells, issues } = await linesOf(text, { chunkSize });
      expect(issues).toEqual([]);
      expect(cells).toEqual(expected);
    }
  });

  it('cuts a long string and reports it', async () => {
    const { cells, issues } = await linesOf(`{"blob":"${'x'.repeat(100)}"}`, { maxCellLength: 10 });
    expect(cells).toEqual([cell('x'.repeat(10), 1, '$.blob')]);
    expect(issues.map((i) => i.kind)).toEqual(['truncated-value']);
  });

  it('rejects nesting beyond the limit as a malformed line, without recursion', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const { cells, issues } = await linesOf(`${deep}\n{"a":"after"}\n`);
    expect(cells).toEqual([cell('after', 2, '$.a')]);
    expect(issues[0]?.message).toMatch(/nesting deeper than 256/);
  });
});

describe('readJsonUnits', () => {
  it('streams the elements of a top-level array as records', async () => {
    const { cells } = await documentOf(
      '[\n {"email":"a@x.io","tags":["t1"]},\n {"email":"b@x.io"},\n "plain"\n]\n',
    );
    expect(cells).toEqual([
      cell('a@x.io', 1, '$.email'),
      cell('t1', 1, '$.tags[0]'),
      cell('b@x.io', 2, '$.email'),
      cell('plain', 3, '$'),
    ]);
  });

  it('reads a top-level object as one record with full paths', async () => {
    const { cells } = await documentOf('{"data":[{"ssn":"078-05-1120"}],"meta":{"n":2}}');
    expect(cells).toEqual([cell('078-05-1120', 1, '$.data[0].ssn'), cell('2', 1, '$.meta.n')]);
  });

  it('reports a syntax error once and keeps what came before', async () => {
    const { cells, issues } = await documentOf('[{"a":"1"},\n{"a":"2"},\n{"a" "3"}, {"a":"4"}]');
    expect(cells).toEqual([cell('1', 1, '$.a'), cell('2', 2, '$.a')]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'malformed-record', line: 3 });
    expect(issues[0]?.message).toMatch(/line 3, column 6/);
  });

  it('reports a truncated file', async () => {
    const { cells, issues } = await documentOf('[{"a":"1"},{"a":"2');
    expect(cells).toEqual([cell('1', 1, '$.a')]);
    expect(issues[0]?.message).toMatch(/ends inside a value/);
  });
});

describe('readJsonTable', () => {
  it('flattens records to columns: top-level keys as they are, nested ones by path', async () => {
    const text =
      '{"text":"great","label":1,"ok":false,"meta":{"src":"web"},"n":null}\n{"text":"bad","label":0}\nnot json\n';
    const rows = await collect(readJsonTable(bytesSource(utf8(text)), 'lines'));
    expect(rows.map((r) => ({ row: r.row, record: { ...r.record } }))).toEqual([
      { row: 1, record: { text: 'great', label: '1', ok: 'false', 'meta.src': 'web', n: '' } },
      { row: 2, record: { text: 'bad', label: '0' } },
    ]);
  });
});
