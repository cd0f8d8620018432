import type { ConfidenceTier } from '../types.js';

/** The confidence tier of a 0–1 score: ≥ 0.85 high, ≥ 0.6 medium, else low. */
export function confidenceOf(score: number): ConfidenceTier {
  if (score >= 0.85) return 'high';
  return score >= 0.6 ? 'medium' : 'low';
}
