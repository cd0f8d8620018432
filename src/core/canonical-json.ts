import { BulwarkError } from './errors.js';

/** Nesting deeper than this is refused rather than risking a stack overflow on hostile input. */
export const CANONICAL_JSON_MAX_DEPTH = 512;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Serializes a value as RFC 8785 JSON Canonicalization Scheme (JCS) text: object members sorted by the
 * UTF-16 code units of their names (§3.2.3), numbers in ECMAScript form (§3.2.2.3, so `-0` is `0` and
 * `1e21` is `1e+21`), strings escaped as ECMAScript JSON.stringify does (§3.2.2.2), no whitespace.
 * Signatures over JSON are only reproducible when the bytes are; this is how Bulwark gets those bytes.
 *
 * Follows JSON.stringify for `toJSON` methods and for object members whose value is `undefined` (they
 * are omitted). Throws BulwarkError `INPUT_INVALID` for what I-JSON (RFC 7493) cannot represent:
 * non-finite numbers, BigInt, lone surrogates, `undefined`/functions/symbols in arrays, functions or
 * symbols as member values, Maps, Sets and cycles; `LIMIT_EXCEEDED` past
 * {@link CANONICAL_JSON_MAX_DEPTH} levels of nesting.
 */
export function canonicalJson(value: unknown): string {
  return serialize(applyToJson(value), '$', new Set<object>(), 0);
}

/** Serializes a value whose `toJSON`, if any, the caller has already applied. */
function serialize(value: unknown, path: string, ancestors: Set<object>, depth: number): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) fail(path, `${String(value)} is not a JSON number`);
      // ECMAScript Number::toString is the number form RFC 8785 §3.2.2.3 prescribes; it maps -0 to "0".
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return fail(path, 'a BigInt is not a JSON number (JCS numbers are IEEE-754 doubles): use a string');
    case 'undefined':
    case 'function':
    case 'symbol':
      return fail(path, `${typeof value} has no JSON form`);
    case 'object':
      if (value === null) return 'null';
      if (depth >= CANONICAL_JSON_MAX_DEPTH) {
        throw new BulwarkError(
          'LIMIT_EXCEEDED',
          `cannot canonicalize JSON: nesting deeper than ${CANONICAL_JSON_MAX_DEPTH} levels at ${path}`,
        );
      }
      if (ancestors.has(value)) fail(path, 'circular reference');
      ancestors.add(value);
      try {
        return Array.isArray(value)
          ? serializeArray(value, path, ancestors, depth)
          : serializeObject(value, path, ancestors, depth);
      } finally {
        ancestors.delete(value);
      }
  }
}

function serializeArray(
  items: readonly unknown[],
  path: string,
  ancestors: Set<object>,
  depth: number,
): string {
  const parts: string[] = [];
  // An index loop, not map(): map() skips holes, which must be refused like undefined.
  for (let i = 0; i < items.length; i++) {
    parts.push(serialize(applyToJson(items[i]), `${path}[${i}]`, ancestors, depth + 1));
  }
  return `[${parts.join(',')}]`;
}

function serializeObject(object: object, path: string, ancestors: Set<object>, depth: number): string {
  if (object instanceof Map || object instanceof Set) {
    fail(
      path,
      `a ${object instanceof Map ? 'Map' : 'Set'} has no JSON form: convert it to an object or array`,
    );
  }
  const record = object as Record<string, unknown>;
  const parts: string[] = [];
  // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as §3.2.3 requires.
  for (const key of Object.keys(record).sort()) {
    const member = applyToJson(record[key]);
    if (member === undefined) continue;
    const memberPath = `${path}.${key}`;
    if (typeof member === 'function' || typeof member === 'symbol') {
      fail(memberPath, `${typeof member} has no JSON form`);
    }
    parts.push(`${serializeString(key, memberPath)}:${serialize(member, memberPath, ancestors, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) fail(path, 'string holds a lone UTF-16 surrogate (not valid I-JSON)');
  // JSON.stringify escapes exactly what §3.2.2.2 asks: ", \, \b \t \n \f \r, other C0 controls as \u00xx.
  return JSON.stringify(value);
}

function applyToJson(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'toJSON' in value) {
    const toJson = value.toJSON;
    if (typeof toJson === 'function') return (toJson as () => unknown).call(value);
  }
  return value;
}

function fail(path: string, reason: string): never {
  throw new BulwarkError('INPUT_INVALID', `cannot canonicalize JSON: ${reason} at ${path}`);
}
