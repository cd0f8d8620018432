import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import {
  TOKENS_PER_IMAGE,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REPLY,
  estimateChatPromptTokens,
  estimateEmbeddingTokens,
  estimateTextTokens,
  planChatTokens,
} from './token-estimate.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isBulwarkError(error) ? error.code : 'not a BulwarkError';
  }
  return undefined;
}

describe('token estimates', () => {
  it('counts a quarter token per UTF-8 byte, rounded up', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('abcd')).toBe(1);
    expect(estimateTextTokens('abcde')).toBe(2);
    // Three bytes per CJK character: an estimate that leans high for non-Latin scripts.
    expect(estimateTextTokens('漢字漢字')).toBe(3);
  });

  it('adds per-message and reply overhead, names, parts, tool calls and tools', () => {
    const text = 'x'.repeat(40);
    expect(estimateChatPromptTokens({ messages: [{ role: 'user', content: text }] })).toBe(
      TOKENS_PER_REPLY + TOKENS_PER_MESSAGE + 10,
    );
    const parts = {
      messages: [
        { role: 'system', content: 'abcd', name: 'abcd' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'abcdefgh' },
            { type: 'image_url', image_url: { url: 'https://example.test/a.png' } },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function' }] },
      ],
      tools: [{ type: 'function', function: { name: 'f' } }],
    };
    const toolCalls = Math.ceil(JSON.stringify([{ id: 'c', type: 'function' }]).length / 4);
    const tools = Math.ceil(JSON.stringify(parts.tools).length / 4);
    expect(estimateChatPromptTokens(parts)).toBe(
      TOKENS_PER_REPLY + 3 * TOKENS_PER_MESSAGE + 1 + (1 + 1) + 2 + TOKENS_PER_IMAGE + toolCalls + tools,
    );
  });

  it('counts embedding token arrays exactly and texts by the estimate', () => {
    expect(estimateEmbeddingTokens({ input: 'abcdefgh' })).toBe(2);
    expect(estimateEmbeddingTokens({ input: ['abcd', 'abcd'] })).toBe(2);
    expect(estimateEmbeddingTokens({ input: [1, 2, 3] })).toBe(3);
    expect(estimateEmbeddingTokens({ input: [[1, 2], [3]] })).toBe(3);
    expect(codeOf(() => estimateEmbeddingTokens({ input: { text: 'x' } }))).toBe('INPUT_INVALID');
  });

  it('rejects malformed messages with one clear error', () => {
    expect(codeOf(() => estimateChatPromptTokens({ messages: 'hi' }))).toBe('INPUT_INVALID');
    expect(codeOf(() => estimateChatPromptTokens({ messages: [42] }))).toBe('INPUT_INVALID');
    expect(codeOf(() => estimateChatPromptTokens({ messages: [{ content: 7 }] }))).toBe('INPUT_INVALID');
    expect(codeOf(() => estimateChatPromptTokens({ messages: [{ content: ['x'] }] }))).toBe('INPUT_INVALID');
  });
});

describe('planChatTokens', () => {
  const messages = [{ role: 'user', content: 'abcd' }];
  const prompt = TOKENS_PER_REPLY + TOKENS_PER_MESSAGE + 1;

  it('reserves the prompt plus n times the requested completion', () => {
    expect(planChatTokens({ messages, max_tokens: 100, n: 2 }, { maxTokensPerRequest: 500 })).toEqual({
      ok: true,
      promptTokens: prompt,
      completionTokens: 100,
      reserveTokens: prompt + 200,
      isRequestCapped: true,
    });
  });

  it('falls back to the cap, then to the default completion size', () => {
    expect(planChatTokens({ messages }, { maxTokensPerRequest: 500 })).toMatchObject({
      completionTokens: 500,
      isRequestCapped: false,
    });
    expect(planChatTokens({ messages }, { defaultCompletionTokens: 64 })).toMatchObject({
      reserveTokens: prompt + 64,
    });
    expect(planChatTokens({ messages })).toMatchObject({ completionTokens: 4096 });
  });

  it('refuses a completion larger than max tokens per request, preferring max_completion_tokens', () => {
    expect(planChatTokens({ messages, max_tokens: 501 }, { maxTokensPerRequest: 500 })).toEqual({
      ok: false,
      param: 'max_tokens',
      requested: 501,
      max: 500,
    });
    expect(
      planChatTokens({ messages, max_tokens: 10, max_completion_tokens: 900 }, { maxTokensPerRequest: 500 }),
    ).toMatchObject({ ok: false, param: 'max_completion_tokens', requested: 900 });
    expect(planChatTokens({ messages, max_tokens: 500 }, { maxTokensPerRequest: 500 }).ok).toBe(true);
  });

  it('rejects a max_tokens or n that is not a positive integer', () => {
    expect(codeOf(() => planChatTokens({ messages, max_tokens: 0 }))).toBe('INPUT_INVALID');
    expect(codeOf(() => planChatTokens({ messages, max_tokens: '10' }))).toBe('INPUT_INVALID');
    expect(codeOf(() => planChatTokens({ messages, n: 1.5 }))).toBe('INPUT_INVALID');
  });
});
