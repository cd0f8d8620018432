/** The gateway's answer to a throttled key: 429 `abuse_throttled` with Retry-After (OpenAI error shape). */
import { GatewayError } from '../openai-errors.js';
import type { AbuseThrottle } from './abuse-monitor.js';

/** The error for a key the abuse monitor throttled; the message names no signal, so probing learns nothing. */
export function abuseThrottledError(throttle: AbuseThrottle): GatewayError {
  return new GatewayError(
    429,
    'rate_limit_error',
    'abuse_throttled',
    'Too many unusual requests from this key; retry later.',
    { retryAfterSeconds: throttle.retryAfterSeconds },
  );
}
