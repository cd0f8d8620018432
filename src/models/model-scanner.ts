import type { Finding } from '../core/findings.js';
import type { Rule } from '../core/rules.js';
import type { FileIdentity, ScanContext, Scanner, ScanTarget } from '../core/scan/types.js';
import { ARCHIVE_RULES } from './archive/index.js';
import { SAFETENSORS_GGUF_NUMPY_RULES } from './formats/safetensors-gguf-numpy-rules.js';
import { ONNX_TF_KERAS_RULES } from './formats/onnx-tf-keras-rules.js';
import { MODEL_RULES } from './model-rules.js';
import { modelOptionsOf, modelOptionsSchema, type ModelOptions } from './model-options.js';
import { createPicklePolicy, type PicklePolicy } from './pickle/pickle-policy.js';
import { PICKLE_RULES } from './pickle/pickle-rules.js';
import { MODEL_KINDS, scanArtifact } from './scan-artifact.js';

/** Every rule the model scanner can report. */
export const MODEL_SCANNER_RULES: readonly Rule[] = [
  ...MODEL_RULES,
  ...PICKLE_RULES,
  ...ARCHIVE_RULES,
  ...SAFETENSORS_GGUF_NUMPY_RULES,
  ...ONNX_TF_KERAS_RULES,
];

const KINDS: ReadonlySet<string> = new Set(MODEL_KINDS);

/** Settings built once per options object, so a scan of many files builds the allowlist once. */
const prepared = new WeakMap<object, { options: ModelOptions; policy: PicklePolicy }>();
let preparedDefault: { options: ModelOptions; policy: PicklePolicy } | undefined;

function prepare(raw: unknown): { options: ModelOptions; policy: PicklePolicy } {
  const key = typeof raw === 'object' && raw !== null ? raw : undefined;
  const cached = key === undefined ? preparedDefault : prepared.get(key);
  if (cached !== undefined) return cached;
  const options = modelOptionsOf(raw);
  const made = { options, policy: createPicklePolicy({ allow: options.allow }) };
  if (key === undefined) preparedDefault = made;
  else prepared.set(key, made);
  return made;
}

/**
 * The model artifact scanner (controls R1, T3, D7): pickles, PyTorch, NumPy, joblib, Keras, HDF5,
 * SavedModel, ONNX, GGUF and safetensors, found by content inside archives at any depth.
 */
export const modelScanner: Scanner = {
  id: 'model',
  description: 'model artifacts: pickle VM, PyTorch/NumPy/joblib/Keras/HDF5/SavedModel/ONNX/GGUF/safetensors',
  rules: MODEL_SCANNER_RULES,
  optionsSchema: modelOptionsSchema,
  accepts(identity: FileIdentity): boolean {
    return KINDS.has(identity.kind);
  },
  scan(target: ScanTarget, context: ScanContext): Promise<Finding[]> {
    const { options, policy } = prepare(context.options);
    return scanArtifact(
      target.source,
      { path: target.path },
      { policy, limits: options.limits, ...(context.signal ? { signal: context.signal } : {}) },
      target.identity,
    );
  },
};
