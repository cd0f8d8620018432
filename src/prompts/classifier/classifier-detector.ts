/**
 * The `classifier` detector of the prompt shields: the committed classifier (weights.generated.ts,
 * embedded as base64 so the engine needs no file system) scored on the normalized input and on each
 * decoded variant, keeping the highest.
 */
import type {
  Detector,
  DetectorEvidence,
  DetectorResult,
  NormalizedInput,
  ShieldCategory,
  ShieldContext,
  TextVariant,
} from '../types.js';
import { loadPromptClassifier, type ClassifierScore, type PromptClassifier } from './classifier.js';
import { CLASSIFIER_WEIGHTS_BASE64 } from './weights.generated.js';

let embedded: PromptClassifier | undefined;

/** The classifier trained on the public prompt data and committed in weights.generated.ts (cached). */
export function defaultPromptClassifier(): PromptClassifier {
  embedded ??= loadPromptClassifier(Buffer.from(CLASSIFIER_WEIGHTS_BASE64, 'base64'));
  return embedded;
}

/** Options of {@link createClassifierDetector}. */
export interface ClassifierDetectorOptions {
  /** The classifier to use; defaults to {@link defaultPromptClassifier}. */
  readonly classifier?: PromptClassifier;
  /** Also score decoded variants (base64, ROT13, …) and keep the highest; default true. */
  readonly scoreVariants?: boolean;
}

/**
 * The classifier is binary (attack or not), so its evidence names the category its training data of
 * that context is about: jailbreak and injection prompts for user text (JailbreakBench, deepset),
 * instructions planted in data for documents (BIPIA).
 */
const CONTEXT_CATEGORY: Readonly<Record<ShieldContext, ShieldCategory>> = {
  user: 'jailbreak',
  document: 'instruction-override',
};

/** The `classifier` detector: scores `input.normalized` and, by default, each decoded variant. */
export function createClassifierDetector(options: ClassifierDetectorOptions = {}): Detector {
  const scoreVariants = options.scoreVariants ?? true;
  return {
    id: 'classifier',
    detect(input: NormalizedInput, context: ShieldContext): DetectorResult {
      const classifier = options.classifier ?? defaultPromptClassifier();
      const candidates: TextVariant[] = [{ kind: 'normalized', text: input.normalized }];
      if (scoreVariants) {
        for (const v of input.variants)
          if (v.kind !== 'normalized' && v.kind !== 'original') candidates.push(v);
      }
      let best: { score: ClassifierScore; variant: TextVariant } | undefined;
      for (const variant of candidates) {
        const score = classifier.explain(variant.text, context);
        if (best === undefined || score.probability > best.score.probability) best = { score, variant };
      }
      const score = best?.score.probability ?? 0;
      const evidence: DetectorEvidence[] = [];
      if (best !== undefined && score >= classifier.threshold) {
        // Offsets are those of the canonical text; they hold in the variant when casing kept its length.
        const exact = best.score.canonicalLength === best.variant.text.length;
        evidence.push({
          category: CONTEXT_CATEGORY[context],
          variant: best.variant.kind,
          ...(exact ? { start: best.score.start, end: best.score.end } : {}),
          note: `classifier probability ${score.toFixed(3)} (threshold ${classifier.threshold})`,
        });
      }
      return {
        detector: 'classifier',
        score,
        categories: evidence.map((e) => e.category),
        evidence,
      };
    },
  };
}
