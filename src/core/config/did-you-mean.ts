/**
 * Returns the candidate closest to a mistyped word, or undefined when none is close enough to be a
 * helpful suggestion. Case, `-` and `_` are ignored first (`fail_on` → `failOn`); otherwise the
 * Damerau–Levenshtein distance must be at most a third of the word's length (and at least 1).
 */
export function suggestClosest(word: string, candidates: readonly string[]): string | undefined {
  const normal = normalize(word);
  const exact = candidates.find((c) => normalize(c) === normal);
  if (exact !== undefined) return exact === word ? undefined : exact;
  const limit = Math.max(1, Math.floor(normal.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(normal, normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Formats a suggestion as a message suffix: ` (did you mean "x"?)`, or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const suggestion = suggestClosest(word, candidates);
  return suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
}

function normalize(word: string): string {
  return word.toLowerCase().replace(/[-_]/g, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current.push(value);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
