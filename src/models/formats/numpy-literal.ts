import { decodePythonEscapes } from './chat-template-lexer.js';

/** A Python literal value as `ast.literal_eval` would build it (the subset .npy headers use). */
export type PyValue =
  | { readonly kind: 'str' | 'bytes'; readonly value: string }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'tuple' | 'list' | 'set'; readonly items: readonly PyValue[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [PyValue, PyValue])[] };

/** The result of {@link parsePythonLiteral}. */
export type PyParseResult =
  | { readonly kind: 'literal'; readonly value: PyValue }
  | { readonly kind: 'error'; readonly error: string; readonly index: number };

/** Containers nested at most this deep; numpy headers nest a few levels (structured dtypes). */
const MAX_DEPTH = 32;

const STRING_START = /([rRuUbB]{0,2})('''|"""|'|")/y;
const NUMBER =
  /(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)([jJ]|[lL])?/y;
const NAME = /[A-Za-z_]\w*/y;

/** Raised inside the parser only, turned into a result at its boundary. */
class LiteralError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/**
 * Parses a Python literal (strings with prefixes and escapes, implicit concatenation, ints including
 * Python 2 `L` suffixes, floats, True/False/None, tuples, lists, sets, dicts, unary signs, comments)
 * without evaluating anything, as a replacement for `ast.literal_eval` on untrusted .npy headers.
 * Nesting is bounded, so hostile input cannot exhaust the stack; never throws.
 */
export function parsePythonLiteral(text: string): PyParseResult {
  const parser = new LiteralParser(text);
  try {
    const value = parser.value(0);
    parser.skipSpace();
    if (parser.at < text.length)
      return { kind: 'error', error: 'unexpected text after the literal', index: parser.at };
    return { kind: 'literal', value };
  } catch (error) {
    if (error instanceof LiteralError) return { kind: 'error', error: error.message, index: error.index };
    throw error;
  }
}

class LiteralParser {
  at = 0;

  constructor(readonly text: string) {}

  skipSpace(): void {
    const t = this.text;
    while (this.at < t.length) {
      const c = t[this.at];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.at++;
      else if (c === '\\' && (t[this.at + 1] === '\n' || t[this.at + 1] === '\r')) this.at += 2;
      else if (c === '#') while (this.at < t.length && t[this.at] !== '\n') this.at++;
      else break;
    }
  }

  fail(message: string): never {
    throw new LiteralError(message, this.at);
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) this.fail(`literal nests deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const c = this.text[this.at];
    if (c === undefined) this.fail('literal ends early');
    if (c === '(' || c === '[' || c === '{') return this.container(c, depth);
    if (c === '-' || c === '+') {
      this.at++;
      const operand = this.value(depth + 1);
      if (operand.kind === 'int') return { kind: 'int', value: c === '-' ? -operand.value : operand.value };
      if (operand.kind === 'float')
        return { kind: 'float', value: c === '-' ? -operand.value : operand.value };
      this.fail('a sign applies only to numbers');
    }
    STRING_START.lastIndex = this.at;
    if (STRING_START.test(this.text)) return this.strings();
    NUMBER.lastIndex = this.at;
    const number = NUMBER.exec(this.text);
    if (number !== null && number[0] !== '') return this.number(number);
    NAME.lastIndex = this.at;
    const name = NAME.exec(this.text);
    if (name !== null) {
      this.at += name[0].length;
      if (name[0] === 'True' || name[0] === 'False') return { kind: 'bool', value: name[0] === 'True' };
      if (name[0] === 'None') return { kind: 'none' };
      this.at -= name[0].length;
      this.fail(`\`${name[0].slice(0, 40)}\` is a name, not a literal`);
    }
    return this.fail(`unexpected character \`${c}\``);
  }

  number(match: RegExpExecArray): PyValue {
    const [whole, digits = '', suffix] = match;
    this.at += whole.length;
    const clean = digits.replaceAll('_', '');
    if (suffix === 'j' || suffix === 'J') return { kind: 'float', value: Number(clean) };
    if (/^0[xXoObB]/.test(clean) || /^\d+$/.test(clean)) {
      if (/^0\d/.test(clean) && !/^0+$/.test(clean)) this.fail('integer with a leading zero');
      return { kind: 'int', value: BigInt(clean) };
    }
    const value = Number(clean);
    if (Number.isNaN(value)) this.fail(`malformed number \`${whole}\``);
    return { kind: 'float', value };
  }

  /** One or more adjacent string literals, concatenated as Python does. */
  strings(): PyValue {
    let kind: 'str' | 'bytes' | undefined;
    let value = '';
    for (;;) {
      this.skipSpace();
      STRING_START.lastIndex = this.at;
      const start = STRING_START.exec(this.text);
      if (start === null) break;
      const prefix = (start[1] ?? '').toLowerCase();
      if (!/^(r|u|b|br|rb)?$/.test(prefix)) this.fail(`unknown string prefix \`${prefix}\``);
      const isBytes = prefix.includes('b');
      if (kind !== undefined && (kind === 'bytes') !== isBytes) this.fail('cannot concatenate str and bytes');
      kind = isBytes ? 'bytes' : 'str';
      const quote = start[2] ?? "'";
      this.at += start[0].length;
      const body = this.stringBody(quote);
      value += prefix.includes('r') ? body : decodePythonEscapes(body).value;
    }
    return { kind: kind ?? 'str', value };
  }

  stringBody(quote: string): string {
    const t = this.text;
    const begin = this.at;
    while (this.at < t.length) {
      if (t[this.at] === '\\') this.at += 2;
      else if (t.startsWith(quote, this.at)) {
        const body = t.slice(begin, this.at);
        this.at += quote.length;
        return body;
      } else if (quote.length === 1 && t[this.at] === '\n')
        this.fail('string literal runs past the end of its line');
      else this.at++;
    }
    return this.fail('unterminated string literal');
  }

  container(open: '(' | '[' | '{', depth: number): PyValue {
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    this.at++;
    const items: PyValue[] = [];
    const entries: (readonly [PyValue, PyValue])[] = [];
    let hasComma = false;
    let isDict: boolean | undefined = open === '{' ? undefined : false;
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === close) {
        this.at++;
        break;
      }
      const item = this.value(depth + 1);
      this.skipSpace();
      if (isDict !== false && this.text[this.at] === ':') {
        if (isDict === undefined) isDict = true;
        this.at++;
        entries.push([item, this.value(depth + 1)]);
        this.skipSpace();
      } else if (isDict === true) this.fail('dict entry without a value');
      else {
        isDict = false;
        items.push(item);
      }
      if (this.text[this.at] === ',') {
        hasComma = true;
        this.at++;
      } else if (this.text[this.at] !== close) this.fail(`expected \`,\` or \`${close}\``);
    }
    if (open === '{') return isDict === false ? { kind: 'set', items } : { kind: 'dict', entries };
    if (open === '[') return { kind: 'list', items };
    const [only] = items;
    return items.length === 1 && !hasComma && only !== undefined ? only : { kind: 'tuple', items };
  }
}
