/** The gateway's model backends: the pooled HTTP upstream client, its errors and the SSE codec. */
export { createUpstream, type UpstreamOptions, type UpstreamTls } from './create-upstream.js';
export {
  UPSTREAM_ERROR_KINDS,
  UpstreamError,
  isUpstreamError,
  type TimeoutPhase,
  type UpstreamErrorDetail,
  type UpstreamErrorKind,
} from './upstream-error.js';
export {
  SSE_DONE,
  SSE_HEADERS,
  SseParser,
  formatSseComment,
  formatSseData,
  formatSseError,
  readSseEvents,
  type SseErrorBody,
  type SseEvent,
  type SseParserOptions,
} from './sse.js';
export type {
  CallOptions,
  JsonObject,
  StreamCallOptions,
  StreamEvent,
  Upstream,
  UpstreamResponse,
  UpstreamStream,
} from './upstream-types.js';
