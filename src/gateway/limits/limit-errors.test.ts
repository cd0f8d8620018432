import { describe, expect, it } from 'vitest';
import { LimiterUnavailableError } from './limiter.js';
import { limiterUnavailableError, refusalError, tokenPlanError } from './limit-errors.js';

describe('limit errors', () => {
  it('answers a rate limit with 429 and Retry-After', () => {
    const error = refusalError({
      allowed: false,
      limit: 'rpm',
      retryAfterSeconds: 12,
      max: 100,
      used: 100,
      requested: 1,
    });
    expect(error.status).toBe(429);
    expect(error.options.retryAfterSeconds).toBe(12);
    expect(error.body()).toEqual({
      error: {
        message: 'Rate limit reached: 100 requests per minute.',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
  });

  it('leaves Retry-After out when waiting cannot help', () => {
    const tooBig = refusalError({
      allowed: false,
      limit: 'tpm',
      retryAfterSeconds: null,
      max: 1000,
      used: 0,
      requested: 5000,
    });
    expect(tooBig.options.retryAfterSeconds).toBeUndefined();
    expect(tooBig.message).toContain('5000');
    const spent = refusalError({
      allowed: false,
      limit: 'budget',
      retryAfterSeconds: null,
      max: 10,
      used: 10,
      requested: 1,
    });
    expect(spent.body().error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
  });

  it('answers an oversized completion with 400 naming the parameter', () => {
    expect(tokenPlanError({ ok: false, param: 'max_tokens', requested: 9, max: 8 })?.body().error).toEqual({
      message: 'max_tokens is 9; at most 8 is allowed.',
      type: 'invalid_request_error',
      param: 'max_tokens',
      code: 'max_tokens_exceeded',
    });
    expect(
      tokenPlanError({
        ok: true,
        promptTokens: 1,
        completionTokens: 1,
        reserveTokens: 2,
        isRequestCapped: true,
      }),
    ).toBeNull();
  });

  it('answers a failing limiter with 503 limiter-unavailable and no Redis detail', () => {
    const error = limiterUnavailableError(new LimiterUnavailableError('connect ECONNREFUSED 10.0.0.5:6379'));
    expect(error.status).toBe(503);
    expect(error.body().error.code).toBe('limiter-unavailable');
    expect(JSON.stringify(error.body())).not.toContain('10.0.0.5');
  });
});
