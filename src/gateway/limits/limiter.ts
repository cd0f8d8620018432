/**
 * The gateway's limits (control G3): requests and tokens per minute per key and a cumulative budget per
 * key, behind one `Limiter` interface with an in-memory implementation for one instance and a Redis one
 * that several instances share exactly.
 *
 * Semantics (both implementations, tested by one shared suite):
 * - Window: a precise sliding log of 60 s. An admission made at `t` counts while `now - t < 60 000 ms`.
 *   `rpm: 100` therefore means "at most 100 admitted requests in any 60 s", and the 101st request in
 *   the window is refused exactly, whatever instance it reaches.
 * - Tokens: each admission reserves `demand.tokens` (prompt estimate + completion cap) in the window;
 *   `settle` replaces that with the real count. An admission is refused when the window's tokens plus
 *   the demand would exceed `tpm`.
 * - Budget: spent cost per key and budget period (`total` never resets, `day` and `month` reset at
 *   UTC midnight and on the first of the month). An admission reserves `demand.cost` (default: its
 *   tokens); `settle` charges or refunds the difference. Spent is tracked even without a budget.
 * - Retry-After: the seconds, rounded up, until enough old admissions leave the window (or the budget
 *   period ends) for the same demand to pass; `null` when waiting cannot help (a demand larger than
 *   the limit itself, or a budget that never resets). When several limits refuse, the longest wait is
 *   reported.
 */
import { BulwarkError } from '../../core/errors.js';

/** Length of the rate window in milliseconds: limits are per minute. */
export const WINDOW_MS = 60_000;

/** How a budget resets: never, at every UTC midnight, or on the first day of every UTC month. */
export const BUDGET_PERIODS = ['total', 'day', 'month'] as const;
/** One of {@link BUDGET_PERIODS}. */
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** The limits of one key; an absent limit is not enforced. Counts are non-negative integers. */
export interface Limits {
  /** Requests admitted in any 60 s. */
  readonly rpm?: number;
  /** Tokens (prompt + completion) in any 60 s. */
  readonly tpm?: number;
  /** Cost units per budget period (integers, e.g. micro-dollars, or tokens when cost is omitted). */
  readonly budget?: number;
  /** When the budget resets (default `total`: never). */
  readonly budgetPeriod?: BudgetPeriod;
}

/** What one request asks for at admission. */
export interface Demand {
  /** Requests counted against `rpm` (default 1). */
  readonly requests?: number;
  /** Tokens reserved against `tpm`: the prompt estimate plus the completion cap. */
  readonly tokens: number;
  /** Cost reserved against the budget (default: `tokens`). */
  readonly cost?: number;
}

/** Which limit refused. */
export type LimitKind = 'rpm' | 'tpm' | 'budget';

/** An admitted request's claim, passed back to `settle` once the answer is known. */
export interface Reservation {
  readonly keyId: string;
  /** Unique id of the admission in the window log. */
  readonly id: string;
  /** Admission time (ms since the epoch) on the limiter's clock (Redis TIME for the Redis limiter). */
  readonly at: number;
  readonly requests: number;
  readonly tokens: number;
  readonly cost: number;
  /** The budget period charged, e.g. `total`, `day:20254`, `month:24305`. */
  readonly budgetPeriodId: string;
  /** True when a failing Redis was bypassed (fail-open): nothing was counted, settle does nothing. */
  readonly degraded: boolean;
}

/** A refusal: which limit, how long to wait, and the numbers behind it (for the message). */
export interface Refusal {
  readonly allowed: false;
  readonly limit: LimitKind;
  /** Whole seconds until the same demand would pass, or null when waiting cannot help. */
  readonly retryAfterSeconds: number | null;
  /** The configured limit. */
  readonly max: number;
  /** Already used in the window or budget period. */
  readonly used: number;
  /** What this request asked for. */
  readonly requested: number;
}

/** The outcome of `admit`: a reservation or a refusal. */
export type Admission = { readonly allowed: true; readonly reservation: Reservation } | Refusal;

/** What a request really used, known after the answer. */
export interface Settlement {
  /** Prompt + completion tokens the upstream reported (or counted on the stream). */
  readonly tokens: number;
  /** Real cost (default: `tokens`). */
  readonly cost?: number;
}

/** A key's current counters. */
export interface Usage {
  /** Requests in the last 60 s. */
  readonly requests: number;
  /** Tokens in the last 60 s (reservations count until settled). */
  readonly tokens: number;
  /** Cost spent in the current budget period, open reservations included. */
  readonly spent: number;
  readonly budgetPeriodId: string;
}

/** Rate limits, token limits and budgets per key (see the module comment for the exact semantics). */
export interface Limiter {
  /** Admits a request and reserves its demand, or refuses it with the limit and the wait. */
  admit(keyId: string, demand: Demand, limits: Limits): Promise<Admission>;
  /** Replaces a reservation's tokens and cost by the real ones; a second settle of it does nothing. */
  settle(reservation: Reservation, actual: Settlement): Promise<void>;
  /** Reads a key's counters (budget period: `total` unless given). */
  usage(keyId: string, options?: { readonly budgetPeriod?: BudgetPeriod }): Promise<Usage>;
  /** Releases what the limiter owns (a Redis connection it opened); the memory limiter keeps nothing. */
  close(): Promise<void>;
}

/** Returns a clock in ms since the epoch. */
export type Clock = () => number;

/** Redis could not be reached or answered with an error while the limiter fails closed (HTTP 503). */
export class LimiterUnavailableError extends BulwarkError {
  /** The public error code the gateway answers with. */
  readonly publicCode = 'limiter-unavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message, options);
  }
}

/** A validated demand with its defaults filled in. */
export interface NormalizedDemand {
  readonly requests: number;
  readonly tokens: number;
  readonly cost: number;
}

const MAX_KEY_ID_LENGTH = 512;

/** Checks a key id: a non-empty string of at most 512 characters. */
export function checkKeyId(keyId: string): void {
  if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > MAX_KEY_ID_LENGTH) {
    throw new BulwarkError('INPUT_INVALID', `limiter key id must be 1 to ${MAX_KEY_ID_LENGTH} characters`);
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Validates a demand (non-negative integers) and fills in its defaults. */
export function normalizeDemand(demand: Demand): NormalizedDemand {
  const requests = demand.requests ?? 1;
  const cost = demand.cost ?? demand.tokens;
  for (const [name, value] of [
    ['requests', requests],
    ['tokens', demand.tokens],
    ['cost', cost],
  ] as const) {
    if (!isCount(value)) {
      throw new BulwarkError('INPUT_INVALID', `limiter demand ${name} must be a non-negative integer`);
    }
  }
  return { requests, tokens: demand.tokens, cost };
}

/** Validates a settlement and fills in its default cost. */
export function normalizeSettlement(actual: Settlement): { tokens: number; cost: number } {
  const cost = actual.cost ?? actual.tokens;
  if (!isCount(actual.tokens) || !isCount(cost)) {
    throw new BulwarkError(
      'INPUT_INVALID',
      'limiter settlement tokens and cost must be non-negative integers',
    );
  }
  return { tokens: actual.tokens, cost };
}

/** Validates limits: every present count a non-negative integer, a known budget period. */
export function checkLimits(limits: Limits): void {
  for (const name of ['rpm', 'tpm', 'budget'] as const) {
    const value = limits[name];
    if (value !== undefined && !isCount(value)) {
      throw new BulwarkError('CONFIG_INVALID', `limit ${name} must be a non-negative integer`);
    }
  }
  const period = limits.budgetPeriod;
  if (period !== undefined && !(BUDGET_PERIODS as readonly string[]).includes(period)) {
    throw new BulwarkError('CONFIG_INVALID', `budgetPeriod must be one of ${BUDGET_PERIODS.join(', ')}`);
  }
}

const DAY_MS = 86_400_000;

/**
 * The budget period containing `ms`: its id (`total`, `day:<days since epoch>`, `month:<year*12 +
 * month index>`) and when it ends (null for `total`). The Lua script computes the same ids.
 */
export function budgetPeriodAt(ms: number, period: BudgetPeriod): { id: string; endsAt: number | null } {
  switch (period) {
    case 'total':
      return { id: 'total', endsAt: null };
    case 'day': {
      const day = Math.floor(ms / DAY_MS);
      return { id: `day:${day}`, endsAt: (day + 1) * DAY_MS };
    }
    case 'month': {
      const date = new Date(ms);
      const year = date.getUTCFullYear();
      const month = date.getUTCMonth();
      return { id: `month:${year * 12 + month}`, endsAt: Date.UTC(year, month + 1, 1) };
    }
  }
}

/** Turns a wait in ms into whole seconds for Retry-After (at least 1). */
export function retrySeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/** Picks the refusal with the longest wait (`null`, never, is the longest). */
export function worstRefusal(refusals: readonly Refusal[]): Refusal | undefined {
  let worst: Refusal | undefined;
  for (const refusal of refusals) {
    if (worst === undefined || waitRank(refusal) > waitRank(worst)) worst = refusal;
  }
  return worst;
}

function waitRank(refusal: Refusal): number {
  return refusal.retryAfterSeconds ?? Number.POSITIVE_INFINITY;
}
