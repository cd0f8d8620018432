import {
  compareClassBalance,
  LabelCounter,
  type ClassBalanceOptions,
  type ClassBalanceResult,
  type LabelCounts,
} from './class-balance.js';
import { HiddenUnicodeDetector, type HiddenUnicodeReport } from './hidden-unicode.js';
import { findLabelConflicts, type LabelConflict } from './label-conflicts.js';
import { DuplicateDetector, type DuplicateOptions, type DuplicateReport } from './near-duplicates.js';
import { OutlierDetector, type OutlierOptions, type OutlierReport } from './outliers.js';
import { feedSinks, type RecordSink, type RecordSource } from './records.js';
import { TriggerDetector, type TriggerOptions, type TriggerReport } from './trigger-tokens.js';

/** Which checks run and with what options; `false` turns a check off. */
export interface PoisoningOptions {
  /** Name of the text column, reported as the field of text findings (default `text`). */
  readonly textField?: string;
  readonly duplicates?: DuplicateOptions | false;
  readonly triggers?: TriggerOptions | false;
  readonly outliers?: OutlierOptions | false;
  readonly hiddenUnicode?: { readonly maxListed?: number } | false;
  /** Trusted label counts; when given, the label distribution is compared with them. */
  readonly reference?: LabelCounts;
  readonly classBalance?: ClassBalanceOptions;
}

/** Every result of the poisoning and quality checks over one dataset. */
export interface PoisoningReport {
  readonly rows: number;
  readonly labels: LabelCounts;
  readonly duplicates?: DuplicateReport;
  readonly labelConflicts?: readonly LabelConflict[];
  readonly triggers?: TriggerReport;
  readonly outliers?: OutlierReport;
  readonly hiddenUnicode?: HiddenUnicodeReport;
  readonly classBalance?: ClassBalanceResult;
}

/**
 * Runs the poisoning and data-quality checks of controls D6 and P3 over `records` in a single pass,
 * so a streamed file is read once: duplicates and label conflicts, trigger tokens, outliers, hidden
 * Unicode, and the class balance against `reference` when given.
 */
export async function scanPoisoning(
  records: RecordSource,
  options: PoisoningOptions = {},
): Promise<PoisoningReport> {
  const textField = options.textField ?? 'text';
  const labels = new LabelCounter();
  const duplicates = options.duplicates === false ? undefined : new DuplicateDetector(options.duplicates);
  const triggers = options.triggers === false ? undefined : new TriggerDetector(options.triggers);
  const outliers =
    options.outliers === false ? undefined : new OutlierDetector({ textField, ...options.outliers });
  const hidden =
    options.hiddenUnicode === false
      ? undefined
      : new HiddenUnicodeDetector({ textField, ...options.hiddenUnicode });
  const sinks: RecordSink<unknown>[] = [labels];
  for (const sink of [duplicates, triggers, outliers, hidden]) if (sink !== undefined) sinks.push(sink);
  const rows = await feedSinks(records, sinks);
  const labelCounts = labels.finish();
  const duplicateReport = duplicates?.finish();
  return {
    rows,
    labels: labelCounts,
    ...(duplicateReport === undefined
      ? {}
      : { duplicates: duplicateReport, labelConflicts: findLabelConflicts(duplicateReport) }),
    ...(triggers === undefined ? {} : { triggers: triggers.finish() }),
    ...(outliers === undefined ? {} : { outliers: outliers.finish() }),
    ...(hidden === undefined ? {} : { hiddenUnicode: hidden.finish() }),
    ...(options.reference === undefined
      ? {}
      : { classBalance: compareClassBalance(labelCounts, options.reference, options.classBalance) }),
  };
}
