/**
 * A strict JSON parser (RFC 8259) that keeps where each string sits in the raw text, so a match in a
 * decoded string (a notebook cell's source) maps back to the exact raw line and column, escapes and
 * all. Nesting depth is bounded; errors say where.
 */
import { BulwarkError } from '../../core/errors.js';
import { JSON_SIMPLE_ESCAPES } from '../../core/json-escapes.js';

/** A parsed JSON value; strings carry their raw span (quotes excluded). */
export type PositionedJson =
  | { readonly kind: 'string'; readonly value: string; readonly rawStart: number; readonly rawEnd: number }
  | { readonly kind: 'number' | 'boolean' | 'null' }
  | { readonly kind: 'array'; readonly items: readonly PositionedJson[] }
  | { readonly kind: 'object'; readonly members: ReadonlyMap<string, PositionedJson> };

/** The string kind of {@link PositionedJson}. */
export type PositionedString = Extract<PositionedJson, { kind: 'string' }>;

const DEFAULT_MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

/** Parses `text` as one JSON document; throws `BulwarkError('INPUT_INVALID')` naming the offset. */
export function parsePositionedJson(text: string, maxDepth = DEFAULT_MAX_DEPTH): PositionedJson {
  const parser = new Parser(text, maxDepth);
  parser.skipSpace();
  const value = parser.parseValue(0);
  parser.skipSpace();
  if (parser.at < text.length) parser.fail('unexpected text after the JSON value');
  return value;
}

class Parser {
  at = 0;

  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {}

  fail(message: string): never {
    throw new BulwarkError('INPUT_INVALID', `invalid JSON at offset ${this.at}: ${message}`);
  }

  skipSpace(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at] ?? '')) this.at++;
  }

  expect(c: string): void {
    if (this.text[this.at] !== c) this.fail(`expected "${c}"`);
    this.at++;
  }

  parseValue(depth: number): PositionedJson {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    const c = this.text[this.at];
    if (c === '{') return this.parseObject(depth);
    if (c === '[') return this.parseArray(depth);
    if (c === '"') return this.parseString();
    for (const [word, kind] of [
      ['true', 'boolean'],
      ['false', 'boolean'],
      ['null', 'null'],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return { kind };
      }
    }
    NUMBER.lastIndex = this.at;
    const number = NUMBER.exec(this.text);
    if (number === null || number[0] === '') this.fail('expected a value');
    this.at += number[0].length;
    return { kind: 'number' };
  }

  parseObject(depth: number): PositionedJson {
    this.at++;
    const members = new Map<string, PositionedJson>();
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return { kind: 'object', members };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail('expected a member name');
      const key = this.parseString().value;
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      members.set(key, this.parseValue(depth + 1));
      this.skipSpace();
      if (this.text[this.at] === '}') {
        this.at++;
        return { kind: 'object', members };
      }
      this.expect(',');
    }
  }

  parseArray(depth: number): PositionedJson {
    this.at++;
    const items: PositionedJson[] = [];
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return { kind: 'array', items };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.parseValue(depth + 1));
      this.skipSpace();
      if (this.text[this.at] === ']') {
        this.at++;
        return { kind: 'array', items };
      }
      this.expect(',');
    }
  }

  parseString(): PositionedString {
    const rawStart = ++this.at;
    let value = '';
    let run = this.at;
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') break;
      if (c < ' ') this.fail('control character in a string');
      if (c !== '\\') {
        this.at++;
        continue;
      }
      value += this.text.slice(run, this.at);
      const [decoded, length] = decodeEscape(this.text, this.at);
      if (decoded === undefined) this.fail('invalid escape');
      value += decoded;
      this.at += length;
      run = this.at;
    }
    value += this.text.slice(run, this.at);
    const rawEnd = this.at;
    this.at++;
    return { kind: 'string', value, rawStart, rawEnd };
  }
}

/** Decodes the escape at `at` (a backslash): the character(s) and the raw length, or undefined. */
export function decodeEscape(text: string, at: number): [string | undefined, number] {
  const c = text[at + 1] ?? '';
  const simple = JSON_SIMPLE_ESCAPES[c];
  if (simple !== undefined) return [simple, 2];
  if (c !== 'u') return [undefined, 2];
  const hex = text.slice(at + 2, at + 6);
  if (!/^[0-9a-fA-F]{4}$/.test(hex)) return [undefined, 2];
  return [String.fromCharCode(parseInt(hex, 16)), 6];
}

/**
 * Raw offsets of each UTF-16 code unit of a parsed string's value, plus one past the end: entry `i`
 * is where decoded character `i` starts in the raw text.
 */
export function rawOffsets(text: string, node: PositionedString): Int32Array {
  const offsets = new Int32Array(node.value.length + 1);
  let raw = node.rawStart;
  let i = 0;
  while (raw < node.rawEnd) {
    if (text[raw] === '\\') {
      const [decoded = '', length] = decodeEscape(text, raw);
      for (let k = 0; k < decoded.length; k++) offsets[i++] = raw;
      raw += length;
    } else {
      offsets[i++] = raw++;
    }
  }
  offsets[i] = node.rawEnd;
  return offsets;
}
