import type { Finding, Location } from '../../core/findings.js';
import { findingOf, type FindingInput, type Rule } from '../../core/rules.js';
import { severityRank, type Severity } from '../../core/severity.js';

interface Overflow {
  readonly rule: Rule;
  readonly location: Location;
  count: number;
  severity: Severity;
}

/**
 * Collects the findings of one archive, listing at most `perRule` of each rule and summarising the rest in
 * one finding, so a crafted archive with 100,000 bad entries yields a readable report of bounded size.
 */
export class FindingSink {
  readonly #perRule: number;
  readonly #summary: Location;
  readonly #findings: Finding[] = [];
  readonly #listed = new Map<string, number>();
  readonly #overflow = new Map<string, Overflow>();

  /** `summary` is where summaries of unlisted findings point (the archive itself). */
  constructor(summary: Location, perRule = 50) {
    this.#summary = summary;
    this.#perRule = perRule;
  }

  /** Adds a finding of `rule`, or counts it when the rule already has `perRule` findings listed. */
  add(rule: Rule, input: FindingInput): void {
    const listed = this.#listed.get(rule.id) ?? 0;
    if (listed < this.#perRule) {
      this.#listed.set(rule.id, listed + 1);
      this.#findings.push(findingOf(rule, input));
      return;
    }
    const severity = input.severity ?? rule.defaultSeverity;
    const overflow = this.#overflow.get(rule.id);
    if (overflow === undefined) {
      this.#overflow.set(rule.id, { rule, location: this.#summary, count: 1, severity });
      return;
    }
    overflow.count++;
    if (severityRank(severity) > severityRank(overflow.severity)) overflow.severity = severity;
  }

  /** Adds findings of nested scans as they are (their own scanners bound them). */
  addNested(findings: readonly Finding[]): void {
    for (const finding of findings) this.#findings.push(finding);
  }

  /** Every finding added, plus one summary per rule that had more than `perRule`. */
  findings(): Finding[] {
    const summaries = [...this.#overflow.values()].map((o) =>
      findingOf(o.rule, {
        message: `${o.count} more findings of this kind were not listed`,
        location: o.location,
        severity: o.severity,
        evidence: { unlisted: o.count },
      }),
    );
    return [...this.#findings, ...summaries];
  }
}
