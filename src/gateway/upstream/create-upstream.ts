/**
 * The HTTP client for OpenAI-compatible upstreams (vLLM, Ollama, OpenAI, Azure OpenAI) over an undici
 * Pool: pooled keep-alive connections, a deadline per phase (connect, first byte, idle between chunks,
 * total), bounded responses, and retries only where nothing reached the model and nothing reached our
 * caller yet (control G1). Every fault is an UpstreamError with a public message that never names the
 * host or repeats the upstream's body (G10).
 */
import { Pool, type Dispatcher } from 'undici';
import { BulwarkError } from '../../core/errors.js';
import { classifyFailure } from './classify-error.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep, statusRetryDelay } from './retry.js';
import { readJsonBody, readErrorSummary, openEventStream, type Deadline } from './response-body.js';
import { UpstreamError } from './upstream-error.js';
import type {
  CallOptions,
  JsonObject,
  StreamCallOptions,
  Upstream,
  UpstreamResponse,
  UpstreamStream,
} from './upstream-types.js';

/** TLS material for HTTPS upstreams (PEM), including a client certificate for mutual TLS. */
export interface UpstreamTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly servername?: string;
}

/** Options of {@link createUpstream}; every limit has a documented default. */
export interface UpstreamOptions {
  /** Configuration name of the upstream; used in audit details only. */
  readonly name: string;
  /** OpenAI flavour: the base URL up to and including `/v1`. Azure: the resource URL. */
  readonly baseUrl: string;
  /** `openai` (default) or `azure`: `/openai/deployments/{model}/…?api-version=…` with an `api-key` header. */
  readonly kind?: 'openai' | 'azure';
  /** Azure `api-version` query value; required when kind is `azure`. */
  readonly apiVersion?: string;
  /** Sent as `Authorization: Bearer …` (Azure: `api-key: …`). */
  readonly apiKey?: string;
  /** Extra request headers (e.g. an organization header). */
  readonly headers?: Readonly<Record<string, string>>;
  /** TCP + TLS handshake deadline (default 5 000 ms). */
  readonly connectTimeoutMs?: number;
  /** Until the response headers arrive, i.e. time to first byte (default 60 000 ms). */
  readonly headersTimeoutMs?: number;
  /** Longest silence between two body chunks (default 30 000 ms). */
  readonly idleTimeoutMs?: number;
  /** The whole call, retries and the complete stream included (default 300 000 ms). */
  readonly totalTimeoutMs?: number;
  /** Retries of connect failures, 502/503/504 and 429-with-Retry-After (default 2). */
  readonly retries?: number;
  /** First backoff delay before jitter (default 200 ms); doubles per retry up to 5 s. */
  readonly retryBaseDelayMs?: number;
  /** Longest Retry-After honoured; a longer one fails at once (default 5 000 ms). */
  readonly maxRetryAfterMs?: number;
  /** Largest response body, a whole stream included (default 16 MiB). */
  readonly maxResponseBytes?: number;
  /** Pooled connections (default 64). */
  readonly connections?: number;
  /** TLS settings for https URLs. */
  readonly tls?: UpstreamTls;
  /** Jitter source in [0, 1) (default Math.random); tests pass a seeded one. */
  readonly random?: () => number;
}

interface Endpoint {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly accept: string;
}

const MAX_BACKOFF_MS = 5_000;

/** Creates an {@link Upstream} backed by a connection pool; throws CONFIG_INVALID for a bad URL. */
export function createUpstream(options: UpstreamOptions): Upstream {
  const url = parseBaseUrl(options);
  const limits = {
    connect: options.connectTimeoutMs ?? 5_000,
    headers: options.headersTimeoutMs ?? 60_000,
    idle: options.idleTimeoutMs ?? 30_000,
    total: options.totalTimeoutMs ?? 300_000,
    retries: options.retries ?? 2,
    maxBytes: options.maxResponseBytes ?? 16 * 1024 * 1024,
  };
  const pool = new Pool(url.origin, {
    connections: options.connections ?? 64,
    connect: { timeout: limits.connect, ...options.tls },
    headersTimeout: limits.headers,
    bodyTimeout: limits.idle,
  });
  const basePath = url.pathname.replace(/\/+$/, '');
  const isAzure = options.kind === 'azure';
  const fixedHeaders: Record<string, string> = {
    'user-agent': 'bulwark-gateway',
    ...options.headers,
    ...(options.apiKey === undefined
      ? {}
      : isAzure
        ? { 'api-key': options.apiKey }
        : { authorization: `Bearer ${options.apiKey}` }),
  };

  function pathFor(operation: 'chat/completions' | 'embeddings' | 'models', model?: unknown): string {
    if (!isAzure) return `${basePath}/${operation}`;
    const version = `?api-version=${encodeURIComponent(options.apiVersion ?? '')}`;
    if (operation === 'models') return `${basePath}/openai/models${version}`;
    if (typeof model !== 'string' || model === '') {
      throw new BulwarkError('INPUT_INVALID', 'an Azure OpenAI request needs a model (the deployment name)');
    }
    return `${basePath}/openai/deployments/${encodeURIComponent(model)}/${operation}${version}`;
  }

  /** Sends `endpoint` with retries until a 2xx response; the deadline keeps running for the body. */
  async function open(
    endpoint: Endpoint,
    call: CallOptions,
  ): Promise<{ response: Dispatcher.ResponseData; deadline: Deadline; attempts: number }> {
    const deadline = startDeadline(limits.total, call.signal);
    const headers = {
      ...fixedHeaders,
      accept: endpoint.accept,
      ...(endpoint.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(call.requestId === undefined ? {} : { 'x-request-id': call.requestId }),
    };
    const random = options.random ?? Math.random;
    let attempts = 0;
    try {
      for (;;) {
        attempts += 1;
        const context = { upstream: options.name, attempts };
        let response: Dispatcher.ResponseData;
        try {
          response = await pool.request({
            path: endpoint.path,
            method: endpoint.method,
            headers,
            body: endpoint.body ?? null,
            signal: deadline.signal,
          });
        } catch (error) {
          const failure = deadline.explain(error, context);
          if (!(failure instanceof UpstreamError) || !failure.retryable || attempts > limits.retries) {
            throw failure;
          }
          await sleep(backoff(attempts, random), deadline.signal);
          continue;
        }
        if (response.statusCode >= 200 && response.statusCode < 300) return { response, deadline, attempts };
        const summary = await readErrorSummary(response.body);
        const delay = statusRetryDelay(
          response.statusCode,
          parseRetryAfter(response.headers, Date.now()),
          backoff(attempts, random),
          options.maxRetryAfterMs ?? 5_000,
        );
        if (delay === undefined || attempts > limits.retries) {
          throw new UpstreamError({
            kind: 'status',
            status: response.statusCode,
            retryable: isRetryableStatus(response.statusCode),
            ...(summary.code === undefined ? {} : { upstreamCode: summary.code }),
            detail: { ...context, ...summary.detail },
          });
        }
        await sleep(delay, deadline.signal);
      }
    } catch (error) {
      deadline.stop();
      throw deadline.explain(error, { upstream: options.name, attempts });
    }
  }

  function backoff(retry: number, random: () => number): number {
    return backoffDelay(retry, {
      baseDelayMs: options.retryBaseDelayMs ?? 200,
      maxDelayMs: MAX_BACKOFF_MS,
      random,
    });
  }

  async function callJson(endpoint: Endpoint, call: CallOptions = {}): Promise<UpstreamResponse> {
    const { response, deadline, attempts } = await open(endpoint, call);
    try {
      const body = await readJsonBody(response, limits.maxBytes, { upstream: options.name, attempts });
      return { status: response.statusCode, body };
    } catch (error) {
      throw deadline.explain(error, { upstream: options.name, attempts });
    } finally {
      deadline.stop();
    }
  }

  const post = (path: string, body: JsonObject): Endpoint => ({
    method: 'POST',
    path,
    body: JSON.stringify(body),
    accept: 'application/json',
  });

  return {
    name: options.name,
    chat: async (body, call) =>
      callJson(post(pathFor('chat/completions', body.model), { ...body, stream: false }), call),
    embeddings: async (body, call) => callJson(post(pathFor('embeddings', body.model), body), call),
    models: async (call) =>
      callJson({ method: 'GET', path: pathFor('models'), accept: 'application/json' }, call),
    async chatStream(body: JsonObject, call: StreamCallOptions = {}): Promise<UpstreamStream> {
      const streamed: JsonObject = { ...body, stream: true };
      if (call.includeUsage === true) {
        const given =
          typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
        streamed.stream_options = { ...given, include_usage: true };
      }
      const endpoint = {
        ...post(pathFor('chat/completions', body.model), streamed),
        accept: 'text/event-stream',
      };
      const { response, deadline, attempts } = await open(endpoint, call);
      return openEventStream(response, deadline, {
        maxBytes: limits.maxBytes,
        context: { upstream: options.name, attempts },
      });
    },
    close: () => pool.close(),
  };
}

/**
 * The total deadline of one call joined with the caller's signal. `explain` turns whatever a failed
 * step threw into the right outcome: the caller's own abort reason, a total timeout, or a classified
 * UpstreamError.
 */
function startDeadline(totalMs: number, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let isTimedOut = false;
  const timer = setTimeout(() => {
    isTimedOut = true;
    controller.abort(new Error('total deadline'));
  }, totalMs);
  timer.unref();
  // The caller's abort is forwarded by hand: AbortSignal.any costs more than the rest of the call
  // setup on Node 20, and its listener must go when the call is over.
  const forward = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted === true) forward();
  else callerSignal?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    stop: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', forward);
    },
    explain(error, context) {
      if (callerSignal?.aborted === true) return callerSignal.reason as unknown;
      if (isTimedOut) {
        return new UpstreamError({
          kind: 'timeout',
          detail: { ...context, phase: 'total', message: `no complete answer within ${totalMs} ms` },
          cause: error,
        });
      }
      return classifyFailure(error, context);
    },
  };
}

function parseBaseUrl(options: UpstreamOptions): URL {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch (cause) {
    throw new BulwarkError('CONFIG_INVALID', `upstream ${options.name}: baseUrl is not a URL`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BulwarkError('CONFIG_INVALID', `upstream ${options.name}: baseUrl must be http or https`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new BulwarkError(
      'CONFIG_INVALID',
      `upstream ${options.name}: baseUrl must not carry credentials, a query or a fragment`,
    );
  }
  if (options.kind === 'azure' && (options.apiVersion === undefined || options.apiVersion === '')) {
    throw new BulwarkError('CONFIG_INVALID', `upstream ${options.name}: an Azure upstream needs apiVersion`);
  }
  return url;
}
