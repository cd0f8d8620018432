import { describe, expect, it } from 'vitest';
import { chatRequestSchema, embeddingsRequestSchema, parseRequest } from './request-shapes.js';

describe('parseRequest', () => {
  it('accepts an OpenAI chat request and keeps fields it does not know', () => {
    const body = {
      model: 'chat',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      stream: true,
      stream_options: { include_usage: true },
    };
    const parsed = parseRequest(chatRequestSchema, body);
    expect(parsed).toEqual({ ok: true, value: body });
  });

  it('names the field of the first problem, in the OpenAI error shape', () => {
    const parsed = parseRequest(chatRequestSchema, {
      model: 'chat',
      messages: [{ role: 'wizard', content: 'x' }],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.status).toBe(400);
    expect(parsed.error.body().error).toMatchObject({
      type: 'invalid_request_error',
      param: 'messages.0.role',
    });
  });

  it.each([null, [], 'text', 42])('refuses a body that is not an object: %j', (body) => {
    const parsed = parseRequest(chatRequestSchema, body);
    expect(parsed.ok).toBe(false);
  });

  it('refuses an empty message list and a zero max_tokens', () => {
    expect(parseRequest(chatRequestSchema, { model: 'm', messages: [] }).ok).toBe(false);
    expect(
      parseRequest(chatRequestSchema, {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        max_tokens: 0,
      }).ok,
    ).toBe(false);
  });

  it('accepts every input form of embeddings', () => {
    for (const input of ['a', ['a', 'b'], [1, 2], [[1], [2, 3]]])
      expect(parseRequest(embeddingsRequestSchema, { model: 'e', input }).ok).toBe(true);
    expect(parseRequest(embeddingsRequestSchema, { model: 'e', input: [] }).ok).toBe(false);
  });
});
