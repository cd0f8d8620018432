import type { Finding, Location } from '../../core/findings.js';
import { FindingCollector } from '../../models/finding-collector.js';
import type { ClassBalanceResult } from './class-balance.js';
import type { HiddenUnicodeKind, HiddenUnicodeReport } from './hidden-unicode.js';
import type { LabelConflict } from './label-conflicts.js';
import type { DuplicateGroup } from './near-duplicates.js';
import type { OutlierReport } from './outliers.js';
import {
  BACKDOOR_TRIGGER,
  BIDI_CONTROLS,
  CLASS_BALANCE_SHIFT,
  EXACT_DUPLICATE,
  LABEL_CONFLICT,
  LABEL_PURE_NGRAM,
  MIXED_SCRIPT_WORD,
  NEAR_DUPLICATE,
  NUMERIC_OUTLIER,
  SPLIT_OVERLAP,
  TAG_CHARACTERS,
  TEXT_OUTLIER,
  ZERO_WIDTH_CHARACTERS,
} from './poisoning-rules.js';
import type { PoisoningReport } from './scan-poisoning.js';
import type { SplitOverlapReport } from './split-overlap.js';
import type { TriggerToken } from './trigger-tokens.js';

/** Where a finding sits inside a dataset: a row, a field, and for hidden Unicode a span of the value. */
export interface DataPosition {
  readonly row?: number;
  readonly field?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endColumn?: number;
}

/** How findings are located and how much evidence they carry. */
export interface PoisoningFindingOptions {
  /** Path of the dataset, relative to the scan root. */
  readonly path: string;
  /** Field name of the text column (default `text`). */
  readonly textField?: string;
  /** Rows listed in one finding's evidence (default 20; the full count is always given). */
  readonly maxRows?: number;
  /**
   * Rows listed in one backdoor-trigger finding (default 100,000; `rowCount` gives the full count):
   * every poisoned row must be named to be removed, and a trigger covers at most 2% of the rows.
   */
  readonly maxTriggerRows?: number;
  /** Findings kept per rule (default 100; the rest are summarized in one finding). */
  readonly maxPerRule?: number;
  /**
   * Maps a position to a finding location; the default gives `row` and `field`, the table form. A
   * reader of text files where each line is a record can map rows to lines and spans to columns.
   */
  readonly locate?: (position: DataPosition) => Location;
}

const MAX_PHRASE = 80;

/** Turns a poisoning report into findings of the BW-DATA-101… rules, never echoing long text. */
export function poisoningFindings(report: PoisoningReport, options: PoisoningFindingOptions): Finding[] {
  const textField = options.textField ?? 'text';
  const maxRows = options.maxRows ?? 20;
  const locate = options.locate ?? ((p: DataPosition) => tableLocation(options.path, p));
  const rowsOf = (rows: readonly number[]): number[] => rows.slice(0, maxRows);
  const maxTriggerRows = options.maxTriggerRows ?? 100_000;
  const triggerRowsOf = (rows: readonly number[]): number[] => rows.slice(0, maxTriggerRows);
  const out = new FindingCollector(options.maxPerRule);
  for (const group of report.duplicates?.exact ?? [])
    out.add(EXACT_DUPLICATE, duplicateInput(group, locate, textField, rowsOf));
  for (const group of report.duplicates?.near ?? [])
    out.add(NEAR_DUPLICATE, duplicateInput(group, locate, textField, rowsOf));
  for (const conflict of report.labelConflicts ?? [])
    out.add(LABEL_CONFLICT, conflictInput(conflict, locate, textField, rowsOf));
  const triggers = report.triggers?.triggers ?? [];
  for (const trigger of triggers.filter((t) => t.verdict === 'backdoor')) {
    out.add(BACKDOOR_TRIGGER, triggerInput(trigger, locate, textField, triggerRowsOf));
  }
  const labelPure = triggers.filter((t) => t.verdict === 'label-pure');
  if (labelPure.length > 0)
    out.add(LABEL_PURE_NGRAM, labelPureInput(labelPure, locate, report.triggers?.omitted ?? 0));
  if (report.outliers !== undefined) outlierFindings(report.outliers, locate, out);
  if (report.hiddenUnicode !== undefined) hiddenFindings(report.hiddenUnicode, locate, out);
  if (report.classBalance?.isShifted === true)
    out.add(CLASS_BALANCE_SHIFT, balanceInput(report.classBalance, locate));
  return out.list();
}

/** Turns a split comparison into BW-DATA-113 findings located in the validation file. */
export function splitOverlapFindings(
  report: SplitOverlapReport,
  options: { readonly trainPath: string; readonly validationPath: string; readonly maxPerRule?: number },
): Finding[] {
  const out = new FindingCollector(options.maxPerRule);
  for (const pair of report.pairs) {
    const how = pair.kind === 'exact' ? 'repeats' : `nearly repeats (similarity ${pair.similarity})`;
    out.add(SPLIT_OVERLAP, {
      message: `validation row ${pair.validationRow} ${how} training row ${pair.trainRow}${pair.labelsDiffer ? ' with a different label' : ''}`,
      location: { path: options.validationPath, row: pair.validationRow },
      evidence: {
        kind: pair.kind,
        similarity: pair.similarity,
        trainPath: options.trainPath,
        trainRow: pair.trainRow,
        labelsDiffer: pair.labelsDiffer,
        overlapping: report.exact + report.near,
        validationRows: report.validationRows,
      },
    });
  }
  return out.list();
}

type Locate = (position: DataPosition) => Location;
type Input = Parameters<FindingCollector['add']>[1];

function tableLocation(path: string, { row, field }: DataPosition): Location {
  return { path, ...(row === undefined ? {} : { row }), ...(field === undefined ? {} : { field }) };
}

function duplicateInput(
  group: DuplicateGroup,
  locate: Locate,
  field: string,
  rowsOf: (r: readonly number[]) => number[],
): Input {
  const [first, second] = group.rows;
  const more = group.rows.length - 2;
  const what = group.kind === 'exact' ? 'repeats' : `nearly repeats (similarity ≥ ${group.similarity})`;
  return {
    message: `row ${second} ${what} row ${first}${more > 0 ? `, as do ${more} more rows` : ''}`,
    location: locate({ row: second ?? 0, field }),
    evidence: {
      kind: group.kind,
      size: group.rows.length,
      similarity: group.similarity,
      rows: rowsOf(group.rows),
    },
  };
}

function conflictInput(
  conflict: LabelConflict,
  locate: Locate,
  field: string,
  rowsOf: (r: readonly number[]) => number[],
): Input {
  const summary = conflict.labels.map((entry) => `${entry.label} ×${entry.rows.length}`).join(', ');
  const suspect = conflict.suspectRows[0] ?? conflict.rows[0] ?? 0;
  return {
    message: `${conflict.kind === 'exact' ? 'identical' : 'near-duplicate'} inputs in ${conflict.rows.length} rows carry different labels (${summary})`,
    location: locate({ row: suspect, field }),
    evidence: {
      kind: conflict.kind,
      similarity: conflict.similarity,
      majority: conflict.majority,
      labels: Object.fromEntries(conflict.labels.map((entry) => [entry.label, rowsOf(entry.rows)])),
      suspectRows: rowsOf(conflict.suspectRows),
      size: conflict.rows.length,
    },
  };
}

function triggerInput(
  trigger: TriggerToken,
  locate: Locate,
  field: string,
  rowsOf: (r: readonly number[]) => number[],
): Input {
  const phrase = clip(trigger.phrase, MAX_PHRASE);
  const share =
    trigger.disagreement === null
      ? ''
      : `; in ${Math.round(trigger.disagreement * 100)}% of them the other words point to another label`;
  return {
    message: `"${phrase}" appears in ${trigger.support} rows, ${Math.round(trigger.purity * 100)}% labelled "${trigger.label}"${share}`,
    location: locate({ row: trigger.rows[0] ?? 0, field }),
    evidence: {
      phrase,
      ngrams: trigger.ngrams.map((n) => clip(n, MAX_PHRASE)),
      label: trigger.label,
      support: trigger.support,
      purity: trigger.purity,
      lift: trigger.lift,
      pValue: trigger.pValue,
      adjustedPValue: trigger.adjustedPValue,
      disagreement: trigger.disagreement,
      rowCount: trigger.rows.length,
      rows: rowsOf(trigger.rows),
    },
  };
}

/**
 * Label-pure phrases are mostly words typical of their class, so they make one informational
 * finding for the dataset, listing the strongest phrases without naming rows.
 */
function labelPureInput(triggers: readonly TriggerToken[], locate: Locate, omitted: number): Input {
  const [first] = triggers;
  const count = triggers.length + omitted;
  return {
    message:
      `${count} rare phrase${count === 1 ? '' : 's'} appear almost only with one label, none contradicted by the ` +
      `rest of its rows (strongest: "${clip(first?.phrase ?? '', MAX_PHRASE)}" → ${first?.label ?? ''} in ${first?.support ?? 0} rows)`,
    location: locate({}),
    evidence: {
      count,
      phrases: triggers.slice(0, 10).map((t) => ({
        phrase: clip(t.phrase, MAX_PHRASE),
        label: t.label,
        support: t.support,
        purity: t.purity,
        disagreement: t.disagreement,
      })),
    },
  };
}

function outlierFindings(report: OutlierReport, locate: Locate, out: FindingCollector): void {
  const columns = new Map(report.columns.map((c) => [`${c.field}\u0000${c.metric}`, c]));
  for (const outlier of report.outliers) {
    const column = columns.get(`${outlier.field}\u0000${outlier.metric}`);
    const isNumeric = outlier.metric === 'value';
    const what = isNumeric ? `value ${outlier.value}` : `${outlier.metric} ${outlier.value}`;
    out.add(isNumeric ? NUMERIC_OUTLIER : TEXT_OUTLIER, {
      message: `${what} in "${outlier.field}" is an outlier (${outlier.methods.join(', ')} ${outlier.score})`,
      location: locate({ row: outlier.row, field: outlier.field }),
      evidence: {
        metric: outlier.metric,
        value: outlier.value,
        score: outlier.score,
        methods: [...outlier.methods],
        ...(column === undefined
          ? {}
          : isNumeric
            ? { mean: round(column.mean), std: round(column.std), q1: round(column.q1), q3: round(column.q3) }
            : { median: round(column.median), mad: round(column.mad) }),
      },
    });
  }
}

const HIDDEN_RULES = {
  'zero-width': ZERO_WIDTH_CHARACTERS,
  'bidi-control': BIDI_CONTROLS,
  'tag-characters': TAG_CHARACTERS,
  'mixed-script': MIXED_SCRIPT_WORD,
} as const satisfies Record<HiddenUnicodeKind, unknown>;

function hiddenFindings(report: HiddenUnicodeReport, locate: Locate, out: FindingCollector): void {
  for (const hit of report.hits) {
    for (const match of hit.matches) {
      const detail =
        match.kind === 'tag-characters'
          ? ` spelling "${match.decoded ?? ''}"`
          : match.kind === 'mixed-script'
            ? ` (${(match.scripts ?? []).join(' + ')})`
            : ` (${match.codePoints.join(' ')})`;
      out.add(HIDDEN_RULES[match.kind], {
        message: `${match.kind} at column ${match.column} of "${hit.field}"${detail}`,
        location: locate({
          row: hit.row,
          field: hit.field,
          line: match.line,
          column: match.column,
          endColumn: match.endColumn,
        }),
        evidence: {
          kind: match.kind,
          offset: match.offset,
          line: match.line,
          column: match.column,
          endColumn: match.endColumn,
          codePoints: [...match.codePoints],
          ...(match.decoded === undefined ? {} : { decoded: match.decoded }),
          ...(match.scripts === undefined ? {} : { scripts: [...match.scripts], word: match.word ?? '' }),
        },
      });
    }
  }
}

function balanceInput(result: ClassBalanceResult, locate: Locate): Input {
  const { maxShift } = result;
  const points = Math.round(maxShift.shift * 1000) / 10;
  return {
    message:
      `label "${maxShift.label}" is ${Math.round(maxShift.observedShare * 1000) / 10}% of rows against ` +
      `${Math.round(maxShift.referenceShare * 1000) / 10}% in the reference (${points > 0 ? '+' : ''}${points} points, p = ${result.pValue.toExponential(2)})`,
    location: locate({}),
    evidence: {
      chiSquare: result.chiSquare,
      degreesOfFreedom: result.degreesOfFreedom,
      pValue: result.pValue,
      total: result.total,
      shares: Object.fromEntries(
        result.classes.map((c) => [c.label, { observed: c.observedShare, reference: c.referenceShare }]),
      ),
      newLabels: [...result.newLabels],
      missingLabels: [...result.missingLabels],
    },
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
