/**
 * One suite of limiter semantics, run against the memory limiter and the Redis limiter alike, so the
 * two cannot drift: exact sliding windows, Retry-After, settle, budgets and their periods.
 */
import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { budgetPeriodAt, type Admission, type Limiter, type Reservation } from './limiter.js';

/** A settable clock shared by a test and the limiter it creates. */
export interface TestClock {
  t: number;
}

/** Makes a fresh, empty limiter reading `clock`. */
export type LimiterFactory = (clock: TestClock) => Promise<Limiter>;

const T0 = Date.UTC(2025, 0, 31, 23, 58, 0);

function reservationOf(admission: Admission): Reservation {
  if (!admission.allowed) throw new Error(`refused by ${admission.limit}`);
  return admission.reservation;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBulwarkError(error) ? error.code : error).toBe(code);
}

/** Declares the shared semantics suite for one limiter implementation. */
export function describeLimiterSemantics(name: string, create: LimiterFactory): void {
  describe(`${name}: limiter semantics`, () => {
    const setup = async (t = T0): Promise<{ limiter: Limiter; clock: TestClock }> => {
      const clock = { t };
      return { limiter: await create(clock), clock };
    };

    it('admits exactly rpm requests in 60 s and names the wait for the next', async () => {
      const { limiter, clock } = await setup();
      for (let i = 0; i < 100; i += 1) {
        expect((await limiter.admit('k', { tokens: 0 }, { rpm: 100 })).allowed).toBe(true);
      }
      clock.t = T0 + 15_000;
      expect(await limiter.admit('k', { tokens: 0 }, { rpm: 100 })).toEqual({
        allowed: false,
        limit: 'rpm',
        retryAfterSeconds: 45,
        max: 100,
        used: 100,
        requested: 1,
      });
      clock.t = T0 + 59_999;
      const late = await limiter.admit('k', { tokens: 0 }, { rpm: 100 });
      expect(late.allowed ? 0 : late.retryAfterSeconds).toBe(1);
      clock.t = T0 + 60_000;
      expect((await limiter.admit('k', { tokens: 0 }, { rpm: 100 })).allowed).toBe(true);
      expect((await limiter.usage('k')).requests).toBe(1);
      await limiter.close();
    });

    it('slides: admissions leave the window one by one, and keys are counted apart', async () => {
      const { limiter, clock } = await setup();
      for (let i = 0; i < 5; i += 1) await limiter.admit('k', { tokens: 0 }, { rpm: 10 });
      clock.t = T0 + 30_000;
      for (let i = 0; i < 5; i += 1) await limiter.admit('k', { tokens: 0 }, { rpm: 10 });
      expect((await limiter.admit('other', { tokens: 0 }, { rpm: 10 })).allowed).toBe(true);
      clock.t = T0 + 40_000;
      const full = await limiter.admit('k', { tokens: 0 }, { rpm: 10 });
      expect(full.allowed ? 0 : full.retryAfterSeconds).toBe(20);
      clock.t = T0 + 60_000;
      for (let i = 0; i < 5; i += 1) {
        expect((await limiter.admit('k', { tokens: 0 }, { rpm: 10 })).allowed).toBe(true);
      }
      const again = await limiter.admit('k', { tokens: 0 }, { rpm: 10 });
      expect(again.allowed ? 0 : again.retryAfterSeconds).toBe(30);
      await limiter.close();
    });

    it('reserves tokens against tpm and settles them to the real count', async () => {
      const { limiter, clock } = await setup();
      const first = reservationOf(await limiter.admit('k', { tokens: 300 }, { tpm: 1000 }));
      clock.t = T0 + 10_000;
      await limiter.admit('k', { tokens: 300 }, { tpm: 1000 });
      await limiter.admit('k', { tokens: 300 }, { tpm: 1000 });
      const refused = await limiter.admit('k', { tokens: 300 }, { tpm: 1000 });
      expect(refused).toMatchObject({ allowed: false, limit: 'tpm', used: 900, requested: 300 });
      // 200 of 900 must leave: the first admission (300 tokens) does, at T0 + 60 s.
      expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBe(50);
      await limiter.settle(first, { tokens: 100 });
      await limiter.settle(first, { tokens: 5 });
      expect((await limiter.usage('k')).tokens).toBe(700);
      expect((await limiter.admit('k', { tokens: 300 }, { tpm: 1000 })).allowed).toBe(true);
      expect((await limiter.admit('k', { tokens: 1 }, { tpm: 1000 })).allowed).toBe(false);
      await limiter.close();
    });

    it('refuses without a wait a demand larger than the limit itself', async () => {
      const { limiter } = await setup();
      expect(await limiter.admit('k', { tokens: 2000 }, { tpm: 1000 })).toMatchObject({
        allowed: false,
        limit: 'tpm',
        retryAfterSeconds: null,
      });
      expect(await limiter.admit('k', { tokens: 0 }, { rpm: 0 })).toMatchObject({
        limit: 'rpm',
        retryAfterSeconds: null,
      });
      expect((await limiter.usage('k')).requests).toBe(0);
      await limiter.close();
    });

    it('counts extra tokens of an answer settled after its admission left the window', async () => {
      const { limiter, clock } = await setup();
      const reservation = reservationOf(await limiter.admit('k', { tokens: 100 }, {}));
      clock.t = T0 + 70_000;
      await limiter.settle(reservation, { tokens: 500 });
      expect(await limiter.usage('k')).toMatchObject({ requests: 0, tokens: 400 });
      await limiter.close();
    });

    it('keeps a cumulative budget, charging and refunding on settle', async () => {
      const { limiter, clock } = await setup();
      const limits = { budget: 1000 };
      const first = reservationOf(await limiter.admit('k', { tokens: 10, cost: 300 }, limits));
      await limiter.admit('k', { tokens: 10, cost: 300 }, limits);
      await limiter.admit('k', { tokens: 10, cost: 300 }, limits);
      clock.t = T0 + 400 * 86_400_000;
      expect(await limiter.admit('k', { tokens: 10, cost: 300 }, limits)).toEqual({
        allowed: false,
        limit: 'budget',
        retryAfterSeconds: null,
        max: 1000,
        used: 900,
        requested: 300,
      });
      await limiter.settle(first, { tokens: 10, cost: 0 });
      expect((await limiter.usage('k')).spent).toBe(600);
      expect((await limiter.admit('k', { tokens: 10, cost: 300 }, limits)).allowed).toBe(true);
      // Without a cost, tokens are the cost.
      expect(await limiter.admit('k', { tokens: 101 }, limits)).toMatchObject({ limit: 'budget', used: 900 });
      expect((await limiter.admit('k', { tokens: 100 }, limits)).allowed).toBe(true);
      await limiter.close();
    });

    it('resets a monthly budget on the first of the month and says when', async () => {
      const { limiter, clock } = await setup();
      const limits = { budget: 100, budgetPeriod: 'month' } as const;
      const january = reservationOf(await limiter.admit('k', { tokens: 100 }, limits));
      expect(january.budgetPeriodId).toBe(`month:${2025 * 12}`);
      clock.t = T0 + 30_000;
      const refused = await limiter.admit('k', { tokens: 1 }, limits);
      expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBe(90);
      clock.t = Date.UTC(2025, 1, 1);
      const february = reservationOf(await limiter.admit('k', { tokens: 100 }, limits));
      expect(february.budgetPeriodId).toBe(`month:${2025 * 12 + 1}`);
      // Settling January's reservation does not touch February's budget.
      await limiter.settle(january, { tokens: 0 });
      expect(await limiter.usage('k', { budgetPeriod: 'month' })).toMatchObject({ spent: 100 });
      await limiter.close();
    });

    it('resets a daily budget at UTC midnight', async () => {
      const { limiter, clock } = await setup(Date.UTC(2024, 1, 28, 23, 59, 59, 500));
      const limits = { budget: 5, budgetPeriod: 'day' } as const;
      await limiter.admit('k', { tokens: 5 }, limits);
      const refused = await limiter.admit('k', { tokens: 5 }, limits);
      expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBe(1);
      clock.t = Date.UTC(2024, 1, 29);
      expect((await limiter.admit('k', { tokens: 5 }, limits)).allowed).toBe(true);
      expect((await limiter.usage('k', { budgetPeriod: 'total' })).spent).toBe(0);
      await limiter.close();
    });

    it('computes the same budget periods as budgetPeriodAt across centuries and leap days', async () => {
      const { limiter, clock } = await setup();
      const instants = [
        Date.UTC(1970, 0, 1),
        Date.UTC(2000, 1, 29, 12),
        Date.UTC(2024, 11, 31, 23, 59, 59, 999),
        Date.UTC(2025, 0, 1),
        Date.UTC(2100, 1, 28, 18),
        Date.UTC(2100, 2, 1),
        Date.UTC(2400, 1, 29),
      ];
      for (const [i, instant] of instants.entries()) {
        for (const period of ['day', 'month'] as const) {
          clock.t = instant;
          const expected = budgetPeriodAt(instant, period);
          const key = `period-${i}-${period}`;
          const reservation = reservationOf(
            await limiter.admit(key, { tokens: 1 }, { budgetPeriod: period }),
          );
          expect(reservation.budgetPeriodId).toBe(expected.id);
          const refused = await limiter.admit(key, { tokens: 1 }, { budget: 1, budgetPeriod: period });
          expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBe(
            Math.ceil(((expected.endsAt ?? 0) - instant) / 1000),
          );
        }
      }
      await limiter.close();
    });

    it('reports the longest wait when several limits refuse', async () => {
      const { limiter, clock } = await setup();
      await limiter.admit('k', { tokens: 10 }, {});
      clock.t = T0 + 50_000;
      await limiter.admit('k', { tokens: 0 }, {});
      clock.t = T0 + 55_000;
      // rpm frees at T0 + 60 s (5 s); tpm needs the 10 tokens gone, also at T0 + 60 s; rpm 1 needs
      // both admissions gone: T0 + 110 s (55 s).
      expect(await limiter.admit('k', { tokens: 1 }, { rpm: 1, tpm: 10 })).toMatchObject({
        limit: 'rpm',
        retryAfterSeconds: 55,
      });
      expect(await limiter.admit('k', { tokens: 1 }, { rpm: 1, budget: 5 })).toMatchObject({
        limit: 'budget',
        retryAfterSeconds: null,
      });
      await limiter.close();
    });

    it('rejects malformed demands, limits and key ids with one clear error', async () => {
      const { limiter } = await setup();
      await expectCode(limiter.admit('k', { tokens: -1 }, {}), 'INPUT_INVALID');
      await expectCode(limiter.admit('k', { tokens: 1.5 }, {}), 'INPUT_INVALID');
      await expectCode(limiter.admit('', { tokens: 1 }, {}), 'INPUT_INVALID');
      await expectCode(limiter.admit('k', { tokens: 1 }, { rpm: -5 }), 'CONFIG_INVALID');
      await expectCode(
        limiter.admit('k', { tokens: 1 }, { budgetPeriod: 'week' as unknown as 'day' }),
        'CONFIG_INVALID',
      );
      const reservation = reservationOf(await limiter.admit('k', { tokens: 1 }, {}));
      await expectCode(limiter.settle(reservation, { tokens: Number.NaN }), 'INPUT_INVALID');
      await limiter.close();
    });

    it('accepts key ids with braces, colons and non-ASCII characters', async () => {
      const { limiter } = await setup();
      for (const keyId of ['a}{b', 'tenant:key:1', 'clé-ключ']) {
        expect((await limiter.admit(keyId, { tokens: 1 }, { rpm: 1 })).allowed).toBe(true);
        expect((await limiter.admit(keyId, { tokens: 1 }, { rpm: 1 })).allowed).toBe(false);
      }
      await limiter.close();
    });
  });
}
