/**
 * The prompt shield (controls G4, P4): one call that normalizes a text, runs the fast detectors
 * (multilingual heuristics and the learned classifier) and combines them into one calibrated 0–1
 * score per context, with the categories and evidence behind it. The gateway calls it on every
 * request, `bulwark scan prompt|corpus` on every input and chunk, the red-team module on probes.
 *
 * The fast tier is synchronous. Model-backed detectors (an ONNX sequence classifier) are
 * asynchronous and join through {@link PromptShield.scanAsync}; their score is a probability of their
 * own, so the combined score is the larger of the fast tier's and theirs.
 */
import { BulwarkError } from '../core/errors.js';
import { createClassifierDetector, defaultPromptClassifier } from './classifier/classifier-detector.js';
import type { PromptClassifier } from './classifier/classifier.js';
import { createHeuristicDetector, type HeuristicDetector } from './heuristics/index.js';
import { normalizePrompt, type NormalizeOptions } from './normalize/index.js';
import { SHIELD_COMBINER, type ShieldCombiner } from './shield-combiner.js';
import type {
  Detector,
  DetectorResult,
  NormalizationSignal,
  NormalizedInput,
  ShieldCategory,
  ShieldContext,
} from './types.js';
import { SHIELD_CATEGORIES } from './types.js';

/** The shield's verdict on one input. */
export interface ShieldVerdict {
  /** Calibrated 0–1: how likely the input is an injection or a jailbreak in its context. */
  readonly score: number;
  /** `score` is at or above `threshold`. */
  readonly flagged: boolean;
  readonly threshold: number;
  readonly context: ShieldContext;
  /** What the input attempts, from the detectors' evidence and normalization's signals (flagged or not). */
  readonly categories: readonly ShieldCategory[];
  /** Every detector's own result, fast tier first. */
  readonly detectors: readonly DetectorResult[];
  /** What normalization noticed (invisible characters, confusables, encodings). */
  readonly signals: readonly NormalizationSignal[];
}

/** Options of {@link createPromptShield}; every field is optional. */
export interface PromptShieldOptions {
  /** Flag at or above this score; default: the combiner's per-context threshold (set on validation data). */
  readonly threshold?: number | Partial<Record<ShieldContext, number>>;
  /** Extra detectors (for example an ONNX model); only {@link PromptShield.scanAsync} runs asynchronous ones. */
  readonly detectors?: readonly Detector[];
  /** The classifier of the fast tier; default the committed one. */
  readonly classifier?: PromptClassifier;
  /** The heuristic detector of the fast tier; default the built-in phrase lists. */
  readonly heuristics?: HeuristicDetector;
  /** How the fast tier's scores combine; default the committed, validation-fitted combiner. */
  readonly combiner?: ShieldCombiner;
  readonly normalize?: NormalizeOptions;
}

/** A ready shield: compiled phrase lists and loaded weights, reused across calls. */
export interface PromptShield {
  readonly thresholds: Readonly<Record<ShieldContext, number>>;
  /** The fast tier only (heuristics + classifier), synchronous: what the gateway runs in-line. */
  scan(text: string, context?: ShieldContext): ShieldVerdict;
  /** The fast tier and every extra detector, model-backed ones included. */
  scanAsync(text: string, context?: ShieldContext): Promise<ShieldVerdict>;
}

/** Scores at or above this in a detector's own result name its categories in the verdict. */
const CATEGORY_EVIDENCE_SCORE = 0.2;

/** Builds a shield; the phrase lists compile and the weights load here, once. */
export function createPromptShield(options: PromptShieldOptions = {}): PromptShield {
  const combiner = options.combiner ?? SHIELD_COMBINER;
  const thresholds = resolveThresholds(options.threshold, combiner);
  const heuristics = options.heuristics ?? createHeuristicDetector();
  const classifier = createClassifierDetector({
    classifier: options.classifier ?? defaultPromptClassifier(),
  });
  const extra = options.detectors ?? [];
  const normalizeOptions = options.normalize ?? {};

  const fast = (
    text: string,
    context: ShieldContext,
  ): { input: NormalizedInput; results: DetectorResult[] } => {
    if (typeof text !== 'string')
      throw new BulwarkError('INPUT_INVALID', 'a prompt to scan must be a string');
    if (context !== 'user' && context !== 'document') {
      throw new BulwarkError('INPUT_INVALID', `context must be "user" or "document", got ${String(context)}`);
    }
    const input = normalizePrompt(text, normalizeOptions);
    const results = [heuristics.detect(input, context), classifier.detect(input, context) as DetectorResult];
    return { input, results };
  };
  const verdict = (
    input: NormalizedInput,
    context: ShieldContext,
    results: DetectorResult[],
    extraScore: number,
  ): ShieldVerdict => {
    const [h, c] = results;
    const fastScore = combiner.combine(context, h?.score ?? 0, c?.score ?? 0, input.signals);
    const score = Math.max(fastScore, extraScore);
    const threshold = thresholds[context];
    return {
      score,
      flagged: score >= threshold,
      threshold,
      context,
      categories: categoriesOf(results, input.signals),
      detectors: results,
      signals: input.signals,
    };
  };

  return {
    thresholds,
    scan(text, context = 'user') {
      const { input, results } = fast(text, context);
      return verdict(input, context, results, 0);
    },
    async scanAsync(text, context = 'user') {
      const { input, results } = fast(text, context);
      let extraScore = 0;
      for (const detector of extra) {
        const result = await detector.detect(input, context);
        results.push(result);
        extraScore = Math.max(extraScore, result.score);
      }
      return verdict(input, context, results, extraScore);
    },
  };
}

function resolveThresholds(
  given: PromptShieldOptions['threshold'],
  combiner: ShieldCombiner,
): Record<ShieldContext, number> {
  const base = { ...combiner.thresholds };
  const set = typeof given === 'number' ? { user: given, document: given } : (given ?? {});
  for (const context of ['user', 'document'] as const) {
    const value = set[context];
    if (value === undefined) continue;
    if (!(value >= 0 && value <= 1)) {
      throw new BulwarkError('CONFIG_INVALID', `shield threshold must be in 0–1, got ${value}`);
    }
    base[context] = value;
  }
  return base;
}

/** Categories with evidence from a detector that scored, plus obfuscation and hidden content from normalization. */
function categoriesOf(
  results: readonly DetectorResult[],
  signals: readonly NormalizationSignal[],
): ShieldCategory[] {
  const found = new Set<ShieldCategory>();
  for (const result of results) {
    if (result.score < CATEGORY_EVIDENCE_SCORE) continue;
    for (const category of result.categories) found.add(category);
    for (const evidence of result.evidence) {
      if (evidence.variant !== 'normalized' && evidence.variant !== 'original') found.add('obfuscation');
    }
  }
  for (const signal of signals) {
    if (signal.kind === 'tag-characters' || signal.kind === 'bidi-control') found.add('hidden-content');
  }
  return SHIELD_CATEGORIES.filter((c) => found.has(c));
}
