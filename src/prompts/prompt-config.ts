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
    maxLength: z.int().min(8).max(8192).optional().meta({
      description:
        "Tokens per window, special tokens included (default: the tokenizer's model_max_length, at most 512).",
    }),
    stride: z
      .int()
      .min(0)
      .max(8191)
      .optional()
      .meta({ description: 'Tokens that consecutive windows of a long input share (default 64).' }),
    attackLabels: z
      .union([
        z.array(z.string().min(1)).min(1),
        z.strictObject({
          user: z.array(z.string().min(1)).min(1).optional(),
          document: z.array(z.string().min(1)).min(1).optional(),
        }),
      ])
      .optional()
      .meta({
        description:
          'Labels of config.json id2label that mean an attack, for both contexts or per context (default: every label not named benign, safe or LABEL_0).',
      }),
    threads: z
      .int()
      .min(0)
      .max(1024)
      .default(1)
      .meta({ description: 'CPU threads per inference (0: onnxruntime decides).' }),
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
