/**
 * When to try an upstream call again and how long to wait: exponential backoff with jitter (so many
 * gateway instances do not retry in lockstep), and the upstream's own `Retry-After` when it sets one.
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter (ms). */
  readonly baseDelayMs: number;
  /** Upper bound of any computed delay (ms). */
  readonly maxDelayMs: number;
  /** Source of jitter in [0, 1). */
  readonly random: () => number;
}

/**
 * Delay before retry number `retry` (1-based): base·2^(retry−1), capped, with "equal jitter" (half
 * fixed, half random) so no two instances wait the same and none retries instantly.
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * options.random());
}

/** The statuses whose request the upstream did not process, so that sending it again is safe. */
export function isRetryableStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504 || status === 429;
}

/** Headers as undici gives them. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Reads how long the upstream asks us to wait, in ms: `retry-after-ms` (OpenAI, Azure), else
 * `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined if absent or invalid.
 */
export function parseRetryAfter(headers: ResponseHeaders, nowMs: number): number | undefined {
  const ms = single(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = single(headers['retry-after'])?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // All three HTTP-date forms start with a day name; Date.parse alone would accept "-1".
  if (!/^[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Decides whether a status response may be retried and after how long: 502/503/504 after the
 * backoff (or the upstream's Retry-After if longer), 429 only when Retry-After says when; any asked
 * wait above `maxRetryAfterMs` means "not now", so no retry.
 */
export function statusRetryDelay(
  status: number,
  retryAfterMs: number | undefined,
  backoffMs: number,
  maxRetryAfterMs: number,
): number | undefined {
  if (!isRetryableStatus(status)) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) return undefined;
  if (status === 429) return retryAfterMs;
  return Math.max(backoffMs, retryAfterMs ?? 0);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
