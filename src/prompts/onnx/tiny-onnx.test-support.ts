/**
 * A tiny sequence classifier that the tests write themselves: a real ONNX ModelProto (encoded by hand
 * with the test protobuf encoder, onnx.proto field numbers) that onnxruntime runs, a WordPiece
 * tokenizer.json and a config.json with `id2label`, laid out as a Hugging Face export is.
 *
 * The model is a bag of embeddings: logits = Σ attention_mask · E[input_id] (+ Σ T[token_type_id]),
 * so each word of the vocabulary pushes the logits by its row of E. Attack words push the attack
 * labels, everything else is neutral or benign, and the `[PAD]` row is a trap that pushes hard toward
 * attack, so a detector that forgot the attention mask would show it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bytesField,
  concat,
  messageField,
  varintField,
} from '../../models/formats/protobuf-encoder.test-support.js';
import {
  FLOAT,
  intAttribute,
  onnxGraph,
  onnxModel,
  onnxNode,
  onnxTensor,
} from '../../models/formats/onnx-fixtures.test-support.js';

/** TensorProto.DataType.INT64. */
const INT64 = 7;

/** The words of the tiny vocabulary after the four special tokens, in id order. */
export const TINY_WORDS = [
  'ignore',
  'all',
  'previous',
  'instructions',
  'reveal',
  'system',
  'prompt',
  'pretend',
  'unrestricted',
  'what',
  'is',
  'the',
  'weather',
  'in',
  'paris',
  'today',
  'please',
  'summarize',
  'report',
  'lorem',
  'ipsum',
  'dolor',
] as const;

/** Special tokens: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3. */
export const TINY_SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;

/** Every token of the tiny vocabulary, in id order. */
export const TINY_VOCAB: readonly string[] = [...TINY_SPECIAL, ...TINY_WORDS];

/**
 * Logit pushes of the two-label model (BENIGN, MALICIOUS) per token; tokens not listed are neutral.
 * "ignore all previous instructions" sums to MALICIOUS 7 against the [CLS] prior of BENIGN 3.
 */
const BINARY_ROWS: Readonly<Record<string, readonly number[]>> = {
  '[PAD]': [0, 50],
  '[CLS]': [3, 0],
  ignore: [0, 3],
  all: [0, 0.5],
  previous: [0, 1],
  instructions: [0, 2.5],
  reveal: [0, 2],
  system: [0, 1],
  prompt: [0, 1.5],
  pretend: [0, 2],
  unrestricted: [0, 3],
  weather: [1, 0],
  paris: [0.5, 0],
  summarize: [1, 0],
};

/**
 * Logit pushes of the three-label model (BENIGN, INJECTION, JAILBREAK): injection words push
 * INJECTION, role-play words push JAILBREAK.
 */
const TERNARY_ROWS: Readonly<Record<string, readonly number[]>> = {
  '[PAD]': [0, 50, 50],
  '[CLS]': [3, 0, 0],
  ignore: [0, 3, 0],
  previous: [0, 1, 0],
  instructions: [0, 2.5, 0],
  pretend: [0, 0, 3],
  unrestricted: [0, 0, 4],
  weather: [1, 0, 0],
};

/** What kind of tiny model to write. */
export interface TinyModelOptions {
  /** Label names, in id order; two (BENIGN, MALICIOUS) or three (BENIGN, INJECTION, JAILBREAK). */
  readonly labels?: readonly string[];
  /** Also take `token_type_ids` (BERT-style exports do). */
  readonly tokenTypes?: boolean;
  /** Output per-token logits [batch, seq, labels] instead: a token classifier, not a sequence one. */
  readonly tokenClassifier?: boolean;
}

/** The default labels of the tiny model. */
export const TINY_BINARY_LABELS = ['BENIGN', 'MALICIOUS'] as const;

/** The labels of the three-label tiny model (Prompt Guard 1 style). */
export const TINY_TERNARY_LABELS = ['BENIGN', 'INJECTION', 'JAILBREAK'] as const;

function int64Tensor(name: string, values: readonly number[]): Uint8Array {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true));
  return concat(
    varintField(1, values.length),
    varintField(2, INT64),
    bytesField(8, name),
    bytesField(9, raw),
  );
}

function tensorValueInfo(
  name: string,
  elementType: number,
  shape: ReadonlyArray<number | string>,
): Uint8Array {
  const dims = shape.map((dim) =>
    messageField(1, typeof dim === 'number' ? varintField(1, dim) : bytesField(2, dim)),
  );
  const tensorType = messageField(1, varintField(1, elementType), messageField(2, ...dims));
  return concat(bytesField(1, name), messageField(2, tensorType));
}

/** The ONNX bytes of the tiny bag-of-embeddings classifier (opset 17). */
export function tinyClassifierModel(options: TinyModelOptions = {}): Uint8Array {
  const labels = options.labels ?? TINY_BINARY_LABELS;
  const rows = labels.length === 3 ? TERNARY_ROWS : BINARY_ROWS;
  const width = labels.length;
  const embedding = TINY_VOCAB.flatMap((token) => {
    const row = rows[token] ?? [];
    return Array.from({ length: width }, (_, i) => row[i] ?? 0);
  });
  const nodes = [
    onnxNode({ op: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['word_emb'] }),
    onnxNode({
      op: 'Cast',
      inputs: ['attention_mask'],
      outputs: ['mask_f'],
      attributes: [intAttribute('to', FLOAT)],
    }),
    onnxNode({ op: 'Unsqueeze', inputs: ['mask_f', 'last_axis'], outputs: ['mask_3d'] }),
  ];
  const initializers = [
    onnxTensor({ name: 'embedding', dims: [TINY_VOCAB.length, width], values: embedding }),
    int64Tensor('last_axis', [2]),
    int64Tensor('seq_axis', [1]),
  ];
  const inputs = [
    tensorValueInfo('input_ids', INT64, ['batch', 'sequence']),
    tensorValueInfo('attention_mask', INT64, ['batch', 'sequence']),
  ];
  let embedded = 'word_emb';
  if (options.tokenTypes === true) {
    // Type 1 pushes the attack labels, so feeding anything but zeros would show.
    const typeRows = [...Array<number>(width).fill(0), 0, ...Array<number>(width - 1).fill(20)];
    initializers.push(onnxTensor({ name: 'type_embedding', dims: [2, width], values: typeRows }));
    inputs.push(tensorValueInfo('token_type_ids', INT64, ['batch', 'sequence']));
    nodes.push(
      onnxNode({ op: 'Gather', inputs: ['type_embedding', 'token_type_ids'], outputs: ['type_emb'] }),
      onnxNode({ op: 'Add', inputs: ['word_emb', 'type_emb'], outputs: ['sum_emb'] }),
    );
    embedded = 'sum_emb';
  }
  const perToken = options.tokenClassifier === true;
  nodes.push(
    onnxNode({ op: 'Mul', inputs: [embedded, 'mask_3d'], outputs: [perToken ? 'logits' : 'masked'] }),
  );
  if (!perToken) {
    nodes.push(
      onnxNode({
        op: 'ReduceSum',
        inputs: ['masked', 'seq_axis'],
        outputs: ['logits'],
        attributes: [intAttribute('keepdims', 0)],
      }),
    );
  }
  const graph = onnxGraph({
    name: 'tiny_sequence_classifier',
    nodes,
    initializers,
    inputs,
    outputs: [tensorValueInfo('logits', FLOAT, perToken ? ['batch', 'sequence', width] : ['batch', width])],
  });
  return onnxModel({ graph, opsets: [['', 17]] });
}

function addedToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** A BERT-style WordPiece tokenizer.json over {@link TINY_VOCAB} ([CLS] text [SEP], lower-cased). */
export function tinyWordPieceTokenizer(): Record<string, unknown> {
  const special = (token: string, id: number): Record<string, unknown> => ({
    id: token,
    ids: [id],
    tokens: [token],
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: TINY_SPECIAL.map((token, id) => addedToken(id, token)),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]', 2), '[SEP]': special('[SEP]', 3) },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((token, id) => [token, id])),
    },
  };
}

/** A config.json as transformers writes it for a sequence classifier with these labels. */
export function tinyModelConfig(labels: readonly string[]): Record<string, unknown> {
  return {
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    id2label: Object.fromEntries(labels.map((label, id) => [String(id), label])),
    label2id: Object.fromEntries(labels.map((label, id) => [label, id])),
    max_position_embeddings: 512,
  };
}

/** Where {@link writeTinyModelDir} puts the model file. */
export type TinyModelLayout = 'model.onnx' | 'onnx/model.onnx' | 'named.onnx';

/**
 * Writes the tiny model into `dir` as a Hugging Face export lays it out: model file, tokenizer.json,
 * tokenizer_config.json and config.json.
 */
export function writeTinyModelDir(
  dir: string,
  options: TinyModelOptions & { readonly layout?: TinyModelLayout } = {},
): void {
  const labels = options.labels ?? TINY_BINARY_LABELS;
  const modelPath = join(dir, options.layout ?? 'model.onnx');
  mkdirSync(join(modelPath, '..'), { recursive: true });
  writeFileSync(modelPath, tinyClassifierModel(options));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tinyWordPieceTokenizer()));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]' }),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify(tinyModelConfig(labels)));
}
