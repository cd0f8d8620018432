/**
 * The optional model-backed detector of the prompt shields: a local sequence classifier in ONNX (for
 * example Prompt Guard 2) with its tokenizer. The engine sees the model and the tokenizer through two
 * small interfaces, so it never touches the file system; src/cli/onnx-model.ts opens them.
 *
 * Long texts are scored in overlapping token windows and the highest window wins; the work per call
 * is bounded by a budget of characters tokenized and of windows run.
 */
import { BulwarkError } from '../../core/errors.js';
import type {
  Detector,
  DetectorEvidence,
  DetectorResult,
  NormalizedInput,
  ShieldContext,
  VariantKind,
} from '../types.js';
import { categoryOfLabel, checkLabels, resolveAttackLabels, type AttackLabels } from './label-scores.js';
import {
  checkModelInputs,
  scoreWindowBatch,
  type OnnxSession,
  type SequenceTokenizer,
} from './model-session.js';
import { countTokenWindows, planTokenWindows, shareWindowBudget } from './token-windows.js';

/** Options of {@link createOnnxDetector}. */
export interface OnnxDetectorOptions {
  readonly session: OnnxSession;
  readonly tokenizer: SequenceTokenizer;
  /** The model's label names in id order (config.json `id2label`). */
  readonly labels: readonly string[];
  /** Labels that count as attacks; default every label not named like benign, safe or LABEL_0. */
  readonly attackLabels?: AttackLabels;
  /** Detector id in verdicts; default `onnx-model`. */
  readonly id?: string;
  /** The model's name in evidence notes; default the id. */
  readonly modelName?: string;
  /** Tokens per window, special tokens included; default 512. */
  readonly maxLength?: number;
  /** Tokens each window shares with the previous one (the Hugging Face meaning of stride); default 64. */
  readonly stride?: number;
  /** Characters tokenized per call, over the normalized text and its variants; default 65,536. */
  readonly maxChars?: number;
  /** Windows run per call; default 32. */
  readonly maxWindows?: number;
  /** Windows per model run; default 8. */
  readonly batchSize?: number;
  /** Also score decoded variants (base64, ROT13, …) and keep the highest; default true. */
  readonly scoreVariants?: boolean;
  /** Scores at or above this carry evidence and categories; default 0.5. */
  readonly evidenceThreshold?: number;
}

/** Defaults of {@link OnnxDetectorOptions}. */
export const ONNX_DETECTOR_DEFAULTS = {
  id: 'onnx-model',
  maxLength: 512,
  stride: 64,
  maxChars: 65_536,
  maxWindows: 32,
  batchSize: 8,
  evidenceThreshold: 0.5,
} as const;

interface EncodedText {
  readonly kind: VariantKind;
  readonly ids: readonly number[];
  readonly windowCount: number;
}

interface WindowJob {
  readonly text: number;
  readonly index: number;
  readonly ids: readonly number[];
}

interface Best {
  readonly mass: number;
  readonly label: number;
  readonly labelProbability: number;
  readonly job: WindowJob;
}

/** Builds the model-backed detector; options are checked here, once, so `detect` only scores. */
export function createOnnxDetector(options: OnnxDetectorOptions): Detector {
  const { session, tokenizer, labels } = options;
  checkLabels(labels);
  const attacks = resolveAttackLabels(labels, options.attackLabels);
  const id = options.id ?? ONNX_DETECTOR_DEFAULTS.id;
  const modelName = options.modelName ?? id;
  const maxLength = positiveInteger('maxLength', options.maxLength ?? ONNX_DETECTOR_DEFAULTS.maxLength);
  const framing = tokenizer.prefix.length + tokenizer.suffix.length;
  const windowSize = maxLength - framing;
  if (windowSize < 1) {
    throw new BulwarkError(
      'CONFIG_INVALID',
      `maxLength ${maxLength} leaves no room beside ${framing} special tokens`,
    );
  }
  const stride = options.stride ?? Math.min(ONNX_DETECTOR_DEFAULTS.stride, Math.floor(windowSize / 2));
  if (!Number.isInteger(stride) || stride < 0 || stride >= windowSize) {
    throw new BulwarkError(
      'CONFIG_INVALID',
      `stride must be an integer in 0–${windowSize - 1} (tokens shared by windows), got ${stride}`,
    );
  }
  const maxChars = positiveInteger('maxChars', options.maxChars ?? ONNX_DETECTOR_DEFAULTS.maxChars);
  const maxWindows = positiveInteger('maxWindows', options.maxWindows ?? ONNX_DETECTOR_DEFAULTS.maxWindows);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? ONNX_DETECTOR_DEFAULTS.batchSize);
  const evidenceThreshold = options.evidenceThreshold ?? ONNX_DETECTOR_DEFAULTS.evidenceThreshold;
  if (!(evidenceThreshold >= 0 && evidenceThreshold <= 1)) {
    throw new BulwarkError('CONFIG_INVALID', `evidenceThreshold must be in 0–1, got ${evidenceThreshold}`);
  }
  const inputs = checkModelInputs(session.inputNames, modelName);
  const framingIds = new Set([...tokenizer.prefix, ...tokenizer.suffix]);
  const width = labels.length;

  const encodeAll = (input: NormalizedInput): { texts: EncodedText[]; clipped: boolean } => {
    const texts: EncodedText[] = [];
    const seen = new Set<string>();
    let charsLeft = maxChars;
    let clipped = false;
    const candidates = [{ kind: 'normalized' as VariantKind, text: input.normalized }];
    if (options.scoreVariants ?? true) {
      for (const v of input.variants)
        if (v.kind !== 'normalized' && v.kind !== 'original') candidates.push(v);
    }
    for (const candidate of candidates) {
      if (candidate.text.trim() === '' || seen.has(candidate.text)) continue;
      seen.add(candidate.text);
      if (charsLeft <= 0) {
        clipped = true;
        break;
      }
      const text = clipText(candidate.text, charsLeft);
      clipped ||= text.length < candidate.text.length;
      charsLeft -= text.length;
      // Framing tokens spelled out in the text ("[SEP][CLS]") must not open a segment of their own.
      const ids = tokenizer.encode(text).filter((tokenId) => !framingIds.has(tokenId));
      const windowCount = countTokenWindows(ids.length, windowSize, stride);
      if (windowCount > 0) texts.push({ kind: candidate.kind, ids, windowCount });
    }
    return { texts, clipped };
  };

  return {
    id,
    async detect(input: NormalizedInput, context: ShieldContext): Promise<DetectorResult> {
      const { texts, clipped: charsClipped } = encodeAll(input);
      const granted = shareWindowBudget(
        texts.map((t) => t.windowCount),
        maxWindows,
      );
      const jobs: WindowJob[] = [];
      texts.forEach((encoded, text) => {
        const windows = planTokenWindows(encoded.ids.length, windowSize, stride, granted[text] ?? 0);
        windows.forEach((w, index) => jobs.push({ text, index, ids: encoded.ids.slice(w.start, w.end) }));
      });
      const clipped = charsClipped || texts.some((t, i) => t.windowCount > (granted[i] ?? 0));

      // Windows of one length share a batch; only a text shorter than one window has its own length.
      const byLength = new Map<number, WindowJob[]>();
      for (const job of jobs) {
        const group = byLength.get(job.ids.length);
        if (group === undefined) byLength.set(job.ids.length, [job]);
        else group.push(job);
      }
      const attackIndices = attacks[context];
      let best: Best | undefined;
      for (const group of byLength.values()) {
        for (let at = 0; at < group.length; at += batchSize) {
          const batch = group.slice(at, at + batchSize);
          const scored = await scoreWindowBatch(
            { session, tokenizer, inputs, width, modelName },
            batch.map((job) => job.ids),
          );
          scored.forEach((probabilities, row) => {
            let mass = 0;
            let label = attackIndices[0] ?? 0;
            for (const index of attackIndices) {
              const p = probabilities[index] ?? 0;
              mass += p;
              if (p > (probabilities[label] ?? 0)) label = index;
            }
            const job = batch[row];
            if (job !== undefined && (best === undefined || mass > best.mass)) {
              best = { mass, label, labelProbability: probabilities[label] ?? 0, job };
            }
          });
        }
      }

      const score = Math.min(1, best?.mass ?? 0);
      const evidence: DetectorEvidence[] = [];
      if (best !== undefined && score >= evidenceThreshold) {
        const encoded = texts[best.job.text];
        const windows = granted[best.job.text] ?? 1;
        const where = windows > 1 ? ` in window ${best.job.index + 1} of ${windows}` : '';
        evidence.push({
          category: categoryOfLabel(labels[best.label] ?? ''),
          variant: encoded?.kind ?? 'normalized',
          note:
            `${modelName}: ${labels[best.label] ?? '?'} ${best.labelProbability.toFixed(3)}${where}` +
            (clipped ? ' (long input: part of it was not scored by the model)' : ''),
        });
      }
      return { detector: id, score, categories: evidence.map((e) => e.category), evidence };
    },
  };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new BulwarkError('CONFIG_INVALID', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** The first `limit` UTF-16 units of `text`, not splitting a surrogate pair. */
function clipText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const code = text.charCodeAt(limit - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
}
