import type { TextMatch } from '../types.js';

function isBetter(a: TextMatch, b: TextMatch): number {
  return b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start;
}

/**
 * Keeps the best of overlapping matches: the higher score wins, then the longer span, then the
 * earlier one; the same span claimed by two entities keeps the better. Returns the survivors by
 * position. O(n log n) plus insertion into the sorted list of survivors.
 */
export function resolveOverlaps(matches: readonly TextMatch[]): TextMatch[] {
  if (matches.length < 2) return [...matches];
  const kept: TextMatch[] = [];
  for (const candidate of [...matches].sort(isBetter)) {
    // First survivor starting at or after the candidate's start.
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((kept[mid]?.start ?? 0) < candidate.start) low = mid + 1;
      else high = mid;
    }
    const before = kept[low - 1];
    const after = kept[low];
    if (before !== undefined && before.end > candidate.start) continue;
    if (after !== undefined && after.start < candidate.end) continue;
    kept.splice(low, 0, candidate);
  }
  return kept;
}
