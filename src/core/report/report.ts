import { sha256Hex } from '../digest.js';
import { BulwarkError } from '../errors.js';
import { compareFindings, type Finding } from '../findings.js';
import type { ScannedFile } from '../scan/types.js';
import { isAtOrAbove, SEVERITIES, type Severity } from '../severity.js';

/** Version of the JSON report format; documented by `docs/schema/report.schema.json`. */
export const REPORT_SCHEMA_VERSION = '1.0.0';

/** A finding as reported: the finding plus a fingerprint that identifies it across runs. */
export type ReportedFinding = Finding & { readonly fingerprint: string };

/** What a scan produced, in the shape of the versioned JSON output (`--format json`). */
export interface ScanReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'bulwark'; readonly version: string };
  readonly scan: {
    readonly id: string;
    /** ISO 8601 UTC timestamps. */
    readonly startedAt: string;
    readonly finishedAt: string;
    /** The paths the scan was asked to look at, as given. */
    readonly targets: readonly string[];
    readonly filesScanned: number;
    readonly filesSkipped: number;
    readonly bytesScanned: number;
  };
  readonly summary: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    /** The threshold the run was judged against, when there was one. */
    readonly failOn?: Severity;
    /** Whether a finding is at or above `failOn` (always false without a threshold). */
    readonly failed: boolean;
  };
  /** Sorted by path, member, position, then rule. */
  readonly findings: readonly ReportedFinding[];
  readonly files?: readonly ScannedFile[];
}

/** What {@link buildReport} needs; the clock and the scan id come from the caller. */
export interface BuildReportInput {
  readonly toolVersion: string;
  readonly scanId: string;
  readonly startedAt: Date | string;
  readonly finishedAt: Date | string;
  readonly targets: readonly string[];
  readonly filesScanned: number;
  readonly filesSkipped: number;
  readonly bytesScanned: number;
  readonly findings: readonly Finding[];
  readonly failOn?: Severity;
  /** Per-file detail; left out of the report when absent. */
  readonly files?: readonly ScannedFile[];
}

/**
 * Builds the report of a scan: findings sorted for stable output, each with a fingerprint unique within
 * the report, and the summary counts judged against `failOn`.
 */
export function buildReport(input: BuildReportInput): ScanReport {
  const sorted = [...input.findings].sort(compareFindings);
  const seen = new Map<string, number>();
  const findings = sorted.map((finding): ReportedFinding => {
    const base = fingerprintOf(finding);
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return { ...finding, fingerprint: occurrence === 0 ? base : fingerprintOf(finding, occurrence) };
  });
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) bySeverity[finding.severity] += 1;
  const failOn = input.failOn;
  const summary: ScanReport['summary'] = {
    total: findings.length,
    bySeverity,
    ...(failOn === undefined ? {} : { failOn }),
    failed: failOn !== undefined && findings.some((f) => isAtOrAbove(f.severity, failOn)),
  };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: input.toolVersion },
    scan: {
      id: input.scanId,
      startedAt: isoTime(input.startedAt, 'startedAt'),
      finishedAt: isoTime(input.finishedAt, 'finishedAt'),
      targets: [...input.targets],
      filesScanned: input.filesScanned,
      filesSkipped: input.filesSkipped,
      bytesScanned: input.bytesScanned,
    },
    summary,
    findings,
    ...(input.files === undefined ? {} : { files: [...input.files] }),
  };
}

/**
 * Returns the fingerprint of a finding: hex SHA-256 over its rule id, path, archive member and a key —
 * `evidence.fingerprintKey` when the scanner gives one, else the message.
 *
 * Line, column, row and offset are left out on purpose: editing a file above a finding moves it without
 * changing what it is, and a fingerprint that moved with it would make code-scanning alerts, baselines
 * and accepted risks churn on unrelated edits. Scanners whose messages carry volatile text (counts,
 * offsets) set `evidence.fingerprintKey` to what identifies the problem. `occurrence` (0 for the first)
 * tells apart identical findings in one file, numbered in report order, as GitHub's line hashes do.
 */
export function fingerprintOf(finding: Finding, occurrence = 0): string {
  const key = finding.evidence?.fingerprintKey;
  const parts: unknown[] = [
    finding.ruleId,
    finding.location.path,
    finding.location.member ?? null,
    key === undefined ? finding.message : key,
  ];
  if (occurrence > 0) parts.push(occurrence);
  return sha256Hex(JSON.stringify(parts));
}

/**
 * The exit status of a gated run: 0 when no finding is at or above `failOn`, 1 otherwise (2, for faults,
 * is the CLI's business). Without a threshold, findings never fail the run.
 */
export function exitCodeFor(report: Pick<ScanReport, 'findings'>, failOn: Severity | undefined): 0 | 1 {
  if (failOn === undefined) return 0;
  return report.findings.some((f) => isAtOrAbove(f.severity, failOn)) ? 1 : 0;
}

function isoTime(value: Date | string, field: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    throw new BulwarkError('INTERNAL', `report ${field} is not a valid time: ${String(value)}`);
  }
  return date.toISOString();
}
