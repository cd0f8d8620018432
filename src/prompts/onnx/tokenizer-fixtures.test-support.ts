/**
 * Small tokenizer.json files of the three model families a prompt-injection classifier comes in:
 * Unigram with Metaspace (DeBERTa-v3, mDeBERTa: Prompt Guard 2, ProtectAI), byte-level BPE (RoBERTa)
 * and WordPiece (BERT, in tiny-onnx.test-support.ts). Same layout as the Hugging Face tokenizers write.
 */

function addedToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

function template(cls: string, clsId: number, sep: string, sepId: number): Record<string, unknown> {
  return {
    type: 'TemplateProcessing',
    single: [
      { SpecialToken: { id: cls, type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: sep, type_id: 0 } },
    ],
    pair: [
      { SpecialToken: { id: cls, type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: sep, type_id: 0 } },
      { Sequence: { id: 'B', type_id: 1 } },
      { SpecialToken: { id: sep, type_id: 1 } },
    ],
    special_tokens: {
      [cls]: { id: cls, ids: [clsId], tokens: [cls] },
      [sep]: { id: sep, ids: [sepId], tokens: [sep] },
    },
  };
}

/** The pieces of {@link unigramTokenizer} after the four specials, with their log probabilities. */
const UNIGRAM_PIECES: ReadonlyArray<readonly [string, number]> = [
  ['▁', -3],
  ['▁ignore', -6],
  ['▁previous', -7],
  ['▁instructions', -7],
  ['▁the', -4],
  ['▁ig', -9],
  ['nore', -9],
  ['i', -8],
  ['g', -8],
  ['n', -8],
  ['o', -8],
  ['r', -8],
  ['e', -8],
];

/** A DeBERTa-v3-style tokenizer: Unigram model, Metaspace pre-tokenizer, [CLS] text [SEP]. */
export function unigramTokenizer(): Record<string, unknown> {
  const specials = ['[PAD]', '[CLS]', '[SEP]', '[UNK]'];
  const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((token, id) => addedToken(id, token)),
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'Strip', strip_left: true, strip_right: true }, { type: 'NFKC' }],
    },
    pre_tokenizer: metaspace,
    post_processor: template('[CLS]', 1, '[SEP]', 2),
    decoder: metaspace,
    model: {
      type: 'Unigram',
      unk_id: 3,
      byte_fallback: false,
      vocab: [...specials.map((token) => [token, 0]), ...UNIGRAM_PIECES],
    },
  };
}

/** A RoBERTa-style tokenizer: byte-level BPE, <s> text </s>. */
export function bpeTokenizer(): Record<string, unknown> {
  const specials = ['<s>', '<pad>', '</s>', '<unk>'];
  const symbols = ['h', 'i', 'Ġ', 't', 'e', 'r', 'hi', 'Ġt', 'Ġth', 'er', 'Ġther', 'Ġthere'];
  const vocab = Object.fromEntries([...specials, ...symbols].map((token, id) => [token, id]));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((token, id) => addedToken(id, token)),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['</s>', 2],
      cls: ['<s>', 0],
      trim_offsets: true,
      add_prefix_space: false,
    },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: ['h i', 'Ġ t', 'Ġt h', 'e r', 'Ġth er', 'Ġther e'],
    },
  };
}
