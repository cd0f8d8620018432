import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../demo/demo-server.js';
import { createUpstream, type UpstreamOptions } from './create-upstream.js';
import { startFakeUpstream, type FakeBehaviour, type FakeUpstream } from './fake-upstream.test-support.js';
import { isUpstreamError, type UpstreamError, type UpstreamErrorKind } from './upstream-error.js';
import type { StreamEvent, Upstream, UpstreamStream } from './upstream-types.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setup(
  behaviour: FakeBehaviour | ((index: number) => FakeBehaviour) = {},
  options: Partial<UpstreamOptions> = {},
): Promise<{ fake: FakeUpstream; upstream: Upstream }> {
  const fake = await startFakeUpstream(behaviour);
  const upstream = createUpstream({
    name: 'fake',
    baseUrl: fake.baseUrl,
    retryBaseDelayMs: 1,
    random: () => 0.5,
    ...options,
  });
  closers.push(
    () => upstream.close(),
    () => fake.close(),
  );
  return { fake, upstream };
}

const chatBody = { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] };

async function collect(stream: UpstreamStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function textOf(events: readonly StreamEvent[]): string {
  return events
    .map((e) =>
      e.kind === 'chunk' ? (e.data as { choices: { delta: { content?: string } }[] }).choices[0] : undefined,
    )
    .map((choice) => choice?.delta.content ?? '')
    .join('');
}

/** Awaits a failure and checks it is a clean UpstreamError of `kind` that names no host or body. */
async function expectFault(promise: Promise<unknown>, kind: UpstreamErrorKind): Promise<UpstreamError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUpstreamError(error), String(error)).toBe(true);
  const fault = error as UpstreamError;
  expect(fault.kind).toBe(kind);
  expect(fault.message).not.toMatch(/127\.0\.0\.1|internal\.example|fake upstream|UND_ERR|ECONN/);
  expect(fault.detail.upstream).toBe('fake');
  return fault;
}

describe('createUpstream: answers', () => {
  it('sends a chat request with auth and request id and returns the parsed body', async () => {
    const { fake, upstream } = await setup(
      { reply: 'Hi there.' },
      { apiKey: 'sk-test', headers: { 'x-org': 'o1' } },
    );
    const result = await upstream.chat({ ...chatBody, stream: true }, { requestId: 'req-1' });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'Hi there.' } }],
    });
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { ...chatBody, stream: false },
    });
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer sk-test',
      'x-request-id': 'req-1',
      'x-org': 'o1',
      'content-type': 'application/json',
    });
  });

  it('streams chunks in order and ends with done, asking for usage when told', async () => {
    const { fake, upstream } = await setup({ reply: 'one two three four', chunks: 4 });
    const events = await collect(await upstream.chatStream(chatBody, { includeUsage: true }));
    expect(textOf(events)).toBe('one two three four');
    expect(events.at(-1)).toEqual({ kind: 'done' });
    expect(events.at(-2)).toMatchObject({
      kind: 'chunk',
      data: { choices: [], usage: { prompt_tokens: 10 } },
    });
    expect(fake.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(fake.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('passes tool calls through a stream', async () => {
    const { upstream } = await setup({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const events = await collect(await upstream.chatStream(chatBody));
    const calls = events.flatMap((e) =>
      e.kind === 'chunk'
        ? ((e.data as { choices: { delta: { tool_calls?: unknown[] } }[] }).choices[0]?.delta.tool_calls ??
          [])
        : [],
    );
    expect(calls).toEqual([
      {
        index: 0,
        id: 'call_fake_0',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
      },
    ]);
  });

  it('calls embeddings and models', async () => {
    const { upstream } = await setup();
    const embedded = await upstream.embeddings({ model: 'e', input: ['a', 'b'] });
    expect((embedded.body.data as unknown[]).length).toBe(2);
    const models = await upstream.models();
    expect(models.body).toMatchObject({ object: 'list', data: [{ id: 'fake-model' }] });
  });

  it('reuses keep-alive connections for sequential calls', async () => {
    const { fake, upstream } = await setup();
    for (let i = 0; i < 3; i += 1) await upstream.chat(chatBody);
    await collect(await upstream.chatStream(chatBody));
    for (let i = 0; i < 3; i += 1) await upstream.chat(chatBody);
    // A pool may alternate between a couple of warm connections; it must not open one per call.
    expect(new Set(fake.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it('reuses the connection after a stream ends with [DONE]', async () => {
    const { fake, upstream } = await setup({ reply: 'one two three', chunks: 3 });
    for (let i = 0; i < 5; i += 1) {
      const stream = await upstream.chatStream(chatBody);
      await collect(stream);
      stream.close(); // as the gateway does once it has answered
    }
    expect(fake.requests).toHaveLength(5);
    expect(new Set(fake.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it('speaks Azure OpenAI: deployment path, api-version and api-key header', async () => {
    const fake = await startFakeUpstream();
    const upstream = createUpstream({
      name: 'fake',
      baseUrl: fake.baseUrl.replace(/\/v1$/, ''),
      kind: 'azure',
      apiVersion: '2024-10-21',
      apiKey: 'azure-key',
    });
    closers.push(
      () => upstream.close(),
      () => fake.close(),
    );
    await upstream.chat({ ...chatBody, model: 'my dep' });
    await upstream.embeddings({ model: 'emb', input: 'x' });
    await upstream.models();
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/openai/deployments/my%20dep/chat/completions?api-version=2024-10-21',
      '/openai/deployments/emb/embeddings?api-version=2024-10-21',
      '/openai/models?api-version=2024-10-21',
    ]);
    expect(fake.requests[0]?.headers['api-key']).toBe('azure-key');
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
    await expect(upstream.chat({ messages: [] })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('refuses bad configuration with CONFIG_INVALID', () => {
    for (const baseUrl of ['not a url', 'ftp://host/v1', 'http://user:pw@host/v1', 'http://host/v1?x=1']) {
      expect(() => createUpstream({ name: 'u', baseUrl })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    }
    expect(() => createUpstream({ name: 'u', baseUrl: 'https://x.openai.azure.com', kind: 'azure' })).toThrow(
      /needs apiVersion/,
    );
  });
});

describe('createUpstream: retries', () => {
  it('retries 503 before any byte and then succeeds', async () => {
    const { fake, upstream } = await setup((i) => (i < 2 ? { status: 503 } : { reply: 'third time' }));
    const result = await upstream.chat(chatBody);
    expect(result.body).toMatchObject({ choices: [{ message: { content: 'third time' } }] });
    expect(fake.requests).toHaveLength(3);
  });

  it('retries a stream that got 502 before its headers', async () => {
    const { fake, upstream } = await setup((i) => (i === 0 ? { status: 502 } : { reply: 'ok' }));
    expect(textOf(await collect(await upstream.chatStream(chatBody)))).toBe('ok');
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up after the configured retries with a retryable status error', async () => {
    const { fake, upstream } = await setup({ status: 503 }, { retries: 2 });
    const fault = await expectFault(upstream.chat(chatBody), 'status');
    expect(fault).toMatchObject({ status: 503, retryable: true, upstreamCode: 'fake_error' });
    expect(fault.detail.attempts).toBe(3);
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry 500, and keeps the upstream message for the audit detail only', async () => {
    const { fake, upstream } = await setup({ status: 500 });
    const fault = await expectFault(upstream.chat(chatBody), 'status');
    expect(fault).toMatchObject({ status: 500, retryable: false });
    expect(fault.message).toBe('The model returned an error (status 500).');
    expect(fault.detail.message).toContain('fake upstream failure');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries 429 only when Retry-After is given and short', async () => {
    const short = await setup((i) => (i === 0 ? { status: 429, retryAfter: '0' } : {}));
    await short.upstream.chat(chatBody);
    expect(short.fake.requests).toHaveLength(2);
    const none = await setup({ status: 429 });
    expect(await expectFault(none.upstream.chat(chatBody), 'status')).toMatchObject({ status: 429 });
    expect(none.fake.requests).toHaveLength(1);
    const long = await setup({ status: 429, retryAfter: '3600' });
    await expectFault(long.upstream.chat(chatBody), 'status');
    expect(long.fake.requests).toHaveLength(1);
  });

  it('retries refused connections, then fails with a connect error', async () => {
    const server = createServer();
    const port = await listen(server);
    await closeServer(server);
    const upstream = createUpstream({
      name: 'fake',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      retryBaseDelayMs: 1,
    });
    closers.push(() => upstream.close());
    const fault = await expectFault(upstream.chat(chatBody), 'connect');
    expect(fault).toMatchObject({ retryable: true, detail: { attempts: 3, cause: 'ECONNREFUSED' } });
  });
});

describe('createUpstream: faults', () => {
  it('times out waiting for headers without retrying', async () => {
    const { fake, upstream } = await setup({ headerDelayMs: 10_000 }, { headersTimeoutMs: 100 });
    const fault = await expectFault(upstream.chat(chatBody), 'timeout');
    expect(fault).toMatchObject({ retryable: false, detail: { phase: 'headers' } });
    expect(fault.message).toBe('The model did not answer in time.');
    expect(fake.requests).toHaveLength(1);
  });

  it('times out when a stream goes idle between chunks', async () => {
    const { upstream } = await setup({ chunkDelayMs: 10_000 }, { idleTimeoutMs: 100 });
    const stream = await upstream.chatStream(chatBody);
    const fault = await expectFault(collect(stream), 'timeout');
    expect(fault.detail.phase).toBe('idle');
  });

  it('enforces the total deadline on a slow but steady stream', async () => {
    const { upstream } = await setup({ chunkDelayMs: 40, chunks: 100 }, { totalTimeoutMs: 200 });
    const stream = await upstream.chatStream(chatBody);
    const fault = await expectFault(collect(stream), 'timeout');
    expect(fault.detail.phase).toBe('total');
  });

  it('reports a reset before headers without retrying it', async () => {
    const { fake, upstream } = await setup({ resetBeforeHeaders: true });
    await expectFault(upstream.chat(chatBody), 'reset');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a reset in the middle of a stream after the chunks before it', async () => {
    const { upstream } = await setup({ reply: 'abcdef', chunks: 3, resetAfterChunks: 2 });
    const seen: StreamEvent[] = [];
    const stream = await upstream.chatStream(chatBody);
    const reading = (async () => {
      for await (const event of stream) seen.push(event);
    })();
    await expectFault(reading, 'reset');
    expect(seen).toHaveLength(2);
  });

  it('reports a body cut in the middle', async () => {
    const { upstream } = await setup({ resetAfterChunks: 0 });
    await expectFault(upstream.chat(chatBody), 'reset');
  });

  it('reports a stream that ends without [DONE]', async () => {
    const { upstream } = await setup({ omitDone: true });
    const fault = await expectFault(collect(await upstream.chatStream(chatBody)), 'reset');
    expect(fault.detail.cause).toBe('stream ended before [DONE]');
  });

  it('reports malformed JSON as a protocol error', async () => {
    const { upstream } = await setup({ malformed: true });
    await expectFault(upstream.chat(chatBody), 'protocol');
    await expectFault(collect(await upstream.chatStream(chatBody)), 'protocol');
  });

  it('reports a non-event-stream answer to a stream request as a protocol error', async () => {
    const { upstream } = await setup({ contentType: 'text/html' });
    await expectFault(upstream.chatStream(chatBody), 'protocol');
  });

  it('turns an error event inside a stream into a status error', async () => {
    const { upstream } = await setup({ errorEventAfterChunks: 2 });
    const fault = await expectFault(collect(await upstream.chatStream(chatBody)), 'status');
    expect(fault.upstreamCode).toBe('fake_stream_error');
  });

  it('refuses bodies and streams over maxResponseBytes', async () => {
    const { upstream } = await setup({ hugeBytes: 300_000 }, { maxResponseBytes: 100_000 });
    await expectFault(upstream.chat(chatBody), 'too-large');
    await expectFault(collect(await upstream.chatStream(chatBody)), 'too-large');
  });

  it('aborts the upstream request when the caller aborts before headers', async () => {
    const { fake, upstream } = await setup({ headerDelayMs: 10_000 });
    const controller = new AbortController();
    const pending = upstream.chat(chatBody, { signal: controller.signal });
    while (fake.requests.length === 0 || fake.requests[0]?.body === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    controller.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');
    expect((await fake.settled(0)).clientAborted).toBe(true);
  });

  it('aborts the upstream stream when the caller aborts mid-stream or stops reading', async () => {
    const { fake, upstream } = await setup({ chunkDelayMs: 20, chunks: 50 });
    const controller = new AbortController();
    const stream = await upstream.chatStream(chatBody, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort(new Error('client went away'));
    await expect(iterator.next()).rejects.toThrow('client went away');
    expect((await fake.settled(0)).clientAborted).toBe(true);

    const second = await upstream.chatStream(chatBody);
    for await (const event of second) if (event.kind === 'chunk') break;
    expect((await fake.settled(1)).clientAborted).toBe(true);
  });
});
