import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../errors.js';
import type { Finding } from '../findings.js';
import {
  buildReport,
  exitCodeFor,
  fingerprintOf,
  REPORT_SCHEMA_VERSION,
  type BuildReportInput,
} from './report.js';

function finding(overrides: Partial<Finding> & { path?: string; line?: number }): Finding {
  const { path = 'a.txt', line, ...rest } = overrides;
  return {
    ruleId: 'BW-TEST-001',
    severity: 'medium',
    message: 'something found',
    location: line === undefined ? { path } : { path, line },
    controls: ['D1'],
    ...rest,
  };
}

function input(findings: Finding[], extra: Partial<BuildReportInput> = {}): BuildReportInput {
  return {
    toolVersion: '0.1.0',
    scanId: 'scan-1',
    startedAt: new Date('2025-01-02T03:04:05.000Z'),
    finishedAt: '2025-01-02T03:04:06Z',
    targets: ['.'],
    filesScanned: 3,
    filesSkipped: 1,
    bytesScanned: 1234,
    findings,
    ...extra,
  };
}

describe('buildReport', () => {
  it('sorts findings, counts severities and records the scan', () => {
    const report = buildReport(
      input(
        [
          finding({ path: 'b.txt', severity: 'high' }),
          finding({ path: 'a.txt', line: 9, severity: 'low' }),
          finding({ path: 'a.txt', line: 2, severity: 'critical' }),
        ],
        { failOn: 'high' },
      ),
    );
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(report.tool).toEqual({ name: 'bulwark', version: '0.1.0' });
    expect(report.scan).toEqual({
      id: 'scan-1',
      startedAt: '2025-01-02T03:04:05.000Z',
      finishedAt: '2025-01-02T03:04:06.000Z',
      targets: ['.'],
      filesScanned: 3,
      filesSkipped: 1,
      bytesScanned: 1234,
    });
    expect(report.findings.map((f) => [f.location.path, f.location.line])).toEqual([
      ['a.txt', 2],
      ['a.txt', 9],
      ['b.txt', undefined],
    ]);
    expect(report.summary).toEqual({
      total: 3,
      bySeverity: { critical: 1, high: 1, medium: 0, low: 1, info: 0 },
      failOn: 'high',
      failed: true,
    });
    expect(report.findings.every((f) => /^[0-9a-f]{64}$/.test(f.fingerprint))).toBe(true);
    expect('files' in report).toBe(false);
  });

  it('passes when nothing reaches the threshold, and never fails without one', () => {
    const findings = [finding({ severity: 'medium' })];
    expect(buildReport(input(findings, { failOn: 'high' })).summary.failed).toBe(false);
    const unjudged = buildReport(input(findings));
    expect(unjudged.summary.failed).toBe(false);
    expect('failOn' in unjudged.summary).toBe(false);
  });

  it('keeps per-file detail when given', () => {
    const files = [{ path: 'a.txt', size: 3, scanners: ['text'] }];
    expect(buildReport(input([], { files })).files).toEqual(files);
  });

  it('gives identical findings distinct, stable fingerprints', () => {
    const twice = [finding({ line: 3 }), finding({ line: 8 })];
    const report = buildReport(input(twice));
    const [first, second] = report.findings;
    expect(first?.fingerprint).toBe(fingerprintOf(twice[0] as Finding));
    expect(second?.fingerprint).toBe(fingerprintOf(twice[1] as Finding, 1));
    expect(first?.fingerprint).not.toBe(second?.fingerprint);
  });

  it('refuses a time that is not one', () => {
    expect(() => buildReport(input([], { startedAt: 'yesterday' }))).toThrow(BulwarkError);
  });
});

describe('fingerprintOf', () => {
  const base = finding({ line: 10, evidence: { entity: 'EMAIL_ADDRESS' } });

  it('does not change when the finding moves', () => {
    const moved: Finding = { ...base, location: { path: 'a.txt', line: 42, column: 7, offset: 900 } };
    expect(fingerprintOf(moved)).toBe(fingerprintOf(base));
  });

  it('changes with the rule, path, member and message', () => {
    const fp = fingerprintOf(base);
    expect(fingerprintOf({ ...base, ruleId: 'BW-TEST-002' })).not.toBe(fp);
    expect(fingerprintOf({ ...base, location: { path: 'b.txt', line: 10 } })).not.toBe(fp);
    expect(fingerprintOf({ ...base, location: { path: 'a.txt', member: 'x', line: 10 } })).not.toBe(fp);
    expect(fingerprintOf({ ...base, message: 'other' })).not.toBe(fp);
  });

  it('uses evidence.fingerprintKey instead of the message when given', () => {
    const keyed = { ...base, evidence: { fingerprintKey: 'os.system' } };
    expect(fingerprintOf({ ...keyed, message: 'opcode at 10' })).toBe(
      fingerprintOf({ ...keyed, message: 'opcode at 99' }),
    );
    expect(fingerprintOf({ ...keyed, evidence: { fingerprintKey: 'eval' } })).not.toBe(fingerprintOf(keyed));
  });

  it('is not fooled by field boundaries', () => {
    const a = finding({ path: 'ab', message: 'c' });
    const b = finding({ path: 'a', message: 'bc' });
    expect(fingerprintOf(a)).not.toBe(fingerprintOf(b));
  });

  it('is SHA-256 over the JSON array [ruleId, path, member, key], so it stays stable across releases', () => {
    expect(fingerprintOf(finding({ path: 'a.txt', message: 'm' }))).toBe(
      '742fc04642d18d4d450a61a5779bed6541b59e2773d27ab43de99ccdc7d38710',
    );
  });
});

describe('exitCodeFor', () => {
  const report = buildReport(input([finding({ severity: 'high' }), finding({ severity: 'low', path: 'z' })]));

  it('is 1 when a finding is at or above the threshold', () => {
    expect(exitCodeFor(report, 'high')).toBe(1);
    expect(exitCodeFor(report, 'low')).toBe(1);
    expect(exitCodeFor(report, 'info')).toBe(1);
  });

  it('is 0 otherwise', () => {
    expect(exitCodeFor(report, 'critical')).toBe(0);
    expect(exitCodeFor(buildReport(input([])), 'info')).toBe(0);
    expect(exitCodeFor(report, undefined)).toBe(0);
  });
});
