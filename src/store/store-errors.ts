import { BulwarkError, describeError, isBulwarkError } from '../core/errors.js';

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE', '23505']);
const OTHER_CONSTRAINT_CODES = new Set([
  'SQLITE_CONSTRAINT_CHECK',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
  'SQLITE_CONSTRAINT_NOTNULL',
  '23502',
  '23503',
  '23514',
]);

/** Database URLs carry passwords; messages shown to people never do. */
const URL_CREDENTIALS = /\b(postgres(?:ql)?:\/\/)[^@\s/]*@/gi;

/**
 * Removes credentials from a driver message and keeps its first line, so that it fits a terminal and a
 * log without leaking the password of a database URL.
 */
export function redactMessage(message: string, secrets: readonly string[] = []): string {
  let line = (message.split('\n')[0] ?? '').trim().replace(URL_CREDENTIALS, '$1***@');
  for (const secret of secrets) {
    if (secret.length > 0) line = line.split(secret).join('***');
  }
  return line.length > 0 ? line : 'unknown database error';
}

/** Returns the driver's error code (SQLite result code name, PostgreSQL SQLSTATE or Node errno name). */
export function driverErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Turns a driver fault into a BulwarkError: unique violations become `STORE_CONFLICT`, other constraint
 * violations `INPUT_INVALID`, everything else `STORE_UNAVAILABLE`. BulwarkErrors pass through unchanged.
 */
export function toStoreError(error: unknown, action: string, secrets: readonly string[] = []): BulwarkError {
  if (isBulwarkError(error)) return error;
  const code = driverErrorCode(error);
  const detail = redactMessage(describeError(error), secrets);
  if (code !== undefined && UNIQUE_CODES.has(code)) {
    return new BulwarkError('STORE_CONFLICT', `${action}: already stored (${detail})`, { cause: error });
  }
  if (code !== undefined && OTHER_CONSTRAINT_CODES.has(code)) {
    return new BulwarkError('INPUT_INVALID', `${action}: rejected by the store (${detail})`, {
      cause: error,
    });
  }
  return new BulwarkError('STORE_UNAVAILABLE', `${action}: ${detail}`, { cause: error });
}
