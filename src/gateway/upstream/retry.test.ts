import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, sleep, statusRetryDelay } from './retry.js';

describe('backoffDelay', () => {
  it('doubles per retry, stays within [half, full] of the ceiling and respects the cap', () => {
    const low = { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0 };
    const high = { ...low, random: () => 0.999999 };
    expect([1, 2, 3].map((r) => backoffDelay(r, low))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((r) => backoffDelay(r, high))).toEqual([100, 200, 400]);
    expect(backoffDelay(10, high)).toBe(1_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads retry-after-ms, delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250' }, now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3_000);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:02 GMT' }, now)).toBe(2_000);
    expect(parseRetryAfter({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }, now)).toBe(0);
  });

  it('gives undefined for absent or invalid values', () => {
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': '-1' }, now)).toBeUndefined();
  });
});

describe('statusRetryDelay', () => {
  it('retries 502/503/504 after the backoff or a longer Retry-After', () => {
    expect(statusRetryDelay(503, undefined, 100, 5_000)).toBe(100);
    expect(statusRetryDelay(502, 800, 100, 5_000)).toBe(800);
    expect(statusRetryDelay(504, 10, 100, 5_000)).toBe(100);
  });

  it('retries 429 only with a Retry-After under the cap', () => {
    expect(statusRetryDelay(429, undefined, 100, 5_000)).toBeUndefined();
    expect(statusRetryDelay(429, 1_000, 100, 5_000)).toBe(1_000);
    expect(statusRetryDelay(429, 60_000, 100, 5_000)).toBeUndefined();
    expect(statusRetryDelay(503, 60_000, 100, 5_000)).toBeUndefined();
  });

  it('never retries other statuses', () => {
    for (const status of [400, 401, 404, 422, 500, 501]) {
      expect(statusRetryDelay(status, 10, 100, 5_000)).toBeUndefined();
    }
  });
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    await expect(sleep(1, controller.signal)).rejects.toThrow('gone');
  });
});
