/** One step of a field path: a property of an object or an element of an array. */
export type FieldSegment =
  { readonly kind: 'key'; readonly name: string } | { readonly kind: 'index'; readonly index: number };

/** The result of {@link parseFieldPath}: the steps, or one sentence on what is wrong. */
export type FieldPathParse =
  | { readonly ok: true; readonly segments: readonly FieldSegment[] }
  | { readonly ok: false; readonly problem: string };

/** The result of {@link resolveFieldPath}: the value, or where and why the path stops. */
export type FieldResolution =
  { readonly found: true; readonly value: unknown } | { readonly found: false; readonly reason: string };

/** Longest field path accepted, in characters. */
export const MAX_FIELD_PATH_LENGTH = 256;

/** Most steps a field path may have; in-toto predicates are shallow. */
export const MAX_FIELD_PATH_SEGMENTS = 32;

/** How field paths are written, for error messages and docs. */
export const FIELD_PATH_HINT =
  'expected a dotted path such as "predicate.metrics.accuracy" or "subject[0].name" (["a.b"] quotes a key)';

const NAME = /^[^.[\]"\s]+/;
const INDEX = /^\[(0|[1-9]\d{0,8})\]/;
const QUOTED = /^\[("(?:[^"\\]|\\.)*")\]/;

/**
 * Parses a field path over a JSON document: names joined by dots, `[n]` for array elements and
 * `["key"]` (a JSON string) for keys holding dots, brackets or spaces. Never throws.
 */
export function parseFieldPath(text: string): FieldPathParse {
  if (text.length === 0) return { ok: false, problem: `the path is empty; ${FIELD_PATH_HINT}` };
  if (text.length > MAX_FIELD_PATH_LENGTH) {
    return { ok: false, problem: `the path is longer than ${MAX_FIELD_PATH_LENGTH} characters` };
  }
  const segments: FieldSegment[] = [];
  let rest = text;
  while (rest.length > 0) {
    const first = segments.length === 0;
    let match: RegExpExecArray | null;
    if ((match = INDEX.exec(rest))) {
      segments.push({ kind: 'index', index: Number(match[1]) });
    } else if ((match = QUOTED.exec(rest))) {
      const name = parseJsonString(match[1] ?? '');
      if (name === undefined) return { ok: false, problem: `${match[0]} is not a valid quoted key` };
      segments.push({ kind: 'key', name });
    } else {
      const dotted = first ? rest : rest.startsWith('.') ? rest.slice(1) : undefined;
      match = dotted === undefined ? null : NAME.exec(dotted);
      if (!match) {
        const at = text.length - rest.length;
        return {
          ok: false,
          problem: `unexpected "${rest.slice(0, 10)}" at character ${at + 1}; ${FIELD_PATH_HINT}`,
        };
      }
      segments.push({ kind: 'key', name: match[0] });
      if (!first) rest = rest.slice(1);
    }
    rest = rest.slice(match[0].length);
    if (segments.length > MAX_FIELD_PATH_SEGMENTS) {
      return { ok: false, problem: `the path has more than ${MAX_FIELD_PATH_SEGMENTS} steps` };
    }
  }
  return { ok: true, segments };
}

/**
 * Follows a parsed path through a JSON document. Only own, enumerable data properties of plain objects
 * and in-range elements of arrays are followed, so `__proto__`, `constructor` or `length` never reach
 * Object internals, and no getter ever runs: a hostile document can make a path miss, nothing more.
 */
export function resolveFieldPath(document: unknown, segments: readonly FieldSegment[]): FieldResolution {
  let value = document;
  let walked = '';
  for (const segment of segments) {
    const here = walked === '' ? 'the document' : walked;
    if (segment.kind === 'index') {
      if (!Array.isArray(value)) return { found: false, reason: `${here} is ${kindOf(value)}, not an array` };
      if (segment.index >= value.length) {
        return { found: false, reason: `${here} has ${value.length} element(s), no [${segment.index}]` };
      }
      value = ownData(value, String(segment.index)).value;
      walked += `[${segment.index}]`;
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { found: false, reason: `${here} is ${kindOf(value)}, not an object` };
    }
    const own = ownData(value, segment.name);
    walked += walked === '' ? segment.name : `.${segment.name}`;
    if (!own.found) return { found: false, reason: `${walked} is missing` };
    value = own.value;
  }
  return { found: true, value };
}

const KINDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  undefined: 'missing',
};

/** Names the JSON type of a value for messages: "a string", "an array", "null", "missing". */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return KINDS[typeof value] ?? 'not JSON';
}

function ownData(container: object, key: string): { found: boolean; value?: unknown } {
  const descriptor = Object.getOwnPropertyDescriptor(container, key);
  if (descriptor === undefined || !descriptor.enumerable || !('value' in descriptor)) return { found: false };
  return { found: true, value: descriptor.value as unknown };
}

function parseJsonString(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
