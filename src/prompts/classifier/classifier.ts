/**
 * The learned fast classifier of the prompt shields (G4, P4): logistic regression over hashed
 * character and word n-grams (features.ts), trained by scripts/train-prompt-classifier.ts and shipped
 * as weights.generated.ts. A text is scored in overlapping windows and the highest window wins, so
 * one injected paragraph in a long document is not diluted by the clean text around it; the margin is
 * then calibrated (Platt scaling, per context) into a probability.
 */
import type { ShieldContext } from '../types.js';
import {
  CONTEXT_SALTS,
  canonicalizeText,
  createFeatureBuffer,
  extractFeatures,
  forEachWindow,
  weightPrefixSums,
  type FeatureBuffer,
} from './features.js';
import { decodeWeightsFile, type WeightsHeader } from './weights-format.js';

/** The classifier's verdict on one text, with the window that decided it. */
export interface ClassifierScore {
  /** Calibrated probability (0–1) that the text is an injection or a jailbreak. */
  readonly probability: number;
  /** The raw logistic margin of the best window, before calibration. */
  readonly margin: number;
  /** UTF-16 span of the best window in the canonical (NFKC, lower-cased) text. */
  readonly start: number;
  readonly end: number;
  /** Length of the canonical text the span refers to. */
  readonly canonicalLength: number;
}

/** A loaded classifier: score texts as a user prompt or as a document. */
export interface PromptClassifier {
  readonly header: WeightsHeader;
  /** The probability at or above which the classifier calls a text an attack. */
  readonly threshold: number;
  /** Calibrated probability that `text` is an injection or jailbreak in `context`. */
  score(text: string, context: ShieldContext): number;
  /** {@link score} with the margin and the span of the deciding window. */
  explain(text: string, context: ShieldContext): ClassifierScore;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Loads a weights file (see weights-format.ts); a damaged file gives one `INPUT_INVALID` error. */
export function loadPromptClassifier(bytes: Uint8Array): PromptClassifier {
  const { header, weights } = decodeWeightsFile(bytes);
  const { hashBits, hashSeed, window } = header.features;
  // Sums stay in int8 units (exact, and a 2^bits-byte table stays in cache); scaled once per window.
  const scale = header.quantization.scale;
  const exponent = header.features.lengthExponent;
  const perContext = header.features.contextFeatures === 'shared+context';
  const features: FeatureBuffer = createFeatureBuffer();
  let prefix = new Float64Array(4096);

  const explain = (text: string, context: ShieldContext): ClassifierScore => {
    const canonical = canonicalizeText(text);
    extractFeatures(canonical, hashSeed, features);
    const { positions, count } = features;
    if (prefix.length < count + 1) prefix = new Float64Array(Math.max(count + 1, prefix.length * 2));
    weightPrefixSums(features, weights, hashBits, perContext ? CONTEXT_SALTS[context] : undefined, prefix);
    const intercept = header.intercepts[context];
    let best = intercept;
    let bestLo = 0;
    let bestHi = 0;
    let seen = false;
    forEachWindow(features, window, (lo, hi) => {
      const margin = intercept + (scale * ((prefix[hi] ?? 0) - (prefix[lo] ?? 0))) / (hi - lo) ** exponent;
      if (!seen || margin > best) {
        best = margin;
        bestLo = lo;
        bestHi = hi;
        seen = true;
      }
    });
    const { a, b } = header.calibration[context];
    return {
      probability: sigmoid(a * best + b),
      margin: best,
      start: seen ? (positions[bestLo] ?? 0) : 0,
      end: seen ? (bestHi < count ? (positions[bestHi] ?? 0) : canonical.length) : 0,
      canonicalLength: canonical.length,
    };
  };
  return {
    header,
    threshold: header.threshold,
    explain,
    score: (text, context) => explain(text, context).probability,
  };
}
