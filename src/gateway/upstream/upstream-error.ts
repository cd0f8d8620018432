/**
 * The one fault type of upstream calls (control G10): a small closed set of kinds the gateway maps to
 * 502/504, a public message that never names the upstream host or repeats its body, and an internal
 * detail meant only for the audit log.
 */
import { BulwarkError } from '../../core/errors.js';

/** How an upstream call failed. */
export const UPSTREAM_ERROR_KINDS = [
  'timeout',
  'connect',
  'reset',
  'status',
  'protocol',
  'too-large',
] as const;
/** One of {@link UPSTREAM_ERROR_KINDS}. */
export type UpstreamErrorKind = (typeof UPSTREAM_ERROR_KINDS)[number];

/** Which deadline a `timeout` missed. */
export type TimeoutPhase = 'connect' | 'headers' | 'idle' | 'total';

/** What the internal detail of an {@link UpstreamError} records (audit log only, never a client). */
export interface UpstreamErrorDetail {
  readonly upstream: string;
  /** Attempts made, retries included. */
  readonly attempts: number;
  readonly phase?: TimeoutPhase;
  /** Low-level code (e.g. ECONNREFUSED, UND_ERR_SOCKET) or the upstream's own error code. */
  readonly cause?: string;
  /** A short, truncated description from the library or the upstream's error message. */
  readonly message?: string;
}

/** Construction options of {@link UpstreamError}. */
export interface UpstreamErrorInit {
  readonly kind: UpstreamErrorKind;
  readonly detail: UpstreamErrorDetail;
  readonly status?: number;
  readonly retryable?: boolean;
  /** The upstream's machine error code (e.g. `context_length_exceeded`), kept only if it is a plain token. */
  readonly upstreamCode?: string;
  readonly cause?: unknown;
}

const PUBLIC_MESSAGES: Record<UpstreamErrorKind, string> = {
  timeout: 'The model did not answer in time.',
  connect: 'The model is unavailable.',
  reset: 'The connection to the model was interrupted.',
  status: 'The model returned an error.',
  protocol: 'The model returned an invalid response.',
  'too-large': 'The model response exceeded the size limit.',
};

const SAFE_CODE = /^[a-z][a-z0-9_.-]{0,63}$/i;
const MAX_DETAIL = 300;

/**
 * A failed upstream call. `message` is safe to show a client; `detail` is for the audit log.
 * `retryable` says whether the failure was of an idempotent kind (nothing was processed upstream),
 * i.e. whether trying again later is sound. Code `INTERNAL` until the error table has an upstream code.
 */
export class UpstreamError extends BulwarkError {
  readonly kind: UpstreamErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly upstreamCode: string | undefined;
  readonly detail: UpstreamErrorDetail;

  constructor(init: UpstreamErrorInit) {
    super('INTERNAL', publicMessage(init.kind, init.status), { cause: init.cause });
    this.name = 'UpstreamError';
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.upstreamCode =
      init.upstreamCode !== undefined && SAFE_CODE.test(init.upstreamCode) ? init.upstreamCode : undefined;
    this.detail = {
      ...init.detail,
      ...(init.detail.message === undefined ? {} : { message: truncate(init.detail.message) }),
    };
  }

  /** Whether a deadline caused this (the gateway answers 504 rather than 502). */
  get isTimeout(): boolean {
    return this.kind === 'timeout';
  }
}

/** Tells whether a value is an {@link UpstreamError} (also across module copies). */
export function isUpstreamError(value: unknown): value is UpstreamError {
  return (
    value instanceof UpstreamError ||
    (value instanceof Error &&
      value.name === 'UpstreamError' &&
      UPSTREAM_ERROR_KINDS.includes((value as UpstreamError).kind))
  );
}

function publicMessage(kind: UpstreamErrorKind, status: number | undefined): string {
  if (kind === 'status' && status !== undefined) return `The model returned an error (status ${status}).`;
  return PUBLIC_MESSAGES[kind];
}

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}
