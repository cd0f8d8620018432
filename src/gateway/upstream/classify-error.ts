/**
 * Turns what undici, node:net, node:tls and the event-stream parser throw into an UpstreamError, so
 * the rest of the gateway deals with six kinds instead of dozens of codes.
 */
import { isBulwarkError } from '../../core/errors.js';
import { UpstreamError, type TimeoutPhase, type UpstreamErrorKind } from './upstream-error.js';

/** Where the failure happened, for the audit detail. */
export interface FailureContext {
  readonly upstream: string;
  readonly attempts: number;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);
const RESET_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_CLOSED']);
const PROTOCOL_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_HEADERS_OVERFLOW']);
const TIMEOUT_CODES: Readonly<Record<string, TimeoutPhase>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  ETIMEDOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'idle',
};
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/;

/**
 * Classifies a thrown value. Connect failures (nothing was sent) are retryable; a TLS failure is a
 * connect failure that retrying will not fix; anything after the request left is not retryable.
 */
export function classifyFailure(error: unknown, context: FailureContext): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const base = { detail: { ...context, cause: code, message }, cause: error };
  const phase = code === undefined ? undefined : TIMEOUT_CODES[code];
  if (phase !== undefined) {
    return new UpstreamError({
      ...base,
      kind: 'timeout',
      retryable: phase === 'connect',
      detail: { ...base.detail, phase },
    });
  }
  const kind = kindOf(error, code);
  return new UpstreamError({ ...base, kind, retryable: kind === 'connect' && !TLS_CODE.test(code ?? '') });
}

function kindOf(error: unknown, code: string | undefined): UpstreamErrorKind {
  if (code !== undefined) {
    if (CONNECT_CODES.has(code) || TLS_CODE.test(code)) return 'connect';
    if (RESET_CODES.has(code)) return 'reset';
    if (PROTOCOL_CODES.has(code) || code.startsWith('HPE_')) return 'protocol';
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'too-large';
  }
  if (isBulwarkError(error) && error.code === 'LIMIT_EXCEEDED') return 'too-large';
  if (error instanceof SyntaxError) return 'protocol';
  return 'reset';
}

/** The `code` of an error, looking into AggregateError (happy-eyeballs connects) and `cause`. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return errorCode((error as { cause?: unknown }).cause);
}
