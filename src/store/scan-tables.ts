import { randomUUID } from 'node:crypto';
import type { ControlId } from '../core/controls.js';
import { BulwarkError } from '../core/errors.js';
import type { Location } from '../core/findings.js';
import type { Severity } from '../core/severity.js';
import type { TableContext } from './evidence-tables.js';
import type { FindingRow, ScanRow } from './schema.js';
import { chunkRows } from './store-backend.js';
import type {
  JsonObject,
  ListOptions,
  ScanInput,
  ScanRecord,
  ScanSummaryRecord,
  StoredFinding,
} from './store.js';
import {
  jsonObjectText,
  jsonText,
  listLimit,
  parseJsonColumn,
  requireFinding,
  requireStrings,
  requireText,
  requireTimestamp,
} from './validate-input.js';

const FINDING_COLUMNS = 10;

/** Stores a scan and all its findings in one transaction; a known scan id is a `STORE_CONFLICT`. */
export async function putScan(ctx: TableContext, input: ScanInput): Promise<void> {
  const id = requireText(input.id, 'scan id');
  const findingList: unknown = input.findings;
  if (!Array.isArray(findingList)) throw new BulwarkError('INPUT_INVALID', 'scan findings must be an array');
  const scan: ScanRow = {
    id,
    started_at: requireTimestamp(input.startedAt, 'scan startedAt'),
    finished_at: requireTimestamp(input.finishedAt, 'scan finishedAt'),
    targets: JSON.stringify(requireStrings(input.targets, 'scan targets')),
    summary: jsonObjectText(input.summary, 'scan summary'),
    finding_count: input.findings.length,
    created_at: ctx.now(),
  };
  const findings = input.findings.map((finding, index) =>
    findingRow(id, requireFinding(finding, index), index),
  );
  await ctx.backend.write('evidence', async (trx) => {
    await trx.insertInto('scans').values(scan).execute();
    for (const chunk of chunkRows(findings, FINDING_COLUMNS, ctx.backend.maxParameters)) {
      await trx.insertInto('findings').values(chunk).execute();
    }
  });
}

/** Reads a scan with its findings in the order they were stored. */
export async function getScan(ctx: TableContext, id: string): Promise<ScanRecord | undefined> {
  const { db } = ctx.backend;
  const scan = await db
    .selectFrom('scans')
    .selectAll()
    .where('id', '=', requireText(id, 'scan id'))
    .executeTakeFirst();
  if (scan === undefined) return undefined;
  const rows = await db
    .selectFrom('findings')
    .selectAll()
    .where('scan_id', '=', scan.id)
    .orderBy('ordinal')
    .execute();
  return { ...scanSummary(scan), findings: rows.map(storedFinding) };
}

/** Lists scans newest first (by start time), without their findings. */
export async function listScans(ctx: TableContext, options: ListOptions = {}): Promise<ScanSummaryRecord[]> {
  const rows = await ctx.backend.db
    .selectFrom('scans')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(listLimit(options.limit))
    .execute();
  return rows.map(scanSummary);
}

function findingRow(scanId: string, finding: StoredFinding, ordinal: number): FindingRow {
  const what = `findings[${ordinal}]`;
  return {
    id: randomUUID(),
    scan_id: scanId,
    ordinal,
    rule_id: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    location: jsonObjectText(finding.location, `${what}.location`),
    evidence: finding.evidence === undefined ? null : jsonObjectText(finding.evidence, `${what}.evidence`),
    fingerprint: finding.fingerprint,
    controls: jsonText(finding.controls, `${what}.controls`),
  };
}

function storedFinding(row: FindingRow): StoredFinding {
  return {
    ruleId: row.rule_id,
    severity: row.severity as Severity,
    message: row.message,
    location: parseJsonColumn<Location>(row.location, 'finding location'),
    ...(row.evidence === null
      ? {}
      : { evidence: parseJsonColumn<JsonObject>(row.evidence, 'finding evidence') }),
    controls: parseJsonColumn<ControlId[]>(row.controls, 'finding controls'),
    fingerprint: row.fingerprint,
  };
}

function scanSummary(row: ScanRow): ScanSummaryRecord {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    targets: parseJsonColumn<string[]>(row.targets, 'scan targets'),
    summary: parseJsonColumn<JsonObject>(row.summary, 'scan summary'),
    findingCount: Number(row.finding_count),
    createdAt: row.created_at,
  };
}
