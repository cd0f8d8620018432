/**
 * Budgets in money: routes with prices charge each request its real tokens at the route's price,
 * reserve the worst case before the call, refuse a key whose budget the reservation would overrun
 * (429 insufficient_quota, Retry-After until the period ends), and write the cost to the audit log.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLimiter, type Limiter } from '../src/gateway/limits/index.js';
import { usageSchema } from '../src/gateway/output-schemas.js';
import { GatewayConfigError } from '../src/gateway/server.js';
import { startFakeUpstream, type FakeUpstream } from '../src/gateway/upstream/fake-upstream.test-support.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

let fake: FakeUpstream;
let gateway: TestGateway;
const limiter: Limiter = createMemoryLimiter();

// $1,000 and $2,000 per million tokens: a tenth of a cent per prompt token, two per completion token.
const PRICE = { promptPerMillion: 1000, completionPerMillion: 2000 };
// The fake answers 10 prompt tokens and ceil(29 / 4) = 8 completion tokens: $0.010 + $0.016.
const REAL_COST = 0.026;

const ask = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 }).chat.completions.create({
    model: 'priced',
    messages: [{ role: 'user', content: 'Hi' }],
    max_tokens: 16,
  });

beforeAll(async () => {
  fake = await startFakeUpstream();
  gateway = await startTestGateway({
    upstreams: { fake: { url: fake.baseUrl } },
    settings: {
      budgetPeriod: 'day',
      routes: [{ model: 'priced', upstream: 'fake', unregistered: true, price: PRICE }],
    },
    deps: { limiter },
  });
});

afterAll(async () => {
  await gateway.close();
  await fake.close();
});

describe('budgets on priced routes', () => {
  it('charges the real tokens at the route price and records the cost', async () => {
    const answer = await ask(gateway.newKey(['priced'], { limits: { budget: 10 } }));
    expect(answer.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 8 });
    const event = (await gateway.requestEvents()).at(-1);
    expect(event).toMatchObject({ outcome: 'allowed', cost: REAL_COST });
    // Spent is kept in millionths of the currency, under the key's id (the principal).
    const usage = await limiter.usage(String(event?.['principal']), { budgetPeriod: 'day' });
    expect(usage.spent).toBe(REAL_COST * 1_000_000);
  });

  it('tells a caller its own usage: requests and tokens this minute, money spent this period', async () => {
    const key = gateway.newKey(['priced'], { limits: { rpm: 50, budget: 10 } });
    await ask(key);
    const usage = (key?: string) =>
      fetch(`${gateway.url}/v1/bulwark/usage`, {
        headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
      });
    const answer = await usage(key);
    expect(answer.status).toBe(200);
    const body: unknown = await answer.json();
    // What docs/schema/gateway-usage.schema.json says.
    expect(usageSchema.safeParse(body).error).toBeUndefined();
    expect(body).toMatchObject({
      object: 'bulwark.usage',
      principal: { kind: 'api-key' },
      requests: { used: 1, limit: 50 },
      tokens: { used: 18, limit: null },
      budget: { unit: 'currency', period: 'day', spent: REAL_COST, limit: 10 },
    });
    expect((await usage()).status).toBe(401);
  });

  it('refuses a request whose worst case would overrun the budget, until the day ends', async () => {
    // The first call reserves at most 28 prompt tokens plus 16 completion tokens ($0.060) and
    // costs $0.026; the second's reservation does not fit in what is left.
    const key = gateway.newKey(['priced'], { limits: { budget: 0.06 } });
    await ask(key);
    const refused = await ask(key).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    const error = refused as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(429);
    expect(error.code).toBe('insufficient_quota');
    const retryAfter = Number(error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
  });

  it('refuses at start-up a gateway with priced and unpriced routes', async () => {
    await expect(
      startTestGateway({
        upstreams: { fake: { url: fake.baseUrl } },
        settings: {
          routes: [
            { model: 'priced', upstream: 'fake', unregistered: true, price: PRICE },
            { model: 'free', upstream: 'fake', unregistered: true },
          ],
        },
      }),
    ).rejects.toThrow(GatewayConfigError);
  });
});
