/**
 * The requests the gateway accepts, checked before anything else runs: the fields the guards, limits
 * and routing read are validated; every other field of the OpenAI API passes through untouched, so
 * clients keep using whatever the upstream supports.
 */
import { z } from 'zod';
import { badRequest, type GatewayError } from './openai-errors.js';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

const contentPart = z.looseObject({ type: z.string().min(1), text: z.string().optional() });

/** One message of a chat request. */
export const chatMessageSchema = z.looseObject({
  role: z.enum(ROLES),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z
    .array(
      z.looseObject({
        id: z.string(),
        type: z.string(),
        function: z.looseObject({ name: z.string(), arguments: z.string() }),
      }),
    )
    .optional(),
});

/** A tool the caller offers the model. */
export const toolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1).max(64),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** `POST /v1/chat/completions`. */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().optional(),
  max_tokens: z.int().min(1).optional(),
  max_completion_tokens: z.int().min(1).optional(),
  n: z.int().min(1).max(16).optional(),
  tools: z.array(toolSchema).optional(),
  response_format: z
    .union([
      z.looseObject({ type: z.literal('text') }),
      z.looseObject({ type: z.literal('json_object') }),
      z.looseObject({
        type: z.literal('json_schema'),
        json_schema: z.looseObject({
          name: z.string().min(1),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullable().optional(),
        }),
      }),
    ])
    .optional(),
});

/** `POST /v1/embeddings`. */
export const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.int()).min(1),
    z.array(z.array(z.int())).min(1),
  ]),
});

/** A validated chat request. */
export type ChatRequest = z.output<typeof chatRequestSchema>;
/** A validated embeddings request. */
export type EmbeddingsRequest = z.output<typeof embeddingsRequestSchema>;

/** Validates `body` against `schema`, or returns the first problem as a 400 naming its field. */
export function parseRequest<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { ok: true; value: T } | { ok: false; error: GatewayError } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: badRequest('The request body must be a JSON object.') };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const param = issue?.path.map(String).join('.') ?? '';
  return {
    ok: false,
    error: badRequest(
      `Invalid value for '${param || 'body'}': ${issue?.message ?? 'invalid'}.`,
      param === '' ? undefined : param,
    ),
  };
}
