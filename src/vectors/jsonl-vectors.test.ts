import { describe, expect, it } from 'vitest';
import { bytesSource } from '../core/scan/byte-sources.js';
import { parseVectorLine } from './jsonl-record.js';
import { openJsonlVectors } from './jsonl-vectors.js';
import type { VectorLimits, VectorProblem, VectorRecord } from './vector-types.js';

interface Read {
  readonly records: VectorRecord[];
  readonly problems: VectorProblem[];
}

async function read(text: string | Uint8Array, limits?: VectorLimits): Promise<Read> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const reader = openJsonlVectors(bytesSource(bytes), limits);
  const records: VectorRecord[] = [];
  const problems: VectorProblem[] = [];
  for await (const batch of reader.batches()) {
    records.push(...batch.records);
    problems.push(...batch.problems);
  }
  return { records, problems };
}

describe('openJsonlVectors', () => {
  it('reads vector, embedding and values keys, bare arrays, string and number ids, with lines', async () => {
    const { records, problems } = await read(
      [
        '{"id": "a", "vector": [1, 2], "text": "ignored"}',
        '{"id": 7, "embedding": [3, 4.5]}',
        '',
        '{"values": [-1, 0], "metadata": {"k": 1}}',
        '[0.25, 0.75]',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.index, r.id, r.line, [...r.values], r.isIndexId ?? false])).toEqual([
      [0, 'a', 1, [1, 2], false],
      [1, 7, 2, [3, 4.5], false],
      [2, 2, 4, [-1, 0], true],
      [3, 3, 5, [0.25, 0.75], true],
    ]);
  });

  it('prefers "vector" over "embedding" over "values" when a record has several', async () => {
    const { records } = await read(
      '{"values": [9], "embedding": [8], "vector": [7]}\n{"values": [9], "embedding": [8]}\n',
    );
    expect(records.map((r) => r.values[0])).toEqual([7, 8]);
  });

  it('reads CRLF line ends, a byte-order mark and a missing final newline', async () => {
    const { records, problems } = await read(
      '\uFEFF{"id": "x", "vector": [1]}\r\n{"id": "y", "vector": [2]}',
    );
    expect(problems).toEqual([]);
    expect(records.map((r) => r.id)).toEqual(['x', 'y']);
  });

  it("reads Python's NaN and Infinity so the vector, not the line, is reported", async () => {
    const { records, problems } = await read(
      '{"id": "NaN here", "vector": [NaN, 1.0, Infinity, -Infinity]}\n{"id": "n", "vector": [null, 2]}\n',
    );
    expect(problems).toEqual([]);
    expect(records[0]?.id).toBe('NaN here');
    expect([...(records[0]?.values ?? [])]).toEqual([NaN, 1, Infinity, -Infinity]);
    expect(records[0]?.hasNull).toBe(true);
    expect(Number.isNaN(records[1]?.values[0])).toBe(true);
  });

  it.each([
    ['{"id": "a", "vector": [1, 2]', 'is not valid JSON'],
    ['"just a string"', 'is not a JSON object or array'],
    ['{"id": "a", "text": "no vector"}', 'has no "vector", "embedding" or "values" array'],
    ['{"id": "a", "vector": "1,2"}', 'has a "vector" that is not an array'],
    ['{"id": "a", "vector": [1, "2"]}', 'has a component 1 in "vector" that is a string, not a number'],
    [
      '{"id": "a", "embedding": [[1], [2]]}',
      'has a component 0 in "embedding" that is an array, not a number',
    ],
    ['{"id": {"x": 1}, "vector": [1]}', 'has an "id" that is neither a string nor a number'],
    ['{"id": true, "vector": [1]}', 'has an "id" that is neither a string nor a number'],
  ])('reports %s with its line number and goes on', async (line, reason) => {
    const { records, problems } = await read(
      `{"id": "ok", "vector": [1, 2]}\n${line}\n{"id": "next", "vector": [3, 4]}\n`,
    );
    expect(records.map((r) => r.id)).toEqual(['ok', 'next']);
    expect(records.map((r) => r.line)).toEqual([1, 3]);
    expect(problems).toEqual([{ kind: 'bad-record', line: 2, message: `line 2 ${reason}` }]);
  });

  it('skips a vector over the dimension limit and a line too long to hold one, without buffering it', async () => {
    const limits = { maxVectors: 100, maxDimension: 3 };
    const long = `{"id": "long", "vector": [${'1, '.repeat(700_000)}1]}`;
    const { records, problems } = await read(
      `{"id": "wide", "vector": [1, 2, 3, 4]}\n${long}\n{"id": "fine", "vector": [1, 2, 3]}\n`,
      limits,
    );
    expect(records.map((r) => [r.id, r.line])).toEqual([['fine', 3]]);
    expect(problems).toEqual([
      {
        kind: 'limit',
        limit: 'max-dimension',
        line: 1,
        message: 'line 1 holds a vector of 4 components, over the dimension limit of 3; it was not checked',
      },
      {
        kind: 'bad-record',
        line: 2,
        message: expect.stringMatching(/^line 2 is longer than 1048576 bytes/) as string,
      },
    ]);
  });

  it('stops at the vector limit and says where', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: i, vector: [i, 1] })).join('\n');
    const { records, problems } = await read(lines, { maxVectors: 3, maxDimension: 10 });
    expect(records).toHaveLength(3);
    expect(problems).toEqual([
      {
        kind: 'limit',
        limit: 'max-vectors',
        line: 4,
        message: 'only the first 3 vectors were checked (the vector limit); reading stopped at line 4',
      },
    ]);
  });

  it('assembles lines across read chunks and reads any vector again by index', async () => {
    const dims = 384;
    const rows = 600;
    const lines: string[] = [];
    for (let r = 0; r < rows; r++)
      lines.push(
        JSON.stringify({
          id: `doc-${r}`,
          vector: Array.from({ length: dims }, (_, j) => (r * dims + j) / 1e5 - 1),
        }),
      );
    const text = lines.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    const reader = openJsonlVectors(bytesSource(new TextEncoder().encode(text)));
    let count = 0;
    for await (const batch of reader.batches()) {
      for (const record of batch.records) {
        expect(record.id).toBe(`doc-${record.index}`);
        expect(record.values).toHaveLength(dims);
        expect(record.values[7]).toBe((record.index * dims + 7) / 1e5 - 1);
        count++;
      }
      expect(batch.problems).toEqual([]);
    }
    expect(count).toBe(rows);
    const again = await reader.vectorAt(431);
    expect(again[383]).toBe((431 * dims + 383) / 1e5 - 1);
  });
});

describe('parseVectorLine', () => {
  it('keeps NaN-like text inside strings as it is', () => {
    const parsed = parseVectorLine('{"id": "Infinity and NaN", "vector": [1]}', 10);
    expect(parsed).toMatchObject({ kind: 'vector', id: 'Infinity and NaN' });
  });

  it('does not rewrite tokens inside strings with escaped quotes', () => {
    const parsed = parseVectorLine('{"id": "say \\"NaN\\"", "vector": [NaN]}', 10);
    expect(parsed).toMatchObject({ kind: 'vector', id: 'say "NaN"', hasNull: true });
  });
});
