/** How a caller proved who it is. */
export const PRINCIPAL_KINDS = ['api-key', 'jwt', 'mtls'] as const;

export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** A principal's own limits; an absent field is no limit of its own (gateway defaults may still apply). */
export interface PrincipalLimits {
  /** Requests per minute. */
  readonly rpm?: number;
  /** Tokens (prompt and completion) per minute. */
  readonly tpm?: number;
  /** Largest `max_tokens` one request may ask for. */
  readonly maxTokens?: number;
  /** Most the principal may spend per budget period: money when routes have prices, else tokens. */
  readonly budget?: number;
}

/** An authenticated caller: who it is and what it may use (control G2). */
export interface Principal {
  readonly kind: PrincipalKind;
  /** Stable id for limits and the audit log: the key id, `iss#sub` of a token, or the mTLS rule's id. */
  readonly id: string;
  readonly name: string;
  /** Models it may call: exact names, `prefix*` patterns or `*`. */
  readonly models: readonly string[];
  /** Tools it may declare, with the same patterns; empty allows none. */
  readonly tools: readonly string[];
  readonly limits: PrincipalLimits;
}

/** Why authentication or authorization failed: stable codes for the audit log, never shown to callers. */
export const AUTH_FAILURE_REASONS = [
  'credentials-missing',
  'credentials-malformed',
  'key-unknown',
  'key-mismatch',
  'key-revoked',
  'key-expired',
  'token-malformed',
  'token-expired',
  'token-claims',
  'token-signature',
  'token-key-unknown',
  'token-algorithm',
  'token-invalid',
  'certificate-unverified',
  'certificate-unknown',
  'identity-unavailable',
  'model-not-allowed',
  'tool-not-allowed',
] as const;

export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/** A refusal: the reason code and an internal detail for the audit log. */
export interface AuthFailure {
  readonly ok: false;
  readonly reason: AuthFailureReason;
  /** What exactly failed (a claim name, the key prefix…): for the audit log only, never for the caller. */
  readonly detail: string;
}

/** The outcome of authenticating a request. */
export type AuthResult = { readonly ok: true; readonly principal: Principal } | AuthFailure;

/** Builds a refusal. */
export function authFailure(reason: AuthFailureReason, detail: string): AuthFailure {
  return { ok: false, reason, detail };
}

/** An error in the OpenAI shape, as the gateway answers it. */
export interface OpenAiErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string;
  };
}

/** The HTTP answer to a refusal: status, headers and an OpenAI-shaped body that reveals no reason. */
export interface AuthErrorResponse {
  readonly status: 401 | 403 | 503;
  readonly headers: { readonly [name: string]: string };
  readonly body: OpenAiErrorBody;
}

/**
 * Maps a refusal to its public answer. Every authentication failure gets the same 401, so a caller
 * cannot tell an unknown key from a revoked or expired one; authorization failures are a 403 naming only
 * the parameter at fault; an identity provider that cannot be reached is a 503 (fail closed).
 */
export function authErrorResponse(reason: AuthFailureReason): AuthErrorResponse {
  switch (reason) {
    case 'model-not-allowed':
      return forbidden('model', 'You are not allowed to use the requested model.');
    case 'tool-not-allowed':
      return forbidden('tools', 'You are not allowed to use one of the requested tools.');
    case 'identity-unavailable':
      return {
        status: 503,
        headers: { 'retry-after': '5' },
        body: errorBody(
          'Authentication is temporarily unavailable. Retry later.',
          'api_error',
          'auth_unavailable',
        ),
      };
    case 'credentials-missing':
    case 'credentials-malformed':
    case 'key-unknown':
    case 'key-mismatch':
    case 'key-revoked':
    case 'key-expired':
    case 'token-malformed':
    case 'token-expired':
    case 'token-claims':
    case 'token-signature':
    case 'token-key-unknown':
    case 'token-algorithm':
    case 'token-invalid':
    case 'certificate-unverified':
    case 'certificate-unknown':
      return {
        status: 401,
        headers: { 'www-authenticate': 'Bearer' },
        body: errorBody('Invalid or missing credentials.', 'invalid_request_error', 'invalid_api_key'),
      };
  }
}

function forbidden(param: string, message: string): AuthErrorResponse {
  return {
    status: 403,
    headers: {},
    body: errorBody(message, 'permission_error', 'permission_denied', param),
  };
}

function errorBody(
  message: string,
  type: string,
  code: string,
  param: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}
