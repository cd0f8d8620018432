/**
 * Two gateway instances sharing one real Redis (control G3): a key's requests-per-minute and
 * tokens-per-minute hold exactly across instances, whichever instance a request lands on, under
 * concurrent load. Redis comes from src/gateway/limits/redis.test-support.ts (BULWARK_TEST_REDIS, or a
 * throwaway redis-server on a loopback port).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLimiter } from '../src/gateway/limits/index.js';
import { openTestRedis, redisTestSetting, type TestRedis } from '../src/gateway/limits/redis.test-support.js';
import { startFakeUpstream, type FakeUpstream } from '../src/gateway/upstream/fake-upstream.test-support.js';
import type { GatewayKeyRecord } from '../src/store/store.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const setting = redisTestSetting();

/** 40 characters: the fake reports 10 prompt and 10 completion tokens for every answer. */
const REPLY = 'Sunny, 21 degrees, light wind from west.';

if (setting.kind === 'skipped') {
  describe.skip(`gateway on a shared Redis skipped: ${setting.reason}`, () => {
    it('runs against a real Redis', () => undefined);
  });
} else if (setting.kind === 'required') {
  describe('gateway on a shared Redis', () => {
    it('has a Redis to run on', () => {
      throw new Error(setting.reason);
    });
  });
} else {
  let redis: TestRedis;
  let fake: FakeUpstream;
  const keys = new Map<string, GatewayKeyRecord>();
  const instances: TestGateway[] = [];

  /** Starts one gateway instance with its own Redis connection, the shared key prefix and keys. */
  function startInstance(prefix: string): Promise<TestGateway> {
    return startTestGateway({
      upstreams: { fake: { url: fake.baseUrl } },
      settings: { routes: [{ model: 'chat', upstream: 'fake', unregistered: true }] },
      deps: { limiter: createRedisLimiter({ redis: redis.url, prefix }) },
      keys,
      onAudit: () => undefined,
    });
  }

  function newKey(limits: { rpm?: number; tpm?: number }): string {
    return instances[0]!.newKey(['chat'], { name: 'shared', limits });
  }

  function ask(url: string, key: string): Promise<Response> {
    return fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'chat',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
      }),
    });
  }

  /** Asks in turn on `urls` until the first refusal; returns the answers admitted and the refusal. */
  async function askUntilRefused(urls: readonly string[], key: string) {
    const admitted: number[] = [];
    for (let i = 0; i < 100; i++) {
      const instance = i % urls.length;
      const response = await ask(urls[instance]!, key);
      if (response.status !== 200) return { admitted, refusal: response, instance, key };
      const body = (await response.json()) as { usage: { total_tokens: number } };
      admitted.push(body.usage.total_tokens);
    }
    throw new Error('the tpm limit never refused');
  }

  beforeAll(async () => {
    redis = await openTestRedis(setting);
    fake = await startFakeUpstream({ reply: REPLY });
    const prefix = `bulwark-test:gateway:${process.pid}:${Date.now()}:`;
    instances.push(await startInstance(prefix), await startInstance(prefix));
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
    await fake.close();
    await redis.stop();
  });

  describe('two gateway instances on one Redis', () => {
    it('admit exactly rpm requests of one key between them, then answer 429 on either', async () => {
      const key = newKey({ rpm: 100 });
      const urls = instances.map((i) => i.url);
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => ask(urls[i % urls.length]!, key)),
      );
      const statuses = responses.map((r) => r.status);
      await Promise.all(responses.map((r) => r.arrayBuffer()));
      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
      for (const url of urls) {
        const refused = await ask(url, key);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await refused.json()).toMatchObject({
          error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
        });
      }
    });

    it('refuse a concurrent burst past rpm exactly, wherever each request lands', async () => {
      const key = newKey({ rpm: 30 });
      const urls = instances.map((i) => i.url);
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => ask(urls[i % urls.length]!, key)),
      );
      await Promise.all(responses.map((r) => r.arrayBuffer()));
      expect(responses.filter((r) => r.status === 200)).toHaveLength(30);
      expect(responses.filter((r) => r.status === 429)).toHaveLength(20);
    });

    it('share a key tpm: two instances admit what one instance alone admits', async () => {
      const urls = instances.map((i) => i.url);
      const alone = await askUntilRefused([urls[0]!], newKey({ tpm: 200 }));
      const shared = await askUntilRefused(urls, newKey({ tpm: 200 }));
      await alone.refusal.arrayBuffer();
      expect(shared.admitted.length).toBeGreaterThan(2);
      expect(shared.admitted).toEqual(alone.admitted);
      expect(shared.admitted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(200);
      expect(shared.refusal.status).toBe(429);
      expect(Number(shared.refusal.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await shared.refusal.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
      const other = await ask(urls[(shared.instance + 1) % urls.length]!, shared.key);
      expect(other.status).toBe(429);
      await other.arrayBuffer();
    });
  });
}
