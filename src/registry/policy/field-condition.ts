import type { JsonValue } from '../../core/findings.js';
import { kindOf, parseFieldPath, resolveFieldPath } from './field-path.js';
import { compileSafeRegex, MAX_MATCH_INPUT_LENGTH, testSafeRegex } from './safe-regex.js';

/** The operators a condition on an attestation field may use. */
export const CONDITION_OPS = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'notIn',
  'exists',
  'matches',
  'contains',
] as const;

export type ConditionOp = (typeof CONDITION_OPS)[number];

/** Operators that compare numbers. */
export const ORDER_OPS = ['lt', 'lte', 'gt', 'gte'] as const;

/** A condition on one field of an in-toto statement, as validated from `bulwark.yaml`. */
export type FieldCondition =
  | { readonly field: string; readonly op: 'eq' | 'ne' | 'contains'; readonly value: JsonValue }
  | { readonly field: string; readonly op: (typeof ORDER_OPS)[number]; readonly value: number }
  | { readonly field: string; readonly op: 'in' | 'notIn'; readonly value: readonly JsonValue[] }
  | { readonly field: string; readonly op: 'exists'; readonly value: boolean }
  | { readonly field: string; readonly op: 'matches'; readonly value: string };

/** Whether a condition holds, with one clause naming the field and the value found. */
export interface ConditionResult {
  readonly met: boolean;
  readonly reason: string;
}

const MAX_SHOWN = 60;

/**
 * Checks one condition against a JSON document (an in-toto statement). Never throws: a missing field,
 * a type mismatch (`lt` on a string), an invalid path or pattern, or a hostile document (prototype
 * keys, deep nesting, huge strings) gives `met: false` and a reason.
 */
export function evaluateCondition(condition: FieldCondition, document: unknown): ConditionResult {
  const { field } = condition;
  const path = parseFieldPath(field);
  if (!path.ok) return { met: false, reason: `${field}: ${path.problem}` };
  const found = resolveFieldPath(document, path.segments);
  const expected = `${condition.op} ${show(condition.value)}`;
  if (condition.op === 'exists') {
    if (found.found === condition.value) {
      return { met: true, reason: found.found ? `${field} exists` : `${field} is absent (${found.reason})` };
    }
    return { met: false, reason: found.found ? `${field} exists, but must be absent` : found.reason };
  }
  if (!found.found) return { met: false, reason: `${found.reason}, so ${field} ${expected} cannot hold` };
  const actual = found.value;
  const outcome = compare(condition, actual);
  if (typeof outcome === 'string') return { met: false, reason: `${field} is ${outcome}` };
  return outcome
    ? { met: true, reason: `${field} is ${show(actual)} (${expected})` }
    : { met: false, reason: `${field} is ${show(actual)}, not ${expected}` };
}

/** Returns whether the condition holds, or a phrase on why it cannot be checked. */
function compare(condition: Exclude<FieldCondition, { op: 'exists' }>, actual: unknown): boolean | string {
  switch (condition.op) {
    case 'eq':
      return jsonEqual(actual, condition.value);
    case 'ne':
      return !jsonEqual(actual, condition.value);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      if (typeof actual !== 'number' || !Number.isFinite(actual)) {
        return `${describe(actual)}, not a number to compare with ${condition.op} ${condition.value}`;
      }
      return orderHolds(condition.op, actual, condition.value);
    case 'in':
      return condition.value.some((member) => jsonEqual(actual, member));
    case 'notIn':
      return !condition.value.some((member) => jsonEqual(actual, member));
    case 'matches': {
      if (typeof actual !== 'string') return `${describe(actual)}, not a string to match`;
      const compiled = compileSafeRegex(condition.value);
      if (!compiled.ok) return `not checked: ${compiled.problem}`;
      const matched = testSafeRegex(compiled.regex, actual);
      if (matched === 'too-long') {
        return `a string of ${actual.length} characters, longer than the ${MAX_MATCH_INPUT_LENGTH} a pattern is run on`;
      }
      return matched;
    }
    case 'contains':
      if (typeof actual === 'string') {
        return typeof condition.value === 'string'
          ? actual.includes(condition.value)
          : `a string, which can only contain a string, not ${describe(condition.value)}`;
      }
      if (Array.isArray(actual)) return actual.some((element) => jsonEqual(element, condition.value));
      return `${describe(actual)}, not a string or an array to search`;
  }
}

function orderHolds(op: (typeof ORDER_OPS)[number], actual: number, bound: number): boolean {
  switch (op) {
    case 'lt':
      return actual < bound;
    case 'lte':
      return actual <= bound;
    case 'gt':
      return actual > bound;
    case 'gte':
      return actual >= bound;
  }
}

/**
 * Structural equality of JSON values: key order does not matter, `0` equals `-0`. Recursion follows
 * the expected value, which comes from the policy and is shallow, so a deeply nested hostile value
 * costs nothing.
 */
export function jsonEqual(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => jsonEqual(ownValue(actual, String(index)), item))
    );
  }
  if (Array.isArray(actual)) return false;
  const keys = Object.keys(expected);
  if (Object.keys(actual).length !== keys.length) return false;
  return keys.every(
    (key) =>
      Object.prototype.propertyIsEnumerable.call(actual, key) &&
      jsonEqual(ownValue(actual, key), (expected as Record<string, unknown>)[key]),
  );
}

function ownValue(container: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(container, key);
  return descriptor && 'value' in descriptor ? (descriptor.value as unknown) : undefined;
}

/** Shows a value in a reason without ever serializing a large or deeply nested one. */
function show(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) {
    const scalars = value.length <= 8 && value.every((item) => item === null || typeof item !== 'object');
    return scalars ? `[${value.map(show).join(', ')}]` : `an array of ${value.length} element(s)`;
  }
  if (typeof value === 'object') return `an object with ${Object.keys(value).length} key(s)`;
  return kindOf(value);
}

function describe(value: unknown): string {
  const kind = kindOf(value);
  return value === null || typeof value === 'object' ? kind : `${kind} (${show(value)})`;
}
