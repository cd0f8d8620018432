/**
 * The in-memory limiter: exact counters for one gateway instance (several instances need the Redis
 * limiter). Same semantics as the Redis limiter; see limiter.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  WINDOW_MS,
  budgetPeriodAt,
  checkKeyId,
  checkLimits,
  normalizeDemand,
  normalizeSettlement,
  retrySeconds,
  worstRefusal,
  type Admission,
  type BudgetPeriod,
  type Clock,
  type Limiter,
  type Refusal,
  type Reservation,
  type Usage,
} from './limiter.js';

/** Options of {@link createMemoryLimiter}. */
export interface MemoryLimiterOptions {
  /** Clock in ms since the epoch (default `Date.now`); tests inject one. */
  readonly now?: Clock;
}

interface Entry {
  readonly id: string;
  readonly at: number;
  readonly requests: number;
  tokens: number;
}

/** One key's sliding log, oldest first, with running sums of what is in it. */
interface Window {
  entries: Entry[];
  head: number;
  requests: number;
  tokens: number;
  readonly byId: Map<string, Entry>;
}

interface Spend {
  readonly periodId: string;
  spent: number;
}

/** The memory limiter, with a gauge for metrics. */
export interface MemoryLimiter extends Limiter {
  /** How many keys hold a window log now (idle keys are dropped once a window). */
  trackedKeys(): number;
}

/** Creates a limiter that keeps its counters in this process. */
export function createMemoryLimiter(options: MemoryLimiterOptions = {}): MemoryLimiter {
  const clock = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  const spends = new Map<string, Spend>();
  const settled = new WeakSet<Reservation>();
  let lastNow = Number.NEGATIVE_INFINITY;

  // The log must stay in time order; a clock stepping back is held at the last reading.
  let lastSweep = Number.NEGATIVE_INFINITY;
  const now = (): number => {
    lastNow = Math.max(lastNow, clock());
    // Once a window, drop the logs of keys that went quiet, so idle keys do not hold memory.
    if (lastNow - lastSweep >= WINDOW_MS) {
      lastSweep = lastNow;
      for (const keyId of [...windows.keys()]) windowOf(keyId, lastNow);
    }
    return lastNow;
  };

  const windowOf = (keyId: string, at: number): Window | undefined => {
    const window = windows.get(keyId);
    if (window === undefined) return undefined;
    prune(window, at);
    if (window.head >= window.entries.length) {
      windows.delete(keyId);
      return undefined;
    }
    return window;
  };

  // One counter per key and period kind, like the Redis hash: a new period replaces the old one.
  const spendSlot = (keyId: string, periodId: string): string =>
    `${keyId}\u0000${periodId.split(':')[0] ?? periodId}`;
  const spendOf = (keyId: string, periodId: string): Spend | undefined => {
    const spend = spends.get(spendSlot(keyId, periodId));
    return spend?.periodId === periodId ? spend : undefined;
  };

  const append = (keyId: string, entry: Entry): void => {
    let window = windows.get(keyId);
    if (window === undefined) {
      window = { entries: [], head: 0, requests: 0, tokens: 0, byId: new Map() };
      windows.set(keyId, window);
    }
    window.entries.push(entry);
    window.byId.set(entry.id, entry);
    window.requests += entry.requests;
    window.tokens += entry.tokens;
  };

  return {
    admit: (keyId, demand, limits) =>
      promised((): Admission => {
        checkKeyId(keyId);
        checkLimits(limits);
        const wanted = normalizeDemand(demand);
        const at = now();
        const window = windowOf(keyId, at);
        const period = budgetPeriodAt(at, limits.budgetPeriod ?? 'total');
        const spent = spendOf(keyId, period.id)?.spent ?? 0;

        const refusals: Refusal[] = [];
        if (limits.rpm !== undefined) {
          const used = window?.requests ?? 0;
          if (used + wanted.requests > limits.rpm) {
            const wait = waitFor(window, used + wanted.requests - limits.rpm, (e) => e.requests, at);
            refusals.push(
              refusal('rpm', limits.rpm, used, wanted.requests, wanted.requests > limits.rpm ? null : wait),
            );
          }
        }
        if (limits.tpm !== undefined) {
          const used = window?.tokens ?? 0;
          if (used + wanted.tokens > limits.tpm) {
            const wait = waitFor(window, used + wanted.tokens - limits.tpm, (e) => e.tokens, at);
            refusals.push(
              refusal('tpm', limits.tpm, used, wanted.tokens, wanted.tokens > limits.tpm ? null : wait),
            );
          }
        }
        if (limits.budget !== undefined && spent + wanted.cost > limits.budget) {
          const wait = wanted.cost > limits.budget || period.endsAt === null ? null : period.endsAt - at;
          refusals.push(refusal('budget', limits.budget, spent, wanted.cost, wait));
        }
        const refused = worstRefusal(refusals);
        if (refused !== undefined) return refused;

        const id = randomUUID();
        append(keyId, { id, at, requests: wanted.requests, tokens: wanted.tokens });
        spends.set(spendSlot(keyId, period.id), { periodId: period.id, spent: spent + wanted.cost });
        const reservation: Reservation = Object.freeze({
          keyId,
          id,
          at,
          ...wanted,
          budgetPeriodId: period.id,
          degraded: false,
        });
        return { allowed: true, reservation };
      }),

    settle: (reservation, actual) =>
      promised((): void => {
        const real = normalizeSettlement(actual);
        if (reservation.degraded || settled.has(reservation)) return;
        settled.add(reservation);
        const at = now();
        const window = windowOf(reservation.keyId, at);
        const entry = window?.byId.get(reservation.id);
        if (window !== undefined && entry !== undefined) {
          window.tokens += real.tokens - entry.tokens;
          entry.tokens = real.tokens;
        } else if (real.tokens > reservation.tokens) {
          // The admission already left the window (a long answer): the extra tokens count from now.
          append(reservation.keyId, {
            id: randomUUID(),
            at,
            requests: 0,
            tokens: real.tokens - reservation.tokens,
          });
        }
        const spend = spendOf(reservation.keyId, reservation.budgetPeriodId);
        if (spend !== undefined) spend.spent = Math.max(0, spend.spent + real.cost - reservation.cost);
      }),

    usage: (keyId, usageOptions: { readonly budgetPeriod?: BudgetPeriod } = {}) =>
      promised((): Usage => {
        checkKeyId(keyId);
        const at = now();
        const window = windowOf(keyId, at);
        const period = budgetPeriodAt(at, usageOptions.budgetPeriod ?? 'total');
        return {
          requests: window?.requests ?? 0,
          tokens: window?.tokens ?? 0,
          spent: spendOf(keyId, period.id)?.spent ?? 0,
          budgetPeriodId: period.id,
        };
      }),

    trackedKeys: () => windows.size,

    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}

/** Runs `work` now and hands its result, or what it threw, over as a promise. */
function promised<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

function refusal(
  limit: Refusal['limit'],
  max: number,
  used: number,
  requested: number,
  waitMs: number | null,
): Refusal {
  return {
    allowed: false,
    limit,
    retryAfterSeconds: waitMs === null ? null : retrySeconds(waitMs),
    max,
    used,
    requested,
  };
}

function prune(window: Window, at: number): void {
  const { entries } = window;
  while (window.head < entries.length) {
    const entry = entries[window.head];
    if (entry === undefined || at - entry.at < WINDOW_MS) break;
    window.requests -= entry.requests;
    window.tokens -= entry.tokens;
    window.byId.delete(entry.id);
    window.head += 1;
  }
  if (window.head > 1024 && window.head * 2 > entries.length) {
    window.entries = entries.slice(window.head);
    window.head = 0;
  }
}

/** Ms until the oldest entries holding at least `excess` units have left the window. */
function waitFor(
  window: Window | undefined,
  excess: number,
  units: (entry: Entry) => number,
  at: number,
): number | null {
  if (window === undefined) return null;
  let freed = 0;
  for (let i = window.head; i < window.entries.length; i += 1) {
    const entry = window.entries[i];
    if (entry === undefined) break;
    freed += units(entry);
    if (freed >= excess) return entry.at + WINDOW_MS - at;
  }
  return null;
}
