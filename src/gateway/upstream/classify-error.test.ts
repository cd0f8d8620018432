import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../core/errors.js';
import { classifyFailure } from './classify-error.js';
import { UpstreamError, isUpstreamError } from './upstream-error.js';

const context = { upstream: 'u', attempts: 1 };
const coded = (code: string, message = 'low-level failure at 10.0.0.7:8000'): Error =>
  Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it('maps each deadline to a timeout with its phase; only connect timeouts are retryable', () => {
    expect(classifyFailure(coded('UND_ERR_CONNECT_TIMEOUT'), context)).toMatchObject({
      kind: 'timeout',
      retryable: true,
      detail: { phase: 'connect' },
    });
    expect(classifyFailure(coded('UND_ERR_HEADERS_TIMEOUT'), context)).toMatchObject({
      kind: 'timeout',
      retryable: false,
      detail: { phase: 'headers' },
    });
    expect(classifyFailure(coded('UND_ERR_BODY_TIMEOUT'), context).detail.phase).toBe('idle');
  });

  it('treats refused and unresolvable hosts as retryable connect errors, TLS failures as final ones', () => {
    expect(classifyFailure(coded('ECONNREFUSED'), context)).toMatchObject({
      kind: 'connect',
      retryable: true,
    });
    expect(classifyFailure(coded('ENOTFOUND'), context)).toMatchObject({ kind: 'connect', retryable: true });
    expect(classifyFailure(coded('DEPTH_ZERO_SELF_SIGNED_CERT'), context)).toMatchObject({
      kind: 'connect',
      retryable: false,
    });
    expect(classifyFailure(coded('ERR_TLS_CERT_ALTNAME_INVALID'), context).retryable).toBe(false);
  });

  it('looks into AggregateError (happy eyeballs) and cause', () => {
    const aggregate = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'all failed');
    expect(classifyFailure(aggregate, context).kind).toBe('connect');
    expect(classifyFailure(new Error('wrapped', { cause: coded('ECONNRESET') }), context).kind).toBe('reset');
  });

  it('maps resets, parser errors and limits', () => {
    expect(classifyFailure(coded('UND_ERR_SOCKET'), context)).toMatchObject({
      kind: 'reset',
      retryable: false,
    });
    expect(classifyFailure(coded('HPE_INVALID_CHUNK_SIZE'), context).kind).toBe('protocol');
    expect(classifyFailure(coded('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), context).kind).toBe('protocol');
    expect(classifyFailure(new SyntaxError('Unexpected token'), context).kind).toBe('protocol');
    expect(classifyFailure(new BulwarkError('LIMIT_EXCEEDED', 'line too long'), context).kind).toBe(
      'too-large',
    );
  });

  it('keeps internals in the detail and out of the public message', () => {
    const fault = classifyFailure(coded('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.7:8000'), context);
    expect(fault.message).toBe('The model is unavailable.');
    expect(fault.detail).toMatchObject({
      upstream: 'u',
      cause: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 10.0.0.7:8000',
    });
    expect(fault.code).toBe('INTERNAL');
  });
});

describe('UpstreamError', () => {
  it('keeps only plain-token upstream codes and truncates long details', () => {
    const fault = new UpstreamError({
      kind: 'status',
      status: 400,
      upstreamCode: 'context_length_exceeded',
      detail: { upstream: 'u', attempts: 1, message: 'x'.repeat(1000) },
    });
    expect(fault.message).toBe('The model returned an error (status 400).');
    expect(fault.upstreamCode).toBe('context_length_exceeded');
    expect(fault.detail.message?.length).toBeLessThan(310);
    const odd = new UpstreamError({
      kind: 'status',
      upstreamCode: '<script>',
      detail: { upstream: 'u', attempts: 1 },
    });
    expect(odd.upstreamCode).toBeUndefined();
    expect(isUpstreamError(odd)).toBe(true);
    expect(isUpstreamError(new Error('x'))).toBe(false);
  });
});
