import { keySegment } from './json-scanner.js';

const utf8 = new TextDecoder('utf-8');

/**
 * The scannable leaves of a value: a scalar is one leaf named after the column; a struct, list or
 * map yields one leaf per scalar inside it, named by its JSON path from the row (`$.col.key[2]`).
 */
export function* leavesOf(column: string, value: unknown): Generator<{ field: string; text: string }> {
  const text = scalarText(value);
  if (text !== undefined) {
    yield { field: column, text };
    return;
  }
  if (value === null || value === undefined) return;
  yield* nestedLeaves(`$${keySegment(column)}`, value, 0);
}

function* nestedLeaves(
  path: string,
  value: unknown,
  depth: number,
): Generator<{ field: string; text: string }> {
  const text = scalarText(value);
  if (text !== undefined) {
    yield { field: path, text };
    return;
  }
  if (value === null || value === undefined || depth > 64) return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* nestedLeaves(`${path}[${i}]`, item, depth + 1);
    return;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) yield* nestedLeaves(path + keySegment(String(key)), item, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value))
      yield* nestedLeaves(path + keySegment(key), item, depth + 1);
  }
}

/** The text of a scalar value, or undefined for containers and nulls. */
function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      if (value instanceof Uint8Array) return utf8.decode(value);
      return undefined;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
}
