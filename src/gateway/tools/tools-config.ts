/**
 * `gateway.tools` in bulwark.yaml: which tools are sensitive (held for a human approval), how long a
 * held call waits, and what an invalid tool call does to the answer.
 */
import { z } from 'zod';

/** What an unknown tool or invalid arguments do: refuse the answer, record only, or no check. */
export const TOOL_VALIDATION_MODES = ['block', 'flag', 'off'] as const;

/** One of {@link TOOL_VALIDATION_MODES}. */
export type ToolValidationMode = (typeof TOOL_VALIDATION_MODES)[number];

/** The `tools` section of `gateway` settings. */
export const toolSettingsSchema = z.strictObject({
  sensitive: z.array(z.string().min(1)).default([]).meta({
    description: 'Tools never handed to the client without a human approval: exact names, `prefix*` or `*`.',
  }),
  approvalTtlSeconds: z
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(3_600)
    .meta({ description: 'How long a held tool call waits for a decision before it expires.' }),
  validateArguments: z.enum(TOOL_VALIDATION_MODES).default('block').meta({
    description:
      "Tool calls checked against the request's tool schemas: block refuses the answer, flag records only, off skips the check.",
  }),
});

/** Parsed `gateway.tools`: the policy {@link checkToolCalls} applies. */
export type ToolPolicy = z.output<typeof toolSettingsSchema>;
