import type { LibraryAllowlist } from './allowlist.js';

/** Model families whose configuration class is pickled along with a model saved whole. */
const CONFIGS: readonly (readonly [string, string])[] = [
  ['albert', 'AlbertConfig'],
  ['bart', 'BartConfig'],
  ['bert', 'BertConfig'],
  ['bloom', 'BloomConfig'],
  ['camembert', 'CamembertConfig'],
  ['clip', 'CLIPConfig CLIPTextConfig CLIPVisionConfig'],
  ['codegen', 'CodeGenConfig'],
  ['convnext', 'ConvNextConfig'],
  ['deberta', 'DebertaConfig'],
  ['deberta_v2', 'DebertaV2Config'],
  ['distilbert', 'DistilBertConfig'],
  ['electra', 'ElectraConfig'],
  ['falcon', 'FalconConfig'],
  ['gemma', 'GemmaConfig'],
  ['gemma2', 'Gemma2Config'],
  ['gpt2', 'GPT2Config'],
  ['gpt_neo', 'GPTNeoConfig'],
  ['gpt_neox', 'GPTNeoXConfig'],
  ['gptj', 'GPTJConfig'],
  ['llama', 'LlamaConfig'],
  ['longformer', 'LongformerConfig'],
  ['marian', 'MarianConfig'],
  ['mbart', 'MBartConfig'],
  ['mistral', 'MistralConfig'],
  ['mixtral', 'MixtralConfig'],
  ['mpnet', 'MPNetConfig'],
  ['opt', 'OPTConfig'],
  ['pegasus', 'PegasusConfig'],
  ['phi', 'PhiConfig'],
  ['phi3', 'Phi3Config'],
  ['qwen2', 'Qwen2Config'],
  ['roberta', 'RobertaConfig'],
  ['swin', 'SwinConfig'],
  ['t5', 'T5Config'],
  ['vit', 'ViTConfig'],
  ['wav2vec2', 'Wav2Vec2Config'],
  ['whisper', 'WhisperConfig'],
  ['xlm_roberta', 'XLMRobertaConfig'],
];

const FAST_TOKENIZERS: readonly (readonly [string, string])[] = [
  ['bert', 'BertTokenizerFast'],
  ['distilbert', 'DistilBertTokenizerFast'],
  ['gpt2', 'GPT2TokenizerFast'],
  ['llama', 'LlamaTokenizerFast'],
  ['roberta', 'RobertaTokenizerFast'],
  ['t5', 'T5TokenizerFast'],
];

const DEEPSPEED_CONFIGS = ['HfTrainerDeepSpeedConfig HfDeepSpeedConfig'];

/**
 * transformers objects found in `training_args.bin` and in models saved whole: the training arguments
 * dataclass and its enums, configuration classes, and fast tokenizers (which pickle their JSON form).
 */
export const TRANSFORMERS_ALLOWLIST: LibraryAllowlist = {
  library: 'transformers',
  modules: {
    'transformers.training_args': ['TrainingArguments OptimizerNames ParallelMode'],
    'transformers.training_args_seq2seq': ['Seq2SeqTrainingArguments'],
    'transformers.trainer_utils': [
      'IntervalStrategy SchedulerType HubStrategy SaveStrategy EvaluationStrategy FSDPOption ShardedDDPOption',
    ],
    'transformers.trainer_pt_utils': ['AcceleratorConfig'],
    'transformers.debug_utils': ['DebugOption'],
    'transformers.utils.generic': ['ExplicitEnum PaddingStrategy TensorType'],
    'transformers.integrations.deepspeed': DEEPSPEED_CONFIGS,
    'transformers.deepspeed': DEEPSPEED_CONFIGS,
    'transformers.configuration_utils': ['PretrainedConfig'],
    'transformers.generation.configuration_utils': ['GenerationConfig GenerationMode'],
    'transformers.tokenization_utils_base': ['AddedToken BatchEncoding'],
    'transformers.feature_extraction_utils': ['BatchFeature'],
    'transformers.tokenization_utils_fast': ['PreTrainedTokenizerFast'],
    ...Object.fromEntries(
      CONFIGS.map(([family, names]) => [`transformers.models.${family}.configuration_${family}`, [names]]),
    ),
    ...Object.fromEntries(
      FAST_TOKENIZERS.map(([family, name]) => [
        `transformers.models.${family}.tokenization_${family}_fast`,
        [name],
      ]),
    ),
  },
};

/** Hugging Face tokenizers bindings and SentencePiece, which pickle their serialized model. */
export const TOKENIZERS_ALLOWLIST: LibraryAllowlist = {
  library: 'tokenizers',
  modules: {
    tokenizers: ['Tokenizer AddedToken Encoding'],
    'tokenizers.models': ['Model BPE WordPiece WordLevel Unigram'],
    sentencepiece: ['SentencePieceProcessor'],
  },
};

/** accelerate state objects and enums saved by the Trainer and in accelerate checkpoints. */
export const ACCELERATE_ALLOWLIST: LibraryAllowlist = {
  library: 'accelerate',
  modules: {
    'accelerate.state': ['PartialState AcceleratorState GradientState'],
    'accelerate.utils.dataclasses': [
      'DistributedType PrecisionType ComputeEnvironment DynamoBackend RNGType DeepSpeedPlugin',
    ],
    'accelerate.utils.deepspeed': ['HfDeepSpeedConfig'],
  },
};

/** PEFT adapter configurations and their enums. */
export const PEFT_ALLOWLIST: LibraryAllowlist = {
  library: 'peft',
  modules: {
    'peft.config': ['PeftConfig PromptLearningConfig'],
    'peft.utils.peft_types': ['PeftType TaskType'],
    'peft.tuners.lora': ['LoraConfig'],
    'peft.tuners.lora.config': ['LoraConfig LoraRuntimeConfig'],
    'peft.tuners.prefix_tuning.config': ['PrefixTuningConfig'],
    'peft.tuners.prompt_tuning.config': ['PromptTuningConfig PromptTuningInit'],
    'peft.tuners.p_tuning.config': ['PromptEncoderConfig PromptEncoderReparameterizationType'],
    'peft.tuners.ia3.config': ['IA3Config'],
    'peft.tuners.adalora.config': ['AdaLoraConfig'],
  },
};
