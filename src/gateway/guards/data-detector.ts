/**
 * Secrets and personal data in model output, found by the data stage's analyzer (control D1's
 * `createDataAnalyzer`, the one `scan data`, `redact` and `data admit` use) with the same minimum
 * confidence tier as `scan data`.
 */
import { createDataAnalyzer } from '../../data/analyzer.js';
import type { ConfidenceTier } from '../../data/types.js';
import type { GuardAction, GuardSpan } from './guard-types.js';

/** Entities the PII guard leaves alone unless asked: names and places are ordinary answer content. */
export const DEFAULT_OUTPUT_PII_EXCLUDED: readonly string[] = ['PERSON', 'LOCATION'];

const TIER_RANK: Readonly<Record<ConfidenceTier, number>> = { low: 0, medium: 1, high: 2 };

/** Options of {@link createDataDetector}; an action is undefined when its guard is off. */
export interface DataDetectorOptions {
  readonly secrets: GuardAction | undefined;
  readonly pii: GuardAction | undefined;
  /** PII, PHI and financial entities reported (default: all but {@link DEFAULT_OUTPUT_PII_EXCLUDED}). */
  readonly piiEntities?: readonly string[];
  /** Matches below this tier are ignored (default `medium`, as `scan data`). */
  readonly minConfidence?: ConfidenceTier;
}

/** Finds secrets (`secrets` guard) and PII/PHI/financial data (`pii` guard) in a window of text. */
export type DataDetector = (text: string, base: number) => GuardSpan[];

/** Builds the data detector, or undefined when both data guards are off. */
export function createDataDetector(options: DataDetectorOptions): DataDetector | undefined {
  if (options.secrets === undefined && options.pii === undefined) return undefined;
  const analyzer = createDataAnalyzer();
  const wanted = options.piiEntities === undefined ? undefined : new Set(options.piiEntities);
  const minRank = TIER_RANK[options.minConfidence ?? 'medium'];
  return (text, base) => {
    const spans: GuardSpan[] = [];
    for (const match of analyzer.analyze(text)) {
      if (TIER_RANK[match.confidence] < minRank) continue;
      const isSecret = match.category === 'secret';
      const action = isSecret ? options.secrets : options.pii;
      if (action === undefined) continue;
      if (!isSecret && !(wanted?.has(match.entity) ?? !DEFAULT_OUTPUT_PII_EXCLUDED.includes(match.entity)))
        continue;
      spans.push({
        guard: isSecret ? 'secrets' : 'pii',
        action,
        start: base + match.start,
        end: base + match.end,
        ruleId: match.recognizer,
        category: match.category,
        entity: match.entity,
        message: `${match.entity} (${match.confidence} confidence) in the answer`,
        prefix: `[REDACTED:${match.entity}]`,
      });
    }
    return spans;
  };
}
