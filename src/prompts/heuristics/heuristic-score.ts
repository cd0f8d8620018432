/**
 * Turns weighted cue hits into one 0–1 score. Each spec counts once (its strongest hit); within a
 * category, hits that overlap a stronger hit of the same variant count once; the surviving weights
 * combine like independent evidence (noisy-OR), except that weak cues after the first are
 * discounted: a story that says "imagine" and "in a world where" is not an attack, while "ignore
 * previous instructions" plus "reveal your system prompt" is almost surely one.
 */
import type { DetectorEvidence, ShieldCategory, VariantKind } from '../types.js';
import type { PhraseSpec } from './phrase-spec.js';

/** One cue found in one variant, with its weight after context dampening. */
export interface WeightedHit {
  readonly spec: PhraseSpec;
  readonly variant: VariantKind;
  readonly start: number;
  readonly end: number;
  readonly weight: number;
}

/** What the hits add up to. */
export interface CombinedScore {
  readonly score: number;
  /** Categories whose own score reached the listing threshold, strongest first. */
  readonly categories: readonly ShieldCategory[];
  readonly evidence: readonly DetectorEvidence[];
}

/** Options of {@link combineHits}. */
export interface CombineOptions {
  readonly maxEvidence: number;
  readonly minCategoryScore: number;
}

/** A cue at least this strong counts almost fully even after another cue. */
const STRONG_CUE = 0.3;
const STRONG_FOLLOWER = 0.85;
const WEAK_FOLLOWER = 0.4;
/** Variants decoded from an encoding: an instruction found only there is also obfuscation. */
const PLAIN_VARIANTS: ReadonlySet<VariantKind> = new Set(['original', 'normalized']);
const OBFUSCATION_FACTOR = 0.5;

/** Combines hits into a score, categories and evidence. */
export function combineHits(hits: readonly WeightedHit[], options: CombineOptions): CombinedScore {
  const kept = selectHits(hits);
  const byCategory = new Map<ShieldCategory, number[]>();
  for (const h of kept)
    byCategory.set(h.spec.category, [...(byCategory.get(h.spec.category) ?? []), h.weight]);
  const obfuscation = obfuscationHit(hits);
  if (obfuscation !== undefined) byCategory.set('obfuscation', [obfuscation.weight]);
  const categoryScores = [...byCategory].map(([category, ws]) => [category, noisyOr(ws)] as const);
  const all = kept.map((h) => h.weight);
  if (obfuscation !== undefined) all.push(obfuscation.weight);
  const evidence: DetectorEvidence[] = [...kept]
    .sort((a, b) => b.weight - a.weight || a.start - b.start)
    .slice(0, options.maxEvidence)
    .map((h) => ({
      category: h.spec.category,
      variant: h.variant,
      start: h.start,
      end: h.end,
      note: `${h.spec.note} (${h.spec.id}, ${h.weight.toFixed(2)})`,
    }));
  if (obfuscation !== undefined && evidence.length < options.maxEvidence) {
    evidence.push({
      category: 'obfuscation',
      variant: obfuscation.variant,
      start: obfuscation.start,
      end: obfuscation.end,
      note: `instruction found only in ${obfuscation.variant}-decoded text (${obfuscation.spec.id})`,
    });
  }
  return {
    score: round(noisyOr(all)),
    categories: categoryScores
      .filter(([, s]) => s >= options.minCategoryScore)
      .sort((a, b) => b[1] - a[1])
      .map(([c]) => c),
    evidence,
  };
}

/** Noisy-OR of weights, strongest first, with later weak cues discounted. */
export function noisyOr(weights: readonly number[]): number {
  const sorted = weights.filter((w) => w > 0).sort((a, b) => b - a);
  let miss = 1;
  sorted.forEach((w, i) => {
    const factor = i === 0 ? 1 : w >= STRONG_CUE ? STRONG_FOLLOWER : WEAK_FOLLOWER;
    miss *= 1 - w * factor;
  });
  return 1 - miss;
}

/** The strongest hit per spec, then per category drop hits overlapping a stronger one. */
function selectHits(hits: readonly WeightedHit[]): WeightedHit[] {
  const bestBySpec = new Map<string, WeightedHit>();
  for (const h of hits) {
    if (h.weight <= 0) continue;
    const best = bestBySpec.get(h.spec.id);
    if (best === undefined || h.weight > best.weight) bestBySpec.set(h.spec.id, h);
  }
  const kept: WeightedHit[] = [];
  for (const h of [...bestBySpec.values()].sort((a, b) => b.weight - a.weight)) {
    const overlaps = kept.some(
      (k) =>
        k.spec.category === h.spec.category && k.variant === h.variant && k.start < h.end && h.start < k.end,
    );
    if (!overlaps) kept.push(h);
  }
  return kept;
}

/** A meaningful cue seen only in decoded text (base64, hex, ROT13, …): the hiding is a signal too. */
function obfuscationHit(hits: readonly WeightedHit[]): WeightedHit | undefined {
  const plainBest = new Map<string, number>();
  for (const h of hits) {
    if (PLAIN_VARIANTS.has(h.variant))
      plainBest.set(h.spec.id, Math.max(plainBest.get(h.spec.id) ?? 0, h.weight));
  }
  let found: WeightedHit | undefined;
  for (const h of hits) {
    if (PLAIN_VARIANTS.has(h.variant) || h.weight < STRONG_CUE) continue;
    if ((plainBest.get(h.spec.id) ?? 0) >= h.weight) continue;
    const weight = h.weight * OBFUSCATION_FACTOR;
    if (found === undefined || weight > found.weight) found = { ...h, weight };
  }
  return found;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
