import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { identifySource } from '../core/scan/sniff.js';
import { dataOptionsSchema } from '../data/data-scanner.js';
import {
  checkTableColumns,
  isPoisoningTable,
  namedColumns,
  poisoningSettingsSchema,
  tableLabelCounts,
  type PoisoningSettings,
} from '../data/poisoning/table-poisoning.js';
import type { CliContext } from './context.js';
import { openFileSource } from './file-source.js';

/** The poisoning options of `scan data` and `data admit`. */
export interface PoisoningCliOptions {
  textColumn?: string;
  labelColumn?: string;
  reference?: string;
}

/** Adds `--text-column`, `--label-column` and `--reference` to a verb that scans data. */
export function addPoisoningOptions(command: Command): Command {
  return command
    .option(
      '--text-column <name>',
      'run the poisoning and quality checks on tables, with this column as the text',
    )
    .option(
      '--label-column <name>',
      'run the poisoning and quality checks on tables, with this column as the label',
    )
    .option(
      '--reference <file>',
      'trusted reference dataset (CSV/TSV/JSON/JSONL/Parquet): report a shift of the label distribution from it',
    );
}

/**
 * The data scanner's options for `scan data`: `scanners.data` of bulwark.yaml with the poisoning
 * columns of `--text-column`/`--label-column` and the label counts of the `--reference` dataset,
 * read once here. Files named on the command line are checked for the columns before the scan, so
 * a typo is one usage line rather than a finding per file.
 */
export async function dataScannerOptions(
  ctx: CliContext,
  paths: readonly string[],
  opts: PoisoningCliOptions,
): Promise<Record<string, unknown> | undefined> {
  const configured = dataOptionsSchema.parse(ctx.config.scanners['data'] ?? {});
  const given =
    opts.textColumn !== undefined || opts.labelColumn !== undefined || opts.reference !== undefined;
  if (!given && configured.poisoning === undefined) return undefined;
  const settings: PoisoningSettings = poisoningSettingsSchema.parse({
    ...configured.poisoning,
    ...(opts.textColumn === undefined ? {} : { textColumn: opts.textColumn }),
    ...(opts.labelColumn === undefined ? {} : { labelColumn: opts.labelColumn }),
  });
  if (opts.reference !== undefined) {
    if (settings.labelColumn === undefined)
      throw new BulwarkError(
        'USAGE',
        '--reference needs --label-column: the column whose labels are compared',
      );
    settings.reference = await referenceCounts(ctx, opts.reference, settings.labelColumn);
  }
  if (namedColumns(settings).length === 0) return undefined;
  await checkNamedFiles(ctx, paths, settings);
  return { data: { ...configured, poisoning: settings } };
}

/** Label counts of the trusted reference dataset, from the same label column. */
async function referenceCounts(
  ctx: CliContext,
  file: string,
  labelColumn: string,
): Promise<Record<string, number>> {
  let source;
  try {
    source = await openFileSource(resolve(ctx.io.cwd, file));
  } catch (error) {
    if (error instanceof BulwarkError)
      throw new BulwarkError(error.code, `--reference: ${error.message}`, { cause: error });
    throw error;
  }
  try {
    return { ...(await tableLabelCounts(file, source, labelColumn)) };
  } finally {
    await source.close();
  }
}

/** Checks every table named on the command line (not found in a folder) for the poisoning columns. */
async function checkNamedFiles(
  ctx: CliContext,
  paths: readonly string[],
  settings: PoisoningSettings,
): Promise<void> {
  for (const path of paths) {
    const absolute = resolve(ctx.io.cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    // A missing path or a folder is the walker's to report; only named files are checked here.
    if (info?.isFile() !== true) continue;
    const source = await openFileSource(absolute);
    try {
      const identity = await identifySource(source);
      if (isPoisoningTable(identity.kind, settings) || identity.kind === 'text')
        await checkTableColumns(path, source, settings, identity);
    } finally {
      await source.close();
    }
  }
}
