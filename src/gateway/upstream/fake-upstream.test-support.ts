/**
 * A scriptable OpenAI-compatible upstream for tests and benchmarks (node:http on 127.0.0.1 at a free
 * port): fixed replies split into chunks, delays before headers and between chunks, error statuses,
 * connection resets, malformed JSON, huge bodies, error events and tool calls. It records every request
 * it received and whether the client went away before the answer was complete.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { closeServer, listen, readRequestJson, sendJson } from '../demo/demo-server.js';
import {
  chatCompletionBody,
  chatCompletionChunks,
  embeddingsBody,
  errorBody,
  modelsBody,
  type CompletionContent,
} from '../demo/openai-shapes.js';
import { SSE_DONE, SSE_HEADERS, formatSseData, formatSseError } from './sse.js';
import type { JsonObject } from './upstream-types.js';

/** How the fake answers a request; every field is optional. */
export interface FakeBehaviour {
  /** Reply text (default `Hello from the fake upstream.`). */
  readonly reply?: string;
  /** Number of content chunks a streamed reply is split into (default 3). */
  readonly chunks?: number;
  /** Wait before sending the status line and headers. */
  readonly headerDelayMs?: number;
  /** Wait between streamed chunks (and before the first). */
  readonly chunkDelayMs?: number;
  /** Answer with this (error) status and an OpenAI error body. */
  readonly status?: number;
  /** `Retry-After` header value sent with `status`. */
  readonly retryAfter?: string;
  /** Error code in the error body (default `fake_error`). */
  readonly errorCode?: string;
  /** Destroy the socket before any response byte. */
  readonly resetBeforeHeaders?: boolean;
  /** Destroy the socket after this many streamed chunks (non-streamed: after half the body). */
  readonly resetAfterChunks?: number;
  /** Send invalid JSON (the body, or the first content chunk of a stream). */
  readonly malformed?: boolean;
  /** Pad the reply so the response exceeds this many bytes. */
  readonly hugeBytes?: number;
  /** Answer with these tool calls instead of text. */
  readonly toolCalls?: readonly { readonly name: string; readonly arguments: string }[];
  /** End the stream without `[DONE]`. */
  readonly omitDone?: boolean;
  /** Send an `{"error":…}` event after this many streamed chunks. */
  readonly errorEventAfterChunks?: number;
  /** Content-Type of a successful answer (default JSON, or event-stream when streaming). */
  readonly contentType?: string;
}

/** What the fake received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** Client port of the connection: equal ports mean a reused keep-alive connection. */
  readonly remotePort: number | undefined;
  body: JsonObject | undefined;
  /** True when the client closed the connection before the answer was complete. */
  clientAborted: boolean;
  /** True once the answer was completely written. */
  completed: boolean;
}

/** A running fake upstream. */
export interface FakeUpstream {
  /** Base URL including `/v1`. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Sets the behaviour of following requests (a function gets the request's 0-based index). */
  setBehaviour(behaviour: FakeBehaviour | ((index: number) => FakeBehaviour)): void;
  /** Resolves when request `index` has ended one way or the other. */
  settled(index: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const DEFAULT_REPLY = 'Hello from the fake upstream.';

/** Starts a fake upstream on 127.0.0.1 at a free port. */
export async function startFakeUpstream(
  behaviour: FakeBehaviour | ((index: number) => FakeBehaviour) = {},
): Promise<FakeUpstream> {
  let choose = typeof behaviour === 'function' ? behaviour : () => behaviour;
  const requests: RecordedRequest[] = [];
  const waiters = new Map<number, Promise<RecordedRequest>>();
  const stop = new AbortController();

  const server = createServer((request, response) => {
    const index = requests.length;
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      remotePort: request.socket.remotePort,
      body: undefined,
      clientAborted: false,
      completed: false,
    };
    requests.push(record);
    waiters.set(
      index,
      new Promise((resolve) => {
        response.once('close', () => {
          record.clientAborted = !response.writableFinished;
          resolve(record);
        });
      }),
    );
    respond(request, response, record, choose(index), stop.signal).catch(() => response.destroy());
  });
  const port = await listen(server);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setBehaviour(next) {
      choose = typeof next === 'function' ? next : () => next;
    },
    settled(index) {
      const waiter = waiters.get(index);
      if (waiter === undefined) return Promise.reject(new Error(`no request ${index} yet`));
      return waiter;
    },
    close() {
      stop.abort();
      return closeServer(server);
    },
  };
}

async function respond(
  request: IncomingMessage,
  response: ServerResponse,
  record: RecordedRequest,
  behaviour: FakeBehaviour,
  stop: AbortSignal,
): Promise<void> {
  if (request.method === 'POST') record.body = await readRequestJson(request, 64 * 1024 * 1024);
  const gone = AbortSignal.any([stop, closedSignal(response)]);
  if (behaviour.headerDelayMs !== undefined)
    await delay(behaviour.headerDelayMs, undefined, { signal: gone });
  if (behaviour.resetBeforeHeaders === true) {
    request.socket.destroy();
    return;
  }
  if (behaviour.status !== undefined && behaviour.status >= 400) {
    response.setHeader('x-upstream-secret-host', 'internal.example');
    if (behaviour.retryAfter !== undefined) response.setHeader('retry-after', behaviour.retryAfter);
    const body = errorBody(
      'fake upstream failure at internal.example',
      'server_error',
      behaviour.errorCode ?? 'fake_error',
    );
    sendJson(response, behaviour.status, body);
    record.completed = true;
    return;
  }
  const path = (request.url ?? '/').split('?')[0];
  // Suffix matching serves both the OpenAI layout (/v1/…) and Azure's (/openai/deployments/{d}/…).
  if (request.method === 'GET' && path?.endsWith('/models') === true) {
    sendJson(response, 200, modelsBody([{ id: 'fake-model', ownedBy: 'fake' }]));
  } else if (request.method === 'POST' && path?.endsWith('/embeddings') === true) {
    sendEmbeddings(response, record.body ?? {});
  } else if (request.method === 'POST' && path?.endsWith('/chat/completions') === true) {
    const body = record.body ?? {};
    if (body.stream === true) await streamChat(request, response, body, behaviour, gone);
    else await sendChat(request, response, body, behaviour);
  } else {
    sendJson(response, 404, errorBody('no such path', 'invalid_request_error', 'not_found'));
  }
  record.completed = response.writableFinished || response.writableEnded;
}

function content(body: JsonObject, behaviour: FakeBehaviour): CompletionContent {
  let text = behaviour.reply ?? DEFAULT_REPLY;
  if (behaviour.hugeBytes !== undefined) text += 'x'.repeat(behaviour.hugeBytes);
  const calls = behaviour.toolCalls?.map((call, i) => ({ id: `call_fake_${i}`, ...call }));
  return {
    id: 'chatcmpl-fake',
    model: typeof body.model === 'string' ? body.model : 'fake-model',
    created: 1_700_000_000,
    text: calls === undefined ? text : null,
    ...(calls === undefined ? {} : { toolCalls: calls }),
    finishReason: calls === undefined ? 'stop' : 'tool_calls',
    promptTokens: 10,
    completionTokens: Math.ceil(text.length / 4),
  };
}

async function sendChat(
  request: IncomingMessage,
  response: ServerResponse,
  body: JsonObject,
  behaviour: FakeBehaviour,
): Promise<void> {
  const text =
    behaviour.malformed === true
      ? '{"id": "chatcmpl-fake", "choices": ['
      : JSON.stringify(chatCompletionBody(content(body, behaviour)));
  response.writeHead(200, { 'content-type': behaviour.contentType ?? 'application/json' });
  if (behaviour.resetAfterChunks !== undefined) {
    await write(response, text.slice(0, Math.floor(text.length / 2)));
    request.socket.destroy();
    return;
  }
  response.end(text);
}

async function streamChat(
  request: IncomingMessage,
  response: ServerResponse,
  body: JsonObject,
  behaviour: FakeBehaviour,
  gone: AbortSignal,
): Promise<void> {
  const completion = content(body, behaviour);
  const text = completion.text ?? '';
  const count = Math.max(1, behaviour.chunks ?? 3);
  const size = Math.ceil(text.length / count);
  const pieces =
    text === ''
      ? []
      : Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
  const options = body.stream_options;
  const includeUsage =
    typeof options === 'object' && options !== null && (options as JsonObject).include_usage === true;
  const chunks = chatCompletionChunks(completion, pieces, includeUsage);
  response.writeHead(
    200,
    behaviour.contentType === undefined ? SSE_HEADERS : { 'content-type': behaviour.contentType },
  );
  response.flushHeaders();
  for (const [index, chunk] of chunks.entries()) {
    if (behaviour.chunkDelayMs !== undefined)
      await delay(behaviour.chunkDelayMs, undefined, { signal: gone });
    if (index === behaviour.resetAfterChunks) {
      request.socket.destroy();
      return;
    }
    if (index === behaviour.errorEventAfterChunks) {
      response.end(
        formatSseError({
          error: {
            message: 'fake mid-stream failure',
            type: 'server_error',
            param: null,
            code: 'fake_stream_error',
          },
        }),
      );
      return;
    }
    await write(
      response,
      behaviour.malformed === true && index === 1 ? 'data: {"choices": [\n\n' : formatSseData(chunk),
    );
  }
  response.end(behaviour.omitDone === true ? '' : SSE_DONE);
}

function sendEmbeddings(response: ServerResponse, body: JsonObject): void {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const vectors = inputs.map((_, i) => Float32Array.from({ length: 8 }, (__, j) => (i + 1) / (j + 1)));
  const encoding = body.encoding_format === 'base64' ? 'base64' : 'float';
  sendJson(
    response,
    200,
    embeddingsBody(
      typeof body.model === 'string' ? body.model : 'fake-embed',
      vectors,
      inputs.length,
      encoding,
    ),
  );
}

/** Writes and waits until the data left for the socket, so a following reset cannot swallow it. */
function write(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    response.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

function closedSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  return controller.signal;
}
