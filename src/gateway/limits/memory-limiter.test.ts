import { describe, expect, it } from 'vitest';
import { createMemoryLimiter } from './memory-limiter.js';
import { describeLimiterSemantics } from './limiter-semantics.test-support.js';

describeLimiterSemantics('memory', (clock) => Promise.resolve(createMemoryLimiter({ now: () => clock.t })));

describe('memory limiter', () => {
  it('admits exactly rpm of many concurrent requests', async () => {
    const limiter = createMemoryLimiter();
    const admissions = await Promise.all(
      Array.from({ length: 150 }, () => limiter.admit('k', { tokens: 1 }, { rpm: 100 })),
    );
    expect(admissions.filter((a) => a.allowed)).toHaveLength(100);
  });

  it('holds a clock that steps back at its last reading', async () => {
    let t = 1_000_000;
    const limiter = createMemoryLimiter({ now: () => t });
    await limiter.admit('k', { tokens: 0 }, { rpm: 1 });
    t -= 30_000;
    const refused = await limiter.admit('k', { tokens: 0 }, { rpm: 1 });
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBe(60);
  });

  it('drops the logs of idle keys after a window', async () => {
    let t = 0;
    const limiter = createMemoryLimiter({ now: () => t });
    for (let i = 0; i < 3; i += 1) await limiter.admit(`idle-${i}`, { tokens: 1 }, {});
    t = 60_000;
    await limiter.admit('busy', { tokens: 1 }, {});
    expect(limiter.trackedKeys()).toBe(1);
  });

  it('forgets a key once its window is empty', async () => {
    let t = 0;
    const limiter = createMemoryLimiter({ now: () => t });
    await limiter.admit('k', { tokens: 7 }, {});
    t = 60_000;
    expect(await limiter.usage('k')).toEqual({ requests: 0, tokens: 0, spent: 7, budgetPeriodId: 'total' });
  });
});
