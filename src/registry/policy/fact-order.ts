import { formatDuration } from './duration.js';

/** A requirement's outcome: met or not, and one sentence naming the evidence it looked at. */
export interface RequirementResult {
  /** `signature`, `scan`, `provenance`, `dataset-admission`, `attestation:<type>` or `default-policy`. */
  readonly id: RequirementId;
  readonly met: boolean;
  readonly reason: string;
}

/** The requirement ids a decision can list, in the order they are evaluated. */
export type RequirementId =
  'default-policy' | 'signature' | 'scan' | 'provenance' | 'dataset-admission' | `attestation:${string}`;

/** Milliseconds since the epoch of an ISO 8601 time; -Infinity when unreadable, so it is never fresh. */
export function timeOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** Sorts evidence newest first, then by id, so "the latest" is the same on every run. */
export function newestFirst<T extends { readonly id: string }>(
  items: readonly T[],
  timeOfItem: (item: T) => string,
): T[] {
  return [...items].sort((a, b) => timeOf(timeOfItem(b)) - timeOf(timeOfItem(a)) || compareText(a.id, b.id));
}

/** Tells whether evidence made at `iso` is no older than `maxAgeMs` at `now` (future times count as fresh). */
export function isWithin(iso: string, maxAgeMs: number | undefined, now: Date): boolean {
  if (maxAgeMs === undefined) return true;
  return now.getTime() - timeOf(iso) <= maxAgeMs;
}

/** A clause for a reason: the evidence time and the age limit it broke. */
export function tooOld(what: string, iso: string, maxAgeMs: number): string {
  return `${what} is from ${iso}, older than maxAge ${formatDuration(maxAgeMs)}`;
}

/** Code-unit order, independent of the locale, for deterministic output. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Joins up to `limit` clauses with "; " and says how many were left out. */
export function listClauses(clauses: readonly string[], limit = 10): string {
  const shown = clauses.slice(0, limit).join('; ');
  return clauses.length > limit ? `${shown}; and ${clauses.length - limit} more` : shown;
}
