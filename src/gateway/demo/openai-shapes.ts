/**
 * Builders for the response objects of the OpenAI chat-completions, embeddings and models APIs, as
 * the demo model and the test upstream emit them; one place, so both speak exactly what clients parse.
 */
import type { JsonObject } from '../upstream/upstream-types.js';

/** A tool call the model asks for. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** JSON text of the arguments, as OpenAI sends it. */
  readonly arguments: string;
}

/** What one completion says, independent of streaming. */
export interface CompletionContent {
  readonly id: string;
  readonly model: string;
  readonly created: number;
  readonly text: string | null;
  readonly toolCalls?: readonly ToolCall[];
  readonly finishReason: 'stop' | 'length' | 'tool_calls';
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly systemFingerprint?: string;
}

/** A non-streamed `chat.completion` object. */
export function chatCompletionBody(content: CompletionContent): JsonObject {
  return {
    id: content.id,
    object: 'chat.completion',
    created: content.created,
    model: content.model,
    ...(content.systemFingerprint === undefined ? {} : { system_fingerprint: content.systemFingerprint }),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content.text,
          refusal: null,
          ...(content.toolCalls === undefined ? {} : { tool_calls: content.toolCalls.map(toolCallBody) }),
        },
        logprobs: null,
        finish_reason: content.finishReason,
      },
    ],
    usage: usageBody(content.promptTokens, content.completionTokens),
  };
}

/**
 * The `chat.completion.chunk` objects of a streamed answer whose text arrives in `pieces`: a role
 * chunk, one chunk per piece, tool-call chunks, the finish chunk, and a usage chunk when asked for.
 */
export function chatCompletionChunks(
  content: CompletionContent,
  pieces: readonly string[],
  includeUsage: boolean,
): JsonObject[] {
  const chunk = (delta: JsonObject, finishReason: string | null): JsonObject => ({
    id: content.id,
    object: 'chat.completion.chunk',
    created: content.created,
    model: content.model,
    ...(content.systemFingerprint === undefined ? {} : { system_fingerprint: content.systemFingerprint }),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const chunks = [chunk({ role: 'assistant', content: '' }, null)];
  for (const piece of pieces) chunks.push(chunk({ content: piece }, null));
  (content.toolCalls ?? []).forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, ...toolCallBody(call) }] }, null));
  });
  chunks.push(chunk({}, content.finishReason));
  if (includeUsage) {
    chunks.push({
      ...chunk({}, null),
      choices: [],
      usage: usageBody(content.promptTokens, content.completionTokens),
    });
  }
  return chunks;
}

/** An `embedding` list; vectors as float arrays, or base64 little-endian float32 when asked. */
export function embeddingsBody(
  model: string,
  vectors: readonly Float32Array[],
  promptTokens: number,
  encoding: 'float' | 'base64',
): JsonObject {
  return {
    object: 'list',
    model,
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? float32ToBase64(vector) : Array.from(vector),
    })),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** A `list` of models. */
export function modelsBody(models: readonly { readonly id: string; readonly ownedBy: string }[]): JsonObject {
  return {
    object: 'list',
    data: models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.ownedBy })),
  };
}

/** An OpenAI-shaped error body. */
export function errorBody(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): JsonObject {
  return { error: { message, type, param, code } };
}

/** Encodes floats the way the embeddings API does for `encoding_format: base64`. */
export function float32ToBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}

function toolCallBody(call: ToolCall): JsonObject {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}

function usageBody(promptTokens: number, completionTokens: number): JsonObject {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}
