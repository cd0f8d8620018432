/**
 * Overlapping token windows for texts longer than a model's context: Meta's guidance for Prompt Guard
 * is to split long inputs and take the highest score, so an injection at the end of a long document is
 * scored as if it came alone.
 */

/** A span of content tokens [start, end) that is run through the model as one sequence. */
export interface TokenWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * How many windows of `size` tokens, consecutive ones sharing `overlap` tokens, cover `length`
 * tokens (0 for an empty text).
 */
export function countTokenWindows(length: number, size: number, overlap: number): number {
  if (length <= 0) return 0;
  if (length <= size) return 1;
  return 1 + Math.ceil((length - size) / (size - overlap));
}

/**
 * Covers `length` tokens with windows of `size` tokens sharing `overlap` tokens with the previous one.
 * The last window is aligned to the end of the text, so every window has the full size unless the
 * text fits in one (the model then sees no padding). With more windows than `limit`, the first
 * `limit - 1` and the last are kept: instructions planted in a document sit at its start or end more
 * often than in its middle. Expects `0 <= overlap < size` and `limit >= 1`.
 */
export function planTokenWindows(
  length: number,
  size: number,
  overlap: number,
  limit: number,
): TokenWindow[] {
  const count = countTokenWindows(length, size, overlap);
  if (count === 0) return [];
  if (count === 1) return [{ start: 0, end: Math.min(length, size) }];
  const step = size - overlap;
  const windowAt = (index: number): TokenWindow => {
    const start = index === count - 1 ? length - size : index * step;
    return { start, end: start + size };
  };
  if (count <= limit) return Array.from({ length: count }, (_, i) => windowAt(i));
  if (limit === 1) return [windowAt(0)];
  return [...Array.from({ length: limit - 1 }, (_, i) => windowAt(i)), windowAt(count - 1)];
}

/**
 * Shares `budget` windows among texts wanting `wanted[i]` windows: each text that wants any gets one
 * first (in order), then the rest goes in order, so a long first text cannot starve the others.
 */
export function shareWindowBudget(wanted: readonly number[], budget: number): number[] {
  const granted = wanted.map(() => 0);
  let left = budget;
  for (let i = 0; i < wanted.length && left > 0; i++) {
    if ((wanted[i] ?? 0) > 0) {
      granted[i] = 1;
      left--;
    }
  }
  for (let i = 0; i < wanted.length && left > 0; i++) {
    const extra = Math.min((wanted[i] ?? 0) - (granted[i] ?? 0), left);
    granted[i] = (granted[i] ?? 0) + extra;
    left -= extra;
  }
  return granted;
}
