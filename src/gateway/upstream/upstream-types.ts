/**
 * The interface every model backend of the gateway implements: the HTTP client of
 * `create-upstream.ts` for real OpenAI-compatible servers, and the in-process demo model. The server
 * depends only on this, like a kysely dialect behind its driver interface.
 */

/** A JSON object as sent to or received from an OpenAI-compatible API. */
export type JsonObject = Record<string, unknown>;

/** Per-call options. */
export interface CallOptions {
  /** Aborts the upstream request (e.g. when the gateway's own client disconnects). */
  readonly signal?: AbortSignal;
  /** Sent upstream as `x-request-id` so the two logs can be joined. */
  readonly requestId?: string;
}

/** Per-call options of a streamed chat completion. */
export interface StreamCallOptions extends CallOptions {
  /**
   * Ask for a final usage chunk (`stream_options.include_usage`), which token limits need; the chunk
   * has an empty `choices` array. Default false: the body is sent as given, apart from `stream: true`.
   */
  readonly includeUsage?: boolean;
}

/** A successful (2xx) non-streamed answer with its parsed JSON body. */
export interface UpstreamResponse {
  readonly status: number;
  readonly body: JsonObject;
}

/** One event of a streamed chat completion: a parsed `data:` chunk, or the final `[DONE]`. */
export type StreamEvent = { readonly kind: 'chunk'; readonly data: JsonObject } | { readonly kind: 'done' };

/**
 * A streamed answer whose response headers were 2xx. Iterate it once; `[DONE]` is always the last
 * event, and an interrupted stream throws an UpstreamError instead of ending quietly. Breaking out of
 * the loop, or `close()`, aborts the upstream request.
 */
export interface UpstreamStream extends AsyncIterable<StreamEvent> {
  readonly status: number;
  /** Releases the upstream request; safe to call more than once. */
  close(): void;
}

/** An OpenAI-compatible model backend. Faults are UpstreamErrors; a caller abort rejects with its reason. */
export interface Upstream {
  /** The name the configuration gives it (appears in audit details, never in client messages). */
  readonly name: string;
  /** `POST /chat/completions` without streaming. */
  chat(body: JsonObject, options?: CallOptions): Promise<UpstreamResponse>;
  /** `POST /chat/completions` with `stream: true`; resolves once the response headers arrived. */
  chatStream(body: JsonObject, options?: StreamCallOptions): Promise<UpstreamStream>;
  /** `POST /embeddings`. */
  embeddings(body: JsonObject, options?: CallOptions): Promise<UpstreamResponse>;
  /** `GET /models`. */
  models(options?: CallOptions): Promise<UpstreamResponse>;
  /** Closes pooled connections; calls after this fail. */
  close(): Promise<void>;
}
