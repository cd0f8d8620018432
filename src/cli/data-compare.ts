import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { allRules } from '../catalogue.js';
import { BulwarkError } from '../core/errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../core/report/output-format.js';
import { renderSarif } from '../core/report/render-sarif.js';
import { buildReport, exitCodeFor, type ScanReport } from '../core/report/report.js';
import { digestSource } from '../core/scan/scan-file.js';
import type { ClosableByteSource } from '../core/scan/walk-entry.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { splitOverlapFindings } from '../data/poisoning/poisoning-findings.js';
import {
  compareSplits,
  type SplitOverlapPair,
  type SplitOverlapReport,
} from '../data/poisoning/split-overlap.js';
import { tableRecords } from '../data/poisoning/table-poisoning.js';
import { VERSION } from '../version.js';
import { withContext, type CliContext } from './context.js';
import { openFileSource } from './file-source.js';
import { emit } from './files.js';
import type { CliIo } from './io.js';
import { wholeNumberOption } from './options.js';
import { applyRuleSettings } from './scan.js';

interface CompareOptions {
  train?: string;
  validation?: string;
  textColumn?: string;
  labelColumn?: string;
  threshold?: string;
  maxListed?: string;
  format?: OutputFormat;
  output?: string;
  failOn?: Severity | 'none';
}

/** One split as `data compare --format json` reports it. */
export interface CompareSplit {
  readonly path: string;
  /** `sha256:<hex>` of the file as read. */
  readonly digest: string;
  /** Rows with text that were compared. */
  readonly rows: number;
}

/** What `bulwark data compare --format json` prints (documented in docs/data-poisoning.md). */
export interface DataCompareResult {
  /** False when an overlap finding is at or above `failOn` (the exit status is then 1). */
  readonly ok: boolean;
  readonly train: CompareSplit;
  readonly validation: CompareSplit;
  readonly textColumn: string | null;
  readonly labelColumn: string | null;
  readonly threshold: number;
  /** Validation rows that repeat a training row exactly (after normalization), and nearly. */
  readonly exact: number;
  readonly near: number;
  /** (exact + near) / validation rows. */
  readonly overlapShare: number;
  /** Every overlapping validation row with the training row it repeats, up to `--max-listed`. */
  readonly pairs: readonly SplitOverlapPair[];
  /** Overlapping rows not listed in `pairs`. */
  readonly omitted: number;
  readonly failOn: Severity | null;
  /** The id of the gate decision in the evidence store. */
  readonly decisionId: string;
}

/** Default gate of `data compare`: any overlap (BW-DATA-113 is medium) fails the run. */
const DEFAULT_FAIL_ON: Severity = 'low';

/**
 * `bulwark data compare --train A --validation B`: exact and near-duplicate overlap between two
 * splits (control P2). Leaked rows make validation measure memory, so any overlap fails by default;
 * the verdict is recorded as a decision in the store and the audit log.
 */
export function registerDataCompare(data: Command, io: CliIo): void {
  data
    .command('compare')
    .description(
      'name every validation row that repeats a training row, exactly or nearly (split leakage); exit 1 if any',
    )
    .option('--train <file>', 'training split (CSV, TSV, JSON, JSONL, Parquet or text, one row per line)')
    .option('--validation <file>', 'validation or test split, in any of the same formats')
    .option('--text-column <name>', 'column compared (default: the whole row, every column but the label)')
    .option('--label-column <name>', 'label column: pairs whose labels differ are marked')
    .option(
      '--threshold <similarity>',
      'estimated Jaccard similarity of near duplicates, 0.5–1 (default: 0.8)',
    )
    .option(
      '--max-listed <n>',
      'overlapping rows listed at most (default: 10000; the counts are always exact)',
    )
    .addOption(new Option('-f, --format <format>', 'output format (default: table)').choices(OUTPUT_FORMATS))
    .option('-o, --output <file>', 'write the output to a file instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        `exit 1 when an overlap finding is at or above this severity (default: ${DEFAULT_FAIL_ON}, any overlap)`,
      ).choices([...SEVERITIES, 'none']),
    )
    .action(async function (this: Command, opts: CompareOptions) {
      await withContext(io, this, (ctx) => compareData(ctx, opts));
    });
}

async function compareData(ctx: CliContext, opts: CompareOptions): Promise<void> {
  if (opts.train === undefined || opts.validation === undefined)
    throw new BulwarkError('USAGE', 'data compare needs --train FILE and --validation FILE');
  const threshold = thresholdOption(opts.threshold);
  const maxListed = opts.maxListed === undefined ? 10_000 : wholeNumberOption(opts.maxListed, '--max-listed');
  const failOn = opts.failOn === 'none' ? undefined : (opts.failOn ?? DEFAULT_FAIL_ON);
  const columns = {
    ...(opts.textColumn === undefined ? {} : { textColumn: opts.textColumn }),
    ...(opts.labelColumn === undefined ? {} : { labelColumn: opts.labelColumn }),
  };
  const startedAt = new Date();
  const train = await openSplit(ctx, opts.train, '--train');
  try {
    const validation = await openSplit(ctx, opts.validation, '--validation');
    try {
      const overlap = await compareSplits(
        tableRecords(opts.train, train, columns),
        tableRecords(opts.validation, validation, columns),
        { threshold, maxListed },
      );
      const findings = applyRuleSettings(
        splitOverlapFindings(overlap, {
          trainPath: opts.train,
          validationPath: opts.validation,
          maxPerRule: Math.max(1, maxListed),
        }),
        ctx.config.rules,
      );
      const report = buildReport({
        toolVersion: VERSION,
        scanId: randomUUID(),
        startedAt,
        finishedAt: new Date(),
        targets: [opts.train, opts.validation],
        filesScanned: 2,
        filesSkipped: 0,
        bytesScanned: train.size + validation.size,
        findings,
        ...(failOn === undefined ? {} : { failOn }),
      });
      const splits = {
        train: { path: opts.train, digest: await digestSource(train), rows: overlap.trainRows },
        validation: {
          path: opts.validation,
          digest: await digestSource(validation),
          rows: overlap.validationRows,
        },
      };
      const ok = exitCodeFor(report, failOn) === 0;
      const decisionId = await recordDecision(ctx, splits, overlap, ok, failOn);
      ctx.io.exitCode = Math.max(ctx.io.exitCode, ok ? 0 : 1);
      const result: DataCompareResult = {
        ok,
        ...splits,
        textColumn: opts.textColumn ?? null,
        labelColumn: opts.labelColumn ?? null,
        threshold,
        exact: overlap.exact,
        near: overlap.near,
        overlapShare: overlap.overlapShare,
        pairs: overlap.pairs,
        omitted: overlap.omitted,
        failOn: failOn ?? null,
        decisionId,
      };
      await emit(ctx.io, render(result, report, opts.format ?? 'table'), opts.output);
    } finally {
      await validation.close();
    }
  } finally {
    await train.close();
  }
}

async function openSplit(ctx: CliContext, file: string, flag: string): Promise<ClosableByteSource> {
  try {
    return await openFileSource(resolve(ctx.io.cwd, file));
  } catch (error) {
    if (error instanceof BulwarkError)
      throw new BulwarkError(error.code, `${flag}: ${error.message}`, { cause: error });
    throw error;
  }
}

function thresholdOption(value: string | undefined): number {
  if (value === undefined) return 0.8;
  const threshold = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(threshold >= 0.5 && threshold <= 1))
    throw new BulwarkError('USAGE', `--threshold must be a similarity between 0.5 and 1, got "${value}"`);
  return threshold;
}

/** Records the gate decision, subject the validation split by digest, and its audit log entry. */
async function recordDecision(
  ctx: CliContext,
  splits: { readonly train: CompareSplit; readonly validation: CompareSplit },
  overlap: SplitOverlapReport,
  ok: boolean,
  failOn: Severity | undefined,
): Promise<string> {
  const overlapping = overlap.exact + overlap.near;
  const decision = {
    subjectDigest: splits.validation.digest,
    subject: splits.validation.path,
    action: 'compare-splits',
    verdict: ok ? ('allow' as const) : ('deny' as const),
    reason:
      overlapping === 0
        ? `no validation row of ${overlap.validationRows} repeats a training row`
        : `${overlapping} of ${overlap.validationRows} validation row(s) repeat training rows (${overlap.exact} exact, ${overlap.near} near)`,
    ...(failOn === undefined ? {} : { policy: `fail-on ${failOn}` }),
  };
  const details = {
    train: splits.train.path,
    trainDigest: splits.train.digest,
    trainRows: overlap.trainRows,
    validationRows: overlap.validationRows,
    exact: overlap.exact,
    near: overlap.near,
    overlapShare: overlap.overlapShare,
  };
  const store = await ctx.store();
  const id = await store.putDecision({ ...decision, details });
  await (
    await ctx.auditLog()
  ).append({ kind: 'decision', data: { decisionId: id, ...decision, ...details } });
  return id;
}

function render(result: DataCompareResult, report: ScanReport, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'sarif':
      return renderSarif(report, allRules());
    case 'table':
      return renderText(result);
  }
}

function renderText(result: DataCompareResult): string {
  const overlapping = result.exact + result.near;
  const lines = [
    `train       ${result.train.path}: ${result.train.rows} row(s)  ${result.train.digest}`,
    `validation  ${result.validation.path}: ${result.validation.rows} row(s)  ${result.validation.digest}`,
  ];
  if (overlapping === 0) {
    lines.push(`no overlap: no validation row repeats a training row (similarity ≥ ${result.threshold})`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `${result.ok ? 'overlap' : 'FAILED '}     ${overlapping} validation row(s) repeat training rows: ` +
      `${result.exact} exact, ${result.near} near (${(result.overlapShare * 100).toFixed(2)}% of validation)`,
  );
  for (const pair of result.pairs) {
    const how = pair.kind === 'exact' ? 'exact' : `near ${pair.similarity}`;
    lines.push(
      `  validation row ${String(pair.validationRow).padEnd(8)} train row ${String(pair.trainRow).padEnd(8)} ${how}` +
        (pair.labelsDiffer ? '  labels differ' : ''),
    );
  }
  if (result.omitted > 0) lines.push(`  … ${result.omitted} more not listed (--max-listed)`);
  return `${lines.join('\n')}\n`;
}
