/**
 * The two interfaces the model-backed detector sees a model through (an inference session and its
 * tokenizer), implemented at the edge, and one batch run: framed windows in, label probabilities out.
 */
import { BulwarkError, describeError, isBulwarkError } from '../../core/errors.js';
import { labelProbabilities } from './label-scores.js';

/** The inputs a sequence classifier export takes (BERT-style exports add token_type_ids). */
export const MODEL_INPUT_NAMES = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

/** One of {@link MODEL_INPUT_NAMES}. */
export type ModelInputName = (typeof MODEL_INPUT_NAMES)[number];

/** A row-major int64 tensor of shape [batch, sequence]. */
export interface Int64Batch {
  readonly data: BigInt64Array;
  readonly dims: readonly [number, number];
}

/** The model's logits, row-major, expected of shape [batch, labels]. */
export interface ModelLogits {
  readonly data: ArrayLike<number>;
  readonly dims: readonly number[];
}

/** An inference session of a sequence classifier, implemented at the edge with onnxruntime-node. */
export interface OnnxSession {
  /** The inputs the model wants, a subset of {@link MODEL_INPUT_NAMES} including input_ids. */
  readonly inputNames: readonly string[];
  run(feeds: Readonly<Partial<Record<ModelInputName, Int64Batch>>>): Promise<ModelLogits>;
}

/** The model's tokenizer: content ids of a text, and the special tokens that frame one sequence. */
export interface SequenceTokenizer {
  /** Token ids of `text` without special tokens. */
  encode(text: string): readonly number[];
  /** Ids before the content ([CLS], <s>). */
  readonly prefix: readonly number[];
  /** Ids after the content ([SEP], </s>). */
  readonly suffix: readonly number[];
}

/** Checks that the model takes input_ids and nothing a sequence classifier does not; returns its inputs. */
export function checkModelInputs(names: readonly string[], modelName: string): ModelInputName[] {
  const known = new Set<string>(MODEL_INPUT_NAMES);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0 || !names.includes('input_ids')) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `model ${modelName} takes inputs ${names.join(', ') || '(none)'}; a sequence classifier takes input_ids ` +
        `and optionally attention_mask and token_type_ids`,
    );
  }
  return MODEL_INPUT_NAMES.filter((name) => names.includes(name));
}

/** What {@link scoreWindowBatch} needs besides the windows. */
export interface WindowBatchModel {
  readonly session: OnnxSession;
  readonly tokenizer: SequenceTokenizer;
  /** The inputs to feed, from {@link checkModelInputs}. */
  readonly inputs: readonly ModelInputName[];
  /** Logits per window: the number of labels (1 for a single sigmoid output). */
  readonly width: number;
  readonly modelName: string;
}

/**
 * Runs windows of equal length as one batch, each framed by the tokenizer's special tokens, with a
 * full attention mask and zero token types, and returns each window's label probabilities. A model
 * that fails or answers in another shape is one INPUT_INVALID error.
 */
export async function scoreWindowBatch(
  model: WindowBatchModel,
  windows: ReadonlyArray<readonly number[]>,
): Promise<number[][]> {
  const { tokenizer, width, modelName } = model;
  const sequence = (windows[0]?.length ?? 0) + tokenizer.prefix.length + tokenizer.suffix.length;
  const size = windows.length * sequence;
  const inputIds = new BigInt64Array(size);
  windows.forEach((ids, row) => {
    const framed = [...tokenizer.prefix, ...ids, ...tokenizer.suffix];
    framed.forEach((tokenId, column) => (inputIds[row * sequence + column] = BigInt(tokenId)));
  });
  const dims = [windows.length, sequence] as const;
  const feeds: Partial<Record<ModelInputName, Int64Batch>> = {};
  for (const name of model.inputs) {
    if (name === 'input_ids') feeds[name] = { data: inputIds, dims };
    else if (name === 'attention_mask') feeds[name] = { data: new BigInt64Array(size).fill(1n), dims };
    else feeds[name] = { data: new BigInt64Array(size), dims };
  }
  let logits: ModelLogits;
  try {
    logits = await model.session.run(feeds);
  } catch (error) {
    if (isBulwarkError(error)) throw error;
    const line = describeError(error).split('\n', 1)[0] ?? '';
    throw new BulwarkError('INPUT_INVALID', `model ${modelName} failed: ${line}`, { cause: error });
  }
  const [rows, columns] = logits.dims;
  if (
    logits.dims.length !== 2 ||
    rows !== windows.length ||
    columns !== width ||
    logits.data.length !== rows * width
  ) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `model ${modelName} returned logits of shape [${logits.dims.join(', ')}], expected ` +
        `[${windows.length}, ${width}]: not a sequence classifier with the ${width} labels of its config`,
    );
  }
  return windows.map((_, row) => {
    const probabilities = labelProbabilities(logits.data, row * width, width);
    if (!probabilities.every(Number.isFinite)) {
      throw new BulwarkError('INPUT_INVALID', `model ${modelName} returned non-finite logits`);
    }
    return probabilities;
  });
}
