import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/findings.js';
import { bytesSource } from '../core/scan/byte-sources.js';
import { identifySource } from '../core/scan/sniff.js';
import { DEFAULT_SCAN_LIMITS } from '../core/scan/types.js';
import { analyzeVectors } from './analyze-vectors.js';
import { openJsonlVectors } from './jsonl-vectors.js';
import { encodeJsonl, encodeNpy, generateCorpus } from './vector-corpus.test-support.js';
import { VECTOR_RULES } from './vector-rules.js';
import { vectorOptionsSchema, vectorScanner, vectorSettingsOf } from './vector-scanner.js';

async function scan(
  content: string | Uint8Array,
  options: unknown = {},
  path = 'embeddings',
): Promise<Finding[]> {
  const source = bytesSource(typeof content === 'string' ? new TextEncoder().encode(content) : content);
  const identity = await identifySource(source);
  expect(vectorScanner.accepts(identity)).toBe(true);
  return vectorScanner.scan({ path, source, identity }, { limits: DEFAULT_SCAN_LIMITS, options });
}

const byRule = (findings: Finding[], id: string): Finding[] => findings.filter((f) => f.ruleId === id);

const record = (id: string | number, vector: unknown): string => JSON.stringify({ id, vector });

describe('vectorScanner', () => {
  it('runs only when named, on .npy and JSON (Lines) files', () => {
    expect(vectorScanner.explicitOnly).toBe(true);
    expect(vectorScanner.id).toBe('vectors');
    for (const kind of ['numpy', 'jsonl', 'json', 'text', 'csv'])
      expect(vectorScanner.accepts({ kind, mediaType: '' })).toBe(true);
    for (const kind of ['pickle', 'parquet', 'zip', 'notebook'])
      expect(vectorScanner.accepts({ kind, mediaType: '' })).toBe(false);
    expect(VECTOR_RULES.map((r) => r.id)).toEqual(
      Array.from({ length: 11 }, (_, i) => `BW-VEC-${String(i + 1).padStart(3, '0')}`),
    );
    for (const rule of VECTOR_RULES) expect(rule.controls).toContain('P4');
  });

  it('reports every planted anomaly of a .npy corpus by row, and nothing else', async () => {
    const corpus = generateCorpus({
      count: 3000,
      dims: 96,
      seed: 31,
      normalized: true,
      plants: { exact: 2, near: 2, scaled: 2, isolated: 2, 'far-cluster': 8, 'tight-cluster': 12 },
    });
    const findings = await scan(encodeNpy(corpus.values, 3000, 96));
    const rowsOf = (id: string): Set<number> =>
      new Set(
        byRule(findings, id).flatMap(
          (f) => (f.evidence?.['rows'] as number[] | undefined) ?? [(f.location.row ?? 0) - 1],
        ),
      );
    expect(rowsOf('BW-VEC-004')).toEqual(corpus.planted.exact);
    expect(rowsOf('BW-VEC-005')).toEqual(corpus.planted.near);
    expect(rowsOf('BW-VEC-006')).toEqual(corpus.planted.scaled);
    expect(rowsOf('BW-VEC-007')).toEqual(corpus.planted.isolated);
    expect(rowsOf('BW-VEC-008')).toEqual(corpus.planted['far-cluster']);
    expect(rowsOf('BW-VEC-009')).toEqual(corpus.planted['tight-cluster']);
    expect(findings).toHaveLength(2 + 2 + 2 + 2 + 1 + 1);
    const [copy] = byRule(findings, 'BW-VEC-004');
    expect(copy?.message).toMatch(/^array row \d+ repeats array row \d+$/);
    expect(copy?.location.row).toBe((copy?.evidence?.['rows'] as number[])[1]! + 1);
    expect(byRule(findings, 'BW-VEC-009')[0]?.message).toMatch(
      /^12 vectors \(array row \d+ and 11 more, listed in the evidence\) are packed far tighter than the rest \(mean cosine 0\.99\d+ between them\)/,
    );
  });

  it('locates JSONL findings by line and reads lines that are not vectors as such', async () => {
    const lines = [
      record('a', [1, 0, 0]),
      record('b', [0, 1, 0]),
      record('c', [0, 0, 1]),
      record('d', [0.5, 0.5, NaN]).replace('null', 'NaN'),
      record('e', [0, 0, 0]),
      record('f', [1, 2]),
      '{"id": "g", "vector": [1, 2, 3}',
      record('a', [0.2, 0.3, 0.4]),
    ];
    const findings = await scan(lines.join('\n') + '\n', {}, 'store.jsonl');
    const summary = findings.map((f) => [f.ruleId, f.location.line, f.message]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['BW-VEC-002', 7, 'line 7 is not valid JSON'],
        ['BW-VEC-003', 4, 'vector "d" holds 1 NaN, infinite or null component'],
        ['BW-VEC-003', 5, 'vector "e" is all zeros, so it has no direction'],
        ['BW-VEC-003', 6, 'vector "f" has 2 dimensions where the file\'s vectors have 3'],
        ['BW-VEC-010', 8, 'id "a" is given to 2 vectors (lines 1, 8)'],
      ]),
    );
    for (const finding of findings) expect(finding.location.path).toBe('store.jsonl');
  });

  it('leaves a text or CSV file alone unless most of its lines are vector records', async () => {
    expect(await scan('name,age,city\nada,36,london\nalan,41,wilmslow\n', {}, 'people.csv')).toEqual([]);
    expect(await scan('# Notes\n\nThe first line.\n[1, 2]\nThe end.\n', {}, 'notes.md')).toEqual([]);
  });

  it('takes the dimension from the majority of the first records, not from the first line', async () => {
    const lines = [
      record('odd', [1, 2]),
      ...Array.from({ length: 40 }, (_, i) => record(i, [i + 1, 1, 2, 3])),
    ];
    const findings = await scan(lines.join('\n'));
    expect(byRule(findings, 'BW-VEC-003').map((f) => f.message)).toEqual([
      'vector "odd" has 2 dimensions where the file\'s vectors have 4',
    ]);
  });

  it('reports a broken .npy file as one finding, and a JSON file without vector records as one', async () => {
    const truncated = encodeNpy([1, 2, 3, 4], 2, 2).subarray(0, 130);
    expect(await scan(truncated, {}, 'e.npy')).toEqual([
      expect.objectContaining({
        ruleId: 'BW-VEC-001',
        message:
          'e.npy: not a readable .npy array of vectors: the data is truncated: shape (2, 2) of <f4 needs 16 bytes but 2 follow the header',
        location: { path: 'e.npy' },
      }),
    ]);
    const config = await scan('{\n  "name": "not vectors",\n  "version": 2\n}\n', {}, 'package.json');
    expect(config).toHaveLength(1);
    expect(config[0]).toMatchObject({
      ruleId: 'BW-VEC-001',
      message: 'package.json holds no vector records: line 1 is not valid JSON',
    });
  });

  it('reports a dimension over the limit as a limit finding', async () => {
    const findings = await scan(encodeNpy(new Float32Array(40), 2, 20), { maxDimension: 16 });
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['BW-VEC-011', 'embeddings: the vectors have 20 dimensions, over the limit of 16'],
    ]);
  });

  it('honours the options: checks switched off, a stricter near-duplicate threshold, the vector limit', async () => {
    const corpus = generateCorpus({
      count: 1000,
      dims: 64,
      seed: 32,
      normalized: true,
      plants: { exact: 1, near: 1, scaled: 1 },
    });
    const file = encodeNpy(corpus.values, 1000, 64);
    const rules = async (options: unknown): Promise<string[]> =>
      [...new Set((await scan(file, options)).map((f) => f.ruleId))].sort();
    expect(await rules({})).toEqual(['BW-VEC-004', 'BW-VEC-005', 'BW-VEC-006']);
    expect(await rules({ checks: ['norms'] })).toEqual(['BW-VEC-004', 'BW-VEC-006']);
    expect(await rules({ nearDuplicateCosine: 0.999999 })).toEqual(['BW-VEC-004', 'BW-VEC-006']);
    const limited = await scan(file, { maxVectors: 10, checks: [] });
    expect(limited.map((f) => [f.ruleId, f.location.row])).toEqual([['BW-VEC-011', 11]]);
  });

  it('rejects options out of range', () => {
    expect(vectorOptionsSchema.safeParse({ nearDuplicateCosine: 1.5 }).success).toBe(false);
    expect(vectorOptionsSchema.safeParse({ checks: ['everything'] }).success).toBe(false);
    expect(vectorOptionsSchema.safeParse({ maxVectors: 3_000_000 }).success).toBe(false);
    expect(vectorOptionsSchema.safeParse({ neighbours: 1 }).success).toBe(false);
    expect(vectorOptionsSchema.safeParse({ unknown: 1 }).success).toBe(false);
    const settings = vectorSettingsOf(vectorOptionsSchema.parse({ dimension: 384 }));
    expect(settings).toMatchObject({
      dimension: 384,
      nearDuplicateCosine: 0.9999,
      normZ: 6,
      densityZ: 6,
      neighbours: 10,
    });
    expect(settings).not.toHaveProperty('maxFindingsPerRule');
  });

  it('keeps one finding per rule beyond maxFindingsPerRule, with the count', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? record(i, [1, 2, 3]) : `broken ${i}`));
    const findings = await scan(lines.join('\n'), { maxFindingsPerRule: 5 });
    const malformed = byRule(findings, 'BW-VEC-002');
    expect(malformed).toHaveLength(6);
    expect(malformed[5]?.message).toMatch(/^10 more findings of this rule were not listed/);
  });
});

describe('analyzeVectors', () => {
  it('counts exact copies once in the similarity checks and lists the whole group', async () => {
    const lines = [record('x', [3, 4]), record('y', [3, 4]), record('z', [3, -0 + 4]), record('w', [1, 0])];
    const report = await analyzeVectors(
      openJsonlVectors(bytesSource(new TextEncoder().encode(encodeJsonl([], 0, 0) + lines.join('\n')))),
    );
    expect(report.exactGroups).toEqual([[0, 1, 2]]);
    expect([...report.table.distinct()]).toEqual([0, 3]);
    expect(report.table.copyOf(2)).toBe(0);
  });
});

describe('the vectors library entry', () => {
  it('exports the readers, the analysis, the findings and the scanner', async () => {
    const library = await import('./index.js');
    const corpus = generateCorpus({ count: 200, dims: 16, seed: 5, normalized: true, plants: { exact: 1 } });
    const reader = await library.openNpyVectors(bytesSource(encodeNpy(corpus.values, 200, 16)));
    const report = await library.analyzeVectors(reader, library.DEFAULT_VECTOR_SETTINGS);
    const findings = library.vectorFindings(report, { path: 'e.npy' });
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-VEC-004']);
    expect(library.vectorScanner.rules).toBe(library.VECTOR_RULES);
  });
});
