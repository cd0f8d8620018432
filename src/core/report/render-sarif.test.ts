import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../errors.js';
import { defineRule } from '../rules.js';
import { buildSarifLog, renderSarif } from './render-sarif.js';
import { buildReport } from './report.js';
import type { SarifLog } from './sarif-log.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const sarifSchema = JSON.parse(
  readFileSync(resolve(repoRoot, '../shared/data/sarif/sarif-schema-2.1.0.json'), 'utf8'),
) as object;
const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(sarifSchema);

const RULES = [
  defineRule({
    id: 'BW-PKL-001',
    name: 'pickle-dangerous-import',
    title: 'Pickle imports a dangerous callable',
    defaultSeverity: 'critical',
    controls: ['R1'],
    description: 'Loading this pickle runs code.',
    remediation: 'Do not load it; convert the model to safetensors.',
  }),
  defineRule({
    id: 'BW-FILE-001',
    name: 'unreadable-file',
    title: 'File could not be read',
    defaultSeverity: 'medium',
    controls: ['D7'],
    description: 'A file could not be read.',
    remediation: 'Grant read access or ignore the file.',
  }),
  defineRule({
    id: 'BW-GOV-001',
    name: 'governance-note',
    title: 'A rule without framework mappings',
    defaultSeverity: 'info',
    controls: [],
    description: 'Nothing maps.',
    remediation: 'Nothing to do.',
  }),
];

const report = buildReport({
  toolVersion: '0.1.0',
  scanId: 'scan-42',
  startedAt: '2025-03-01T10:00:00.000Z',
  finishedAt: '2025-03-01T10:00:02.000Z',
  targets: ['.'],
  filesScanned: 5,
  filesSkipped: 0,
  bytesScanned: 999,
  findings: [
    {
      ruleId: 'BW-PKL-001',
      severity: 'critical',
      message: 'Pickle imports os.system',
      location: { path: 'models/model.pt', member: 'archive/data.pkl', offset: 120 },
      evidence: { module: 'os', name: 'system' },
      controls: ['R1'],
    },
    {
      ruleId: 'BW-FILE-001',
      severity: 'low',
      message: 'Permission denied',
      location: { path: 'dir with space/ünï#?.bin' },
      controls: ['D7'],
    },
    {
      ruleId: 'BW-FILE-001',
      severity: 'high',
      message: 'Text finding',
      location: { path: 'src/app.py', line: 4, column: 9, endLine: 5, endColumn: 2 },
      controls: ['D7'],
    },
    {
      ruleId: 'BW-FILE-001',
      severity: 'info',
      message: 'Binary finding',
      location: { path: 'weights.bin', offset: 0 },
      controls: ['D7'],
    },
    {
      ruleId: 'BW-PII-001',
      severity: 'medium',
      message: 'Email address',
      location: { path: 'data/users.csv', row: 3, field: 'email' },
      controls: ['D1'],
    },
    {
      ruleId: 'BW-FILE-001',
      severity: 'medium',
      message: 'Given as an absolute path',
      location: { path: '/tmp/one file.txt', line: 1 },
      controls: ['D7'],
    },
  ],
});

const log = JSON.parse(renderSarif(report, RULES, { srcRoot: '/work/repo' })) as SarifLog;
const run = log.runs[0]!;
const resultFor = (message: string) => run.results.find((r) => r.message.text === message)!;

describe('renderSarif: validity', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
    const empty = buildReport({ ...report.scan, toolVersion: '0.1.0', scanId: 'x', findings: [] });
    const bare = JSON.parse(renderSarif(empty, [])) as unknown;
    expect(validate(bare), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('ends with a newline and carries the schema and version', () => {
    expect(renderSarif(report, RULES).endsWith('}\n')).toBe(true);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
  });

  // The validator must be really wired: documents that break the schema are refused.
  const broken = (change: (doc: SarifLog) => void): unknown => {
    const doc = JSON.parse(JSON.stringify(log)) as SarifLog;
    change(doc);
    return doc;
  };
  const runOf = (doc: SarifLog) => doc.runs[0]!;
  const textResult = (doc: SarifLog) => runOf(doc).results.find((r) => r.message.text === 'Text finding')!;
  it.each([
    ['level "fatal"', (d: SarifLog) => Object.assign(runOf(d).results[0]!, { level: 'fatal' })],
    [
      'startLine 0',
      (d: SarifLog) => Object.assign(textResult(d).locations[0]!.physicalLocation.region!, { startLine: 0 }),
    ],
    ['a driver without a name', (d: SarifLog) => Reflect.deleteProperty(runOf(d).tool.driver, 'name')],
    ['version 2.0.0', (d: SarifLog) => Object.assign(d, { version: '2.0.0' })],
    ['a message without text', (d: SarifLog) => Object.assign(runOf(d).results[0]!, { message: {} })],
  ])('the schema rejects %s', (_name, change) => {
    expect(validate(broken(change))).toBe(false);
  });
});

describe('renderSarif: driver and rules', () => {
  it('describes the tool', () => {
    expect(run.tool.driver.name).toBe('Bulwark');
    expect(run.tool.driver.semanticVersion).toBe('0.1.0');
    expect(run.tool.driver.informationUri).toBe('https://github.com/bulwark-ai/bulwark');
  });

  it('lists every catalogue rule, sorted, then rules only findings name', () => {
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'BW-FILE-001',
      'BW-GOV-001',
      'BW-PKL-001',
      'BW-PII-001',
    ]);
  });

  it('gives each rule descriptions, help with remediation, a level and GitHub properties', () => {
    const pickle = run.tool.driver.rules.find((r) => r.id === 'BW-PKL-001')!;
    expect(pickle.name).toBe('pickle-dangerous-import');
    expect(pickle.shortDescription.text).toBe('Pickle imports a dangerous callable');
    expect(pickle.fullDescription.text).toBe('Loading this pickle runs code.');
    expect(pickle.help.text).toContain('Remediation: Do not load it; convert the model to safetensors.');
    expect(pickle.help.markdown).toContain('**Remediation:** Do not load it');
    expect(pickle.help.markdown).toContain('`LLM03` Supply Chain');
    expect(pickle.help.markdown).toContain('`AML.T0011.000` User Execution: Unsafe AI Artifacts');
    expect(pickle.helpUri).toBe('https://github.com/bulwark-ai/bulwark/blob/main/docs/rules.md#bw-pkl-001');
    expect(pickle.defaultConfiguration.level).toBe('error');
    expect(pickle.properties['security-severity']).toBe('9.5');
    expect(pickle.properties.precision).toBe('high');
    expect(pickle.properties.tags).toEqual([
      'security',
      'R1',
      'LLM03',
      'LLM04',
      'AML.T0010.003',
      'AML.T0011.000',
      'AML.T0018.002',
      'GOVERN 6.1',
      'MEASURE 2.7',
    ]);
  });

  it('maps every severity to a level and a security-severity', () => {
    const levels = Object.fromEntries(run.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level]));
    expect(levels).toEqual({
      'BW-FILE-001': 'warning',
      'BW-GOV-001': 'note',
      'BW-PKL-001': 'error',
      'BW-PII-001': 'warning',
    });
    const scores = Object.fromEntries(
      run.tool.driver.rules.map((r) => [r.id, r.properties['security-severity']]),
    );
    expect(scores).toEqual({
      'BW-FILE-001': '5.5',
      'BW-GOV-001': '0.0',
      'BW-PKL-001': '9.5',
      'BW-PII-001': '5.5',
    });
    expect(resultFor('Text finding').level).toBe('error');
    expect(resultFor('Permission denied').level).toBe('note');
    expect(resultFor('Binary finding').level).toBe('note');
  });

  it('leaves out mapping lines a rule does not have', () => {
    const gov = run.tool.driver.rules.find((r) => r.id === 'BW-GOV-001')!;
    expect(gov.help.markdown).toBe('Nothing maps.\n\n**Remediation:** Nothing to do.');
  });
});

describe('renderSarif: results', () => {
  it('points each result at its rule', () => {
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
    expect(run.results).toHaveLength(report.findings.length);
  });

  it('carries the fingerprint and Bulwark properties', () => {
    const result = resultFor('Pickle imports os.system');
    const finding = report.findings.find((f) => f.message === 'Pickle imports os.system')!;
    expect(result.partialFingerprints).toEqual({ 'bulwark/v1': finding.fingerprint });
    expect(result.properties).toEqual({
      severity: 'critical',
      controls: ['R1'],
      evidence: { module: 'os', name: 'system' },
      member: 'archive/data.pkl',
      memberRegion: { byteOffset: 120 },
    });
    expect(resultFor('Email address').properties).toMatchObject({ row: 3, field: 'email' });
  });

  it('writes a text region when the line is known', () => {
    expect(resultFor('Text finding').locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/app.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 9, endLine: 5, endColumn: 2 },
    });
  });

  it('writes a byte region for an offset, and no region when there is no position', () => {
    expect(resultFor('Binary finding').locations[0]?.physicalLocation.region).toEqual({ byteOffset: 0 });
    expect(resultFor('Email address').locations[0]?.physicalLocation.region).toBeUndefined();
  });

  it('names the archive as the artifact and the member as a logical location', () => {
    const location = resultFor('Pickle imports os.system').locations[0]!;
    expect(location.physicalLocation).toEqual({
      artifactLocation: { uri: 'models/model.pt', uriBaseId: '%SRCROOT%' },
    });
    expect(location.logicalLocations).toEqual([
      { name: 'data.pkl', fullyQualifiedName: 'models/model.pt!/archive/data.pkl', kind: 'resource' },
    ]);
  });

  it('escapes paths into URIs', () => {
    expect(resultFor('Permission denied').locations[0]?.physicalLocation.artifactLocation).toEqual({
      uri: 'dir%20with%20space/%C3%BCn%C3%AF%23%3F.bin',
      uriBaseId: '%SRCROOT%',
    });
    expect(resultFor('Given as an absolute path').locations[0]?.physicalLocation.artifactLocation).toEqual({
      uri: 'file:///tmp/one%20file.txt',
    });
  });
});

describe('renderSarif: run', () => {
  it('records the invocation times and the scan', () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        startTimeUtc: '2025-03-01T10:00:00.000Z',
        endTimeUtc: '2025-03-01T10:00:02.000Z',
      },
    ]);
    expect(run.properties).toMatchObject({ scanId: 'scan-42', filesScanned: 5 });
  });

  it('records the source root as %SRCROOT%, or leaves it to the viewer', () => {
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
    const windows = buildSarifLog(report, RULES, { srcRoot: 'C:\\Work\\my repo\\' }).runs[0]!;
    expect(windows.originalUriBaseIds['%SRCROOT%']).toEqual({ uri: 'file:///C:/Work/my%20repo/' });
    const unknown = buildSarifLog(report, RULES).runs[0]!;
    expect(unknown.originalUriBaseIds['%SRCROOT%']?.uri).toBeUndefined();
    expect(unknown.originalUriBaseIds['%SRCROOT%']?.description?.text).toMatch(/scan/);
  });

  it('refuses a relative source root', () => {
    expect(() => buildSarifLog(report, RULES, { srcRoot: 'repo' })).toThrow(BulwarkError);
  });
});
