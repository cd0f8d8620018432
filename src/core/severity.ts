/** Severities from most to least severe (DESIGN.md, Interfaces). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Returns a number that grows with severity, for sorting and thresholds. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** Tells whether `severity` is at or above `threshold`. */
export function isAtOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** Tells whether a string names a severity. */
export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
