/**
 * Budgets in money: routes with prices charge each request its real tokens at the route's price,
 * reserve the worst case before the call, refuse a key whose budget the reservation would overrun
 * (429 insufficient_quota, Retry-After until the period ends), and write the cost to the audit log.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryInput } from '../src/audit/log.js';
import { createAuditSink, type AuditSink } from '../src/gateway/audit-sink.js';
import { gatewaySettingsSchema } from '../src/gateway/gateway-config.js';
import { createApiKey } from '../src/gateway/identity/api-key.js';
import { createAuthenticator } from '../src/gateway/identity/authenticate.js';
import { createMemoryLimiter, type Limiter } from '../src/gateway/limits/index.js';
import { createGatewayMetrics } from '../src/gateway/metrics.js';
import { createReleaseBinding } from '../src/gateway/release-binding.js';
import { createGatewayServer, GatewayConfigError } from '../src/gateway/server.js';
import { createUpstream } from '../src/gateway/upstream/create-upstream.js';
import { startFakeUpstream, type FakeUpstream } from '../src/gateway/upstream/fake-upstream.test-support.js';
import { createPromptShield } from '../src/prompts/shield.js';
import type { GatewayKeyRecord } from '../src/store/store.js';

const shield = createPromptShield();
const keys = new Map<string, GatewayKeyRecord>();
let fake: FakeUpstream;
let gatewayUrl: string;
let limiter: Limiter;
let sink: AuditSink;
const audit: AuditEntryInput[] = [];
let close: () => Promise<void>;

// $1,000 and $2,000 per million tokens: a tenth of a cent per prompt token, two per completion token.
const PRICE = { promptPerMillion: 1000, completionPerMillion: 2000 };
// The fake answers 10 prompt tokens and ceil(29 / 4) = 8 completion tokens: $0.010 + $0.016.
const REAL_COST = 0.026;

function deps(routes: object[]) {
  return {
    settings: gatewaySettingsSchema.parse({
      upstreams: { fake: { url: fake.baseUrl, retries: 0 } },
      budgetPeriod: 'day',
      routes,
    }),
    shield,
    release: createReleaseBinding(() => Promise.resolve({ allowed: true, reasons: [] }), 0),
    authenticate: createAuthenticator({ apiKeys: (prefix) => Promise.resolve(keys.get(prefix)) }),
    metrics: createGatewayMetrics(false),
  };
}

function newKey(budget: number): { key: string; id: string } {
  const created = createApiKey({ name: 'budget', models: ['priced'], limits: { budget } });
  keys.set(created.record.prefix, { ...created.record, createdAt: new Date().toISOString() });
  return { key: created.key, id: created.record.id };
}

const ask = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: `${gatewayUrl}/v1`, maxRetries: 0 }).chat.completions.create({
    model: 'priced',
    messages: [{ role: 'user', content: 'Hi' }],
    max_tokens: 16,
  });

beforeAll(async () => {
  fake = await startFakeUpstream();
  limiter = createMemoryLimiter();
  sink = createAuditSink(
    (entries) => {
      audit.push(...entries);
      return Promise.resolve();
    },
    { flushMs: 5 },
  );
  const upstream = createUpstream({ name: 'fake', baseUrl: fake.baseUrl, retries: 0 });
  const app = createGatewayServer({
    ...deps([{ model: 'priced', upstream: 'fake', unregistered: true, price: PRICE }]),
    upstreams: new Map([['fake', upstream]]),
    limiter,
    audit: sink,
  });
  gatewayUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  close = async () => {
    await app.close();
    await upstream.close();
  };
});

afterAll(async () => {
  await close();
  await fake.close();
});

describe('budgets on priced routes', () => {
  it('charges the real tokens at the route price and records the cost', async () => {
    const { key, id } = newKey(10);
    const answer = await ask(key);
    expect(answer.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 8 });
    // Spent is kept in millionths of the currency.
    expect((await limiter.usage(id, { budgetPeriod: 'day' })).spent).toBe(REAL_COST * 1_000_000);
    await sink.flush();
    const event = audit.map((e) => e.data as Record<string, unknown>).find((d) => d['principal'] === id);
    expect(event).toMatchObject({ type: 'gateway.request', outcome: 'allowed', cost: REAL_COST });
  });

  it('refuses a request whose worst case would overrun the budget, until the day ends', async () => {
    // The first call reserves at most 28 prompt tokens plus 16 completion tokens ($0.060) and
    // costs $0.026; the second's reservation does not fit in what is left.
    const { key } = newKey(0.06);
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

  it('refuses at start-up a gateway with priced and unpriced routes', () => {
    expect(() =>
      createGatewayServer({
        ...deps([
          { model: 'priced', upstream: 'fake', unregistered: true, price: PRICE },
          { model: 'free', upstream: 'fake', unregistered: true },
        ]),
        upstreams: new Map([['fake', createUpstream({ name: 'fake', baseUrl: fake.baseUrl })]]),
        limiter,
        audit: sink,
      }),
    ).toThrow(GatewayConfigError);
  });
});
