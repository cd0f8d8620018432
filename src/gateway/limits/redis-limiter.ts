/**
 * The Redis limiter: counters shared exactly by every gateway instance on one Redis. Each admit, settle
 * and usage is one Lua script run (EVALSHA, falling back to EVAL when Redis lost its script cache), on
 * Redis's clock; window keys expire a little after the window, budgets persist. When Redis fails the
 * limiter fails closed (LimiterUnavailableError, HTTP 503) unless `failOpen` is set.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BulwarkError, describeError } from '../../core/errors.js';
import { redactMessage } from '../../store/store-errors.js';
import { LIMITER_LUA } from './limiter-lua.js';
import {
  LimiterUnavailableError,
  WINDOW_MS,
  checkKeyId,
  checkLimits,
  normalizeDemand,
  normalizeSettlement,
  retrySeconds,
  type Admission,
  type BudgetPeriod,
  type Clock,
  type LimitKind,
  type Limiter,
  type Reservation,
  type Usage,
} from './limiter.js';

/** Options of {@link createRedisLimiter}. */
export interface RedisLimiterOptions {
  /** A connected ioredis client (left open by `close`) or a redis:// URL (the limiter owns it). */
  readonly redis: Redis | string;
  /** Prefix of every key (default `bulwark:limits:`); instances sharing limits use the same one. */
  readonly prefix?: string;
  /** Longest wait for one Redis call before it counts as a failure (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Admit without counting when Redis fails (default false: refuse with LimiterUnavailableError). */
  readonly failOpen?: boolean;
  /** Told of every Redis failure (for logs and metrics), whether the limiter fails open or closed. */
  readonly onError?: (error: LimiterUnavailableError) => void;
  /** Tests only: a clock replacing Redis TIME (instances with skewed clocks must not set it). */
  readonly now?: Clock;
}

const SCRIPT_SHA = createHash('sha1').update(LIMITER_LUA).digest('hex');
const DEFAULT_PREFIX = 'bulwark:limits:';
const DEFAULT_TIMEOUT_MS = 1_000;

/** Creates a limiter whose counters live in Redis, shared by every instance using the same prefix. */
export function createRedisLimiter(options: RedisLimiterOptions): Limiter {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new BulwarkError('CONFIG_INVALID', 'limiter timeoutMs must be a positive number');
  }
  const owned = typeof options.redis === 'string';
  const secrets = typeof options.redis === 'string' ? secretsOf(options.redis) : [];
  const redis = typeof options.redis === 'string' ? openClient(options.redis) : options.redis;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const settled = new WeakSet<Reservation>();

  const keysOf = (keyId: string): string[] => {
    // The hash tag keeps one key's four Redis keys in one cluster slot, as the script requires.
    const base = `${prefix}{${encodeURIComponent(keyId)}}`;
    return [`${base}:log`, `${base}:ent`, `${base}:sum`, `${base}:bud`];
  };

  const run = async (keyId: string, args: readonly (string | number)[]): Promise<unknown[]> => {
    const argv = [
      args[0] ?? '',
      options.now === undefined ? '' : String(options.now()),
      WINDOW_MS,
      ...args.slice(1),
    ];
    const keys = keysOf(keyId);
    try {
      return await withTimeout(evalScript(redis, keys, argv), timeoutMs);
    } catch (error) {
      const failure = new LimiterUnavailableError(
        `rate limiter unavailable: ${redactMessage(describeError(error), secrets)}`,
        { cause: error },
      );
      options.onError?.(failure);
      throw failure;
    }
  };

  return {
    async admit(keyId, demand, limits): Promise<Admission> {
      checkKeyId(keyId);
      checkLimits(limits);
      const wanted = normalizeDemand(demand);
      const id = randomUUID();
      const period = limits.budgetPeriod ?? 'total';
      let reply: unknown[];
      try {
        reply = await run(keyId, [
          'admit',
          id,
          wanted.requests,
          wanted.tokens,
          wanted.cost,
          limits.rpm ?? '',
          limits.tpm ?? '',
          limits.budget ?? '',
          period,
        ]);
      } catch (error) {
        if (options.failOpen !== true) throw error;
        const reservation: Reservation = {
          keyId,
          id,
          at: Date.now(),
          ...wanted,
          budgetPeriodId: period,
          degraded: true,
        };
        return { allowed: true, reservation: Object.freeze(reservation) };
      }
      if (reply[0] === 1) {
        const reservation: Reservation = {
          keyId,
          id,
          at: Number(reply[1]),
          ...wanted,
          budgetPeriodId: String(reply[2]),
          degraded: false,
        };
        return { allowed: true, reservation: Object.freeze(reservation) };
      }
      const waitMs = Number(reply[2]);
      return {
        allowed: false,
        limit: String(reply[1]) as LimitKind,
        retryAfterSeconds: waitMs < 0 ? null : retrySeconds(waitMs),
        max: Number(reply[3]),
        used: Number(reply[4]),
        requested: Number(reply[5]),
      };
    },

    async settle(reservation, actual): Promise<void> {
      const real = normalizeSettlement(actual);
      if (reservation.degraded || settled.has(reservation)) return;
      settled.add(reservation);
      try {
        await run(reservation.keyId, [
          'settle',
          reservation.id,
          reservation.tokens,
          real.tokens,
          reservation.cost,
          real.cost,
          reservation.budgetPeriodId,
          randomUUID(),
        ]);
      } catch {
        // The answer was already served: a lost adjustment is reported through onError, not thrown.
      }
    },

    async usage(keyId, usageOptions: { readonly budgetPeriod?: BudgetPeriod } = {}): Promise<Usage> {
      checkKeyId(keyId);
      const reply = await run(keyId, ['usage', usageOptions.budgetPeriod ?? 'total']);
      return {
        requests: Number(reply[0]),
        tokens: Number(reply[1]),
        spent: Number(reply[2]),
        budgetPeriodId: String(reply[3]),
      };
    },

    async close(): Promise<void> {
      if (!owned) return;
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}

/** Checks a Redis URL and returns what must never appear in a message: the URL and its password. */
function secretsOf(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new BulwarkError('CONFIG_INVALID', 'limiter redis must be a redis:// or rediss:// URL', {
      cause: error,
    });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new BulwarkError('CONFIG_INVALID', 'limiter redis must be a redis:// or rediss:// URL');
  }
  const password = decodeURIComponent(parsed.password);
  return password === '' ? [url] : [url, password];
}

function openClient(url: string): Redis {
  const client = new Redis(url, {
    // Fail fast rather than queue: a request waiting on a dead Redis is refused, not held.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  // Failures surface through the commands; without a listener ioredis would print every one.
  client.on('error', () => undefined);
  return client;
}

async function evalScript(
  redis: Redis,
  keys: readonly string[],
  argv: readonly (string | number)[],
): Promise<unknown[]> {
  try {
    return (await redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...argv)) as unknown[];
  } catch (error) {
    if (!describeError(error).startsWith('NOSCRIPT')) throw error;
    // EVAL runs the script and puts it back into the script cache for the next EVALSHA.
    return (await redis.eval(LIMITER_LUA, keys.length, ...keys, ...argv)) as unknown[];
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
