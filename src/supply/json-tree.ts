import { JSON_SIMPLE_ESCAPES } from '../core/json-escapes.js';
/** A JSON value with its offsets in the source text (`end` exclusive). */
export type JsonNode =
  | {
      readonly kind: 'object';
      readonly start: number;
      readonly end: number;
      readonly members: readonly JsonMember[];
    }
  | {
      readonly kind: 'array';
      readonly start: number;
      readonly end: number;
      readonly items: readonly JsonNode[];
    }
  | { readonly kind: 'string'; readonly start: number; readonly end: number; readonly value: string }
  | { readonly kind: 'number'; readonly start: number; readonly end: number; readonly value: number }
  | { readonly kind: 'boolean'; readonly start: number; readonly end: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly start: number; readonly end: number };

/** One `"key": value` of an object, with the offsets of the key (quotes included). */
export interface JsonMember {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: JsonNode;
}

/** The result of {@link parseJsonTree}: the tree, or the first syntax error and where it is. */
export type JsonTreeResult =
  | { readonly ok: true; readonly root: JsonNode }
  | { readonly ok: false; readonly message: string; readonly offset: number };

/** Nesting deeper than this is refused, so hostile input cannot exhaust the stack. */
export const MAX_JSON_DEPTH = 512;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Parses JSON (RFC 8259) keeping the offsets of every value and key, which `JSON.parse` drops and
 * lock-file findings need for their line and column. Never throws; nesting is bounded.
 */
export function parseJsonTree(text: string): JsonTreeResult {
  const parser = new Parser(text);
  try {
    const root = parser.value(0);
    parser.space();
    if (parser.at < text.length) throw new JsonSyntaxError('unexpected text after the JSON value', parser.at);
    return { ok: true, root };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

/** The value of the last member named `key` (as `JSON.parse` keeps the last duplicate). */
export function memberOf(node: JsonNode | undefined, key: string): JsonMember | undefined {
  if (node?.kind !== 'object') return undefined;
  let found: JsonMember | undefined;
  for (const member of node.members) if (member.key === key) found = member;
  return found;
}

/** The value of member `key` when it is a string. */
export function stringOf(node: JsonNode | undefined, key: string): string | undefined {
  const value = memberOf(node, key)?.value;
  return value?.kind === 'string' ? value.value : undefined;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  at = 0;

  constructor(private readonly text: string) {}

  space(): void {
    while (this.at < this.text.length) {
      const ch = this.text.charCodeAt(this.at);
      if (ch !== 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d) break;
      this.at++;
    }
  }

  value(depth: number): JsonNode {
    if (depth > MAX_JSON_DEPTH) throw new JsonSyntaxError('nesting is too deep', this.at);
    this.space();
    const start = this.at;
    const ch = this.text[start];
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') {
      const value = this.string();
      return { kind: 'string', start, end: this.at, value };
    }
    if (this.text.startsWith('true', start)) return this.literal('boolean', 4, true);
    if (this.text.startsWith('false', start)) return this.literal('boolean', 5, false);
    if (this.text.startsWith('null', start)) {
      this.at += 4;
      return { kind: 'null', start, end: this.at };
    }
    NUMBER.lastIndex = start;
    const number = NUMBER.exec(this.text);
    if (number !== null && number[0] !== '') {
      this.at += number[0].length;
      return { kind: 'number', start, end: this.at, value: Number(number[0]) };
    }
    throw new JsonSyntaxError(
      ch === undefined ? 'unexpected end of the file' : 'expected a JSON value',
      start,
    );
  }

  private literal(kind: 'boolean', length: number, value: boolean): JsonNode {
    const start = this.at;
    this.at += length;
    return { kind, start, end: this.at, value };
  }

  private object(depth: number): JsonNode {
    const start = this.at++;
    const members: JsonMember[] = [];
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return { kind: 'object', start, end: this.at, members };
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') throw new JsonSyntaxError('expected a quoted key', this.at);
      const keyStart = this.at;
      const key = this.string();
      const keyEnd = this.at;
      this.space();
      if (this.text[this.at] !== ':') throw new JsonSyntaxError('expected ":" after a key', this.at);
      this.at++;
      members.push({ key, keyStart, keyEnd, value: this.value(depth + 1) });
      this.space();
      const next = this.text[this.at];
      this.at++;
      if (next === '}') return { kind: 'object', start, end: this.at, members };
      if (next !== ',') throw new JsonSyntaxError('expected "," or "}"', this.at - 1);
    }
  }

  private array(depth: number): JsonNode {
    const start = this.at++;
    const items: JsonNode[] = [];
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return { kind: 'array', start, end: this.at, items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.space();
      const next = this.text[this.at];
      this.at++;
      if (next === ']') return { kind: 'array', start, end: this.at, items };
      if (next !== ',') throw new JsonSyntaxError('expected "," or "]"', this.at - 1);
    }
  }

  private string(): string {
    const start = this.at++;
    let value = '';
    let chunk = this.at;
    while (this.at < this.text.length) {
      const code = this.text.charCodeAt(this.at);
      if (code === 0x22) {
        value += this.text.slice(chunk, this.at);
        this.at++;
        return value;
      }
      if (code < 0x20) throw new JsonSyntaxError('control character in a string', this.at);
      if (code === 0x5c) {
        value += this.text.slice(chunk, this.at);
        value += this.escape();
        chunk = this.at;
        continue;
      }
      this.at++;
    }
    throw new JsonSyntaxError('unterminated string', start);
  }

  private escape(): string {
    const next = this.text[this.at + 1];
    if (next !== undefined && JSON_SIMPLE_ESCAPES[next] !== undefined) {
      this.at += 2;
      return JSON_SIMPLE_ESCAPES[next];
    }
    if (next === 'u') {
      const hex = this.text.slice(this.at + 2, this.at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('bad \\u escape', this.at);
      this.at += 6;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    throw new JsonSyntaxError('bad escape in a string', this.at);
  }
}
