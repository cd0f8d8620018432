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
        // Decoded variants, and text smuggled in tag characters or variation selectors (which comes
        // out as further `normalized` variants): everything but the normalized text itself.
        for (const v of input.variants)
          if (v.kind !== 'original' && v.text !== input.normalized) candidates.push(v);
      }
      let best: { score: ClassifierScore; variant: TextVariant } | undefined;
      for (const variant of candidates) {
        // The classifier learned from prose; on decoder garbage or letters spaced out its score means
        // nothing (it is out of distribution), so such text is left to the heuristics.
        if (!looksLikeProse(variant.text)) continue;
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

const LETTER = /\p{L}/u;
const WORD = /[\p{L}\p{M}]{2,}/gu;
const PLAIN_WORD = /^(?:\p{Lu}?[^\p{Lu}]*|[^\p{Ll}]*)$/u;

/**
 * Whether the classifier's score on `text` means something: letters and spaces make up at least 70%
 * of the characters, and there are at least two words of two or more letters, most of them cased as
 * prose cases words.
 */
export function looksLikeProse(text: string): boolean {
  const sample = text.length > 4096 ? text.slice(0, 4096) : text;
  let prose = 0;
  let chars = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff) continue; // the second half of a surrogate pair
    chars++;
    if (code === 32 || code === 10 || ((code | 32) >= 97 && (code | 32) <= 122)) prose++;
    else if (code >= 0x80 && LETTER.test(String.fromCodePoint(sample.codePointAt(i) ?? code))) prose++;
  }
  if (prose < 0.7 * chars) return false;
  // Words as prose writes them: lower case, capitalised or all capitals; not aGVsbG8-style base64.
  let words = 0;
  let plain = 0;
  for (const [word] of sample.matchAll(WORD)) {
    words++;
    if (PLAIN_WORD.test(word)) plain++;
  }
  return words >= 2 && plain >= 0.5 * words;
}
