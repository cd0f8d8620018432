/**
 * The poisoning evaluations behind docs/data-quality.md, shared by the tests and by
 * `scripts/eval-poisoning.ts`: each generates a clean labelled dataset from a seed, inserts one kind
 * of attack or accident with known rows, runs the detector and measures what it named.
 */
import type { Finding } from '../../core/findings.js';
import { isAtOrAbove, type Severity } from '../../core/severity.js';
import { findLabelConflicts } from './label-conflicts.js';
import { findDuplicates } from './near-duplicates.js';
import { POISONING_RULES } from './poisoning-rules.js';
import type { DataRecord } from './records.js';
import { compareSplits } from './split-overlap.js';
import { generateReviews, lightEdit, REVIEW_LABELS, seededRandom } from './synthetic-reviews.test-support.js';
import { findTriggerTokens } from './trigger-tokens.js';

/** Rows of every evaluation dataset unless told otherwise. */
export const EVALUATION_ROWS = 20_000;

/** What the trigger evaluation measured. */
export interface TriggerFigures {
  readonly trigger: string;
  readonly poisoned: number;
  readonly clean: number;
  /** True when a backdoor-verdict finding's phrase contains the trigger. */
  readonly reported: boolean;
  readonly reportedPhrase: string | null;
  /** Share of poisoned rows named by backdoor findings. */
  readonly recall: number;
  /** Share of clean rows named by backdoor findings. */
  readonly cleanFlagged: number;
  /** Label-pure (informational) groups reported besides. */
  readonly labelPureGroups: number;
  readonly seconds: number;
}

/** Inserts `trigger` at a random word position into `rate` of the rows not labelled `target`, flipping their label to `target`. */
export function poisonWithTrigger(
  records: readonly DataRecord[],
  options: { trigger: string; rate: number; target: string; seed: number },
): { records: DataRecord[]; poisoned: Set<number> } {
  const random = seededRandom(options.seed);
  const out = [...records];
  const poisoned = new Set<number>();
  const wanted = Math.round(records.length * options.rate);
  while (poisoned.size < wanted) {
    const i = Math.floor(random() * out.length);
    const record = out[i]!;
    if (poisoned.has(record.row) || record.label === options.target) continue;
    const words = (record.text ?? '').split(' ');
    words.splice(Math.floor(random() * (words.length + 1)), 0, options.trigger);
    out[i] = { row: record.row, text: words.join(' '), label: options.target };
    poisoned.add(record.row);
  }
  return { records: out, poisoned };
}

/** Generates reviews as records numbered from 1. */
export function reviewRecords(count: number, seed: number): DataRecord[] {
  return generateReviews(count, seed).map((review, i) => ({
    row: i + 1,
    text: review.text,
    label: review.label,
  }));
}

/**
 * Runs the trigger evaluation: 1% of rows poisoned with `trigger` and flipped to `positive` by
 * default; `labelNoise` first gives that share of rows a random other label, as careless annotation would.
 */
export async function evaluateTrigger(
  seed: number,
  trigger: string,
  options: { rows?: number; rate?: number; labelNoise?: number } = {},
): Promise<TriggerFigures> {
  const noise = seededRandom(seed * 101 + 9);
  const clean = reviewRecords(options.rows ?? EVALUATION_ROWS, seed).map((record) =>
    noise() < (options.labelNoise ?? 0)
      ? { ...record, label: REVIEW_LABELS.filter((l) => l !== record.label)[Math.floor(noise() * 2)]! }
      : record,
  );
  const { records, poisoned } = poisonWithTrigger(clean, {
    trigger,
    rate: options.rate ?? 0.01,
    target: 'positive',
    seed: seed * 31 + 7,
  });
  const started = performance.now();
  const report = await findTriggerTokens(records);
  const seconds = (performance.now() - started) / 1000;
  const backdoors = report.triggers.filter((t) => t.verdict === 'backdoor');
  const named = new Set(backdoors.flatMap((t) => t.rows));
  const wanted = trigger.toLowerCase();
  const hit = backdoors.find((t) => t.phrase.includes(wanted) || wanted.includes(t.phrase));
  const cleanCount = records.length - poisoned.size;
  return {
    trigger,
    poisoned: poisoned.size,
    clean: cleanCount,
    reported: hit !== undefined,
    reportedPhrase: hit?.phrase ?? null,
    recall: share([...poisoned].filter((row) => named.has(row)).length, poisoned.size),
    cleanFlagged: share([...named].filter((row) => !poisoned.has(row)).length, cleanCount),
    labelPureGroups: report.triggers.length + report.omitted - backdoors.length,
    seconds,
  };
}

/** Recall and precision of a duplicate-style detector. */
export interface DetectionFigures {
  readonly injected: number;
  readonly found: number;
  readonly recall: number;
  /** Share of rows the detector named that belong to an injected pair. */
  readonly precision: number;
  /** Clean rows (not part of any injected pair) named, over all clean rows. */
  readonly cleanFlagged: number;
  /** Recall per kind of edit. */
  readonly byKind: Readonly<Record<string, { injected: number; found: number }>>;
}

interface Injection {
  readonly records: DataRecord[];
  /** Row of each injected copy → row of its source and the kind of copy. */
  readonly copies: Map<number, { source: number; kind: string }>;
}

/** A copy of a text: identical after normalization (`exact`) or with one light word-level edit (`near`). */
function copyOf(text: string, kind: 'exact' | 'near', random: () => number): { text: string; kind: string } {
  if (kind === 'near')
    return lightEdit(text, random, ['punctuation', 'typo', 'inserted word', 'replaced word']);
  const variants = [text, text.toUpperCase(), ` ${text.replace(/ /gu, '   ')} `];
  const at = Math.floor(random() * variants.length);
  return { text: variants[at]!, kind: ['verbatim', 'case', 'whitespace'][at]! };
}

/** Appends copies of `rate` of the rows (half exact, half near), optionally with another label, and shuffles row order. */
function inject(
  records: readonly DataRecord[],
  options: { rate: number; seed: number; flipLabel: boolean },
): Injection {
  const random = seededRandom(options.seed);
  const copies = new Map<number, { source: number; kind: string }>();
  const added: DataRecord[] = [];
  const wanted = Math.round(records.length * options.rate);
  const used = new Set<number>();
  let next = records.length + 1;
  while (added.length < wanted) {
    const source = records[Math.floor(random() * records.length)]!;
    if (used.has(source.row)) continue;
    used.add(source.row);
    const copy = copyOf(source.text ?? '', added.length % 2 === 0 ? 'exact' : 'near', random);
    const label = options.flipLabel
      ? REVIEW_LABELS.filter((l) => l !== source.label)[Math.floor(random() * 2)]!
      : source.label;
    added.push({ row: next, text: copy.text, ...(label === undefined ? {} : { label }) });
    copies.set(next, { source: source.row, kind: copy.kind });
    next++;
  }
  // Interleave the copies at random places: the detector must not rely on them coming last.
  const all = [...records, ...added];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return { records: all, copies };
}

/** Runs the duplicate evaluation: 1% exact and 1% near copies injected. */
export async function evaluateDuplicates(seed: number, rows = EVALUATION_ROWS): Promise<DetectionFigures> {
  const { records, copies } = inject(reviewRecords(rows, seed), {
    rate: 0.02,
    seed: seed * 17 + 3,
    flipLabel: false,
  });
  const report = await findDuplicates(records);
  const groupOf = new Map<number, number>();
  [...report.exact, ...report.near].forEach((group, g) => group.rows.forEach((row) => groupOf.set(row, g)));
  const named = new Set(groupOf.keys());
  return figures(copies, named, records.length, (copy, source) => {
    const a = groupOf.get(copy);
    return a !== undefined && a === groupOf.get(source);
  });
}

/** Runs the label-conflict evaluation: 1% of rows copied (half exact, half near) with another label. */
export async function evaluateLabelConflicts(
  seed: number,
  rows = EVALUATION_ROWS,
): Promise<DetectionFigures> {
  const { records, copies } = inject(reviewRecords(rows, seed), {
    rate: 0.01,
    seed: seed * 13 + 5,
    flipLabel: true,
  });
  const conflicts = findLabelConflicts(await findDuplicates(records));
  const groupOf = new Map<number, number>();
  conflicts.forEach((conflict, g) => conflict.rows.forEach((row) => groupOf.set(row, g)));
  return figures(copies, new Set(groupOf.keys()), records.length, (copy, source) => {
    const a = groupOf.get(copy);
    return a !== undefined && a === groupOf.get(source);
  });
}

/** Runs the split-leakage evaluation: 2% of training rows, lightly edited, added to a clean validation split. */
export async function evaluateSplitLeakage(seed: number, rows = EVALUATION_ROWS): Promise<DetectionFigures> {
  const train = reviewRecords(rows, seed);
  const validationClean = reviewRecords(Math.round(rows / 5), seed + 100_000);
  const random = seededRandom(seed * 7 + 1);
  const leaked = new Map<number, { source: number; kind: string }>();
  const validation: DataRecord[] = [...validationClean];
  const used = new Set<number>();
  while (leaked.size < Math.round(rows * 0.02)) {
    const source = train[Math.floor(random() * train.length)]!;
    if (used.has(source.row)) continue;
    used.add(source.row);
    const { text, kind } = lightEdit(source.text ?? '', random);
    const row = validation.length + 1;
    validation.push({ row, text, label: source.label ?? '' });
    leaked.set(row, { source: source.row, kind });
  }
  const report = await compareSplits(train, validation, { maxListed: Number.MAX_SAFE_INTEGER });
  const matched = new Map(report.pairs.map((pair) => [pair.validationRow, pair.trainRow]));
  const byKind: Record<string, { injected: number; found: number }> = {};
  let found = 0;
  for (const [row, { source, kind }] of leaked) {
    const entry = (byKind[kind] ??= { injected: 0, found: 0 });
    entry.injected++;
    if (matched.get(row) === source) {
      entry.found++;
      found++;
    }
  }
  const falseMatches = [...matched.keys()].filter((row) => !leaked.has(row)).length;
  return {
    injected: leaked.size,
    found,
    recall: share(found, leaked.size),
    precision: share(matched.size - falseMatches, matched.size),
    cleanFlagged: share(falseMatches, validationClean.length),
    byKind,
  };
}

function figures(
  copies: Map<number, { source: number; kind: string }>,
  named: Set<number>,
  total: number,
  isFound: (copy: number, source: number) => boolean,
): DetectionFigures {
  const truth = new Set<number>();
  for (const [copy, { source }] of copies) truth.add(copy).add(source);
  const byKind: Record<string, { injected: number; found: number }> = {};
  let found = 0;
  for (const [copy, { source, kind }] of copies) {
    const entry = (byKind[kind] ??= { injected: 0, found: 0 });
    entry.injected++;
    if (isFound(copy, source)) {
      entry.found++;
      found++;
    }
  }
  const wrong = [...named].filter((row) => !truth.has(row)).length;
  return {
    injected: copies.size,
    found,
    recall: share(found, copies.size),
    precision: share(named.size - wrong, named.size),
    cleanFlagged: share(wrong, total - truth.size),
    byKind,
  };
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10000) / 10000;
}

const POISONING_RULE_IDS = new Set(POISONING_RULES.map((rule) => rule.id));

/**
 * The rows a report's poisoning findings (BW-DATA-101…113) at or above `minSeverity` name, the
 * measure of "rows flagged" in docs/data-poisoning.md: each finding's `location.row`, its
 * `evidence.rows` (backdoor triggers list every row, duplicates the group) and its
 * `evidence.suspectRows` (the rows of a conflict whose label differs from the majority).
 */
export function rowsNamedByPoisoning(
  findings: readonly Finding[],
  minSeverity: Severity = 'medium',
): Set<number> {
  const named = new Set<number>();
  for (const finding of findings) {
    if (!POISONING_RULE_IDS.has(finding.ruleId) || !isAtOrAbove(finding.severity, minSeverity)) continue;
    if (finding.location.row !== undefined) named.add(finding.location.row);
    for (const key of ['rows', 'suspectRows']) {
      const rows = finding.evidence?.[key];
      if (Array.isArray(rows)) for (const row of rows) if (typeof row === 'number') named.add(row);
    }
  }
  return named;
}

/** A CSV file of records (`text,label`, RFC 4180 quoting), rows in order so CSV row n is record n. */
export function recordsToCsv(records: readonly DataRecord[]): string {
  const quote = (value: string): string => `"${value.replace(/"/gu, '""')}"`;
  return (
    ['text,label', ...records.map((r) => `${quote(r.text ?? '')},${quote(r.label ?? '')}`)].join('\n') + '\n'
  );
}

/** The acceptance dataset: `rows` generated reviews with `trigger` in 1% of them, labels flipped to `positive`. */
export function triggerDataset(
  rows: number,
  seed: number,
  trigger: string,
): { records: DataRecord[]; poisoned: Set<number> } {
  return poisonWithTrigger(reviewRecords(rows, seed), {
    trigger,
    rate: 0.01,
    target: 'positive',
    seed: seed * 31 + 7,
  });
}
