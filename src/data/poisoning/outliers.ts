import { MetricAccumulator, type MetricSummary, type RowValue } from './metric-accumulator.js';
import { forEachRecord, type DataRecord, type RecordSink, type RecordSource } from './records.js';
import { MAD_TO_SIGMA } from './statistics.js';

/** Text metrics checked per row: length and the shares of character classes among non-space characters. */
export const TEXT_METRICS = ['length', 'digit-ratio', 'symbol-ratio', 'non-latin-ratio'] as const;

/** One of `TEXT_METRICS`, or `value` for a numeric column. */
export type OutlierMetric = (typeof TEXT_METRICS)[number] | 'value';

/** Thresholds of outlier detection. */
export interface OutlierOptions {
  /** |z| at or above which a numeric value is an outlier (default 4). */
  readonly zThreshold?: number;
  /** Tukey fence multiplier: beyond Q1 − k·IQR or Q3 + k·IQR (default 3, "far out"). */
  readonly iqrMultiplier?: number;
  /** Robust z (deviation from the median over 1.4826 · MAD) at or above which a text metric is an outlier (default 5). */
  readonly robustThreshold?: number;
  /** Least share of numeric values for a column to count as numeric (default 0.95). */
  readonly minNumericShare?: number;
  /** Fewest values for a column or text metric to be checked (default 20), and distinct values for a numeric column (default 10). */
  readonly minValues?: number;
  readonly minDistinct?: number;
  /** Fields never treated as numeric columns (ids, the label column). */
  readonly excludeFields?: readonly string[];
  /** Name reported as the field of the text metrics (default `text`). */
  readonly textField?: string;
  /** Most outliers listed per column or metric (default 100); the count is always exact up to `keep`. */
  readonly maxListed?: number;
}

/** A value far from the rest of its column or metric. */
export interface Outlier {
  readonly row: number;
  readonly field: string;
  readonly metric: OutlierMetric;
  readonly value: number;
  /** z for `z-score`, robust z for `robust-z`, distance beyond the fence in IQRs for `iqr`. */
  readonly score: number;
  readonly methods: readonly ('z-score' | 'iqr' | 'robust-z')[];
}

/** The statistics of one checked column or metric and how many of its values were outliers. */
export interface OutlierColumn extends MetricSummary {
  readonly field: string;
  readonly metric: OutlierMetric;
  readonly outliers: number;
  /** True when every kept extreme was an outlier, so there may be more than `outliers`. */
  readonly atLeast: boolean;
}

/** What outlier detection found. */
export interface OutlierReport {
  readonly columns: readonly OutlierColumn[];
  readonly outliers: readonly Outlier[];
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/u;
const MAX_FIELDS = 200;

/**
 * Finds outliers (control D6) in one pass and bounded memory: numeric columns by z-score (exact
 * mean and variance) and Tukey's IQR fences; text by robust z-scores (median and MAD) of log length
 * and of the shares of digits, symbols and non-Latin letters. Injected rows often look different
 * (a blob of base64, a script in another alphabet, an absurd amount), and a single extreme numeric
 * value can dominate a regression's fit.
 */
export class OutlierDetector implements RecordSink<OutlierReport> {
  readonly #options: Required<Omit<OutlierOptions, 'excludeFields'>> & { excludeFields: Set<string> };
  readonly #text = new Map<OutlierMetric, MetricAccumulator>();
  readonly #numeric = new Map<string, { accumulator: MetricAccumulator; other: number }>();

  constructor(options: OutlierOptions = {}) {
    this.#options = {
      zThreshold: options.zThreshold ?? 4,
      iqrMultiplier: options.iqrMultiplier ?? 3,
      robustThreshold: options.robustThreshold ?? 5,
      minNumericShare: options.minNumericShare ?? 0.95,
      minValues: options.minValues ?? 20,
      minDistinct: options.minDistinct ?? 10,
      excludeFields: new Set(options.excludeFields ?? []),
      textField: options.textField ?? 'text',
      maxListed: options.maxListed ?? 100,
    };
    for (const metric of TEXT_METRICS) this.#text.set(metric, new MetricAccumulator());
  }

  /** Measures the record's text and numeric fields. */
  add(record: DataRecord): void {
    if (record.text !== undefined && record.text.length > 0) {
      for (const [metric, value] of Object.entries(measureText(record.text))) {
        this.#text.get(metric as OutlierMetric)?.add(value, record.row);
      }
    }
    for (const [field, raw] of Object.entries(record.fields ?? {})) {
      if (this.#options.excludeFields.has(field)) continue;
      const trimmed = raw.trim();
      if (trimmed === '') continue;
      let column = this.#numeric.get(field);
      if (column === undefined) {
        if (this.#numeric.size >= MAX_FIELDS) continue;
        column = { accumulator: new MetricAccumulator(), other: 0 };
        this.#numeric.set(field, column);
      }
      if (NUMBER.test(trimmed)) column.accumulator.add(Number(trimmed), record.row);
      else column.other++;
    }
  }

  /** Decides the outliers over every record added. */
  finish(): OutlierReport {
    const columns: OutlierColumn[] = [];
    const outliers: Outlier[] = [];
    const o = this.#options;
    for (const [field, { accumulator, other }] of this.#numeric) {
      const numeric = accumulator.count;
      if (numeric < o.minValues || numeric / (numeric + other) < o.minNumericShare) continue;
      this.#check(field, 'value', accumulator, columns, outliers);
    }
    for (const [metric, accumulator] of this.#text)
      this.#check(o.textField, metric, accumulator, columns, outliers);
    outliers.sort((a, b) => a.row - b.row || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    return { columns, outliers };
  }

  #check(
    field: string,
    metric: OutlierMetric,
    accumulator: MetricAccumulator,
    columns: OutlierColumn[],
    outliers: Outlier[],
  ): void {
    const summary = accumulator.summary();
    // A text metric that is constant but for one row is exactly the case to report; the distinct
    // count only keeps codes and flags (0/1 columns) out of the numeric checks.
    if (summary.count < this.#options.minValues) return;
    if (metric === 'value' && summary.distinct < this.#options.minDistinct) return;
    const judge =
      metric === 'value' ? this.#numericJudge(summary) : this.#robustJudge(metric, summary, accumulator);
    const { low, high, complete } = accumulator.extremes();
    const found: Outlier[] = [];
    let atLeast = false;
    for (const [side, values] of [
      ['low', low],
      ['high', high],
    ] as const) {
      let all = values.length > 0;
      for (const entry of values) {
        const verdict = judge(entry);
        if (verdict === undefined) {
          all = false;
          break;
        }
        const value = metric === 'length' ? Math.round(Math.expm1(entry.value)) : entry.value;
        found.push({ row: entry.row, field, metric, value, ...verdict });
      }
      if (all && !complete[side]) atLeast = true;
    }
    const unique = dedupeRows(found);
    columns.push({ ...summary, field, metric, outliers: unique.length, atLeast });
    outliers.push(...unique.slice(0, this.#options.maxListed));
  }

  #numericJudge(s: MetricSummary): (entry: RowValue) => Pick<Outlier, 'score' | 'methods'> | undefined {
    const iqr = s.q3 - s.q1;
    const k = this.#options.iqrMultiplier;
    return ({ value }) => {
      const methods: ('z-score' | 'iqr')[] = [];
      const z = s.std > 0 ? (value - s.mean) / s.std : 0;
      if (Math.abs(z) >= this.#options.zThreshold) methods.push('z-score');
      const beyond = iqr > 0 ? Math.max(s.q1 - value, value - s.q3) / iqr : 0;
      if (beyond > k) methods.push('iqr');
      if (methods.length === 0) return undefined;
      return { score: round(methods.includes('z-score') ? z : beyond), methods };
    };
  }

  #robustJudge(
    metric: OutlierMetric,
    s: MetricSummary,
    accumulator: MetricAccumulator,
  ): (entry: RowValue) => Pick<Outlier, 'score' | 'methods'> | undefined {
    // A MAD of 0 (most rows without a digit) falls back to the mean absolute deviation, and a floor
    // keeps a nearly constant metric from calling every small difference extreme.
    const spread = s.mad > 0 ? MAD_TO_SIGMA * s.mad : 1.2533 * accumulator.meanDeviation(s.median);
    const scale = Math.max(spread, metric === 'length' ? 0.05 : 0.02);
    return ({ value }) => {
      const score = (value - s.median) / scale;
      if (Math.abs(score) < this.#options.robustThreshold) return undefined;
      return { score: round(score), methods: ['robust-z'] };
    };
  }
}

/** Finds outliers in `records` (see `OutlierDetector`). */
export async function findOutliers(
  records: RecordSource,
  options: OutlierOptions = {},
): Promise<OutlierReport> {
  const detector = new OutlierDetector(options);
  await forEachRecord(records, (record) => detector.add(record));
  return detector.finish();
}

/**
 * The text metrics of one row: natural log of 1 + its length in UTF-16 code units (lengths are
 * skewed; the log makes a 10× longer row as far out as a 10× shorter one; reported outliers show the
 * length itself), and the shares of digits, of symbols and punctuation, and of letters outside the
 * Latin script among non-space characters.
 */
export function measureText(text: string): Record<(typeof TEXT_METRICS)[number], number> {
  const visible = text.length - countMatches(text, /\s/gu);
  const share = (pattern: RegExp): number => (visible <= 0 ? 0 : countMatches(text, pattern) / visible);
  return {
    length: Math.log1p(text.length),
    'digit-ratio': share(/\p{Nd}/gu),
    'symbol-ratio': share(/[\p{P}\p{S}]/gu),
    'non-latin-ratio': share(/(?!\p{Script=Latin})\p{L}/gu),
  };
}

/** Code units matched by a one-character global `pattern` (astral characters count twice, as in `length`). */
function countMatches(text: string, pattern: RegExp): number {
  let units = 0;
  for (const match of text.matchAll(pattern)) units += match[0].length;
  return units;
}

function dedupeRows(found: Outlier[]): Outlier[] {
  const byRow = new Map<number, Outlier>();
  for (const outlier of found) if (!byRow.has(outlier.row)) byRow.set(outlier.row, outlier);
  return [...byRow.values()];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
