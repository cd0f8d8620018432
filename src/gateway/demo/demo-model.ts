/**
 * The demo model: a deterministic, clearly labelled stand-in for an LLM (model id `bulwark-demo`,
 * `system_fingerprint: "bulwark-demo"`, every answer says it comes from a demo model) so the README
 * and tests can show the gateway working without a GPU or an API key. Its answers derive from the
 * prompt by fixed rules, chosen so that each guard has something to catch: "repeat: X" repeats X (an
 * output guard then catches a secret or a markdown image in the answer), asking for the system prompt
 * reveals it (the canary guard catches it), "call <tool>" emits a tool call, and JSON response formats
 * get a JSON answer. It is not a language model and must never be routed to as one.
 */
import { createHash } from 'node:crypto';
import { UpstreamError } from '../upstream/upstream-error.js';
import type {
  CallOptions,
  JsonObject,
  StreamCallOptions,
  StreamEvent,
  Upstream,
} from '../upstream/upstream-types.js';
import {
  chatCompletionBody,
  chatCompletionChunks,
  embeddingsBody,
  errorBody,
  modelsBody,
  type CompletionContent,
  type ToolCall,
} from './openai-shapes.js';

/** The only model the demo serves. */
export const DEMO_MODEL_ID = 'bulwark-demo';

/** Options of the demo model. */
export interface DemoModelOptions {
  /** Seconds since the epoch for `created` (default: the wall clock). */
  readonly clock?: () => number;
}

/** The outcome of one demo call: an HTTP status with its JSON body. */
export interface DemoResult {
  readonly status: number;
  readonly body: JsonObject;
}

const LABEL = 'Demo model (bulwark-demo)';
const DEFAULT_DIMENSIONS = 256;
const MAX_DIMENSIONS = 4096;

/** Answers a chat-completions request body; `stream` is ignored (see {@link demoChatChunks}). */
export function demoChat(body: JsonObject, options: DemoModelOptions = {}): DemoResult {
  const problem = checkRequest(body, 'messages');
  if (problem !== undefined) return problem;
  return { status: 200, body: chatCompletionBody(demoCompletion(body, options)) };
}

/** The `chat.completion.chunk` objects of a streamed answer, one word per chunk. */
export function demoChatChunks(body: JsonObject, options: DemoModelOptions = {}): DemoResult | JsonObject[] {
  const problem = checkRequest(body, 'messages');
  if (problem !== undefined) return problem;
  const content = demoCompletion(body, options);
  const pieces = content.text === null ? [] : (content.text.match(/\S+\s*|\s+/g) ?? []);
  const streamOptions = body.stream_options;
  const includeUsage = isObject(streamOptions) && streamOptions.include_usage === true;
  return chatCompletionChunks(content, pieces, includeUsage);
}

/** Deterministic embeddings: hashed word features, L2-normalised, `dimensions` honoured. */
export function demoEmbeddings(body: JsonObject): DemoResult {
  const problem = checkRequest(body, 'input');
  if (problem !== undefined) return problem;
  const inputs = embeddingInputs(body.input);
  const dims = body.dimensions === undefined ? DEFAULT_DIMENSIONS : body.dimensions;
  if (inputs === undefined)
    return invalid('input must be a string, an array of strings or token arrays', 'input');
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > MAX_DIMENSIONS) {
    return invalid(`dimensions must be an integer from 1 to ${MAX_DIMENSIONS}`, 'dimensions');
  }
  const vectors = inputs.map((tokens) => hashedVector(tokens, dims));
  const tokens = inputs.reduce((sum, t) => sum + t.length, 0);
  const encoding = body.encoding_format === 'base64' ? 'base64' : 'float';
  return { status: 200, body: embeddingsBody(DEMO_MODEL_ID, vectors, tokens, encoding) };
}

/** The model list: only `bulwark-demo`. */
export function demoModels(): DemoResult {
  return { status: 200, body: modelsBody([{ id: DEMO_MODEL_ID, ownedBy: 'bulwark-demo' }]) };
}

/**
 * The demo model as an in-process {@link Upstream}: no socket, same interface and same failures
 * (an invalid request is an UpstreamError of kind `status`) as a real upstream.
 */
export function createDemoUpstream(options: DemoModelOptions = {}): Upstream {
  const settle = (result: DemoResult): { status: number; body: JsonObject } => {
    if (result.status >= 400) throw statusError(result);
    return result;
  };
  const guard = async <T>(call: CallOptions | undefined, run: () => T): Promise<T> => {
    await Promise.resolve();
    call?.signal?.throwIfAborted();
    return run();
  };
  return {
    name: DEMO_MODEL_ID,
    chat: (body, call) => guard(call, () => settle(demoChat(body, options))),
    embeddings: (body, call) => guard(call, () => settle(demoEmbeddings(body))),
    models: (call) => guard(call, () => settle(demoModels())),
    chatStream: (body, call: StreamCallOptions = {}) =>
      guard(call, () => {
        const streamed =
          call.includeUsage === true ? { ...body, stream_options: { include_usage: true } } : body;
        const chunks = demoChatChunks(streamed, options);
        if (!Array.isArray(chunks)) throw statusError(chunks);
        const list: readonly JsonObject[] = chunks;
        let isClosed = false;
        async function* events(): AsyncGenerator<StreamEvent> {
          for (const data of list) {
            await Promise.resolve();
            call.signal?.throwIfAborted();
            if (isClosed) return;
            yield { kind: 'chunk', data };
          }
          yield { kind: 'done' };
        }
        return { status: 200, close: () => (isClosed = true), [Symbol.asyncIterator]: events };
      }),
    close: () => Promise.resolve(),
  };
}

function demoCompletion(body: JsonObject, options: DemoModelOptions): CompletionContent {
  const messages = (body.messages as unknown[]).filter(isObject);
  const last = messages.at(-1);
  const prompt =
    messages
      .filter((m) => m.role === 'user')
      .map((m) => textOf(m.content))
      .at(-1) ?? '';
  const id = `chatcmpl-demo-${digest(JSON.stringify(body.messages)).slice(0, 24)}`;
  const toolCalls = last?.role === 'user' ? requestedToolCalls(body.tools, prompt, id) : [];
  let text: string | null = toolCalls.length > 0 ? null : answer(messages, prompt, body.response_format);
  let finishReason: CompletionContent['finishReason'] = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (text !== null && typeof limit === 'number' && limit >= 0) {
    const words = text.match(/\S+\s*/g) ?? [];
    if (words.length > limit) {
      text = words.slice(0, limit).join('').trimEnd();
      finishReason = 'length';
    }
  }
  return {
    id,
    model: DEMO_MODEL_ID,
    created: (options.clock ?? (() => Math.floor(Date.now() / 1000)))(),
    text,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    finishReason,
    promptTokens: countTokens(messages.map((m) => textOf(m.content)).join(' ')),
    completionTokens: countTokens(text ?? JSON.stringify(toolCalls)),
    systemFingerprint: DEMO_MODEL_ID,
  };
}

/** The answer rules, in order; each is documented in the module comment. */
function answer(messages: readonly JsonObject[], prompt: string, responseFormat: unknown): string {
  const last = messages.at(-1);
  if (last?.role === 'tool') {
    return `${LABEL} received the tool result: ${clip(textOf(last.content), 300)}`;
  }
  if (
    isObject(responseFormat) &&
    (responseFormat.type === 'json_object' || responseFormat.type === 'json_schema')
  ) {
    return JSON.stringify({
      model: DEMO_MODEL_ID,
      demo: true,
      echo: clip(prompt, 200),
      words: countWords(prompt),
    });
  }
  const repeat = /\brepeat\b[^:"\u201c\n]*(?::\s*|"|\u201c)([\s\S]+)$/i.exec(prompt);
  if (repeat?.[1] !== undefined) {
    return `${LABEL} repeating as asked: ${repeat[1].replace(/["\u201d]\s*[.!?]?\s*$/, '').trim()}`;
  }
  if (/\b(system prompt|your (initial |hidden )?instructions)\b/i.test(prompt)) {
    const system = messages.filter((m) => m.role === 'system' || m.role === 'developer');
    const shown = system.map((m) => textOf(m.content)).join('\n');
    return `${LABEL} revealing its instructions as asked: ${shown === '' ? '(none)' : shown}`;
  }
  return (
    `This is ${LABEL}, a deterministic stand-in, not a real language model. ` +
    `Your message had ${countWords(prompt)} words. You said: "${clip(prompt, 200)}"`
  );
}

function requestedToolCalls(tools: unknown, prompt: string, id: string): ToolCall[] {
  if (!Array.isArray(tools)) return [];
  const names = tools
    .map((t: unknown) => (isObject(t) && isObject(t.function) ? t.function.name : undefined))
    .filter((n): n is string => typeof n === 'string');
  const name = names.find((n) =>
    new RegExp(`\\bcall\\s+(the\\s+)?\`?${escapeRegExp(n)}\\b`, 'i').test(prompt),
  );
  if (name === undefined) return [];
  const json = /\{[\s\S]*\}/.exec(prompt)?.[0];
  let args = '{}';
  if (json !== undefined) {
    try {
      args = JSON.stringify(JSON.parse(json));
    } catch {
      // Not JSON: call without arguments.
    }
  }
  return [{ id: `call_demo_${id.slice(-12)}`, name, arguments: args }];
}

function checkRequest(body: JsonObject, field: 'messages' | 'input'): DemoResult | undefined {
  if (body.model !== undefined && body.model !== DEMO_MODEL_ID) {
    const model = typeof body.model === 'string' ? body.model : String(JSON.stringify(body.model));
    return {
      status: 404,
      body: errorBody(
        `The model '${clip(model, 100)}' does not exist.`,
        'invalid_request_error',
        'model_not_found',
        'model',
      ),
    };
  }
  if (field === 'messages' && (!Array.isArray(body.messages) || body.messages.length === 0)) {
    return invalid('messages must be a non-empty array', 'messages');
  }
  if (field === 'input' && body.input === undefined) return invalid('input is required', 'input');
  return undefined;
}

function invalid(message: string, param: string): DemoResult {
  return { status: 400, body: errorBody(message, 'invalid_request_error', 'invalid_request', param) };
}

function statusError(result: DemoResult): UpstreamError {
  const error = isObject(result.body.error) ? result.body.error : {};
  return new UpstreamError({
    kind: 'status',
    status: result.status,
    ...(typeof error.code === 'string' ? { upstreamCode: error.code } : {}),
    detail: {
      upstream: DEMO_MODEL_ID,
      attempts: 1,
      ...(typeof error.message === 'string' ? { message: error.message } : {}),
    },
  });
}

function embeddingInputs(input: unknown): string[][] | undefined {
  const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (typeof input === 'string') return [words(input)];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((i) => typeof i === 'string')) return input.map(words);
  if (input.every((i) => typeof i === 'number')) return [input.map(String)];
  if (input.every((i) => Array.isArray(i) && i.every((n) => typeof n === 'number'))) {
    return input.map((i: number[]) => i.map(String));
  }
  return undefined;
}

/** Feature hashing: each token adds ±1 at a position chosen by its SHA-256, then L2 normalisation. */
function hashedVector(tokens: readonly string[], dims: number): Float32Array {
  const vector = new Float32Array(dims);
  for (const token of tokens) {
    const hash = createHash('sha256').update(token).digest();
    vector[hash.readUInt32LE(0) % dims]! += (hash[4]! & 1) === 0 ? 1 : -1;
  }
  const norm = Math.hypot(...vector);
  if (norm > 0) for (let i = 0; i < dims; i += 1) vector[i]! /= norm;
  return vector;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((t) => t !== '')
    .join('\n');
}

function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** A rough, deterministic token count (about four characters per token), clearly not a tokenizer. */
function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
