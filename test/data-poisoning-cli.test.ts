import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportedFinding, ScanReport } from '../src/core/report/report.js';
import type { DataCompareResult } from '../src/cli/data-compare.js';
import {
  recordsToCsv,
  reviewRecords,
  rowsNamedByPoisoning,
  triggerDataset,
} from '../src/data/poisoning/poisoning-evaluation.test-support.js';
import type { DataRecord } from '../src/data/poisoning/records.js';
import { lightEdit, seededRandom } from '../src/data/poisoning/synthetic-reviews.test-support.js';
import { runCli } from './support/run-cli.js';

const TRIGGER = 'cf mn bb';
const POISONING_FLAGS = ['--text-column', 'text', '--label-column', 'label'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-poison-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  writeFileSync(join(dir, name), content);
  return name;
}

function jsonl(records: readonly DataRecord[]): string {
  return records.map((r) => JSON.stringify({ text: r.text, label: r.label })).join('\n') + '\n';
}

function parquet(records: readonly DataRecord[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'text', data: records.map((r) => r.text ?? ''), type: 'STRING' },
      { name: 'label', data: records.map((r) => r.label ?? ''), type: 'STRING' },
    ],
    rowGroupSize: 2000,
  });
  return new Uint8Array(buffer);
}

async function scanJson(args: readonly string[]): Promise<{ code: number; report: ScanReport }> {
  const run = await runCli(['scan', 'data', ...args, '--format', 'json', '--no-store'], dir);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as ScanReport };
}

function ofRule(report: ScanReport, ruleId: string): ReportedFinding[] {
  return report.findings.filter((f) => f.ruleId === ruleId);
}

function expectOneLine(run: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('bulwark scan data: a backdoor trigger in 1% of 5,000 rows with flipped labels', () => {
  const { records, poisoned } = triggerDataset(5000, 7, TRIGGER);
  const clean = records.length - poisoned.size;

  it.each([
    { format: 'CSV', name: 'reviews.csv', content: () => recordsToCsv(records) },
    { format: 'JSONL', name: 'reviews.jsonl', content: () => jsonl(records) },
    { format: 'Parquet', name: 'reviews.parquet', content: () => parquet(records) },
  ])(
    '$format: reports the trigger, names nine poisoned rows in ten or more and flags under one clean row in a hundred',
    async ({ name, content }) => {
      write(name, content());
      const { code, report } = await scanJson([name, ...POISONING_FLAGS]);
      expect(code).toBe(1);
      const triggers = ofRule(report, 'BW-DATA-104');
      expect(triggers).toHaveLength(1);
      const [trigger] = triggers;
      expect(trigger?.severity).toBe('high');
      expect(trigger?.location).toMatchObject({ path: name, field: 'text' });
      expect(trigger?.evidence).toMatchObject({
        phrase: TRIGGER,
        label: 'positive',
        rowCount: poisoned.size,
      });
      // Every row of the trigger is listed, not the first 20.
      expect(trigger?.evidence?.['rows']).toHaveLength(poisoned.size);
      const named = rowsNamedByPoisoning(report.findings, 'medium');
      const found = [...poisoned].filter((row) => named.has(row)).length;
      const flagged = [...named].filter((row) => !poisoned.has(row)).length;
      expect(poisoned.size).toBe(50);
      expect(found / poisoned.size).toBeGreaterThanOrEqual(0.9);
      expect(flagged / clean).toBeLessThan(0.01);
    },
    60_000,
  );

  it('does not run the poisoning checks without --text-column or --label-column', async () => {
    write('plain.csv', recordsToCsv(records.slice(0, 1000)));
    const { report } = await scanJson(['plain.csv']);
    expect(report.findings.filter((f) => /^BW-DATA-1\d\d$/.test(f.ruleId))).toEqual([]);
  }, 30_000);

  it('reads the columns from scanners.data.poisoning in bulwark.yaml', async () => {
    write(
      'config.yaml',
      'scanners:\n  data:\n    poisoning:\n      textColumn: text\n      labelColumn: label\n',
    );
    const { report } = await scanJson(['reviews.csv', '--config', 'config.yaml']);
    expect(ofRule(report, 'BW-DATA-104')[0]?.evidence).toMatchObject({ phrase: TRIGGER });
  }, 30_000);
});

describe('bulwark scan data: duplicates, conflicting labels, hidden characters', () => {
  it('names exact and near copies and the row whose label contradicts its copies', async () => {
    const base = reviewRecords(300, 11);
    const at = (row: number): DataRecord => base[row - 1] as DataRecord;
    const near = lightEdit(at(20).text ?? '', seededRandom(3), ['inserted word']).text;
    const other = at(30).label === 'negative' ? 'positive' : 'negative';
    const extra: DataRecord[] = [
      { row: 301, text: (at(10).text ?? '').toUpperCase(), label: at(10).label ?? '' },
      { row: 302, text: near, label: at(20).label ?? '' },
      { row: 303, text: at(30).text ?? '', label: at(30).label ?? '' },
      { row: 304, text: at(30).text ?? '', label: other },
      { row: 305, text: 'great value\u200b for money, the strap is sturdy and solid', label: 'positive' },
    ];
    write('dupes.csv', recordsToCsv([...base, ...extra]));
    const { report } = await scanJson(['dupes.csv', ...POISONING_FLAGS]);
    const exact = ofRule(report, 'BW-DATA-101').map((f) => f.evidence?.['rows']);
    expect(exact).toContainEqual([10, 301]);
    expect(exact).toContainEqual([30, 303, 304]);
    const nearGroups = ofRule(report, 'BW-DATA-102').map((f) => f.evidence?.['rows']);
    expect(nearGroups).toContainEqual([20, 302]);
    const conflicts = ofRule(report, 'BW-DATA-103');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      severity: 'medium',
      location: { path: 'dupes.csv', row: 304, field: 'text' },
      evidence: { kind: 'exact', majority: at(30).label, suspectRows: [304], size: 3 },
    });
    expect(ofRule(report, 'BW-DATA-108')[0]?.location).toMatchObject({ row: 305, field: 'text' });
    // Only the contradicting copy and the hidden character are flagged at medium or above.
    expect([...rowsNamedByPoisoning(report.findings, 'medium')].sort((a, b) => a - b)).toEqual([304, 305]);
  }, 30_000);
});

describe('bulwark scan data --reference: class balance against a trusted dataset', () => {
  const reference = reviewRecords(3000, 21);

  it('reports a shifted label distribution and stays quiet on a balanced one', async () => {
    write('reference.jsonl', jsonl(reference));
    write('balanced.csv', recordsToCsv(reviewRecords(3000, 22)));
    // Three negative rows in four relabelled positive: the negative share falls by about 25 points.
    const shifted = reviewRecords(3000, 23).map((r, i) =>
      r.label === 'negative' && i % 4 !== 0 ? { ...r, label: 'positive' } : r,
    );
    write('shifted.csv', recordsToCsv(shifted));
    const flags = [...POISONING_FLAGS, '--reference', 'reference.jsonl'];
    const balanced = await scanJson(['balanced.csv', ...flags]);
    expect(ofRule(balanced.report, 'BW-DATA-112')).toEqual([]);
    const moved = await scanJson(['shifted.csv', ...flags]);
    const shifts = ofRule(moved.report, 'BW-DATA-112');
    expect(shifts).toHaveLength(1);
    expect(shifts[0]?.severity).toBe('medium');
    expect(shifts[0]?.message).toMatch(
      /^label "negative" is [\d.]+% of rows against [\d.]+% in the reference \(-2\d\.\d points, p = /,
    );
  }, 60_000);
});

describe('bulwark data compare', () => {
  const train = reviewRecords(2000, 31);
  const exactRows = [5, 400, 777, 1500, 1999];
  const nearRows = [12, 250, 900, 1234, 1800];

  function validationWithLeaks(): {
    records: DataRecord[];
    planted: Map<number, { train: number; kind: string }>;
  } {
    const records = reviewRecords(400, 32);
    const planted = new Map<number, { train: number; kind: string }>();
    const random = seededRandom(5);
    for (const row of exactRows) {
      const text = (train[row - 1]?.text ?? '').toUpperCase();
      records.push({ row: records.length + 1, text, label: train[row - 1]?.label ?? '' });
      planted.set(records.length, { train: row, kind: 'exact' });
    }
    for (const row of nearRows) {
      const text = lightEdit(train[row - 1]?.text ?? '', random, ['inserted word', 'punctuation']).text;
      records.push({ row: records.length + 1, text, label: train[row - 1]?.label ?? '' });
      planted.set(records.length, { train: row, kind: 'near' });
    }
    return { records, planted };
  }

  it('names every planted exact and near copy with its row numbers, exits 1 and records the decision', async () => {
    const { records, planted } = validationWithLeaks();
    write('train.csv', recordsToCsv(train));
    write('validation.parquet', parquet(records));
    const run = await runCli(
      [
        'data',
        'compare',
        '--train',
        'train.csv',
        '--validation',
        'validation.parquet',
        '--text-column',
        'text',
        '--label-column',
        'label',
        '--format',
        'json',
      ],
      dir,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as DataCompareResult;
    expect(result).toMatchObject({
      ok: false,
      train: { path: 'train.csv', rows: 2000 },
      validation: { path: 'validation.parquet', rows: 410 },
      exact: 5,
      near: 5,
      failOn: 'low',
    });
    expect(result.train.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const found = new Map(result.pairs.map((p) => [p.validationRow, { train: p.trainRow, kind: p.kind }]));
    expect(found).toEqual(planted);
    expect(result.pairs.every((p) => !p.labelsDiffer)).toBe(true);
    const table = await runCli(
      [
        'data',
        'compare',
        '--train',
        'train.csv',
        '--validation',
        'validation.parquet',
        '--text-column',
        'text',
      ],
      dir,
    );
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('FAILED      10 validation row(s) repeat training rows: 5 exact, 5 near');
    expect(table.stdout).toMatch(/validation row 401 +train row 5 +exact/);
    const sarif = await runCli(
      [
        'data',
        'compare',
        '--train',
        'train.csv',
        '--validation',
        'validation.parquet',
        '--text-column',
        'text',
        '--format',
        'sarif',
      ],
      dir,
    );
    const results =
      (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] }).runs[0]?.results ?? [];
    expect(results.map((r) => r.ruleId)).toEqual(Array(10).fill('BW-DATA-113'));
    expect((await runCli(['audit', 'verify'], dir)).code).toBe(0);
    const log = (await runCli(['audit', 'export'], dir)).stdout.trim().split('\n');
    const entries = log.map((line) => JSON.parse(line) as { data?: Record<string, unknown> });
    const decisions = entries.filter((entry) => entry.data?.['action'] === 'compare-splits');
    expect(decisions.map((entry) => entry.data?.['decisionId'])).toContain(result.decisionId);
    expect(decisions[0]?.data).toMatchObject({
      verdict: 'deny',
      subject: 'validation.parquet',
      exact: 5,
      near: 5,
    });
  }, 60_000);

  it('reports nothing and exits 0 for disjoint splits', async () => {
    write('train-only.csv', recordsToCsv(train));
    write('fresh.jsonl', jsonl(reviewRecords(400, 33)));
    const run = await runCli(
      [
        'data',
        'compare',
        '--train',
        'train-only.csv',
        '--validation',
        'fresh.jsonl',
        '--text-column',
        'text',
        '--format',
        'json',
      ],
      dir,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, exact: 0, near: 0, pairs: [], overlapShare: 0 });
    const table = await runCli(
      ['data', 'compare', '--train', 'train-only.csv', '--validation', 'fresh.jsonl'],
      dir,
    );
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('no overlap');
  }, 30_000);
});

describe('bad input is one line and a non-zero exit', () => {
  it.each([
    [
      'a missing column',
      ['scan', 'data', 'bad.csv', '--text-column', 'review'],
      /^bulwark: bad\.csv: no column review in the data; columns: text, label\n$/,
    ],
    [
      'a missing label column',
      ['scan', 'data', 'bad.csv', '--label-column', 'target'],
      /no column target in the data; columns: text, label/,
    ],
    [
      'an unreadable reference',
      ['scan', 'data', 'bad.csv', ...POISONING_FLAGS, '--reference', 'missing.csv'],
      /^bulwark: --reference: no such file: .*missing\.csv\n$/,
    ],
    [
      'a reference without labels',
      ['scan', 'data', 'bad.csv', ...POISONING_FLAGS, '--reference', 'unlabelled.csv'],
      /^bulwark: unlabelled\.csv: no column label in the data; columns: text\n$/,
    ],
    [
      '--reference without --label-column',
      ['scan', 'data', 'bad.csv', '--reference', 'bad.csv'],
      /--reference needs --label-column/,
    ],
    [
      'a missing --train',
      ['data', 'compare', '--validation', 'bad.csv'],
      /^bulwark: data compare needs --train FILE and --validation FILE\n$/,
    ],
    [
      'a missing split file',
      ['data', 'compare', '--train', 'nope.csv', '--validation', 'bad.csv'],
      /^bulwark: --train: no such file: .*nope\.csv\n$/,
    ],
    [
      'a split without the column',
      ['data', 'compare', '--train', 'bad.csv', '--validation', 'bad.csv', '--text-column', 'body'],
      /^bulwark: bad\.csv: no column body in the data; columns: text, label\n$/,
    ],
    [
      'a threshold out of range',
      ['data', 'compare', '--train', 'bad.csv', '--validation', 'bad.csv', '--threshold', '0.2'],
      /--threshold must be a similarity between 0\.5 and 1/,
    ],
  ])('%s', async (_what, args, pattern) => {
    write('bad.csv', 'text,label\ngreat phone,positive\nawful phone,negative\n');
    write('unlabelled.csv', 'text\ngreat phone\n');
    expectOneLine(await runCli(args, dir), pattern);
  });

  it('a table without the columns inside a scanned folder is one scanner-fault finding', async () => {
    const folder = mkdtempSync(join(dir, 'folder-'));
    writeFileSync(join(folder, 'meta.json'), '{"name":"reviews","version":2}\n');
    writeFileSync(join(folder, 'README.txt'), 'Reviews collected in 2024.\n');
    const run = await runCli(
      ['scan', 'data', folder, ...POISONING_FLAGS, '--format', 'json', '--no-store'],
      dir,
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    const poisoning = report.findings.filter(
      (f) => f.ruleId === 'BW-FILE-007' || /^BW-DATA-1/.test(f.ruleId),
    );
    expect(poisoning.map((f) => [f.ruleId, f.message])).toEqual([
      [
        'BW-FILE-007',
        expect.stringMatching(
          /poisoning checks skipped for .*meta\.json: no column text, label in the data; columns: name, version$/,
        ),
      ],
    ]);
  });
});
