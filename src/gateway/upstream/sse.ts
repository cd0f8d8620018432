/**
 * Server-sent events both ways: an incremental parser for upstream streams that follows the WHATWG
 * HTML "event stream interpretation" rules (https://html.spec.whatwg.org/multipage/server-sent-events.html
 * §9.2.6), and the writer for the gateway's own `text/event-stream` answers in the shape OpenAI clients
 * expect. The parser never buffers more than one line and one event, both bounded, so a hostile
 * upstream cannot make the gateway hold an unbounded amount of memory.
 */
import { BulwarkError } from '../../core/errors.js';

/** One dispatched event: `type` is `message` unless an `event:` field named it. */
export interface SseEvent {
  readonly type: string;
  readonly data: string;
  /** The last event ID seen so far (the `id:` field persists across events, as in the spec). */
  readonly id: string;
}

/** Bounds of {@link SseParser}. */
export interface SseParserOptions {
  /** Longest line in UTF-16 code units before the stream is refused (default 1 MiB). */
  readonly maxLineLength?: number;
  /** Largest `data` of one event in UTF-16 code units (default 4 MiB). */
  readonly maxEventLength?: number;
}

const DEFAULT_MAX_LINE = 1024 * 1024;
const DEFAULT_MAX_EVENT = 4 * 1024 * 1024;
const LF = 10;
const COLON = 58;
const SPACE = 32;

/**
 * Incremental event-stream parser: feed it chunks split anywhere (even inside a UTF-8 sequence or
 * between CR and LF) and it returns the events completed by each chunk, identical to parsing the whole
 * stream at once. Throws a `LIMIT_EXCEEDED` BulwarkError when a line or an event exceeds its bound.
 */
export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #maxLine: number;
  readonly #maxEvent: number;
  #line = '';
  #skipLf = false;
  #isStart = true;
  #data = '';
  #type = '';
  #lastId = '';
  #retry: number | undefined;
  #events: SseEvent[] = [];

  constructor(options: SseParserOptions = {}) {
    this.#maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
    this.#maxEvent = options.maxEventLength ?? DEFAULT_MAX_EVENT;
  }

  /** The reconnection time the stream last set with `retry:`, in milliseconds. */
  get reconnectionTime(): number | undefined {
    return this.#retry;
  }

  /** Whether a started line or event is still waiting for its terminating blank line. */
  get hasPendingEvent(): boolean {
    return this.#line !== '' || this.#data !== '' || this.#type !== '';
  }

  /** Parses one chunk (bytes are decoded as UTF-8) and returns the events it completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (this.#isStart && text !== '') {
      // The spec's UTF-8 decode strips one leading BOM; TextDecoder does so for bytes, strings need it here.
      if (text.charCodeAt(0) === 0xfeff && typeof chunk === 'string') text = text.slice(1);
      this.#isStart = false;
    }
    this.#scan(text);
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /**
   * Ends the stream. Per the spec an event without its terminating blank line is discarded, so this
   * returns no events; check {@link hasPendingEvent} first to tell a truncated stream.
   */
  end(): SseEvent[] {
    const rest = this.#decoder.decode();
    if (rest !== '') this.#scan(rest);
    this.#line = '';
    this.#data = '';
    this.#type = '';
    this.#events = [];
    return [];
  }

  #scan(text: string): void {
    let start = 0;
    if (this.#skipLf && text !== '') {
      if (text.charCodeAt(0) === LF) start = 1;
      this.#skipLf = false;
    }
    let cr = text.indexOf('\r', start);
    let lf = text.indexOf('\n', start);
    while (start < text.length) {
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) {
        this.#line += text.slice(start);
        this.#checkLine(this.#line.length);
        return;
      }
      this.#checkLine(this.#line.length + end - start);
      const line = this.#line + text.slice(start, end);
      this.#line = '';
      if (end === cr) {
        if (end + 1 < text.length) start = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        else {
          // A CR ending the chunk may be the first half of a CRLF split across chunks.
          this.#skipLf = true;
          start = end + 1;
        }
      } else start = end + 1;
      this.#processLine(line);
    }
  }

  #checkLine(length: number): void {
    if (length > this.#maxLine) {
      throw new BulwarkError('LIMIT_EXCEEDED', `event-stream line longer than ${this.#maxLine} characters`);
    }
  }

  #processLine(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.charCodeAt(0) === COLON) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === SPACE) value = value.slice(1);
    switch (field) {
      case 'data':
        if (this.#data.length + value.length + 1 > this.#maxEvent) {
          throw new BulwarkError(
            'LIMIT_EXCEEDED',
            `event-stream event larger than ${this.#maxEvent} characters`,
          );
        }
        this.#data += value + '\n';
        return;
      case 'event':
        this.#type = value;
        return;
      case 'id':
        if (!value.includes('\0')) this.#lastId = value;
        return;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.#retry = Number(value);
        return;
      default:
        return;
    }
  }

  #dispatch(): void {
    if (this.#data === '') {
      this.#type = '';
      return;
    }
    this.#events.push({ type: this.#type || 'message', data: this.#data.slice(0, -1), id: this.#lastId });
    this.#data = '';
    this.#type = '';
  }
}

/** Parses a whole byte or text stream into events, lazily; a truncated final event is dropped (spec). */
export async function* readSseEvents(
  source: AsyncIterable<Uint8Array | string>,
  options: SseParserOptions = {},
): AsyncGenerator<SseEvent> {
  const parser = new SseParser(options);
  for await (const chunk of source) yield* parser.push(chunk);
  parser.end();
}

/** The OpenAI error shape, as the gateway's error events carry it. */
export interface SseErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

/** Response headers of a gateway event stream (no proxy buffering, no caching). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** The terminator OpenAI-compatible streams end with. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** One unnamed event carrying `value` as JSON; JSON.stringify escapes CR and LF, so it is one line. */
export function formatSseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** A comment line, ignored by every client; used as a heartbeat that keeps idle proxies from closing. */
export function formatSseComment(text = ''): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/**
 * Ends a stream with an error: an unnamed event whose data is `{"error":{...}}`, then `[DONE]`.
 * The official `openai` clients (node `core/streaming`, and the Python one alike) throw an APIError
 * carrying this message when an event's data has an `error` member, and vLLM ends a failed stream the
 * same way. The event is unnamed because browser EventSource `message` listeners never see named
 * events; `[DONE]` follows so clients that wait for it do not hang.
 */
export function formatSseError(body: SseErrorBody): string {
  return formatSseData(body) + SSE_DONE;
}
