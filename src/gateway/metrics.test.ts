import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from './metrics.js';

describe('createGatewayMetrics', () => {
  it('renders the Prometheus exposition format with the counted values', async () => {
    const metrics = createGatewayMetrics(false);
    metrics.requests.inc({ route: 'chat', status: '200', outcome: 'allowed' });
    metrics.requests.inc({ route: 'chat', status: '400', outcome: 'blocked' }, 2);
    metrics.guardVerdicts.inc({ guard: 'prompt-shield', action: 'block' });
    metrics.latency.observe({ route: 'chat', stream: 'false' }, 0.004);
    const { body, contentType } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain('bulwark_gateway_requests_total{route="chat",status="400",outcome="blocked"} 2');
    expect(body).toContain('bulwark_gateway_guard_verdicts_total{guard="prompt-shield",action="block"} 1');
    expect(body).toContain(
      'bulwark_gateway_request_duration_seconds_bucket{le="0.005",route="chat",stream="false"} 1',
    );
  });

  it('keeps two gateways apart', async () => {
    const a = createGatewayMetrics(false);
    const b = createGatewayMetrics(false);
    a.requests.inc({ route: 'x', status: '200', outcome: 'allowed' });
    expect((await b.render()).body).not.toContain('route="x"');
  });
});
