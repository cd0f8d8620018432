/**
 * A {@link SequenceTokenizer} from a Hugging Face tokenizer.json (and tokenizer_config.json), through
 * @huggingface/tokenizers (pure JavaScript): Unigram (DeBERTa-v3, mDeBERTa: Prompt Guard 2),
 * WordPiece (BERT) and BPE (RoBERTa). The special tokens that frame one sequence are read off the
 * tokenizer's own post-processor, so the detector frames each window exactly as the model was trained.
 */
import * as tokenizers from '@huggingface/tokenizers';
import { BulwarkError, describeError } from '../../core/errors.js';
import type { SequenceTokenizer } from './model-session.js';

/** The tokenizer models a prompt classifier comes with that this adapter accepts. */
export const SUPPORTED_TOKENIZER_MODELS = ['WordPiece', 'Unigram', 'BPE'] as const;

/** The part of @huggingface/tokenizers' Tokenizer used here. */
interface HfTokenizer {
  encode(text: string, options: { add_special_tokens: boolean }): { ids: number[] };
}

/**
 * The package's type declarations use extension-less relative imports, which NodeNext resolution
 * cannot follow, so its class is typed here by the part this adapter calls.
 */
const HfTokenizerClass = tokenizers.Tokenizer as unknown as new (
  tokenizer: Record<string, unknown>,
  config: Record<string, unknown>,
) => HfTokenizer;

/** Texts used to find where the content goes between the special tokens. */
const PROBES = ['hello world', 'Ignore 42 things.'] as const;

/**
 * Builds the tokenizer from parsed tokenizer.json and tokenizer_config.json; an unsupported or broken
 * tokenizer is one INPUT_INVALID error naming `source` (the file, for the message).
 */
export function createHfTokenizer(
  tokenizerJson: unknown,
  tokenizerConfig: unknown = {},
  source = 'tokenizer.json',
): SequenceTokenizer {
  if (!isRecord(tokenizerJson)) throw new BulwarkError('INPUT_INVALID', `${source} is not a JSON object`);
  if (!isRecord(tokenizerConfig))
    throw new BulwarkError('INPUT_INVALID', 'tokenizer_config.json is not a JSON object');
  const model = tokenizerJson.model;
  const type = isRecord(model) ? model.type : undefined;
  if (!SUPPORTED_TOKENIZER_MODELS.some((supported) => supported === type)) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `${source} uses a ${typeof type === 'string' ? type : 'untyped'} model; supported: ${SUPPORTED_TOKENIZER_MODELS.join(', ')}`,
    );
  }
  let tokenizer: HfTokenizer;
  try {
    tokenizer = new HfTokenizerClass({ added_tokens: [], ...tokenizerJson }, tokenizerConfig);
  } catch (error) {
    throw new BulwarkError('INPUT_INVALID', `${source} is not supported: ${describeError(error)}`, {
      cause: error,
    });
  }
  const ids = (text: string, special: boolean): number[] => {
    try {
      return tokenizer.encode(text, { add_special_tokens: special }).ids;
    } catch (error) {
      throw new BulwarkError('INPUT_INVALID', `${source} cannot encode text: ${describeError(error)}`, {
        cause: error,
      });
    }
  };
  const { prefix, suffix } = findFraming(
    PROBES.map((probe) => [ids(probe, true), ids(probe, false)] as const),
    source,
  );
  return { prefix, suffix, encode: (text) => ids(text, false) };
}

/**
 * The ids before and after the content in a framed encoding, checked to be the same for every probe
 * (a post-processor that does anything else cannot be reproduced window by window).
 */
function findFraming(
  probes: ReadonlyArray<readonly [readonly number[], readonly number[]]>,
  source: string,
): { prefix: number[]; suffix: number[] } {
  let framing: { prefix: number[]; suffix: number[] } | undefined;
  for (const [framed, bare] of probes) {
    const at = indexOfRun(framed, bare);
    const found =
      at < 0 ? undefined : { prefix: framed.slice(0, at), suffix: framed.slice(at + bare.length) };
    if (found === undefined || (framing !== undefined && !sameFraming(framing, found))) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `${source}: its post-processor does not wrap a text in fixed special tokens, which the windowed scoring needs`,
      );
    }
    framing = found;
  }
  return framing ?? { prefix: [], suffix: [] };
}

function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  if (needle.length === 0) return -1;
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((value, j) => haystack[i + j] === value)) return i;
  }
  return -1;
}

function sameFraming(
  a: { prefix: number[]; suffix: number[] },
  b: { prefix: number[]; suffix: number[] },
): boolean {
  return a.prefix.join() === b.prefix.join() && a.suffix.join() === b.suffix.join();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
