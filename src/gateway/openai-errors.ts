/**
 * Errors in the OpenAI error shape (`{"error":{"message","type","param","code"}}`), the only error
 * body the gateway ever sends (control G10): clients written for OpenAI handle them, and nothing of
 * an upstream's internals, a stack trace or model metadata leaks through them.
 */

/** What a gateway error says publicly. */
export interface GatewayErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

/** An error the gateway answers with: HTTP status, OpenAI type and code, a safe message. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly options: { readonly param?: string; readonly retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  /** The body to send. */
  body(): GatewayErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.options.param ?? null, code: this.code },
    };
  }
}

/** 400: the request is malformed. */
export const badRequest = (message: string, param?: string): GatewayError =>
  new GatewayError(
    400,
    'invalid_request_error',
    'invalid_request',
    message,
    param === undefined ? {} : { param },
  );
/** 401: no or wrong credentials. */
export const unauthenticated = (): GatewayError =>
  new GatewayError(401, 'authentication_error', 'invalid_api_key', 'Missing or invalid credentials.');
/** 403: authenticated, but not allowed this model or tool. */
export const forbidden = (message: string): GatewayError =>
  new GatewayError(403, 'permission_error', 'forbidden', message);
/** 404: no such model (or not one this caller may know of). */
export const unknownModel = (model: string): GatewayError =>
  new GatewayError(404, 'invalid_request_error', 'model_not_found', `The model '${model}' does not exist.`, {
    param: 'model',
  });
/** 413: the body is larger than the configured limit. */
export const tooLarge = (limit: number): GatewayError =>
  new GatewayError(413, 'invalid_request_error', 'request_too_large', `Request body exceeds ${limit} bytes.`);
/** 429: a rate limit or budget; `Retry-After` carries the wait. */
export const rateLimited = (what: string, retryAfterSeconds: number): GatewayError =>
  new GatewayError(429, 'rate_limit_error', 'rate_limit_exceeded', `Rate limit reached (${what}).`, {
    retryAfterSeconds,
  });
/** 400 with code `content_blocked`: a guard refused the request or the answer. */
export const blockedByGuard = (guard: string, reason: string): GatewayError =>
  new GatewayError(
    400,
    'invalid_request_error',
    'content_blocked',
    `Blocked by the ${guard} guard: ${reason}.`,
  );
/** 502/504: the upstream failed; the message says so and nothing more. */
export const upstreamFailed = (timeout: boolean): GatewayError =>
  timeout
    ? new GatewayError(504, 'api_error', 'upstream_timeout', 'The model did not answer in time.')
    : new GatewayError(502, 'api_error', 'upstream_error', 'The model is unavailable.');
/** 500: anything unexpected; details go to the audit log only. */
export const internalError = (): GatewayError =>
  new GatewayError(500, 'api_error', 'internal_error', 'The gateway could not process the request.');
