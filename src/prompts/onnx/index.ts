/** The optional model-backed prompt-shield detector: a local ONNX sequence classifier and its tokenizer. */
export { createOnnxDetector, ONNX_DETECTOR_DEFAULTS } from './onnx-detector.js';
export type { OnnxDetectorOptions } from './onnx-detector.js';
export { MODEL_INPUT_NAMES } from './model-session.js';
export type {
  Int64Batch,
  ModelInputName,
  ModelLogits,
  OnnxSession,
  SequenceTokenizer,
} from './model-session.js';
export { createHfTokenizer, SUPPORTED_TOKENIZER_MODELS } from './hf-tokenizer.js';
export { BENIGN_LABEL, categoryOfLabel, resolveAttackLabels } from './label-scores.js';
export type { AttackLabelIndices, AttackLabels } from './label-scores.js';
