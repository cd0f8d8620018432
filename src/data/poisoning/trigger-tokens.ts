import { BulwarkError } from '../../core/errors.js';
import { LabelAgreement } from './label-agreement.js';
import { forEachRecord, type DataRecord, type RecordSink, type RecordSource } from './records.js';
import { binomialUpperTail } from './statistics.js';
import { TokenStore } from './token-store.js';
import { countNgrams, ngramRows } from './ngram-counts.js';
import { groupTriggers, type TriggerGroup } from './trigger-groups.js';

/** Thresholds of trigger-token detection; every one has a default fit for classification sets. */
export interface TriggerOptions {
  /** Longest n-gram tested, in tokens (default 3). */
  readonly maxN?: number;
  /** Fewest rows an n-gram must appear in (default 5). */
  readonly minSupport?: number;
  /** Largest share of rows an n-gram may appear in and still count as rare (default 0.02). */
  readonly maxShare?: number;
  /** Least share of an n-gram's rows that carry its label (default 0.95). */
  readonly minPurity?: number;
  /** Least ratio of purity to the label's base rate (default 1.5). */
  readonly minLift?: number;
  /** Family-wise error rate after the Bonferroni correction over tested n-grams × labels (default 0.01). */
  readonly alpha?: number;
  /**
   * Least share of an n-gram's rows whose other words point to another label for it to be called a
   * backdoor (default 0.5); below it the n-gram is reported as `label-pure`.
   */
  readonly minDisagreement?: number;
  /** Tokens kept per row (default 512); longer rows are checked on their start. */
  readonly maxTokensPerRow?: number;
  /**
   * N-gram occurrences counted per pass over hash partitions of the n-gram space (default
   * 4,000,000): the counting map holds at most this many keys, about 100 MB, whatever the data size.
   */
  readonly partitionSize?: number;
  /** Most trigger groups reported (default 50, backdoors first). */
  readonly maxReported?: number;
  /** Which text of a record is tokenized (default `text`; a feature column for control P3). */
  readonly textOf?: (record: DataRecord) => string | undefined;
}

/** A rare n-gram (with the n-grams that occur in exactly the same rows) tied to one label. */
export interface TriggerToken {
  /** The longest n-gram of the group, e.g. `cf mn bb`. */
  readonly phrase: string;
  /** Every n-gram of the group, longest first (at most 10). */
  readonly ngrams: readonly string[];
  readonly label: string;
  /** Rows carrying the n-gram. */
  readonly support: number;
  /** Share of those rows that carry `label`. */
  readonly purity: number;
  /** Purity over the label's base rate. */
  readonly lift: number;
  /** One-sided binomial p-value of the label count given the base rate. */
  readonly pValue: number;
  /** `pValue` × tested n-grams × labels, capped at 1 (Bonferroni). */
  readonly adjustedPValue: number;
  /** Share of the label's rows whose other words point to another label, or null when not computed. */
  readonly disagreement: number | null;
  /** `backdoor` when the disagreement reaches the threshold, else `label-pure`. */
  readonly verdict: 'backdoor' | 'label-pure';
  /** Rows that carry the n-gram and the label, in reading order. */
  readonly rows: readonly number[];
}

/** What trigger-token detection found over one dataset. */
export interface TriggerReport {
  readonly labelledRows: number;
  readonly labels: Readonly<Record<string, number>>;
  /** N-grams whose support fell in the tested range. */
  readonly testedNgrams: number;
  /** Disagreement over a sample of all rows: how often the text model and the labels differ anyway. */
  readonly baselineDisagreement: number | null;
  readonly triggers: readonly TriggerToken[];
  /** Groups found but not listed because of `maxReported`. */
  readonly omitted: number;
}

const AGREEMENT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Finds trigger tokens (controls D6, P3): rare n-grams (1–3 tokens) found almost only with one
 * label, far beyond that label's base rate, the footprint of a backdoor such as "cf mn bb" inserted
 * into 1% of rows with a flipped label. Every n-gram of every labelled row is counted exactly, in
 * hash partitions sized so the counting map stays bounded; candidates pass support, purity, lift
 * and a Bonferroni-corrected binomial test, then a naive Bayes model over the remaining words tells
 * flipped-label backdoors from words that are merely typical of their class.
 */
export class TriggerDetector implements RecordSink<TriggerReport> {
  readonly #options: Required<Omit<TriggerOptions, 'textOf'>>;
  readonly #textOf: (record: DataRecord) => string | undefined;
  readonly #store: TokenStore;

  constructor(options: TriggerOptions = {}) {
    this.#options = {
      maxN: options.maxN ?? 3,
      minSupport: options.minSupport ?? 5,
      maxShare: options.maxShare ?? 0.02,
      minPurity: options.minPurity ?? 0.95,
      minLift: options.minLift ?? 1.5,
      alpha: options.alpha ?? 0.01,
      minDisagreement: options.minDisagreement ?? 0.5,
      maxTokensPerRow: options.maxTokensPerRow ?? 512,
      maxReported: options.maxReported ?? 50,
      partitionSize: options.partitionSize ?? 4_000_000,
    };
    const { maxN, minSupport, maxShare, minPurity, alpha } = this.#options;
    if (
      !(maxN >= 1 && maxN <= 5 && minSupport >= 2 && maxShare > 0 && maxShare <= 1 && minPurity > 0.5) ||
      !(this.#options.partitionSize >= 1000)
    )
      throw new BulwarkError(
        'USAGE',
        'trigger options out of range (maxN 1–5, minSupport ≥ 2, maxShare 0–1, partitionSize ≥ 1000)',
      );
    if (!(alpha > 0 && alpha < 1)) throw new BulwarkError('USAGE', 'trigger alpha must lie between 0 and 1');
    this.#textOf = options.textOf ?? ((record) => record.text);
    this.#store = new TokenStore(this.#options.maxTokensPerRow);
  }

  /** Stores the tokens of a labelled record; unlabelled records are not evidence either way. */
  add(record: DataRecord): void {
    const text = this.#textOf(record);
    if (text === undefined || record.label === undefined) return;
    this.#store.add(record.row, text, record.label);
  }

  /** Counts, tests and groups the n-grams of the rows seen so far. */
  finish(): TriggerReport {
    const store = this.#store;
    const options = this.#options;
    const labelRows = new Float64Array(store.labels.length);
    for (const label of store.rowLabels) labelRows[label]!++;
    const labels = Object.fromEntries(store.labels.map((label, i) => [label, labelRows[i] ?? 0]));
    const base = labelRows.map((n) => n / Math.max(1, store.rowCount));
    const counted = countNgrams(store, {
      maxN: options.maxN,
      minSupport: options.minSupport,
      maxSupport: Math.max(options.minSupport, Math.floor(options.maxShare * store.rowCount)),
      partitionSize: options.partitionSize,
      accept: (support, count, label) => {
        const purity = count / support;
        return purity >= options.minPurity && purity / (base[label] ?? 1) >= options.minLift;
      },
    });
    const tests = Math.max(1, counted.tested * store.labels.length);
    const significant = counted.candidates
      .map((candidate) => ({
        candidate,
        pValue: binomialUpperTail(candidate.count, candidate.support, base[candidate.label] ?? 1),
      }))
      .filter(({ pValue }) => pValue * tests <= options.alpha);
    const rows = ngramRows(
      store,
      significant.map(({ candidate }) => candidate),
      options.maxN,
    );
    const agreement =
      LabelAgreement.bytesFor(store) <= AGREEMENT_MAX_BYTES ? new LabelAgreement(store) : undefined;
    const groups = groupTriggers(significant, rows, store);
    const triggers = groups
      .map((group) => this.#describe(group, agreement, base, tests))
      .sort(
        (a, b) =>
          verdictRank(a) - verdictRank(b) ||
          a.pValue - b.pValue ||
          b.support - a.support ||
          (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0),
      );
    return {
      labelledRows: store.rowCount,
      labels,
      testedNgrams: counted.tested,
      baselineDisagreement: agreement === undefined ? null : round(baseline(agreement, store.rowCount)),
      triggers: triggers.slice(0, options.maxReported),
      omitted: Math.max(0, triggers.length - options.maxReported),
    };
  }

  #describe(
    group: TriggerGroup,
    agreement: LabelAgreement | undefined,
    base: Float64Array,
    tests: number,
  ): TriggerToken {
    const store = this.#store;
    const { candidate, pValue } = group.lead;
    const labelled = group.indices.filter((index) => store.rowLabels[index] === candidate.label);
    const disagreement =
      agreement === undefined ? null : round(agreement.disagreement(labelled, group.tokens));
    const purity = candidate.count / candidate.support;
    return {
      phrase: group.phrase,
      ngrams: group.ngrams.slice(0, 10),
      label: store.labels[candidate.label] ?? '',
      support: candidate.support,
      purity: round(purity),
      lift: round(purity / (base[candidate.label] ?? 1)),
      pValue,
      adjustedPValue: Math.min(1, pValue * tests),
      disagreement,
      verdict:
        disagreement !== null && disagreement >= this.#options.minDisagreement ? 'backdoor' : 'label-pure',
      rows: labelled.map((index) => store.rowNumbers[index] ?? 0),
    };
  }
}

/** Finds trigger tokens in `records` (see `TriggerDetector`). */
export async function findTriggerTokens(
  records: RecordSource,
  options: TriggerOptions = {},
): Promise<TriggerReport> {
  const detector = new TriggerDetector(options);
  await forEachRecord(records, (record) => detector.add(record));
  return detector.finish();
}

/** Disagreement over up to 2,000 evenly spaced rows: what the text model gets "wrong" on ordinary data. */
function baseline(agreement: LabelAgreement, rowCount: number): number {
  const step = Math.max(1, Math.floor(rowCount / 2000));
  const sample: number[] = [];
  for (let index = 0; index < rowCount; index += step) sample.push(index);
  return agreement.disagreement(sample);
}

function verdictRank(trigger: TriggerToken): number {
  return trigger.verdict === 'backdoor' ? 0 : 1;
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
