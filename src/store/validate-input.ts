import { isDigest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import { isSeverity } from '../core/severity.js';
import type { JsonObject, StoredFinding } from './store.js';

/** Default and largest page size of the store's lists. */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 10_000;

function invalid(message: string): BulwarkError {
  return new BulwarkError('INPUT_INVALID', message);
}

/** Requires a non-empty string. */
export function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${what} must be a non-empty string`);
  return value;
}

/** Requires a string (possibly empty). */
export function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalid(`${what} must be a string`);
  return value;
}

/** Requires an optional string: undefined stays undefined. */
export function optionalText(value: unknown, what: string): string | undefined {
  return value === undefined ? undefined : requireText(value, what);
}

/** Requires a `sha256:<hex>` digest. */
export function requireDigest(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isDigest(value))
    throw invalid(`${what} must be a sha256:<64 hex> digest`);
  return value;
}

/** Requires a non-negative safe integer. */
export function requireCount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(`${what} must be a non-negative integer`);
  }
  return value;
}

/** Requires an ISO-8601 timestamp that Date can read. */
export function requireTimestamp(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalid(`${what} must be an ISO-8601 timestamp`);
  }
  return value;
}

/** Requires exactly `length` bytes and returns them as a Buffer view (no copy) for the drivers. */
export function requireBytes(value: unknown, length: number, what: string): Buffer {
  if (!(value instanceof Uint8Array) || value.byteLength !== length)
    throw invalid(`${what} must be ${length} bytes`);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** Requires an array of strings. */
export function requireStrings(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalid(`${what} must be an array of strings`);
  }
  return value;
}

/** Serializes a value that must be a JSON object; cycles and non-objects are input errors. */
export function jsonObjectText(value: unknown, what: string): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${what} must be an object`);
  return jsonText(value, what);
}

/** Serializes any JSON value; values JSON cannot carry are input errors. */
export function jsonText(value: unknown, what: string): string {
  try {
    const text = JSON.stringify(value);
    if (typeof text !== 'string') throw new TypeError('not serializable');
    return text;
  } catch (error) {
    throw new BulwarkError('INPUT_INVALID', `${what} must be serializable as JSON`, { cause: error });
  }
}

/** Requires text that parses as JSON (an envelope kept byte for byte). */
export function requireJsonText(value: unknown, what: string): string {
  const text = requireText(value, what);
  try {
    JSON.parse(text);
  } catch (error) {
    throw new BulwarkError('INPUT_INVALID', `${what} is not valid JSON`, { cause: error });
  }
  return text;
}

/** Checks a finding's required fields before it is written. */
export function requireFinding(value: StoredFinding, index: number): StoredFinding {
  const what = `findings[${index}]`;
  if (typeof value !== 'object' || value === null) throw invalid(`${what} must be an object`);
  requireText(value.ruleId, `${what}.ruleId`);
  if (typeof value.severity !== 'string' || !isSeverity(value.severity)) {
    throw invalid(`${what}.severity must be one of critical, high, medium, low, info`);
  }
  requireString(value.message, `${what}.message`);
  if (typeof value.location !== 'object' || value.location === null)
    throw invalid(`${what}.location must be an object`);
  requireString(value.location.path, `${what}.location.path`);
  requireStrings(value.controls, `${what}.controls`);
  requireText(value.fingerprint, `${what}.fingerprint`);
  return value;
}

/** Reads a list limit: 100 by default, 1 to 10,000. */
export function listLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIST_LIMIT;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LIST_LIMIT) {
    throw invalid(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  return value;
}

/** Parses a JSON column written by the store itself. */
export function parseJsonColumn<T = JsonObject>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new BulwarkError('STORE_UNAVAILABLE', `stored ${what} is not valid JSON`, { cause: error });
  }
}
