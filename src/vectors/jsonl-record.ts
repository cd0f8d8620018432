import type { VectorId } from './vector-types.js';

/** Keys of a JSONL record that may hold its vector, in the order they are looked for. */
export const VECTOR_KEYS = ['vector', 'embedding', 'values'] as const;

/** What one JSONL line holds: a vector with its id, or why it is not one. */
export type ParsedLine =
  | {
      readonly kind: 'vector';
      readonly id: VectorId | undefined;
      readonly values: Float64Array;
      readonly hasNull: boolean;
    }
  | { readonly kind: 'too-long'; readonly length: number }
  | { readonly kind: 'bad'; readonly reason: string };

/**
 * Reads one JSONL line as a vector record: `{"id": …, "vector" | "embedding" | "values": [numbers], …}`
 * (other keys ignored) or a bare array of numbers. Python's `json` writes `NaN` and `Infinity`, which
 * are not JSON: such lines are read leniently, `NaN` as `null` and the infinities as numbers, so the
 * vector is reported as invalid rather than the line as broken. Never throws.
 */
export function parseVectorLine(text: string, maxDimension: number): ParsedLine {
  const value = parseLenient(text);
  if (value === undefined) return { kind: 'bad', reason: 'is not valid JSON' };
  if (Array.isArray(value)) return vectorOf(value, undefined, 'the array', maxDimension);
  if (typeof value !== 'object' || value === null)
    return { kind: 'bad', reason: 'is not a JSON object or array' };
  const record = value as Record<string, unknown>;
  const key = VECTOR_KEYS.find((k) => Object.hasOwn(record, k));
  if (key === undefined) return { kind: 'bad', reason: 'has no "vector", "embedding" or "values" array' };
  const vector = record[key];
  if (!Array.isArray(vector)) return { kind: 'bad', reason: `has a "${key}" that is not an array` };
  const id = record['id'];
  if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number')
    return { kind: 'bad', reason: 'has an "id" that is neither a string nor a number' };
  return vectorOf(vector, id ?? undefined, `"${key}"`, maxDimension);
}

function vectorOf(
  items: unknown[],
  id: VectorId | undefined,
  what: string,
  maxDimension: number,
): ParsedLine {
  if (items.length > maxDimension) return { kind: 'too-long', length: items.length };
  const values = new Float64Array(items.length);
  let hasNull = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'number') values[i] = item;
    else if (item === null) {
      values[i] = Number.NaN;
      hasNull = true;
    } else
      return {
        kind: 'bad',
        reason: `has a component ${i} in ${what} that is ${describe(item)}, not a number`,
      };
  }
  return { kind: 'vector', id, values, hasNull };
}

function describe(item: unknown): string {
  if (Array.isArray(item)) return 'an array';
  if (typeof item === 'object') return 'an object';
  return `a ${typeof item}`;
}

function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (!/NaN|Infinity/.test(text)) return undefined;
  }
  try {
    return JSON.parse(replaceNonFiniteTokens(text)) as unknown;
  } catch {
    return undefined;
  }
}

const REPLACEMENTS: readonly (readonly [string, string])[] = [
  ['-Infinity', '-1e999'],
  ['Infinity', '1e999'],
  ['NaN', 'null'],
];

/** Rewrites Python's non-JSON `NaN`, `Infinity` and `-Infinity` outside strings. */
function replaceNonFiniteTokens(text: string): string {
  let out = '';
  let copiedTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    for (const [token, replacement] of REPLACEMENTS) {
      if (!text.startsWith(token, i)) continue;
      out += text.slice(copiedTo, i) + replacement;
      i += token.length - 1;
      copiedTo = i + 1;
      break;
    }
  }
  return out + text.slice(copiedTo);
}
