/**
 * The gateway under faults (issue 7 acceptance): an upstream that never answers or stalls mid-stream,
 * fails with 500 or resets the connection, a client that goes away mid-stream, malformed and
 * oversized bodies, a client that sends its body byte by byte, and a reader that does not read. Each
 * ends cleanly — an OpenAI-shaped error, an SSE error event or a clean close — well inside the test
 * timeout (short deadlines are configured below), and each leaves one audit event.
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../src/gateway/demo/demo-server.js';
import { startFakeUpstream, type FakeUpstream } from '../src/gateway/upstream/fake-upstream.test-support.js';
import { SSE_HEADERS, formatSseData } from '../src/gateway/upstream/sse.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

/** Deadlines of this suite: far below the test timeout, so a hang fails instead of passing late. */
const UPSTREAM_TIMEOUT_MS = 300;
const REQUEST_TIMEOUT_MS = 500;
const BODY_LIMIT = 64 * 1024;

type AuditEvent = Record<string, unknown>;

let fake: FakeUpstream;
let stall: { url: string; server: Server };
let gateway: TestGateway;
let gatewayUrl: string;
let gatewayPort: number;
let key: string;

/** An upstream that sends the role and two content chunks of a stream, then goes silent. */
async function startStallingUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, SSE_HEADERS);
      const chunk = (delta: Record<string, unknown>) => ({
        id: 'chatcmpl-stall',
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: 'stall-model',
        choices: [{ index: 0, delta, finish_reason: null }],
      });
      response.write(formatSseData(chunk({ role: 'assistant' })));
      response.write(formatSseData(chunk({ content: 'The first part, ' })));
      response.write(formatSseData(chunk({ content: 'then silence.' })));
    });
  });
  return { url: `http://127.0.0.1:${await listen(server)}/v1`, server };
}

beforeAll(async () => {
  fake = await startFakeUpstream();
  stall = await startStallingUpstream();
  const deadlines = { headersTimeoutMs: UPSTREAM_TIMEOUT_MS, idleTimeoutMs: UPSTREAM_TIMEOUT_MS };
  gateway = await startTestGateway({
    upstreams: { fake: { url: fake.baseUrl, ...deadlines }, stall: { url: stall.url, ...deadlines } },
    settings: {
      bodyLimit: BODY_LIMIT,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      routes: [
        { model: 'chat', upstream: 'fake', unregistered: true },
        { model: 'stall-chat', upstream: 'stall', unregistered: true },
      ],
    },
  });
  key = gateway.newKey(['chat', 'stall-chat'], { name: 'faults' });
  gatewayUrl = gateway.url;
  gatewayPort = Number(new URL(gatewayUrl).port);
});

afterAll(async () => {
  await gateway.close();
  stall.server.closeAllConnections();
  await closeServer(stall.server);
  await fake.close();
});

afterEach(() => {
  fake.setBehaviour({});
});

function client(): OpenAI {
  return new OpenAI({ apiKey: key, baseURL: `${gatewayUrl}/v1`, maxRetries: 0, timeout: 5_000 });
}

const ask = (stream = false) => ({
  model: 'chat',
  messages: [{ role: 'user' as const, content: 'Tell me about the weather in Lisbon.' }],
  ...(stream ? { stream } : {}),
});

/** Events of the gateway so far. */
function gatewayEvents(): Promise<AuditEvent[]> {
  return gateway.requestEvents();
}

/**
 * The first gateway event after the first `after` ones that matches, waiting for it: a streamed
 * answer is recorded just after its last byte, so the client may finish first.
 */
async function auditEvent(after: number, match: (event: AuditEvent) => boolean = () => true) {
  for (let tries = 0; tries < 150; tries++) {
    const found = (await gatewayEvents()).slice(after).find(match);
    if (found !== undefined) return found;
    await delay(20);
  }
  throw new Error('no audit event was recorded for the request');
}

const byId = (id: string | null) => (event: AuditEvent) => event['requestId'] === id;

function post(body: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
    ...init,
  });
}

/** The `data:` payloads of an event stream, `[DONE]` included. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

function expectOpenAiError(body: unknown, code: string): void {
  expect(Object.keys(body as object)).toEqual(['error']);
  const error = (body as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof error['message']).toBe('string');
  expect(typeof error['type']).toBe('string');
  expect(error['param']).toBeNull();
  expect(error['code']).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|internal\.example|at .+\.ts:\d+/);
}

/** Opens a raw connection to the gateway. */
async function rawConnection(): Promise<Socket> {
  const socket = connect(gatewayPort, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Everything the server sends until it closes the connection. */
function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(text));
  });
}

describe('upstream faults', () => {
  it('answers 504 when the upstream never sends its headers, and aborts the upstream call', async () => {
    fake.setBehaviour({ headerDelayMs: 10_000 });
    const before = (await gatewayEvents()).length;
    const index = fake.requests.length;
    const error: unknown = await client()
      .chat.completions.create(ask())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 504, code: 'upstream_timeout', type: 'api_error' });
    expect((error as Error).message).not.toMatch(/127\.0\.0\.1/);
    expect((await fake.settled(index)).clientAborted).toBe(true);
    const event = await auditEvent(
      before,
      byId((error as InstanceType<typeof OpenAI.APIError>).requestID ?? null),
    );
    expect(event).toMatchObject({ outcome: 'error', status: 504, reason: 'upstream-timeout' });
    expect(String(event['detail'])).toMatch(/headers/);
  });

  it('answers a streamed request 504 in JSON when the upstream headers never come', async () => {
    fake.setBehaviour({ headerDelayMs: 10_000 });
    const before = (await gatewayEvents()).length;
    const response = await post(JSON.stringify(ask(true)));
    expect(response.status).toBe(504);
    expectOpenAiError(await response.json(), 'upstream_timeout');
    const event = await auditEvent(before, byId(response.headers.get('x-request-id')));
    expect(event).toMatchObject({ outcome: 'error', status: 504, stream: true, reason: 'upstream-timeout' });
  });

  it('ends a stream that stalls mid-way with an error event after the idle timeout', async () => {
    const before = (await gatewayEvents()).length;
    const stream = await client().chat.completions.create({
      model: 'stall-chat',
      messages: ask().messages,
      stream: true,
    });
    let text = '';
    const read = async (): Promise<void> => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    };
    await expect(read()).rejects.toThrow(/did not answer in time/);
    // What the guard had already released stays delivered; the stalled tail is never invented.
    expect('The first part, then silence.'.startsWith(text)).toBe(true);
    const event = await auditEvent(before);
    expect(event).toMatchObject({ model: 'stall-chat', stream: true, outcome: 'error', status: 200 });
    expect(event['reason']).toBe('upstream-timeout');
    expect(String(event['detail'])).toMatch(/idle/);
  });

  it('answers 502 without upstream internals when the upstream fails with 500, streamed or not', async () => {
    fake.setBehaviour({ status: 500, errorCode: 'internal_upstream_detail' });
    const before = (await gatewayEvents()).length;
    for (const stream of [false, true]) {
      const response = await post(JSON.stringify(ask(stream)));
      expect(response.status).toBe(502);
      expect([...response.headers.keys()]).not.toContain('x-upstream-secret-host');
      const body: unknown = await response.json();
      expectOpenAiError(body, 'upstream_error');
      expect(JSON.stringify(body)).not.toContain('internal_upstream_detail');
      const event = await auditEvent(before, byId(response.headers.get('x-request-id')));
      expect(event).toMatchObject({ outcome: 'error', status: 502, reason: 'upstream-status', stream });
    }
  });

  it('ends the stream with an error event when the upstream resets the connection mid-stream', async () => {
    fake.setBehaviour({ reply: 'One. Two. Three. Four. Five. Six.', chunks: 6, resetAfterChunks: 3 });
    const before = (await gatewayEvents()).length;
    const response = await post(JSON.stringify(ask(true)));
    expect(response.status).toBe(200);
    const events = sseData(await response.text());
    expect(events.at(-1)).toBe('[DONE]');
    const error: unknown = JSON.parse(events.at(-2) ?? '{}');
    expectOpenAiError(error, 'upstream_error');
    const event = await auditEvent(before, byId(response.headers.get('x-request-id')));
    expect(event).toMatchObject({ outcome: 'error', stream: true, reason: 'upstream-reset' });
  });
});

describe('client faults', () => {
  it('aborts the upstream call when the client disconnects mid-stream', async () => {
    fake.setBehaviour({ reply: 'word '.repeat(200), chunks: 200, chunkDelayMs: 20 });
    const before = (await gatewayEvents()).length;
    const index = fake.requests.length;
    const controller = new AbortController();
    const response = await post(JSON.stringify(ask(true)), { signal: controller.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    controller.abort();
    await reader.read().catch(() => undefined);
    const upstreamCall = await fake.settled(index);
    expect(upstreamCall.clientAborted).toBe(true);
    expect(upstreamCall.completed).toBe(false);
    const event = await auditEvent(before, byId(response.headers.get('x-request-id')));
    expect(event).toMatchObject({ outcome: 'cancelled', reason: 'client-disconnected', stream: true });
  });

  it('answers malformed JSON with 400 invalid_json and records it', async () => {
    const before = (await gatewayEvents()).length;
    const response = await post('{"model": "chat", "messages": [');
    expect(response.status).toBe(400);
    expectOpenAiError(await response.json(), 'invalid_json');
    const event = await auditEvent(before);
    expect(event).toMatchObject({ endpoint: 'chat', status: 400, outcome: 'refused' });
  });

  it('answers an oversized body with 413 and records it', async () => {
    const before = (await gatewayEvents()).length;
    const content = 'x'.repeat(BODY_LIMIT * 2);
    const response = await post(JSON.stringify({ ...ask(), messages: [{ role: 'user', content }] }));
    expect(response.status).toBe(413);
    expectOpenAiError(await response.json(), 'request_too_large');
    const event = await auditEvent(before);
    expect(event).toMatchObject({ endpoint: 'chat', status: 413, outcome: 'refused' });
  });

  it('cuts off a client that sends its body byte by byte after requestTimeoutMs, and records it', async () => {
    const before = (await gatewayEvents()).length;
    const body = JSON.stringify(ask());
    const socket = await rawConnection();
    const answer = readUntilClosed(socket);
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    let sent = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || sent >= body.length) return clearInterval(drip);
      socket.write(body[sent++] ?? '');
    }, 50);
    try {
      const text = await answer;
      // The body would take 50 ms × its length; the gateway must not wait for it.
      expect(sent).toBeLessThan(body.length);
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expectOpenAiError(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)), 'request_timeout');
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    const event = await auditEvent(before);
    expect(event).toMatchObject({ status: 408, outcome: 'refused' });
  });

  it('serves a reader that does not read without holding up the upstream call or the audit', async () => {
    const reply = 'Lorem ipsum dolor sit amet. '.repeat(20_000);
    fake.setBehaviour({ reply, chunks: 400 });
    const before = (await gatewayEvents()).length;
    const index = fake.requests.length;
    const body = JSON.stringify(ask(true));
    const socket = await rawConnection();
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    socket.pause();
    try {
      while (fake.requests.length <= index) await delay(10);
      // Nothing read yet: the upstream answer is complete and the request is on record regardless.
      expect((await fake.settled(index)).completed).toBe(true);
      const event = await auditEvent(before, (e) => e['endpoint'] === 'chat' && e['stream'] === true);
      expect(event).toMatchObject({ outcome: 'allowed', stream: true, status: 200 });
      const text = await readUntilClosed(socket.resume());
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
      expect(payload).toContain('data: [DONE]');
      expect(payload).not.toContain('"error"');
    } finally {
      socket.destroy();
    }
  });
});
