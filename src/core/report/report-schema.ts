import { z } from 'zod';
import { schemaDocs } from '../schema-docs.js';
import { CONTROLS, type ControlId } from '../controls.js';
import { BulwarkError } from '../errors.js';
import { SEVERITIES } from '../severity.js';
import { REPORT_SCHEMA_VERSION, type ScanReport } from './report.js';

const { described, toJson } = schemaDocs();

const count = z.int().min(0);
const severity = described(z.enum(SEVERITIES), { id: 'Severity', description: 'From most to least severe.' });
const controlId = z.enum(CONTROLS.map((c) => c.id) as [ControlId, ...ControlId[]]);
const jsonValue = described(z.json(), { id: 'JsonValue', description: 'Any JSON value.' });
const timestamp = z.iso.datetime();

const location = described(
  z.strictObject({
    path: z.string().min(1),
    member: z.string().min(1).optional(),
    line: z.int().min(1).optional(),
    column: z.int().min(1).optional(),
    endLine: z.int().min(1).optional(),
    endColumn: z.int().min(1).optional(),
    row: z.int().min(1).optional(),
    field: z.string().optional(),
    offset: count.optional(),
  }),
  {
    id: 'Location',
    description:
      'Where a finding is: path relative to the scan root with / separators; member inside an archive; ' +
      'line/column/endLine/endColumn with SARIF region semantics (1-based, endColumn exclusive); ' +
      'row (1-based, header excluded) and field for tables; offset, a 0-based byte offset in binary files.',
  },
);

const finding = described(
  z.strictObject({
    ruleId: z.string().regex(/^BW-[A-Z]+-\d{3}$/),
    severity,
    message: z.string().min(1),
    location,
    evidence: z.record(z.string(), jsonValue).optional(),
    controls: z.array(controlId),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  {
    id: 'Finding',
    description: 'One result of a rule; fingerprint identifies it across runs and is unique within a report.',
  },
);

const scannedFile = described(
  z.strictObject({
    path: z.string().min(1),
    size: count,
    digest: z.templateLiteral(['sha256:', z.string().regex(/^[0-9a-f]{64}$/)]).optional(),
    identity: z
      .strictObject({ kind: z.string().min(1), mediaType: z.string().min(1), detail: z.string().optional() })
      .optional(),
    scanners: z.array(z.string()),
    skipped: z.string().optional(),
  }),
  { id: 'ScannedFile', description: 'One file the scan saw; skipped says why it was not scanned.' },
);

/** The zod schema of the JSON report; `docs/schema/report.schema.json` is generated from it. */
export const reportSchema = described(
  z.strictObject({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('bulwark'), version: z.string().min(1) }),
    scan: z.strictObject({
      id: z.string().min(1),
      startedAt: timestamp,
      finishedAt: timestamp,
      targets: z.array(z.string()),
      filesScanned: count,
      filesSkipped: count,
      bytesScanned: count,
    }),
    summary: z.strictObject({
      total: count,
      bySeverity: z.strictObject({
        critical: count,
        high: count,
        medium: count,
        low: count,
        info: count,
      }),
      failOn: severity.optional(),
      failed: z.boolean(),
    }),
    findings: z.array(finding),
    files: z.array(scannedFile).optional(),
  }),
  {
    title: `Bulwark scan report ${REPORT_SCHEMA_VERSION}`,
    description: 'The output of `bulwark scan --format json`.',
  },
);

// A compile-time check that the schema describes exactly the ScanReport type.
const _reportMatches: (value: z.output<typeof reportSchema>) => ScanReport = (value) => value;
void _reportMatches;

/** The JSON Schema (draft 2020-12) of the JSON report, as published in `docs/schema/report.schema.json`. */
export function reportJsonSchema(): Record<string, unknown> {
  return toJson(reportSchema);
}

/** Reads a JSON report back (e.g. one uploaded to the server), refusing anything that is not one. */
export function parseReport(text: string): ScanReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new BulwarkError('INPUT_INVALID', 'report is not JSON', { cause });
  }
  const parsed = reportSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(root)';
  throw new BulwarkError('INPUT_INVALID', `report ${path}: ${issue?.message ?? 'is invalid'}`);
}
