import { describe, expect, it } from 'vitest';
import type { Finding } from '../findings.js';
import { printable, renderTable } from './render-table.js';
import { buildReport } from './report.js';

const ESC = '\u001b';
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

function reportOf(findings: Finding[], failOn?: 'high') {
  return buildReport({
    toolVersion: '0.1.0',
    scanId: 's',
    startedAt: '2025-01-01T00:00:00Z',
    finishedAt: '2025-01-01T00:00:01Z',
    targets: ['.'],
    filesScanned: 4,
    filesSkipped: 1,
    bytesScanned: 3 * 1024 ** 2,
    findings,
    ...(failOn === undefined ? {} : { failOn }),
  });
}

const findings: Finding[] = [
  {
    ruleId: 'BW-SEC-001',
    severity: 'high',
    message: 'AWS access key',
    location: { path: 'src/app.py', line: 12, column: 5 },
    controls: ['T2'],
  },
  {
    ruleId: 'BW-SEC-002',
    severity: 'low',
    message: 'Generic token',
    location: { path: 'src/app.py', line: 120 },
    controls: ['T2'],
  },
  {
    ruleId: 'BW-PKL-001',
    severity: 'critical',
    message: 'Pickle imports os.system',
    location: { path: 'model.pt', member: 'archive/data.pkl', offset: 64 },
    controls: ['R1'],
  },
  {
    ruleId: 'BW-PII-001',
    severity: 'medium',
    message: 'Email address',
    location: { path: 'users.csv', row: 3, field: 'email' },
    controls: ['D1'],
  },
  {
    ruleId: 'BW-FILE-001',
    severity: 'info',
    message: 'Unreadable',
    location: { path: 'secret.bin' },
    controls: ['D7'],
  },
];

describe('renderTable', () => {
  it('groups findings by file with aligned columns and a summary', () => {
    expect(renderTable(reportOf(findings, 'high'), { color: false })).toBe(
      [
        'model.pt',
        '  CRITICAL  archive/data.pkl byte 64  BW-PKL-001  Pickle imports os.system',
        '',
        'secret.bin',
        '  INFO      -  BW-FILE-001  Unreadable',
        '',
        'src/app.py',
        '  HIGH      12:5  BW-SEC-001  AWS access key',
        '  LOW       120   BW-SEC-002  Generic token',
        '',
        'users.csv',
        '  MEDIUM    row 3 [email]  BW-PII-001  Email address',
        '',
        '5 findings (1 critical, 1 high, 1 medium, 1 low, 1 info) · 4 files scanned (3 MiB), 1 skipped · fail-on high: FAILED',
        '',
      ].join('\n'),
    );
  });

  it('says when there is nothing to report', () => {
    expect(renderTable(reportOf([], 'high'), { color: false })).toBe(
      'No findings · 4 files scanned (3 MiB), 1 skipped · fail-on high: passed\n',
    );
    expect(renderTable(reportOf([]), { color: false })).toBe(
      'No findings · 4 files scanned (3 MiB), 1 skipped\n',
    );
  });

  it('uses no ANSI codes without colour, and colours severities with it', () => {
    expect(renderTable(reportOf(findings, 'high'), { color: false })).not.toContain(ESC);
    const coloured = renderTable(reportOf(findings, 'high'), { color: true });
    expect(coloured).toContain('\u001b[1;35mCRITICAL\u001b[0m');
    expect(coloured).toContain('\u001b[1;31mHIGH    \u001b[0m');
    expect(coloured).toContain('\u001b[33mMEDIUM  \u001b[0m');
    expect(coloured).toContain('\u001b[1;31mFAILED\u001b[0m');
    expect(coloured.replace(SGR, '')).toBe(renderTable(reportOf(findings, 'high'), { color: false }));
  });

  it('escapes control and bidi characters coming from scanned content', () => {
    const hostile: Finding = {
      ruleId: 'BW-FILE-001',
      severity: 'high',
      message: 'bad \u001b[2J\u001b]0;owned\u0007 name\u202e',
      location: { path: 'evil\u001b[31m.txt\r', member: 'a\u2066b' },
      controls: ['D7'],
    };
    const text = renderTable(reportOf([hostile]), { color: false });
    const unsafe = [...text].filter(
      (ch) => (ch < ' ' && ch !== '\n') || ['\u007f', '\u202e', '\u2066'].includes(ch),
    );
    expect(unsafe).toEqual([]);
    expect(text).toContain('evil\\u001b[31m.txt\\u000d');
    expect(text).toContain('a\\u2066b');
    expect(text).toContain('bad \\u001b[2J\\u001b]0;owned\\u0007 name\\u202e');
  });
});

describe('printable', () => {
  it('leaves ordinary text, accents and emoji alone', () => {
    expect(printable('café — naïve 🙂 tab-free')).toBe('café — naïve 🙂 tab-free');
  });

  it('escapes C0, DEL and C1 controls', () => {
    expect(printable('a\tb\nc\u007fd\u009be')).toBe('a\\u0009b\\u000ac\\u007fd\\u009be');
  });
});
