/**
 * Control G11: Prometheus metrics of one gateway instance (`GET /metrics`), through prom-client, the
 * Prometheus client every Node service uses. One registry per gateway, so tests and several gateways
 * in one process do not share counters.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's instruments. */
export interface GatewayMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'status' | 'outcome'>;
  readonly guardVerdicts: Counter<'guard' | 'action'>;
  readonly tokens: Counter<'route' | 'kind'>;
  readonly latency: Histogram<'route' | 'stream'>;
  readonly upstreamLatency: Histogram<'upstream'>;
  /** The exposition text and its content type. */
  render(): Promise<{ body: string; contentType: string }>;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Creates the instruments; `processMetrics` adds the Node process metrics (default true). */
export function createGatewayMetrics(processMetrics = true): GatewayMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'bulwark_gateway_' });
  const requests = new Counter({
    name: 'bulwark_gateway_requests_total',
    help: 'Requests by route, HTTP status and outcome (allowed, blocked, limited, refused, error).',
    labelNames: ['route', 'status', 'outcome'] as const,
    registers: [registry],
  });
  const guardVerdicts = new Counter({
    name: 'bulwark_gateway_guard_verdicts_total',
    help: 'Guard verdicts by guard and action (block, redact, flag).',
    labelNames: ['guard', 'action'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'bulwark_gateway_tokens_total',
    help: 'Tokens by route and kind (prompt, completion), as the upstream reported them.',
    labelNames: ['route', 'kind'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'bulwark_gateway_request_duration_seconds',
    help: 'Time from request to the last byte of the answer.',
    labelNames: ['route', 'stream'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const upstreamLatency = new Histogram({
    name: 'bulwark_gateway_upstream_duration_seconds',
    help: 'Time spent waiting on the upstream.',
    labelNames: ['upstream'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    requests,
    guardVerdicts,
    tokens,
    latency,
    upstreamLatency,
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
