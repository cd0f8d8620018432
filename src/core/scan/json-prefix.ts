/** What `scanJsonPrefix` found: a whole JSON text, the start of one cut short, or neither. */
export type JsonPrefixState = 'complete' | 'prefix' | 'invalid';

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'done';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const NUMBER_START = /-?\d*(?:\.\d*)?(?:[eE][-+]?\d*)?/y;
const LITERALS = ['true', 'false', 'null'];

/**
 * Checks JSON syntax (RFC 8259) without building values, and tells a text cut short by the sniffing
 * window (`prefix`) from one that is not JSON. Iterative, so deeply nested input cannot overflow the
 * stack.
 */
export function scanJsonPrefix(text: string): JsonPrefixState {
  const stack: string[] = [];
  let expect: Expect = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return expect === 'done' ? 'complete' : 'prefix';
    const c = text[i];
    switch (expect) {
      case 'done':
        return 'invalid';
      case 'colon':
        if (c !== ':') return 'invalid';
        i++;
        expect = 'value';
        break;
      case 'comma-or-close':
        if (c === ',') {
          expect = stack[stack.length - 1] === '{' ? 'key' : 'value';
          i++;
        } else if (
          (c === '}' && stack[stack.length - 1] === '{') ||
          (c === ']' && stack[stack.length - 1] === '[')
        ) {
          stack.pop();
          i++;
          expect = afterValue(stack);
        } else return 'invalid';
        break;
      case 'key':
      case 'key-or-close':
        if (c === '}' && expect === 'key-or-close') {
          stack.pop();
          i++;
          expect = afterValue(stack);
          break;
        }
        if (c !== '"') return 'invalid';
        i = scanString(text, i);
        if (i < 0) return i === -1 ? 'prefix' : 'invalid';
        expect = 'colon';
        break;
      case 'value':
      case 'value-or-close':
        if (c === ']' && expect === 'value-or-close') {
          stack.pop();
          i++;
          expect = afterValue(stack);
          break;
        }
        if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          expect = c === '{' ? 'key-or-close' : 'value-or-close';
          break;
        }
        i = scanScalar(text, i);
        if (i < 0) return i === -1 ? 'prefix' : 'invalid';
        expect = afterValue(stack);
        break;
    }
  }
}

function afterValue(stack: readonly string[]): Expect {
  return stack.length > 0 ? 'comma-or-close' : 'done';
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Returns the index after a string, lexeme or literal at `start`; -1 when cut short, -2 when invalid. */
function scanScalar(text: string, start: number): number {
  const c = text[start] ?? '';
  if (c === '"') return scanString(text, start);
  if (c === '-' || (c >= '0' && c <= '9')) {
    NUMBER_START.lastIndex = start;
    const loose = NUMBER_START.exec(text);
    const looseEnd = start + (loose?.[0].length ?? 0);
    if (looseEnd >= text.length) return -1;
    NUMBER.lastIndex = start;
    const strict = NUMBER.exec(text);
    return strict !== null && strict[0].length === looseEnd - start ? looseEnd : -2;
  }
  for (const literal of LITERALS) {
    const available = text.slice(start, start + literal.length);
    if (literal.startsWith(available))
      return available.length === literal.length ? start + literal.length : -1;
  }
  return -2;
}

function scanString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return -2;
    if (code === 0x5c) {
      const escape = text[i + 1];
      if (escape === undefined) return -1;
      if (escape === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]*$/.test(hex)) return -2;
        if (hex.length < 4) return -1;
        i += 5;
      } else if ('"\\/bfnrt'.includes(escape)) i++;
      else return -2;
    }
  }
  return -1;
}
