import type { Finding } from '../../core/findings.js';
import { findingOf, type FindingInput, type Rule } from '../../core/rules.js';
import { severityRank, type Severity } from '../../core/severity.js';
import { GGUF_RULES } from './gguf-rules.js';
import { NUMPY_RULES } from './numpy-rules.js';
import { SAFETENSORS_RULES } from './safetensors-rules.js';

/** Every rule the safetensors, GGUF and NumPy scanners can report (BW-MODEL-010…039), for the catalogue. */
export const SAFETENSORS_GGUF_NUMPY_RULES: readonly Rule[] = [
  ...SAFETENSORS_RULES,
  ...GGUF_RULES,
  ...NUMPY_RULES,
];

/** Findings of one rule listed at most per file; a hostile header with a million bad tensors stays readable. */
export const MAX_FINDINGS_PER_RULE = 100;

interface Omitted {
  readonly rule: Rule;
  readonly first: FindingInput;
  severity: Severity;
  count: number;
}

/**
 * Collects the findings of one file, keeping at most `max` per rule and summarising the rest in one
 * finding per rule (with the highest severity among them), so memory and report size stay bounded
 * whatever the file declares (control D7).
 */
export class FindingCollector {
  readonly #max: number;
  readonly #kept: Finding[] = [];
  readonly #counts = new Map<string, number>();
  readonly #omitted = new Map<string, Omitted>();

  constructor(max = MAX_FINDINGS_PER_RULE) {
    this.#max = max;
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

  /** How many findings were added, kept or not. */
  get size(): number {
    let total = 0;
    for (const count of this.#counts.values()) total += count;
    return total;
  }

  /** The kept findings followed by one summary per rule that overflowed. */
  list(): Finding[] {
    const summaries = [...this.#omitted.values()].map((o) =>
      findingOf(o.rule, {
        message: `${o.count} more findings of this rule were not listed; the first: ${o.first.message}`,
        location: o.first.location,
        severity: o.severity,
        evidence: { omitted: o.count },
      }),
    );
    return [...this.#kept, ...summaries];
  }
}
