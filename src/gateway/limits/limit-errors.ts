/**
 * The gateway errors for limits, in the OpenAI shape: 429 with Retry-After for rate limits, 429
 * `insufficient_quota` for a spent budget, 400 for a completion larger than max tokens per request,
 * 503 `limiter-unavailable` when the shared counters cannot be reached.
 */
import { GatewayError } from '../openai-errors.js';
import type { LimiterUnavailableError, Refusal } from './limiter.js';
import type { TokenPlan } from './token-estimate.js';

function retryOption(refusal: Refusal): { retryAfterSeconds?: number } {
  return refusal.retryAfterSeconds === null ? {} : { retryAfterSeconds: refusal.retryAfterSeconds };
}

/** The error for a refused admission; Retry-After is set only when waiting can help. */
export function refusalError(refusal: Refusal): GatewayError {
  switch (refusal.limit) {
    case 'rpm':
      return new GatewayError(
        429,
        'rate_limit_error',
        'rate_limit_exceeded',
        `Rate limit reached: ${refusal.max} requests per minute.`,
        retryOption(refusal),
      );
    case 'tpm':
      return new GatewayError(
        429,
        'rate_limit_error',
        'rate_limit_exceeded',
        refusal.requested > refusal.max
          ? `Request needs about ${refusal.requested} tokens; the limit is ${refusal.max} tokens per minute.`
          : `Rate limit reached: ${refusal.max} tokens per minute.`,
        retryOption(refusal),
      );
    case 'budget':
      return new GatewayError(
        429,
        'insufficient_quota',
        'insufficient_quota',
        refusal.retryAfterSeconds === null
          ? 'The budget of this key is spent.'
          : 'The budget of this key is spent for the current period.',
        retryOption(refusal),
      );
  }
}

/** The error for a request whose completion size is over max tokens per request, or null if fine. */
export function tokenPlanError(plan: TokenPlan): GatewayError | null {
  if (plan.ok) return null;
  return new GatewayError(
    400,
    'invalid_request_error',
    'max_tokens_exceeded',
    `${plan.param} is ${plan.requested}; at most ${plan.max} is allowed.`,
    { param: plan.param },
  );
}

/** The error when the limiter fails closed; the Redis detail stays in the logs. */
export function limiterUnavailableError(error: LimiterUnavailableError): GatewayError {
  return new GatewayError(
    503,
    'api_error',
    error.publicCode,
    'Rate limiting is unavailable; try again shortly.',
    {
      retryAfterSeconds: 1,
    },
  );
}
