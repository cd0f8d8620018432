/**
 * `prompts` in bulwark.yaml: the prompt shield's settings, shared by `bulwark scan prompt|corpus`, the
 * gateway and the red-team module (controls G4, P4).
 */
import { z } from 'zod';

const probability = z.number().min(0).max(1);

/** `prompts.shield.model`: a local ONNX sequence classifier joined to the fast tier. */
export const shieldModelSchema = z
  .strictObject({
    path: z.string().min(1).meta({
      description:
        'Folder holding model.onnx (or onnx/model.onnx), tokenizer.json and config.json, e.g. Prompt Guard 2 exported with optimum. Nothing is downloaded.',
    }),
    maxLength: z
      .int()
      .min(8)
      .max(8192)
      .default(512)
      .meta({ description: 'Tokens per window the model sees (its maximum sequence length).' }),
    stride: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'Tokens between window starts for long inputs (default: half a window).' }),
    attackLabels: z.array(z.string().min(1)).optional().meta({
      description:
        'Labels of config.json id2label that mean an attack (default: every label except benign/safe ones).',
    }),
    threads: z
      .int()
      .min(1)
      .max(64)
      .default(1)
      .meta({ description: 'onnxruntime intra-op threads per inference.' }),
  })
  .meta({ description: 'An optional local ONNX model (the model tier of the shield).' });

/** `prompts.shield`. */
export const shieldSettingsSchema = z
  .strictObject({
    threshold: z
      .union([
        probability,
        z.strictObject({ user: probability.optional(), document: probability.optional() }),
      ])
      .optional()
      .meta({
        description:
          'Flag at or above this score (0–1), for both contexts or per context; default: the thresholds set on validation data (docs/prompt-shields.md).',
      }),
    model: shieldModelSchema.optional(),
  })
  .meta({ description: 'The prompt shield: thresholds and the optional model tier.' });

/** `prompts` in bulwark.yaml. */
export const promptSettingsSchema = z
  .strictObject({ shield: shieldSettingsSchema.prefault({}) })
  .meta({ description: 'Prompt shields (docs/prompt-shields.md).' });

/** Parsed `prompts`. */
export type PromptSettings = z.output<typeof promptSettingsSchema>;
