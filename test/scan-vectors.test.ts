import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportedFinding, ScanReport } from '../src/core/report/report.js';
import { encodeJsonl, encodeNpy, generateCorpus } from '../src/vectors/vector-corpus.test-support.js';
import { runCli } from './support/run-cli.js';

const corpus = generateCorpus({
  count: 3000,
  dims: 96,
  seed: 41,
  normalized: true,
  plants: { exact: 3, near: 3, scaled: 2, isolated: 2, 'far-cluster': 8, 'tight-cluster': 12 },
  paraphrases: 10,
});
const clean = generateCorpus({ count: 3000, dims: 96, seed: 42, normalized: false, paraphrases: 10 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-vectors-'));
  writeFileSync(join(dir, 'planted.npy'), encodeNpy(corpus.values, corpus.count, corpus.dims));
  writeFileSync(
    join(dir, 'planted.jsonl'),
    encodeJsonl(corpus.values, corpus.count, corpus.dims, 'embedding'),
  );
  writeFileSync(
    join(dir, 'clean.npy'),
    encodeNpy(clean.values, clean.count, clean.dims, { descr: '<f8', version: 2 }),
  );
  writeFileSync(join(dir, 'truncated.npy'), encodeNpy(clean.values, 10, clean.dims).subarray(0, 300));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scanVectors(args: readonly string[]): Promise<{ code: number; report: ScanReport }> {
  const run = await runCli(['scan', 'vectors', ...args, '--format', 'json', '--no-store'], dir);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as ScanReport };
}

const ofRule = (report: ScanReport, ruleId: string): ReportedFinding[] =>
  report.findings.filter((f) => f.ruleId === ruleId);

/** 0-based vector positions a rule's findings name: every listed member of a group, or the location. */
function positions(report: ScanReport, ruleId: string): Set<number> {
  return new Set(
    ofRule(report, ruleId).flatMap((f) => {
      const rows = f.evidence?.['rows'] as number[] | undefined;
      const lines = f.evidence?.['lines'] as number[] | undefined;
      if (rows !== undefined) return rows;
      if (lines !== undefined) return lines.map((line) => line - 1);
      return [(f.location.row ?? f.location.line ?? 0) - 1];
    }),
  );
}

describe('bulwark scan vectors', () => {
  it.each([
    ['planted.npy', 'row'],
    ['planted.jsonl', 'line'],
  ] as const)('names every planted anomaly of %s by %s, and nothing else', async (file, unit) => {
    const { code, report } = await scanVectors([file, '--fail-on', 'medium']);
    expect(code).toBe(1);
    expect(positions(report, 'BW-VEC-004')).toEqual(corpus.planted.exact);
    expect(positions(report, 'BW-VEC-005')).toEqual(corpus.planted.near);
    expect(positions(report, 'BW-VEC-006')).toEqual(corpus.planted.scaled);
    expect(positions(report, 'BW-VEC-007')).toEqual(corpus.planted.isolated);
    expect(positions(report, 'BW-VEC-008')).toEqual(corpus.planted['far-cluster']);
    expect(positions(report, 'BW-VEC-009')).toEqual(corpus.planted['tight-cluster']);
    expect(report.findings).toHaveLength(3 + 3 + 2 + 2 + 1 + 1);
    for (const finding of report.findings) {
      expect(finding.location.path).toBe(file);
      expect(finding.controls).toContain('P4');
      expect(Object.keys(finding.location)).toContain(unit);
    }
    const [tight] = ofRule(report, 'BW-VEC-009');
    expect(tight?.severity).toBe('medium');
    expect(tight?.evidence?.['size']).toBe(12);
  });

  it('passes a clean raw float64 corpus with no findings, even at --fail-on low', async () => {
    const { code, report } = await scanVectors(['clean.npy', '--fail-on', 'low']);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.scan.filesScanned).toBe(1);
  });

  it('reports a truncated .npy file as one finding, not a crash', async () => {
    const { code, report } = await scanVectors(['truncated.npy', '--fail-on', 'medium']);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.location.path])).toEqual([
      ['BW-VEC-001', 'truncated.npy'],
    ]);
    expect(report.findings[0]?.message).toMatch(
      /^truncated\.npy: not a readable \.npy array of vectors: the data is truncated/,
    );
  });

  it('runs only when named: a plain bulwark scan reports no BW-VEC findings', async () => {
    const run = await runCli(['scan', 'planted.npy', 'planted.jsonl', '--format', 'json', '--no-store'], dir);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.findings.filter((f) => f.ruleId.startsWith('BW-VEC-'))).toEqual([]);
  });

  it('takes its thresholds from scanners.vectors in bulwark.yaml and refuses bad ones with one line', async () => {
    const config = join(dir, 'bulwark.yaml');
    try {
      writeFileSync(config, 'scanners:\n  vectors:\n    checks: [norms]\n');
      const { report } = await scanVectors(['planted.npy']);
      expect([...new Set(report.findings.map((f) => f.ruleId))].sort()).toEqual(['BW-VEC-004', 'BW-VEC-006']);
      writeFileSync(config, 'scanners:\n  vectors:\n    nearDuplicateCosine: 2\n');
      const bad = await runCli(['scan', 'vectors', 'planted.npy', '--no-store'], dir);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/^bulwark: bulwark\.yaml:3:\d+: scanners\.vectors\.nearDuplicateCosine/);
      expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      rmSync(config, { force: true });
    }
  });

  it('lists the vector rules in SARIF output', async () => {
    const run = await runCli(['scan', 'vectors', 'planted.npy', '--format', 'sarif', '--no-store'], dir);
    const sarif = JSON.parse(run.stdout) as {
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[];
    };
    const [first] = sarif.runs;
    const ids = first?.tool.driver.rules.map((r) => r.id) ?? [];
    for (let n = 1; n <= 11; n++) expect(ids).toContain(`BW-VEC-${String(n).padStart(3, '0')}`);
    expect(first?.results.some((r) => r.ruleId === 'BW-VEC-009')).toBe(true);
  });
});
