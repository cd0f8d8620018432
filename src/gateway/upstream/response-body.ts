/**
 * Reading upstream response bodies within bounds: a JSON answer, the summary of an error answer (kept
 * for the audit log only), and a chat-completion event stream turned into parsed chunks.
 */
import type { Dispatcher } from 'undici';
import type { FailureContext } from './classify-error.js';
import { SseParser } from './sse.js';
import { UpstreamError } from './upstream-error.js';
import type { JsonObject, StreamEvent, UpstreamStream } from './upstream-types.js';

/** The running deadline of one call (see create-upstream.ts). */
export interface Deadline {
  /** Aborts on caller abort or at the total deadline. */
  readonly signal: AbortSignal;
  /** Clears the total timer once the call is over. */
  stop(): void;
  /** Maps what a step threw to the caller's abort reason, a total timeout or an UpstreamError. */
  explain(error: unknown, context: FailureContext): unknown;
}

/** What an error answer said, reduced to a machine code and a short message for the audit log. */
export interface ErrorSummary {
  readonly code?: string;
  readonly detail: { readonly cause?: string; readonly message?: string };
}

const ERROR_PEEK_BYTES = 8 * 1024;
/** Lines and events of upstream streams: generous for tool-call arguments, still bounded. */
const MAX_SSE_LINE = 1024 * 1024;

/** Reads a whole JSON-object body of at most `maxBytes` bytes. */
export async function readJsonBody(
  response: Dispatcher.ResponseData,
  maxBytes: number,
  context: FailureContext,
): Promise<JsonObject> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(response.body);
    throw tooLarge(maxBytes, context);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(maxBytes, context);
    chunks.push(chunk);
  }
  return parseObject(Buffer.concat(chunks).toString('utf8'), context);
}

/** Reads the start of an error body, then drops the rest; never throws. */
export async function readErrorSummary(body: Dispatcher.ResponseData['body']): Promise<ErrorSummary> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= ERROR_PEEK_BYTES) break;
    }
  } catch {
    // The status already tells what happened; a broken error body adds nothing.
  }
  discard(body);
  const text = Buffer.concat(chunks).toString('utf8').slice(0, ERROR_PEEK_BYTES);
  return summarize(text);
}

function summarize(text: string): ErrorSummary {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = isObject(parsed) && isObject(parsed.error) ? parsed.error : undefined;
    if (error !== undefined) {
      const code = typeof error.code === 'string' ? error.code : undefined;
      const cause = code ?? (typeof error.type === 'string' ? error.type : undefined);
      const message = typeof error.message === 'string' ? error.message : undefined;
      return {
        ...(code === undefined ? {} : { code }),
        detail: { ...(cause === undefined ? {} : { cause }), ...(message === undefined ? {} : { message }) },
      };
    }
  } catch {
    // Not JSON: keep the raw start below.
  }
  return text === '' ? { detail: {} } : { detail: { message: text } };
}

/**
 * Wraps a 2xx streamed answer. Events other than unnamed (`message`) and `error` ones are skipped as
 * the spec allows; an `{"error":…}` event, a malformed chunk, a stream cut before `[DONE]` or one over
 * `maxBytes` throws an UpstreamError. The deadline stops when the stream is over however it ends.
 */
export function openEventStream(
  response: Dispatcher.ResponseData,
  deadline: Deadline,
  options: { readonly maxBytes: number; readonly context: FailureContext },
): Promise<UpstreamStream> {
  const { context } = options;
  const body = response.body;
  const contentType = String(response.headers['content-type'] ?? '');
  if (!/^text\/event-stream\b/i.test(contentType)) {
    return readErrorSummary(body).then((summary) => {
      deadline.stop();
      throw new UpstreamError({
        kind: 'protocol',
        detail: { ...context, cause: 'not an event stream', message: `content-type ${contentType}` },
        ...(summary.code === undefined ? {} : { upstreamCode: summary.code }),
      });
    });
  }
  let isIterated = false;
  let isDone = false;
  const close = (): void => {
    deadline.stop();
    // After [DONE] the body is being drained for reuse; destroying it would drop the connection.
    if (!isDone) discard(body);
  };

  async function* events(): AsyncGenerator<StreamEvent> {
    const parser = new SseParser({ maxLineLength: MAX_SSE_LINE, maxEventLength: options.maxBytes });
    let total = 0;
    try {
      // Not destroyed on the early return at [DONE]: the rest is drained below so the pooled
      // connection is reused (destroying it would also build an AbortError per stream).
      for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > options.maxBytes) throw tooLarge(options.maxBytes, context);
        for (const event of parser.push(chunk)) {
          if (event.type !== 'message' && event.type !== 'error') continue;
          if (event.data.trim() === '[DONE]') {
            isDone = true;
            yield { kind: 'done' };
            return;
          }
          const data = parseObject(event.data, context);
          if (event.type === 'error' || data.error !== undefined) throw streamedError(data, context);
          yield { kind: 'chunk', data };
        }
      }
      throw new UpstreamError({ kind: 'reset', detail: { ...context, cause: 'stream ended before [DONE]' } });
    } catch (error) {
      throw deadline.explain(error, context);
    } finally {
      deadline.stop();
      // After [DONE] the rest is drained in the background so the connection can be reused.
      if (isDone) void body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      else discard(body);
    }
  }

  return Promise.resolve({
    status: response.statusCode,
    close,
    [Symbol.asyncIterator]() {
      if (isIterated) throw new Error('an upstream stream can be iterated only once');
      isIterated = true;
      return events();
    },
  });
}

/**
 * Drops a body that will not be read to its end. undici reports that as a RequestAbortedError
 * 'error' event; once nothing else listens (the loop reading it has ended), that event must not
 * become an uncaught exception.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  if (body.destroyed) return;
  body.on('error', () => undefined);
  body.destroy();
}

function streamedError(data: JsonObject, context: FailureContext): UpstreamError {
  const error = isObject(data.error) ? data.error : data;
  const code = error.code;
  const status = typeof code === 'number' && code >= 400 && code <= 599 ? code : undefined;
  const message = typeof error.message === 'string' ? error.message : undefined;
  return new UpstreamError({
    kind: 'status',
    ...(status === undefined ? {} : { status }),
    ...(typeof code === 'string' ? { upstreamCode: code } : {}),
    detail: { ...context, cause: 'error event in stream', ...(message === undefined ? {} : { message }) },
  });
}

function parseObject(text: string, context: FailureContext): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new UpstreamError({
      kind: 'protocol',
      detail: { ...context, cause: 'malformed JSON', message: `${text.length} characters` },
      cause,
    });
  }
  if (!isObject(parsed)) {
    throw new UpstreamError({ kind: 'protocol', detail: { ...context, cause: 'JSON is not an object' } });
  }
  return parsed;
}

function tooLarge(maxBytes: number, context: FailureContext): UpstreamError {
  return new UpstreamError({
    kind: 'too-large',
    detail: { ...context, cause: 'response too large', message: `over ${maxBytes} bytes` },
  });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
