import { describe, expect, it } from 'vitest';
import { expectFault } from '../../../test/support/expect-fault.js';
import { createHfTokenizer } from './hf-tokenizer.js';
import { TINY_VOCAB, tinyWordPieceTokenizer } from './tiny-onnx.test-support.js';
import { bpeTokenizer, unigramTokenizer } from './tokenizer-fixtures.test-support.js';

describe('createHfTokenizer', () => {
  it('reads a BERT WordPiece tokenizer: [CLS] text [SEP], lower-cased', () => {
    const tokenizer = createHfTokenizer(tinyWordPieceTokenizer());
    expect(tokenizer.prefix).toEqual([TINY_VOCAB.indexOf('[CLS]')]);
    expect(tokenizer.suffix).toEqual([TINY_VOCAB.indexOf('[SEP]')]);
    expect(tokenizer.encode('Ignore ALL previous, zzz')).toEqual([
      TINY_VOCAB.indexOf('ignore'),
      TINY_VOCAB.indexOf('all'),
      TINY_VOCAB.indexOf('previous'),
      TINY_VOCAB.indexOf('[UNK]'),
      TINY_VOCAB.indexOf('[UNK]'),
    ]);
  });

  it('reads a DeBERTa-v3 Unigram tokenizer (Prompt Guard 2 family): Metaspace pieces between [CLS] and [SEP]', () => {
    const tokenizer = createHfTokenizer(unigramTokenizer());
    expect(tokenizer.prefix).toEqual([1]);
    expect(tokenizer.suffix).toEqual([2]);
    // ▁ignore ▁the ▁previous ▁instructions, then "igno" split into the likeliest pieces ▁ig n o.
    expect(tokenizer.encode('ignore the previous instructions')).toEqual([5, 8, 6, 7]);
    expect(tokenizer.encode('igno')).toEqual([9, 13, 14]);
  });

  it('reads a RoBERTa byte-level BPE tokenizer: <s> text </s>', () => {
    const tokenizer = createHfTokenizer(bpeTokenizer());
    expect(tokenizer.prefix).toEqual([0]);
    expect(tokenizer.suffix).toEqual([2]);
    expect(tokenizer.encode('hi there')).toEqual([10, 15]);
  });

  it('refuses tokenizers it cannot reproduce with one clear error', () => {
    expectFault(() => createHfTokenizer([]), 'INPUT_INVALID', /tokenizer\.json is not a JSON object/);
    expectFault(
      () =>
        createHfTokenizer(
          { ...tinyWordPieceTokenizer(), model: { type: 'WordLevel', vocab: {} } },
          {},
          '/m/tokenizer.json',
        ),
      'INPUT_INVALID',
      /^\/m\/tokenizer\.json uses a WordLevel model; supported: WordPiece, Unigram, BPE$/,
    );
    expectFault(
      () => createHfTokenizer({ ...tinyWordPieceTokenizer(), normalizer: { type: 'Mystery' } }),
      'INPUT_INVALID',
      /tokenizer\.json is not supported: Unknown Normalizer type: Mystery/,
    );
    expectFault(
      () => createHfTokenizer(tinyWordPieceTokenizer(), 'x'),
      'INPUT_INVALID',
      /tokenizer_config\.json/,
    );
  });
});
