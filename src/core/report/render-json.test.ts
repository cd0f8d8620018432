import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../errors.js';
import { renderJson } from './render-json.js';
import { buildReport, type ScanReport } from './report.js';
import { parseReport, reportJsonSchema } from './report-schema.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = JSON.parse(
  readFileSync(resolve(repoRoot, 'docs/schema/report.schema.json'), 'utf8'),
) as object;
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

const report: ScanReport = buildReport({
  toolVersion: '0.1.0',
  scanId: '0f6c2a8e',
  startedAt: new Date('2025-03-01T10:00:00.000Z'),
  finishedAt: new Date('2025-03-01T10:00:02.500Z'),
  targets: ['models/', 'data/users.csv'],
  filesScanned: 3,
  filesSkipped: 1,
  bytesScanned: 4096,
  failOn: 'high',
  findings: [
    {
      ruleId: 'BW-PKL-001',
      severity: 'critical',
      message: 'Pickle imports os.system',
      location: { path: 'models/model.pt', member: 'archive/data.pkl', offset: 120 },
      evidence: {
        module: 'os',
        name: 'system',
        chain: ['GLOBAL', 'REDUCE'],
        depth: 2,
        safe: false,
        note: null,
      },
      controls: ['R1'],
    },
    {
      ruleId: 'BW-PII-001',
      severity: 'medium',
      message: 'Email address',
      location: { path: 'data/users.csv', row: 3, field: 'email' },
      controls: ['D1'],
    },
    {
      ruleId: 'BW-SEC-001',
      severity: 'high',
      message: 'AWS access key',
      location: { path: 'src/app.py', line: 4, column: 9, endLine: 4, endColumn: 29 },
      controls: ['T2'],
    },
  ],
  files: [
    {
      path: 'models/model.pt',
      size: 4000,
      digest: `sha256:${'ab'.repeat(32)}`,
      identity: { kind: 'pytorch-zip', mediaType: 'application/zip', detail: 'protocol 2' },
      scanners: ['pickle'],
    },
    { path: 'big.bin', size: 10 ** 12, scanners: [], skipped: 'larger than scan.maxFileSize' },
  ],
});

/** A deep copy of the JSON output with one change applied (through Object.assign, to break types on purpose). */
function mutated(change: (doc: ScanReport) => void): unknown {
  const doc = JSON.parse(renderJson(report)) as ScanReport;
  change(doc);
  return doc;
}

const at = <T>(items: readonly T[], index: number): T => {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
};

describe('renderJson', () => {
  it('writes 2-space JSON with a trailing newline', () => {
    const text = renderJson(report);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": "1.0.0",');
    expect(JSON.parse(text)).toEqual(report);
  });

  it('validates against docs/schema/report.schema.json', () => {
    expect(validate(JSON.parse(renderJson(report))), ajv.errorsText(validate.errors)).toBe(true);
    const empty = buildReport({ ...report.scan, toolVersion: '0.1.0', scanId: 'x', findings: [] });
    expect(validate(JSON.parse(renderJson(empty))), ajv.errorsText(validate.errors)).toBe(true);
  });

  it.each([
    ['line 0', (d: ScanReport) => Object.assign(at(d.findings, 2).location, { line: 0 })],
    ['column 0', (d: ScanReport) => Object.assign(at(d.findings, 2).location, { column: 0 })],
    ['row 0', (d: ScanReport) => Object.assign(at(d.findings, 1).location, { row: 0 })],
    ['a negative offset', (d: ScanReport) => Object.assign(at(d.findings, 0).location, { offset: -1 })],
    ['an unknown severity', (d: ScanReport) => Object.assign(at(d.findings, 0), { severity: 'fatal' })],
    ['an unknown control', (d: ScanReport) => Object.assign(at(d.findings, 0), { controls: ['Z9'] })],
    ['a malformed rule id', (d: ScanReport) => Object.assign(at(d.findings, 0), { ruleId: 'pickle' })],
    ['a missing message', (d: ScanReport) => Reflect.deleteProperty(at(d.findings, 0), 'message')],
    ['a missing fingerprint', (d: ScanReport) => Reflect.deleteProperty(at(d.findings, 0), 'fingerprint')],
    [
      'an unknown location key',
      (d: ScanReport) => Object.assign(at(d.findings, 0).location, { lineNumber: 3 }),
    ],
    ['another schema version', (d: ScanReport) => Object.assign(d, { schemaVersion: '2.0.0' })],
    ['a time that is not one', (d: ScanReport) => Object.assign(d.scan, { startedAt: 'yesterday' })],
    ['a missing summary', (d: ScanReport) => Reflect.deleteProperty(d, 'summary')],
    ['a malformed digest', (d: ScanReport) => Object.assign(at(d.files ?? [], 0), { digest: 'md5:abc' })],
  ])('rejects %s', (_name, change) => {
    expect(validate(mutated(change))).toBe(false);
  });

  it('is the schema generated from the zod model', () => {
    expect(schema).toEqual(reportJsonSchema());
  });
});

describe('parseReport', () => {
  it('reads back what renderJson wrote', () => {
    expect(parseReport(renderJson(report))).toEqual(report);
  });

  it('refuses what is not a report, with a clear message', () => {
    expect(() => parseReport('{')).toThrow(new BulwarkError('INPUT_INVALID', 'report is not JSON'));
    expect(() =>
      parseReport(JSON.stringify(mutated((d) => Object.assign(at(d.findings, 2).location, { line: 0 })))),
    ).toThrow(/^report findings\.2\.location\.line: /);
  });
});
