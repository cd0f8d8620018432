import type { Finding, Location } from '../../core/findings.js';
import { FindingCollector } from '../finding-collector.js';

/**
 * Collects the findings of one archive, listing at most `perRule` of each rule and summarising the rest in
 * one finding at the archive itself, so a crafted archive with 100,000 bad entries yields a readable report
 * of bounded size.
 */
export class FindingSink extends FindingCollector {
  /** `summary` is where summaries of unlisted findings point (the archive itself). */
  constructor(summary: Location, perRule = 50) {
    super(perRule, (_rule, { count, severity }) => ({
      message: `${count} more findings of this kind were not listed`,
      location: summary,
      severity,
      evidence: { unlisted: count },
    }));
  }

  /** Adds findings of nested scans as they are (their own scanners bound them). */
  addNested(findings: readonly Finding[]): void {
    this.addAll(findings);
  }

  /** Every finding added, plus one summary per rule that had more than `perRule`. */
  findings(): Finding[] {
    return this.list();
  }
}
