import type { Finding } from '../core/findings.js';
import { findingOf, type FindingInput, type Rule } from '../core/rules.js';
import { severityRank, type Severity } from '../core/severity.js';

/** Findings of one rule listed at most per file by default; a hostile header with a million bad tensors stays readable. */
export const MAX_FINDINGS_PER_RULE = 100;

/** Builds the one finding that stands for the findings of `rule` that were not listed. */
export type SummarizeOmitted = (
  rule: Rule,
  omitted: { readonly count: number; readonly first: FindingInput; readonly severity: Severity },
) => FindingInput;

interface Omitted {
  readonly rule: Rule;
  readonly first: FindingInput;
  severity: Severity;
  count: number;
}

/** The default summary: the count, and the first omitted finding's message and location. */
const listFirst: SummarizeOmitted = (_rule, { count, first, severity }) => ({
  message: `${count} more findings of this rule were not listed; the first: ${first.message}`,
  location: first.location,
  severity,
  evidence: { omitted: count },
});

/**
 * Collects the findings of one file, keeping at most `max` per rule and summarising the rest in one
 * finding per rule (with the highest severity among them), so memory and report size stay bounded
 * whatever the file declares (control D7). Used by the format scanners and, through `FindingSink`,
 * by the archive scanners.
 */
export class FindingCollector {
  readonly #max: number;
  readonly #summarize: SummarizeOmitted;
  readonly #kept: Finding[] = [];
  readonly #counts = new Map<string, number>();
  readonly #omitted = new Map<string, Omitted>();

  constructor(max = MAX_FINDINGS_PER_RULE, summarize: SummarizeOmitted = listFirst) {
    this.#max = max;
    this.#summarize = summarize;
  }

  /** Adds a finding of `rule`, or counts it when the rule already has `max` findings. */
  add(rule: Rule, input: FindingInput): void {
    const count = (this.#counts.get(rule.id) ?? 0) + 1;
    this.#counts.set(rule.id, count);
    if (count <= this.#max) {
      this.#kept.push(findingOf(rule, input));
      return;
    }
    const severity = input.severity ?? rule.defaultSeverity;
    const omitted = this.#omitted.get(rule.id);
    if (omitted === undefined) this.#omitted.set(rule.id, { rule, first: input, severity, count: 1 });
    else {
      omitted.count++;
      if (severityRank(severity) > severityRank(omitted.severity)) omitted.severity = severity;
    }
  }

  /** Adds findings that are bounded elsewhere (a nested scan's), as they are and uncounted. */
  addAll(findings: readonly Finding[]): void {
    for (const finding of findings) this.#kept.push(finding);
  }

  /** How many findings were added with `add`, kept or not. */
  get size(): number {
    let total = 0;
    for (const count of this.#counts.values()) total += count;
    return total;
  }

  /** The kept findings followed by one summary per rule that overflowed. */
  list(): Finding[] {
    const summaries = [...this.#omitted.values()].map((o) => findingOf(o.rule, this.#summarize(o.rule, o)));
    return [...this.#kept, ...summaries];
  }
}
