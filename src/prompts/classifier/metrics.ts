/**
 * Detection figures shared by the classifier's training (validation) and scripts/eval-prompts.ts:
 * ROC AUC, the true-positive rate at a fixed false-positive rate, precision and recall.
 */

/** ROC AUC (Mann–Whitney U, ties count one half); NaN without both classes. */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [
    ...positives.map((score) => ({ score, positive: true })),
    ...negatives.map((score) => ({ score, positive: false })),
  ].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j]?.score === all[i]?.score) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]?.positive) rankSum += rank;
    i = j;
  }
  const p = positives.length;
  return (rankSum - (p * (p + 1)) / 2) / (p * negatives.length);
}

/** The operating point of {@link tprAtFpr}. */
export interface FprOperatingPoint {
  /** Texts scoring strictly above this are flagged. */
  readonly threshold: number;
  readonly tpr: number;
  /** The false-positive rate actually reached on the negatives (≤ the target). */
  readonly fpr: number;
}

/**
 * The true-positive rate when the threshold is set so that at most `targetFpr` of the negatives are
 * flagged (strictly above the threshold): with N negatives, floor(targetFpr · N) may be flagged.
 */
export function tprAtFpr(
  positives: readonly number[],
  negatives: readonly number[],
  targetFpr: number,
): FprOperatingPoint {
  const sorted = [...negatives].sort((a, b) => b - a);
  const allowed = Math.floor(targetFpr * sorted.length);
  const threshold = sorted[allowed] ?? -Infinity;
  const flaggedNegatives = sorted.filter((s) => s > threshold).length;
  const flagged = positives.filter((s) => s > threshold).length;
  return {
    threshold,
    tpr: positives.length === 0 ? Number.NaN : flagged / positives.length,
    fpr: sorted.length === 0 ? Number.NaN : flaggedNegatives / sorted.length,
  };
}

/** Precision, recall and false-positive rate when scores at or above `threshold` are flagged. */
export function precisionRecall(
  positives: readonly number[],
  negatives: readonly number[],
  threshold: number,
): { precision: number; recall: number; fpr: number } {
  const tp = positives.filter((s) => s >= threshold).length;
  const fp = negatives.filter((s) => s >= threshold).length;
  return {
    precision: tp + fp === 0 ? Number.NaN : tp / (tp + fp),
    recall: positives.length === 0 ? Number.NaN : tp / positives.length,
    fpr: negatives.length === 0 ? Number.NaN : fp / negatives.length,
  };
}
