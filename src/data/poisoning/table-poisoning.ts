import { z } from 'zod';
import { BulwarkError, isBulwarkError } from '../../core/errors.js';
import type { Finding } from '../../core/findings.js';
import type { ByteSource, FileIdentity } from '../../core/scan/types.js';
import { readTable } from '../readers/read-data.js';
import { countLabels, type LabelCounts } from './class-balance.js';
import { poisoningFindings } from './poisoning-findings.js';
import { recordsFromTable, type DataRecord } from './records.js';
import { scanPoisoning } from './scan-poisoning.js';

/** `scanners.data.poisoning` in bulwark.yaml (and what `scan data --text-column …` sets for one run). */
export const poisoningSettingsSchema = z
  .strictObject({
    textColumn: z.string().min(1).optional().meta({
      description:
        'Column holding the free text (`--text-column`). The checks run when a text or a label column is named.',
    }),
    labelColumn: z.string().min(1).optional().meta({
      description: 'Column holding the label (`--label-column`): label conflicts, triggers, class balance.',
    }),
    reference: z.record(z.string(), z.number().min(0)).optional().meta({
      description:
        'Trusted label counts, e.g. {positive: 5000, negative: 5000}; `--reference FILE` counts them from a trusted dataset.',
    }),
    checks: z
      .strictObject({
        duplicates: z
          .boolean()
          .default(true)
          .meta({ description: 'Exact and near duplicates, label conflicts.' }),
        triggers: z.boolean().default(true).meta({ description: 'Backdoor trigger phrases (needs labels).' }),
        outliers: z.boolean().default(true).meta({ description: 'Numeric and text outliers.' }),
        hiddenUnicode: z
          .boolean()
          .default(true)
          .meta({ description: 'Zero-width, bidi, tag characters and mixed-script words.' }),
      })
      .prefault({})
      .meta({ description: 'Turns single checks off.' }),
    nearDuplicateThreshold: z.number().min(0.5).max(1).default(0.8).meta({
      description: 'Estimated Jaccard similarity at or above which two rows are near duplicates.',
    }),
    maxRowsListed: z.int().min(1).max(100_000).default(20).meta({
      description:
        'Rows listed in the evidence of one duplicate or conflict finding (the count is always given).',
    }),
    maxTriggerRows: z.int().min(1).max(1_000_000).default(100_000).meta({
      description:
        'Rows listed in the evidence of one backdoor-trigger finding: every poisoned row, up to this many.',
    }),
  })
  .meta({
    description: 'Poisoning and data-quality checks of tables (controls D6, P3): see docs/data-poisoning.md.',
  });

/** Parsed `scanners.data.poisoning` settings. */
export type PoisoningSettings = z.output<typeof poisoningSettingsSchema>;

/** The file kinds (as the scan framework sniffs them) read as tables by the poisoning checks. */
const TABLE_KINDS = new Set(['csv', 'tsv', 'json', 'jsonl', 'parquet']);

/** The columns the settings name, text first. */
export function namedColumns(settings: Pick<PoisoningSettings, 'textColumn' | 'labelColumn'>): string[] {
  return [settings.textColumn, settings.labelColumn].filter((c): c is string => c !== undefined);
}

/**
 * Tells whether a file of this kind gets the poisoning checks: tables (CSV/TSV, JSON/JSONL,
 * Parquet) always; a plain text file, which reads as one column `text`, only when every column
 * named is `text`, so a README in a data folder is not mistaken for a table without the columns.
 */
export function isPoisoningTable(
  kind: string,
  settings: Pick<PoisoningSettings, 'textColumn' | 'labelColumn'>,
): boolean {
  const columns = namedColumns(settings);
  if (columns.length === 0) return false;
  if (TABLE_KINDS.has(kind)) return true;
  return kind === 'text' && columns.every((column) => column === 'text');
}

/**
 * Runs the poisoning and quality checks over one table (readTable → recordsFromTable →
 * scanPoisoning → poisoningFindings). A named column missing from the table is a USAGE fault
 * naming the file and the columns it has.
 */
export async function scanTablePoisoning(
  target: { readonly path: string; readonly source: ByteSource; readonly identity?: FileIdentity },
  settings: PoisoningSettings,
): Promise<Finding[]> {
  const textField = settings.textColumn ?? 'text';
  const records = recordsFromTable(
    readTable(target.source, target.identity === undefined ? {} : { identity: target.identity }),
    columnsOf(settings),
  );
  const report = await withPath(target.path, () =>
    scanPoisoning(records, {
      textField,
      duplicates: settings.checks.duplicates ? { threshold: settings.nearDuplicateThreshold } : false,
      triggers: settings.checks.triggers && settings.labelColumn !== undefined ? {} : false,
      outliers: settings.checks.outliers ? {} : false,
      hiddenUnicode: settings.checks.hiddenUnicode ? {} : false,
      ...(settings.reference === undefined || settings.labelColumn === undefined
        ? {}
        : { reference: settings.reference }),
    }),
  );
  return poisoningFindings(report, {
    path: target.path,
    textField,
    maxRows: settings.maxRowsListed,
    maxTriggerRows: settings.maxTriggerRows,
  });
}

/** Checks that the first row of a table has the named columns (USAGE fault naming those it has). */
export async function checkTableColumns(
  path: string,
  source: ByteSource,
  settings: Pick<PoisoningSettings, 'textColumn' | 'labelColumn'>,
  identity?: FileIdentity,
): Promise<void> {
  const rows = recordsFromTable(
    readTable(source, identity === undefined ? {} : { identity }),
    columnsOf(settings),
  );
  await withPath(path, async () => {
    await rows.next();
    await rows.return(undefined);
  });
}

/**
 * Counts the labels of a trusted reference table (any format the data readers know) in
 * `labelColumn`, for the class-balance check; a table without labelled rows is INPUT_INVALID.
 */
export async function tableLabelCounts(
  path: string,
  source: ByteSource,
  labelColumn: string,
): Promise<LabelCounts> {
  const counts = await withPath(path, () =>
    countLabels(recordsFromTable(readTable(source), { label: labelColumn })),
  );
  if (Object.values(counts).every((count) => count === 0))
    throw new BulwarkError('INPUT_INVALID', `${path}: no labelled rows in column ${labelColumn}`);
  return counts;
}

/**
 * The records of a table file (any format the data readers know) with `columns` as text and label;
 * a fault names the file (`train.csv: no column review in the data; columns: …`).
 */
export async function* tableRecords(
  path: string,
  source: ByteSource,
  columns: Pick<PoisoningSettings, 'textColumn' | 'labelColumn'>,
): AsyncGenerator<DataRecord> {
  try {
    yield* recordsFromTable(readTable(source), columnsOf(columns));
  } catch (error) {
    throw prefixed(path, error);
  }
}

function columnsOf(settings: Pick<PoisoningSettings, 'textColumn' | 'labelColumn'>): {
  text?: string;
  label?: string;
} {
  return {
    ...(settings.textColumn === undefined ? {} : { text: settings.textColumn }),
    ...(settings.labelColumn === undefined ? {} : { label: settings.labelColumn }),
  };
}

/** Prefixes the path to the message of a fault, keeping its code, so the one line names the file. */
async function withPath<T>(path: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw prefixed(path, error);
  }
}

function prefixed(path: string, error: unknown): unknown {
  if (!isBulwarkError(error) || error.message.startsWith(`${path}: `)) return error;
  return new BulwarkError(error.code, `${path}: ${error.message}`, { cause: error });
}
