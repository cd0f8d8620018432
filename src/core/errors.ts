/** Stable error codes; the CLI maps every one to exit 2, the server to an HTTP status in one table. */
export const ERROR_CODES = [
  'USAGE',
  'INPUT_NOT_FOUND',
  'INPUT_UNREADABLE',
  'INPUT_INVALID',
  'LIMIT_EXCEEDED',
  'CONFIG_INVALID',
  'KEY_INVALID',
  'KEY_PASSPHRASE',
  'SIGNATURE_INVALID',
  'STORE_UNAVAILABLE',
  'STORE_CONFLICT',
  'NOT_FOUND',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one base class for faults (never for verdicts): a stable `code`, a one-line message fit for a
 * terminal, and the original `cause` kept for debugging.
 */
export class BulwarkError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BulwarkError';
    this.code = code;
  }
}

/** Tells whether a value is a BulwarkError (also across module copies). */
export function isBulwarkError(value: unknown): value is BulwarkError {
  return (
    value instanceof BulwarkError ||
    (value instanceof Error &&
      value.name === 'BulwarkError' &&
      typeof (value as BulwarkError).code === 'string')
  );
}

/** Returns the message of any thrown value, for one-line reports. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
