import { BulwarkError } from '../../core/errors.js';
import { forEachRecord, type DataRecord, type RecordSink, type RecordSource } from './records.js';
import { chiSquareSurvival } from './statistics.js';

/** Label counts, e.g. `{ positive: 9800, negative: 10100 }`. */
export type LabelCounts = Readonly<Record<string, number>>;

/** When a shift is reported: significant and large enough to matter. */
export interface ClassBalanceOptions {
  /** p-value below which the distributions differ (default 0.001). */
  readonly alpha?: number;
  /** Least absolute change of one label's share (default 0.05, five percentage points). */
  readonly minShift?: number;
}

/** One label's share in the dataset and in the reference. */
export interface ClassShare {
  readonly label: string;
  readonly observed: number;
  readonly observedShare: number;
  readonly referenceShare: number;
  /** observedShare − referenceShare. */
  readonly shift: number;
}

/** The comparison of a label distribution with a trusted reference. */
export interface ClassBalanceResult {
  readonly total: number;
  readonly chiSquare: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** The label whose share moved most. */
  readonly maxShift: ClassShare;
  readonly classes: readonly ClassShare[];
  /** Labels in the data but not in the reference, and the reverse. */
  readonly newLabels: readonly string[];
  readonly missingLabels: readonly string[];
  /** True when p < alpha and the largest shift reaches minShift (or a label is new or missing). */
  readonly isShifted: boolean;
}

/**
 * Compares the label distribution with a trusted reference (control D6): a poisoning campaign that
 * adds or relabels many rows moves class shares, and so does a broken collection job. Pearson's
 * chi-square goodness of fit gives the p-value; since with a million rows any shift is significant,
 * the largest absolute change of a share must also reach `minShift`. Reference shares get half a
 * count of additive smoothing so a label absent from the reference has a finite expectation.
 */
export function compareClassBalance(
  observed: LabelCounts,
  reference: LabelCounts,
  options: ClassBalanceOptions = {},
): ClassBalanceResult {
  checkCounts(reference, 'reference');
  checkCounts(observed, 'observed');
  const alpha = options.alpha ?? 0.001;
  const minShift = options.minShift ?? 0.05;
  const labels = [...new Set([...Object.keys(reference), ...Object.keys(observed)])].sort();
  const total = sum(observed);
  if (total === 0) throw new BulwarkError('INPUT_INVALID', 'no labelled rows to compare with the reference');
  const referenceTotal = sum(reference) + 0.5 * labels.length;
  let chiSquare = 0;
  const classes = labels.map((label) => {
    const count = observed[label] ?? 0;
    const referenceShare = ((reference[label] ?? 0) + 0.5) / referenceTotal;
    const expected = total * referenceShare;
    chiSquare += (count - expected) ** 2 / expected;
    const observedShare = count / total;
    return {
      label,
      observed: count,
      observedShare: round(observedShare),
      referenceShare: round(referenceShare),
      shift: round(observedShare - referenceShare),
    };
  });
  const degreesOfFreedom = labels.length - 1;
  const pValue = degreesOfFreedom > 0 ? chiSquareSurvival(chiSquare, degreesOfFreedom) : 1;
  const maxShift = classes.reduce((a, b) => (Math.abs(b.shift) > Math.abs(a.shift) ? b : a));
  const newLabels = labels.filter((label) => (reference[label] ?? 0) === 0 && (observed[label] ?? 0) > 0);
  const missingLabels = labels.filter((label) => (reference[label] ?? 0) > 0 && (observed[label] ?? 0) === 0);
  const isShifted =
    pValue < alpha &&
    (Math.abs(maxShift.shift) >= minShift || newLabels.length > 0 || missingLabels.length > 0);
  return {
    total,
    chiSquare: round(chiSquare),
    degreesOfFreedom,
    pValue,
    maxShift,
    classes,
    newLabels,
    missingLabels,
    isShifted,
  };
}

/** Counts the labels of the records it is fed, for `compareClassBalance`. */
export class LabelCounter implements RecordSink<LabelCounts> {
  readonly #counts = new Map<string, number>();

  /** Counts the record's label, if it has one. */
  add(record: DataRecord): void {
    if (record.label !== undefined) this.#counts.set(record.label, (this.#counts.get(record.label) ?? 0) + 1);
  }

  /** The counts so far. */
  finish(): LabelCounts {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** Counts the labels of `records`. */
export async function countLabels(records: RecordSource): Promise<LabelCounts> {
  const counter = new LabelCounter();
  await forEachRecord(records, (record) => counter.add(record));
  return counter.finish();
}

function checkCounts(counts: LabelCounts, what: string): void {
  for (const [label, count] of Object.entries(counts)) {
    if (!Number.isFinite(count) || count < 0) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `${what} count of label ${JSON.stringify(label)} is not a non-negative number`,
      );
    }
  }
  if (what === 'reference' && Object.values(counts).filter((n) => n > 0).length < 1) {
    throw new BulwarkError(
      'INPUT_INVALID',
      'the reference distribution needs at least one label with a positive count',
    );
  }
}

function sum(counts: LabelCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
