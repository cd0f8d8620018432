/**
 * The demo model over HTTP (node:http on 127.0.0.1), for tests and for pointing any OpenAI client or
 * the gateway itself at it as an ordinary upstream. The in-process form is `createDemoUpstream`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSE_DONE, SSE_HEADERS, formatSseData } from '../upstream/sse.js';
import type { JsonObject } from '../upstream/upstream-types.js';
import { demoChat, demoChatChunks, demoEmbeddings, demoModels, type DemoModelOptions } from './demo-model.js';
import { errorBody } from './openai-shapes.js';

/** Largest request body the HTTP demo accepts. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A running HTTP demo upstream. */
export interface DemoUpstreamServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseUrl: string;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/** Why a request body was refused. */
export class RequestBodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'RequestBodyError';
  }
}

/** Reads a JSON-object request body of at most `maxBytes`; throws RequestBodyError otherwise. */
export async function readRequestJson(
  request: IncomingMessage,
  maxBytes = MAX_BODY_BYTES,
): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw new RequestBodyError(413, `request body over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new RequestBodyError(400, 'request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RequestBodyError(400, 'request body must be a JSON object');
  }
  return parsed as JsonObject;
}

/** Writes a JSON response. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * Handles one HTTP request to the demo model: `POST /v1/chat/completions` (streamed when
 * `stream: true`), `POST /v1/embeddings`, `GET /v1/models`; anything else is an OpenAI-shaped 404.
 */
export async function handleDemoRequest(
  request: IncomingMessage,
  response: ServerResponse,
  options: DemoModelOptions = {},
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  try {
    if (request.method === 'GET' && path === '/v1/models') return sendResult(response, demoModels());
    if (request.method === 'POST' && path === '/v1/embeddings') {
      return sendResult(response, demoEmbeddings(await readRequestJson(request)));
    }
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      const body = await readRequestJson(request);
      if (body.stream !== true) return sendResult(response, demoChat(body, options));
      const chunks = demoChatChunks(body, options);
      if (!Array.isArray(chunks)) return sendResult(response, chunks);
      response.writeHead(200, SSE_HEADERS);
      for (const chunk of chunks) response.write(formatSseData(chunk));
      response.end(SSE_DONE);
      return;
    }
    sendJson(response, 404, errorBody(`Unknown path ${path}`, 'invalid_request_error', 'not_found'));
  } catch (error) {
    if (error instanceof RequestBodyError) {
      sendJson(response, error.status, errorBody(error.message, 'invalid_request_error', 'invalid_request'));
      return;
    }
    sendJson(response, 500, errorBody('The demo model failed.', 'api_error', 'internal_error'));
  }
}

/** Starts the HTTP demo model on 127.0.0.1 at a free port. */
export async function startDemoUpstream(options: DemoModelOptions = {}): Promise<DemoUpstreamServer> {
  const server = createServer((request, response) => {
    void handleDemoRequest(request, response, options);
  });
  const port = await listen(server);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () => closeServer(server),
  };
}

/** Listens on 127.0.0.1 at a free port and returns it. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops a server, dropping keep-alive and in-flight connections so tests never wait on them. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function sendResult(response: ServerResponse, result: { status: number; body: JsonObject }): void {
  sendJson(response, result.status, result.body);
}
