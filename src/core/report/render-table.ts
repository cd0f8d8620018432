import type { Location } from '../findings.js';
import { SEVERITIES, type Severity } from '../severity.js';
import { formatByteSize } from '../config/byte-size.js';
import type { ReportedFinding, ScanReport } from './report.js';

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Use ANSI colours; decide with `resolveColor`. */
  readonly color: boolean;
}

const SEVERITY_STYLE: Readonly<Record<Severity, string>> = {
  critical: '1;35',
  high: '1;31',
  medium: '33',
  low: '36',
  info: '2',
};

/**
 * Renders a report for people: findings grouped by file, one line each with severity, position, rule
 * and message, then a summary line. Text that came from scanned files is escaped, so a crafted file
 * name or message cannot send terminal control sequences or reorder the line with bidi controls.
 */
export function renderTable(report: ScanReport, options: TableOptions): string {
  const paint = (code: string, text: string): string =>
    options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  for (const [path, findings] of groupByPath(report.findings)) {
    const rows = findings.map((finding) => ({
      finding,
      severity: finding.severity.toUpperCase(),
      where: printable(positionOf(finding.location)),
    }));
    const whereWidth = Math.max(...rows.map((row) => row.where.length));
    const ruleWidth = Math.max(...rows.map((row) => row.finding.ruleId.length));
    if (lines.length > 0) lines.push('');
    lines.push(paint('1', printable(path)));
    for (const row of rows) {
      const severity = paint(SEVERITY_STYLE[row.finding.severity], row.severity.padEnd(8));
      const rule = paint('2', printable(row.finding.ruleId).padEnd(ruleWidth));
      lines.push(
        `  ${severity}  ${row.where.padEnd(whereWidth)}  ${rule}  ${printable(row.finding.message)}`,
      );
    }
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report, paint));
  return `${lines.join('\n')}\n`;
}

function groupByPath(findings: readonly ReportedFinding[]): Map<string, ReportedFinding[]> {
  const groups = new Map<string, ReportedFinding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.location.path);
    if (group) group.push(finding);
    else groups.set(finding.location.path, [finding]);
  }
  return groups;
}

/** Where in the file: `12:5`, `row 3 [email]`, `byte 1024`, prefixed by the archive member. */
function positionOf(location: Location): string {
  const parts: string[] = [];
  if (location.line !== undefined) {
    parts.push(location.column === undefined ? `${location.line}` : `${location.line}:${location.column}`);
  }
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.field !== undefined) parts.push(`[${location.field}]`);
  if (location.offset !== undefined && location.line === undefined) parts.push(`byte ${location.offset}`);
  const position = parts.join(' ');
  if (location.member !== undefined)
    return position === '' ? location.member : `${location.member} ${position}`;
  return position === '' ? '-' : position;
}

function summaryLine(report: ScanReport, paint: (code: string, text: string) => string): string {
  const { summary, scan } = report;
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) =>
    paint(SEVERITY_STYLE[s], `${summary.bySeverity[s]} ${s}`),
  );
  const found =
    summary.total === 0
      ? 'No findings'
      : `${summary.total} finding${summary.total === 1 ? '' : 's'} (${counts.join(', ')})`;
  const files = `${scan.filesScanned} file${scan.filesScanned === 1 ? '' : 's'} scanned (${formatByteSize(scan.bytesScanned)}), ${scan.filesSkipped} skipped`;
  const parts = [found, files];
  if (summary.failOn !== undefined) {
    const verdict = summary.failed ? paint('1;31', 'FAILED') : paint('32', 'passed');
    parts.push(`fail-on ${summary.failOn}: ${verdict}`);
  }
  return parts.join(' · ');
}

// C0 and C1 controls, DEL, and the Unicode bidi embedding, override and isolate controls.
// eslint-disable-next-line no-control-regex -- these are exactly the characters being escaped
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Escapes characters that would let scanned content drive the terminal. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
