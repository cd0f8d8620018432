/**
 * Token estimates for admission, without a tokenizer: a request's prompt is estimated before it is
 * sent so that `tpm` and budgets can reserve it, and `settle` later replaces the estimate with the
 * upstream's real usage. The estimate is ceil(UTF-8 bytes / 4) per text, which is about four
 * characters per token for English (OpenAI's rule of thumb) and leans high for other scripts (a CJK
 * character is three bytes, about one token), plus OpenAI's per-message overhead. It is an estimate,
 * never a count: do not bill from it.
 */
import { BulwarkError } from '../../core/errors.js';

/** Tokens every chat message costs beyond its content (role and separators, OpenAI cookbook). */
export const TOKENS_PER_MESSAGE = 4;
/** Tokens that prime every reply. */
export const TOKENS_PER_REPLY = 3;
/** Tokens counted for an image part: OpenAI's low-detail tile cost (high detail costs more). */
export const TOKENS_PER_IMAGE = 85;

/** Estimates the tokens of a text: ceil(UTF-8 bytes / 4). */
export function estimateTextTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tokens of any JSON value other than message content (tool definitions, tool calls, schemas). */
function estimateJsonTokens(value: unknown): number {
  return value === undefined ? 0 : estimateTextTokens(JSON.stringify(value));
}

function estimateContent(content: unknown, index: number): number {
  if (content === undefined || content === null) return 0;
  if (typeof content === 'string') return estimateTextTokens(content);
  if (!Array.isArray(content)) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `messages[${index}].content must be a string or an array of parts`,
    );
  }
  let tokens = 0;
  for (const part of content) {
    if (!isRecord(part)) {
      throw new BulwarkError('INPUT_INVALID', `messages[${index}].content has a part that is not an object`);
    }
    if (typeof part['text'] === 'string') tokens += estimateTextTokens(part['text']);
    else if (part['type'] === 'image_url') tokens += TOKENS_PER_IMAGE;
    else tokens += estimateJsonTokens(part);
  }
  return tokens;
}

/**
 * Estimates the prompt tokens of a chat completion request: every message's content, name and tool
 * calls, plus the tool definitions and a response format schema when present.
 */
export function estimateChatPromptTokens(body: Record<string, unknown>): number {
  const messages = body['messages'];
  if (!Array.isArray(messages)) throw new BulwarkError('INPUT_INVALID', 'messages must be an array');
  let tokens = TOKENS_PER_REPLY;
  messages.forEach((message: unknown, index) => {
    if (!isRecord(message)) throw new BulwarkError('INPUT_INVALID', `messages[${index}] must be an object`);
    tokens += TOKENS_PER_MESSAGE + estimateContent(message['content'], index);
    if (typeof message['name'] === 'string') tokens += 1 + estimateTextTokens(message['name']);
    tokens += estimateJsonTokens(message['tool_calls']);
  });
  return tokens + estimateJsonTokens(body['tools']) + estimateJsonTokens(body['response_format']);
}

/**
 * Counts the input tokens of an embeddings request: token arrays exactly, texts by the estimate.
 */
export function estimateEmbeddingTokens(body: Record<string, unknown>): number {
  const input = body['input'];
  const inputs: unknown[] =
    Array.isArray(input) && !input.every((x) => typeof x === 'number') ? input : [input];
  let tokens = 0;
  for (const item of inputs) {
    if (typeof item === 'string') tokens += estimateTextTokens(item);
    else if (Array.isArray(item) && item.every((x) => typeof x === 'number')) tokens += item.length;
    else
      throw new BulwarkError('INPUT_INVALID', 'input must be a string, an array of strings or token arrays');
  }
  return tokens;
}

/** Settings of {@link planChatTokens}. */
export interface TokenPlanOptions {
  /** Largest completion a request may ask for (max_tokens / max_completion_tokens); unset: no cap. */
  readonly maxTokensPerRequest?: number;
  /**
   * Completion tokens reserved when the request names no max and no cap is set (default 4096); the
   * settle corrects it, so this only bounds how far concurrent streams can overshoot `tpm`.
   */
  readonly defaultCompletionTokens?: number;
}

/** What to reserve for a chat request, or which parameter broke the max-tokens-per-request limit. */
export type TokenPlan =
  | {
      readonly ok: true;
      readonly promptTokens: number;
      /** Completion tokens reserved per choice: requested, else the cap, else the default. */
      readonly completionTokens: number;
      /** The demand for `admit`: prompt + n × completion. */
      readonly reserveTokens: number;
      /** Whether the request named its own completion limit (if not, the gateway may set the cap). */
      readonly isRequestCapped: boolean;
    }
  | {
      readonly ok: false;
      readonly param: 'max_tokens' | 'max_completion_tokens';
      readonly requested: number;
      readonly max: number;
    };

const DEFAULT_COMPLETION_TOKENS = 4096;

function readPositiveInt(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new BulwarkError('INPUT_INVALID', `${name} must be a positive integer`);
  }
  return value;
}

/**
 * Plans a chat request's token reservation and checks its requested completion size against
 * `maxTokensPerRequest` (max_completion_tokens wins over the legacy max_tokens when both are set).
 */
export function planChatTokens(body: Record<string, unknown>, options: TokenPlanOptions = {}): TokenPlan {
  const completionParam =
    body['max_completion_tokens'] !== undefined && body['max_completion_tokens'] !== null;
  const param = completionParam ? 'max_completion_tokens' : 'max_tokens';
  const requested = readPositiveInt(body, param);
  const choices = readPositiveInt(body, 'n') ?? 1;
  const cap = options.maxTokensPerRequest;
  if (requested !== undefined && cap !== undefined && requested > cap) {
    return { ok: false, param, requested, max: cap };
  }
  const completionTokens = requested ?? cap ?? options.defaultCompletionTokens ?? DEFAULT_COMPLETION_TOKENS;
  const promptTokens = estimateChatPromptTokens(body);
  return {
    ok: true,
    promptTokens,
    completionTokens,
    reserveTokens: promptTokens + choices * completionTokens,
    isRequestCapped: requested !== undefined,
  };
}
