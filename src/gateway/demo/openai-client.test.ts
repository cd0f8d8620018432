import OpenAI, { APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../upstream/fake-upstream.test-support.js';
import { DEMO_MODEL_ID } from './demo-model.js';
import { startDemoUpstream } from './demo-server.js';

/** The official client, with no retries so failures surface at once. */
const client = (baseURL: string): OpenAI => new OpenAI({ baseURL, apiKey: 'test-key', maxRetries: 0 });

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('the official openai client', () => {
  it('talks to the HTTP demo model: chat, stream, embeddings, models', async () => {
    const demo = await startDemoUpstream();
    closers.push(() => demo.close());
    const openai = client(demo.baseUrl);
    const messages = [{ role: 'user' as const, content: 'repeat: hello gateway' }];
    const completion = await openai.chat.completions.create({ model: DEMO_MODEL_ID, messages });
    expect(completion.choices[0]?.message.content).toBe(
      'Demo model (bulwark-demo) repeating as asked: hello gateway',
    );
    expect(completion.system_fingerprint).toBe('bulwark-demo');

    const stream = await openai.chat.completions.create({ model: DEMO_MODEL_ID, messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(completion.choices[0]?.message.content);

    const embedding = await openai.embeddings.create({
      model: DEMO_MODEL_ID,
      input: 'hello',
      dimensions: 32,
    });
    expect(embedding.data[0]?.embedding).toHaveLength(32);
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toEqual([DEMO_MODEL_ID]);

    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages })).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('talks to the fake upstream, including tool calls in a stream', async () => {
    const fake = await startFakeUpstream({ toolCalls: [{ name: 'lookup', arguments: '{"q":"x"}' }] });
    closers.push(() => fake.close());
    const openai = client(fake.baseUrl);
    const stream = openai.chat.completions.stream({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: 'lookup', arguments: '{"q":"x"}' },
    });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('raises an APIError carrying our message when a stream ends with our error event', async () => {
    const fake = await startFakeUpstream({ reply: 'abcdef', chunks: 3, errorEventAfterChunks: 2 });
    closers.push(() => fake.close());
    const stream = await client(fake.baseUrl).chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const seen: string[] = [];
    const failure: unknown = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({
      message: 'fake mid-stream failure',
      code: 'fake_stream_error',
      type: 'server_error',
    });
    expect(seen).toHaveLength(2);
  });
});
