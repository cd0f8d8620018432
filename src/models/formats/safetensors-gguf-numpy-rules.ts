import type { Rule } from '../../core/rules.js';
import { GGUF_RULES } from './gguf-rules.js';
import { NUMPY_RULES } from './numpy-rules.js';
import { SAFETENSORS_RULES } from './safetensors-rules.js';

/** Every rule the safetensors, GGUF and NumPy scanners can report (BW-MODEL-010…039), for the catalogue. */
export const SAFETENSORS_GGUF_NUMPY_RULES: readonly Rule[] = [
  ...SAFETENSORS_RULES,
  ...GGUF_RULES,
  ...NUMPY_RULES,
];
