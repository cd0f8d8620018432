/**
 * Training of the prompt classifier, free of I/O so that it is testable and reproducible: texts in,
 * weights-file bytes out. Each text is cut into the windows the scorer uses (features.ts); a
 * composed document trains on the window(s) holding the injected span, any other text on all its
 * windows, sharing the text's weight. The L2-regularized logistic loss is minimized by full-batch
 * L-BFGS (deterministic), the weights are quantized to int8, and the shipped (quantized) model is
 * then calibrated by Platt scaling on the validation texts, per context, with both classes weighted
 * equally (so 0.5 means "as likely an attack as not" at even odds).
 */
import type { ShieldContext } from '../types.js';
import { loadPromptClassifier } from './classifier.js';
import { buildDesignMatrix, logisticObjective } from './design-matrix.js';
import { minimizeLbfgs } from './lbfgs.js';
import { rocAuc, tprAtFpr } from './metrics.js';
import { fitPlatt } from './platt.js';
import {
  encodeWeightsFile,
  quantizeWeights,
  type WeightsHeader,
  type WeightsHeaderInput,
} from './weights-format.js';

/** One labelled text of the training or validation data. */
export interface TrainingExample {
  readonly text: string;
  readonly context: ShieldContext;
  /** 1: injection or jailbreak; 0: benign. */
  readonly label: 0 | 1;
  /** Relative weight of the text, shared by its windows (default 1). */
  readonly weight?: number;
  /** UTF-16 span of the injected part of `text` (composed documents): training uses its window. */
  readonly span?: readonly [number, number];
  /** Where the text comes from, for the reports. */
  readonly source: string;
}

/** What the training searches over or fixes; recorded in the weights header. */
export interface ClassifierHyperparameters {
  readonly hashBits: number;
  readonly hashSeed: number;
  readonly contextFeatures: 'intercept-only' | 'shared+context';
  readonly windowSize: number;
  readonly windowStride: number;
  /**
   * A window's feature counts are divided by n^e (n: its feature occurrences): 0.5 is the usual
   * L2-style scaling, 1 a mean, which keeps long benign text from drifting towards either class.
   */
  readonly lengthExponent: number;
  /** L2 penalty on the n-gram weights (not on the two intercepts). */
  readonly l2: number;
  readonly maxIterations: number;
  readonly tolerance: number;
}

/** The settings the committed weights were trained with (chosen on the validation split). */
export const DEFAULT_HYPERPARAMETERS: ClassifierHyperparameters = {
  hashBits: 18,
  hashSeed: 0x62776b31,
  contextFeatures: 'shared+context',
  windowSize: 128,
  windowStride: 64,
  lengthExponent: 0.5,
  l2: 1e-4,
  maxIterations: 300,
  tolerance: 1e-6,
};

/** Inputs of {@link trainPromptClassifier}. */
export interface TrainingInput {
  readonly train: readonly TrainingExample[];
  /** Scored whole, as at runtime, for the calibration and the validation figures. */
  readonly validation: readonly TrainingExample[];
  readonly hyperparameters: ClassifierHyperparameters;
  /** The script that ran the training, its seed and the digests of the data files it read. */
  readonly provenance: Pick<WeightsHeader['training'], 'script' | 'seed' | 'data'>;
  /** The default decision threshold on the calibrated probability (default 0.5). */
  readonly threshold?: number;
}

/** A validation text with its margin and calibrated probability. */
export interface ValidationScore {
  readonly example: TrainingExample;
  readonly margin: number;
  readonly probability: number;
}

/** The weights file and what training saw. */
export interface TrainingResult {
  readonly bytes: Uint8Array;
  readonly header: WeightsHeader;
  readonly iterations: number;
  readonly validation: readonly ValidationScore[];
}

const CONTEXTS: readonly ShieldContext[] = ['user', 'document'];

/** Trains, quantizes, calibrates and serializes the classifier; the same input gives the same bytes. */
export function trainPromptClassifier(input: TrainingInput): TrainingResult {
  const hp = input.hyperparameters;
  const buckets = 2 ** hp.hashBits;
  const design = buildDesignMatrix(input.train, hp);
  const result = minimizeLbfgs(logisticObjective(design, buckets, hp.l2), new Float64Array(buckets + 2), {
    maxIterations: hp.maxIterations,
    tolerance: hp.tolerance,
  });
  const { q, scale } = quantizeWeights(result.x.subarray(0, buckets));
  const header = (calibration: WeightsHeader['calibration'], validation: Record<string, number>) =>
    ({
      format: 'bulwark-prompt-classifier',
      version: 1,
      features: {
        normalization: 'nfkc-lowercase-no-format-chars',
        charNgrams: [3, 5],
        charNgramsWithin: 'words-padded',
        wordNgrams: [1, 2],
        hashBits: hp.hashBits,
        hashSeed: hp.hashSeed,
        signedHashing: true,
        contextFeatures: hp.contextFeatures,
        scaling: 'count/n^e',
        lengthExponent: hp.lengthExponent,
        window: { size: hp.windowSize, stride: hp.windowStride },
      },
      intercepts: { user: result.x[buckets] ?? 0, document: result.x[buckets + 1] ?? 0 },
      calibration,
      threshold: input.threshold ?? 0.5,
      quantization: { kind: 'int8', scale },
      training: {
        ...input.provenance,
        hyperparameters: { ...hp },
        examples: {
          texts: input.train.length,
          windows: design.rows,
          nonZeros: design.indices.length,
          iterations: result.iterations,
          finalLoss: result.value,
        },
        validation,
      },
    }) satisfies WeightsHeaderInput;

  const identity = { user: { a: 1, b: 0 }, document: { a: 1, b: 0 } };
  const uncalibrated = loadPromptClassifier(encodeWeightsFile(header(identity, {}), q));
  const margins = input.validation.map((e) => uncalibrated.explain(e.text, e.context).margin);
  const calibration = { ...identity };
  const figures: Record<string, number> = {};
  for (const context of CONTEXTS) {
    const picked = input.validation.flatMap((e, i) => (e.context === context ? [i] : []));
    const zs = picked.map((i) => margins[i] ?? 0);
    const ls = picked.map((i) => input.validation[i]?.label ?? 0);
    calibration[context] = fitPlatt(zs, ls);
    const positives = zs.filter((_, k) => ls[k] === 1);
    const negatives = zs.filter((_, k) => ls[k] === 0);
    figures[`${context}.positives`] = positives.length;
    figures[`${context}.negatives`] = negatives.length;
    if (positives.length > 0 && negatives.length > 0) {
      figures[`${context}.auc`] = round(rocAuc(positives, negatives));
      figures[`${context}.tprAt1pctFpr`] = round(tprAtFpr(positives, negatives, 0.01).tpr);
    }
  }
  const bytes = encodeWeightsFile(header(calibration, figures), q);
  const classifier = loadPromptClassifier(bytes);
  const validation = input.validation.map((example, i) => {
    const margin = margins[i] ?? 0;
    const { a, b } = classifier.header.calibration[example.context];
    return { example, margin, probability: 1 / (1 + Math.exp(-(a * margin + b))) };
  });
  return { bytes, header: classifier.header, iterations: result.iterations, validation };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
