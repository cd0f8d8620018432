import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LimiterUnavailableError, type Admission, type Limiter, type Limits } from './limiter.js';
import { createRedisLimiter } from './redis-limiter.js';
import { describeLimiterSemantics } from './limiter-semantics.test-support.js';
import {
  freePort,
  hasRedisServer,
  openTestRedis,
  redisTestSetting,
  startRedisServer,
  type TestRedis,
} from './redis.test-support.js';

const setting = redisTestSetting();
let prefixCount = 0;
const freshPrefix = (): string => `bulwark-test:${process.pid}:${Date.now()}:${(prefixCount += 1)}:`;

/** Sends `count` admits, alternating between the limiters, all at once. */
async function admitConcurrently(
  limiters: readonly Limiter[],
  count: number,
  demand: { tokens: number; cost?: number },
  limits: Limits,
): Promise<Admission[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => limiters[i % limiters.length]!.admit('shared', demand, limits)),
  );
}

describe('redis limiter without a reachable Redis', () => {
  it('rejects a URL that is not redis:// and a timeout that is not positive', () => {
    for (const redis of ['http://127.0.0.1:6379', 'not a url']) {
      expect(() => createRedisLimiter({ redis })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    }
    expect(() => createRedisLimiter({ redis: 'redis://127.0.0.1:1', timeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('fails closed with a 503-type error and keeps the URL password out of the message', async () => {
    const port = await freePort();
    const errors: LimiterUnavailableError[] = [];
    const limiter = createRedisLimiter({
      redis: `redis://:hunter2secret@127.0.0.1:${port}`,
      timeoutMs: 300,
      onError: (error) => errors.push(error),
    });
    try {
      const error: unknown = await limiter.admit('k', { tokens: 1 }, { rpm: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LimiterUnavailableError);
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', publicCode: 'limiter-unavailable' });
      expect((error as Error).message).not.toContain('hunter2secret');
      expect(errors).toHaveLength(1);
    } finally {
      await limiter.close();
    }
  });
});

if (setting.kind === 'skipped') {
  describe.skip(`redis limiter skipped: ${setting.reason}`, () => {
    it('runs against a real Redis', () => undefined);
  });
} else if (setting.kind === 'required') {
  describe('redis limiter', () => {
    it('has a Redis to run on', () => {
      throw new Error(setting.reason);
    });
  });
} else {
  let server: TestRedis;
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await openTestRedis(setting);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    await server.stop();
  });

  describeLimiterSemantics('redis', (clock) =>
    Promise.resolve(createRedisLimiter({ redis: connect(), prefix: freshPrefix(), now: () => clock.t })),
  );

  describe('redis limiter shared by two instances', () => {
    let a: Limiter;
    let b: Limiter;
    let admin: Redis;
    let prefix: string;
    beforeAll(() => {
      admin = connect();
    });
    const fresh = (): void => {
      prefix = freshPrefix();
      a = createRedisLimiter({ redis: connect(), prefix });
      b = createRedisLimiter({ redis: connect(), prefix });
    };

    it('admits exactly 100 of 150 concurrent requests at 100 rpm, and the 101st on either is refused', async () => {
      fresh();
      const admissions = await admitConcurrently([a, b], 150, { tokens: 1 }, { rpm: 100 });
      expect(admissions.filter((x) => x.allowed)).toHaveLength(100);
      for (const limiter of [a, b]) {
        const refused = await limiter.admit('shared', { tokens: 1 }, { rpm: 100 });
        expect(refused).toMatchObject({ allowed: false, limit: 'rpm', used: 100, max: 100 });
        // All 100 were admitted within the last moments: the first leaves the window in 59–60 s.
        expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
        expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeLessThanOrEqual(60);
      }
      expect(await a.usage('shared')).toMatchObject({ requests: 100 });
    });

    it('shares tpm exactly: 1000 tokens per minute admit 33 requests of 30', async () => {
      fresh();
      const admissions = await admitConcurrently([a, b], 150, { tokens: 30 }, { tpm: 1000 });
      const allowed = admissions.filter((x) => x.allowed);
      expect(allowed).toHaveLength(33);
      // A settle on one instance frees tokens for the other.
      const first = allowed[0]!;
      if (first.allowed) await a.settle(first.reservation, { tokens: 0 });
      expect((await b.admit('shared', { tokens: 30 }, { tpm: 1000 })).allowed).toBe(true);
      expect((await b.usage('shared')).tokens).toBe(990);
    });

    it('shares a budget exactly: 500 units admit 71 requests costing 7', async () => {
      fresh();
      const limits = { budget: 500 };
      const admissions = await admitConcurrently([a, b], 150, { tokens: 1, cost: 7 }, limits);
      expect(admissions.filter((x) => x.allowed)).toHaveLength(71);
      expect(await a.admit('shared', { tokens: 1, cost: 3 }, limits)).toMatchObject({
        allowed: true,
      });
      expect(await b.admit('shared', { tokens: 1, cost: 1 }, limits)).toMatchObject({
        limit: 'budget',
        used: 500,
        retryAfterSeconds: null,
      });
    });

    it('reads time from Redis, expires window keys and keeps budgets', async () => {
      fresh();
      const admission = await a.admit('shared', { tokens: 5 }, {});
      const [seconds] = await admin.time();
      expect(admission.allowed).toBe(true);
      if (admission.allowed)
        expect(Math.abs(admission.reservation.at - Number(seconds) * 1000)).toBeLessThan(5_000);
      const ttl = await admin.pttl(`${prefix}{shared}:log`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(61_000);
      expect(await admin.pttl(`${prefix}{shared}:bud`)).toBe(-1);
      expect(await admin.hget(`${prefix}{shared}:bud`, 'total')).toBe('5');
    });

    it('loads the script once and reloads it after SCRIPT FLUSH', async () => {
      fresh();
      await a.admit('shared', { tokens: 1 }, {});
      const evals = async (): Promise<number> => {
        const info = await admin.info('commandstats');
        return Number(/cmdstat_eval:calls=(\d+)/.exec(info)?.[1] ?? 0);
      };
      const before = await evals();
      for (let i = 0; i < 5; i += 1) await a.admit('shared', { tokens: 1 }, {});
      expect(await evals()).toBe(before);
      await admin.script('FLUSH');
      expect((await b.admit('shared', { tokens: 1 }, { rpm: 100 })).allowed).toBe(true);
      await a.admit('shared', { tokens: 1 }, {});
      expect(await evals()).toBe(before + 1);
      expect((await a.usage('shared')).requests).toBe(8);
    });
  });

  describe.skipIf(!hasRedisServer())('redis limiter when its Redis stops', () => {
    let own: TestRedis | undefined;
    afterEach(async () => {
      await own?.stop();
    });

    it('fails closed by default and tells onError', async () => {
      own = await startRedisServer();
      const errors: unknown[] = [];
      const limiter = createRedisLimiter({
        redis: own.url,
        prefix: freshPrefix(),
        timeoutMs: 500,
        onError: (e) => errors.push(e),
      });
      try {
        const admitted = await limiter.admit('k', { tokens: 1 }, { rpm: 10 });
        expect(admitted.allowed).toBe(true);
        await own.stop();
        await expect(limiter.admit('k', { tokens: 1 }, { rpm: 10 })).rejects.toBeInstanceOf(
          LimiterUnavailableError,
        );
        // A settle after the answer never throws; the failure goes to onError.
        if (admitted.allowed) await limiter.settle(admitted.reservation, { tokens: 1 });
        expect(errors).toHaveLength(2);
      } finally {
        await limiter.close();
      }
    });

    it('admits uncounted when configured to fail open', async () => {
      own = await startRedisServer();
      const limiter = createRedisLimiter({
        redis: own.url,
        prefix: freshPrefix(),
        timeoutMs: 500,
        failOpen: true,
      });
      try {
        await own.stop();
        const admission = await limiter.admit('k', { tokens: 1 }, { rpm: 1 });
        expect(admission).toMatchObject({ allowed: true, reservation: { degraded: true } });
        if (admission.allowed) await limiter.settle(admission.reservation, { tokens: 1 });
      } finally {
        await limiter.close();
      }
    });
  });
}
