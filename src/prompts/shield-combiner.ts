/**
 * How the shield's fast tier turns its detectors' scores into one calibrated probability per context:
 * a logistic regression over the heuristic score, the classifier's logit and a hidden-character
 * signal, floored by the heuristic score calibrated alone, both fitted on the validation split of the public prompt data (never on a test split) by
 * scripts/train-prompt-classifier.ts, which also picks each context's default threshold there.
 */
import type { NormalizationSignal, ShieldContext } from './types.js';
import { COMBINER_PARAMETERS } from './shield-combiner.generated.js';

/** One context's coefficients. */
export interface CombinerWeights {
  readonly bias: number;
  /** Times the heuristic score (0–1). */
  readonly heuristic: number;
  /** Times the classifier's logit (clipped to ±{@link LOGIT_CLIP}). */
  readonly classifier: number;
  /** Added when the input hid characters (tag characters, bidi controls). */
  readonly hidden: number;
}

/** A context's calibration of the heuristic score alone: the floor of the combined score. */
export interface HeuristicFloor {
  readonly bias: number;
  readonly heuristic: number;
}

/** The fitted parameters, as the training script writes them. */
export interface CombinerParameters {
  readonly weights: Readonly<Record<ShieldContext, CombinerWeights>>;
  /**
   * The combined score never falls below the heuristic score calibrated alone: the classifier learned
   * from mostly English text, and its confident "benign" on a language or a form it never saw must not
   * cancel a phrase the heuristics know.
   */
  readonly floor: Readonly<Record<ShieldContext, HeuristicFloor>>;
  /** Default flagging threshold per context, set on validation data. */
  readonly thresholds: Readonly<Record<ShieldContext, number>>;
}

/** Combines the fast tier's scores. */
export interface ShieldCombiner {
  readonly thresholds: Readonly<Record<ShieldContext, number>>;
  combine(
    context: ShieldContext,
    heuristic: number,
    classifier: number,
    signals: readonly NormalizationSignal[],
  ): number;
}

/** Classifier probabilities are turned into logits clipped to this magnitude. */
export const LOGIT_CLIP = 12;

/** The features the combiner weighs, in the order of {@link CombinerWeights}: heuristic, classifier logit, hidden. */
export function combinerFeatures(
  heuristic: number,
  classifier: number,
  signals: readonly NormalizationSignal[],
): [number, number, number] {
  const p = Math.min(Math.max(classifier, 1e-12), 1 - 1e-12);
  const logit = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, Math.log(p / (1 - p))));
  const hidden = signals.some((s) => s.kind === 'tag-characters' || s.kind === 'bidi-control') ? 1 : 0;
  return [heuristic, logit, hidden];
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** A combiner from fitted parameters. */
export function linearCombiner(parameters: CombinerParameters): ShieldCombiner {
  return {
    thresholds: parameters.thresholds,
    combine(context, heuristic, classifier, signals) {
      const w = parameters.weights[context];
      const [h, c, hidden] = combinerFeatures(heuristic, classifier, signals);
      const z = w.bias + w.heuristic * h + w.classifier * c + w.hidden * hidden;
      const f = parameters.floor[context];
      return Math.max(sigmoid(z), sigmoid(f.bias + f.heuristic * h));
    },
  };
}

/** The committed combiner (shield-combiner.generated.ts). */
export const SHIELD_COMBINER: ShieldCombiner = linearCombiner(COMBINER_PARAMETERS);
