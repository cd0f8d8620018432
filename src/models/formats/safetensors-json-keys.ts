/** A key that appears more than once in the same JSON object. */
export interface DuplicateJsonKey {
  /** Keys of the enclosing objects from the root (`[]` for an array element). */
  readonly path: readonly string[];
  readonly key: string;
  /** Character index of the repeated occurrence in the text. */
  readonly index: number;
}

interface Frame {
  readonly isObject: boolean;
  readonly path: readonly string[];
  readonly keys: Set<string>;
  expectKey: boolean;
  lastKey: string;
}

/** Repeated keys reported at most; the caller caps findings too. */
const MAX_DUPLICATES = 10_000;

/**
 * Finds keys repeated within one object of a JSON text that `JSON.parse` already accepted.
 * `JSON.parse` silently keeps the last of two equal keys while other parsers keep the first or
 * refuse the text, so a duplicate lets two readers see different content. Iterative: nesting depth
 * cannot overflow the stack.
 */
export function findDuplicateJsonKeys(text: string): DuplicateJsonKey[] {
  const found: DuplicateJsonKey[] = [];
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length && found.length < MAX_DUPLICATES) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x7b || c === 0x5b) {
      const segment = top === undefined ? [] : [top.isObject ? top.lastKey : '[]'];
      stack.push({
        isObject: c === 0x7b,
        path: [...(top?.path ?? []), ...segment],
        keys: new Set(),
        expectKey: c === 0x7b,
        lastKey: '',
      });
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
    } else if (c === 0x2c) {
      if (top?.isObject) top.expectKey = true;
      i++;
    } else if (c === 0x22) {
      const end = stringEnd(text, i);
      if (top?.isObject && top.expectKey) {
        const key = decodeKey(text.slice(i, end));
        if (top.keys.has(key)) found.push({ path: top.path, key, index: i });
        else top.keys.add(key);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = end;
    } else i++;
  }
  return found;
}

/** Index just after the string literal starting at `start` (or the text's end). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return text.length;
}

function decodeKey(literal: string): string {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : literal;
  } catch {
    return literal;
  }
}
