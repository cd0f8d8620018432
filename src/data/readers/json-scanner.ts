import { JSON_SIMPLE_ESCAPES } from '../../core/json-escapes.js';
/** Kinds of JSON leaf values. */
export const JSON_LEAF_KINDS = ['string', 'number', 'boolean', 'null'] as const;

/** One of `JSON_LEAF_KINDS`. */
export type JsonLeafKind = (typeof JSON_LEAF_KINDS)[number];

/** A leaf value of a record, with its JSON path from the record root (`$.user.email`, `$.items[2]`). */
export interface JsonLeaf {
  readonly row: number;
  readonly path: string;
  /** The raw key when the leaf is a direct member of the record object (for table column names). */
  readonly key: string | undefined;
  /** Decoded string, or the number's source text (never rounded), `true`/`false`, `null`. */
  readonly value: string;
  readonly kind: JsonLeafKind;
  /** Length of the string before it was cut at `maxValueLength`, when it was. */
  readonly fullLength: number | undefined;
}

/** What the scanner reports, synchronously, while text is fed. */
export interface JsonScanEvents {
  leaf(leaf: JsonLeaf): void;
  /** A record (a JSON Lines value, an element of a top-level array, or another top-level value) ended. */
  recordEnd(row: number): void;
  /** A syntax error; in JSON Lines the scanner continues with the next line, otherwise it stops. */
  error(message: string, position: { line: number; column: number; row: number }): void;
}

/** Scanner settings. */
export interface JsonScanOptions {
  /** JSON Lines: one value per line, `row` is the line; a bad line is skipped. Otherwise a document. */
  readonly lines: boolean;
  /** Longest string kept, in UTF-16 code units (default 1 Mi); the rest is counted, not kept. */
  readonly maxValueLength?: number;
  /** Deepest nesting accepted (default 256). */
  readonly maxDepth?: number;
}

interface Frame {
  readonly array: boolean;
  /** JSON path of the container, `$` for a record root. */
  readonly path: string;
  /** The elements of a top-level array are records; the array itself is not part of any path. */
  readonly topArray: boolean;
  key: string;
  index: number;
}

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'commaOrEnd' | 'done';
type Token = 'none' | 'string' | 'number' | 'literal';

const MAX_NUMBER_LENGTH = 512;
const MAX_KEY_LENGTH = 256;
const SEGMENT_CACHE_SIZE = 4096;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const HEX = /^[0-9a-fA-F]$/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;

/**
 * An incremental JSON / JSON Lines scanner that reports leaf values with their paths without ever
 * building the document: memory is the nesting stack plus one value, whatever the file size. Numbers
 * keep their source text (a 19-digit card number is not rounded). Raw control characters inside
 * strings are tolerated (only a line break ends a JSON Lines record), since the goal is to find
 * data, not to validate it.
 */
export class JsonStreamScanner {
  readonly #lines: boolean;
  readonly #maxValueLength: number;
  readonly #maxDepth: number;
  readonly #events: JsonScanEvents;
  readonly #stack: Frame[] = [];
  readonly #segments = new Map<string, string>();
  #expect: Expect = 'value';
  #token: Token = 'none';
  #buffer = '';
  #bufferLength = 0;
  #isKey = false;
  #escape: 'none' | 'backslash' | 'unicode' = 'none';
  #unicode = '';
  #valuePath = '$';
  #valueKey: string | undefined;
  #skipLine = false;
  #failed = false;
  #line = 1;
  #lineStart = 0;
  #position = 0;
  #row = 0;
  #records = 0;
  /** Next quote, backslash and line feed in the chunk being fed: -1 none left, -2 not looked for yet. */
  #nextQuote = -2;
  #nextBackslash = -2;
  #nextLf = -2;

  constructor(options: JsonScanOptions, events: JsonScanEvents) {
    this.#lines = options.lines;
    this.#maxValueLength = options.maxValueLength ?? 1024 * 1024;
    this.#maxDepth = options.maxDepth ?? 256;
    this.#events = events;
  }

  /** Scans the next piece of text; events fire before it returns. */
  feed(text: string): void {
    const base = this.#position;
    this.#nextQuote = -2;
    this.#nextBackslash = -2;
    this.#nextLf = -2;
    const length = text.length;
    let i = 0;
    while (i < length && !this.#failed) {
      if (this.#skipLine) {
        const newline = text.indexOf('\n', i);
        if (newline === -1) break;
        i = newline + 1;
        this.#newLine(base + i);
        this.#skipLine = false;
        continue;
      }
      const token = this.#token;
      if (token === 'string') {
        i = this.#scanString(text, i, base);
      } else if (token === 'number' || token === 'literal') {
        i = this.#scanScalar(text, i, base);
      } else {
        const code = text.charCodeAt(i);
        if (code === 0x20 || code === 0x09 || code === 0x0d) {
          i++;
        } else {
          this.#position = base + i;
          i = this.#structural(text, i, code, base);
        }
      }
    }
    this.#position = base + length;
  }

  /** Ends the input: a value still open is an error (a truncated file). */
  end(): void {
    if (this.#failed || this.#skipLine) return;
    if (this.#token === 'number' || this.#token === 'literal') this.#finishScalar();
    if (this.#failed) return;
    if (this.#token === 'string' || this.#stack.length > 0) {
      this.#fail(this.#lines ? 'the last line ends inside a record' : 'the file ends inside a value');
    }
  }

  #structural(text: string, i: number, code: number, base: number): number {
    if (code === LF) {
      if (this.#lines && this.#stack.length > 0) {
        this.#fail('the line ends inside a record');
        this.#skipLine = false;
      } else if (this.#lines) {
        this.#expect = 'value';
      }
      this.#newLine(base + i + 1);
      return i + 1;
    }
    const expect = this.#expect;
    const expectsValue = expect === 'value' || expect === 'valueOrEnd' || (expect === 'done' && !this.#lines);
    switch (code) {
      case QUOTE:
        if (expect === 'key' || expect === 'keyOrEnd') {
          this.#startToken('string', true);
          return this.#scanString(text, i + 1, base);
        }
        if (!expectsValue) return this.#unexpected(text, i);
        this.#startValue();
        this.#startToken('string', false);
        return this.#scanString(text, i + 1, base);
      case 0x7b: // {
      case 0x5b: // [
        if (!expectsValue) return this.#unexpected(text, i);
        this.#openContainer(code === 0x5b);
        return i + 1;
      case 0x7d: // }
      case 0x5d: {
        // ]
        const top = this.#stack[this.#stack.length - 1];
        const closes =
          top !== undefined &&
          top.array === (code === 0x5d) &&
          (expect === 'commaOrEnd' || expect === (top.array ? 'valueOrEnd' : 'keyOrEnd'));
        if (!closes) return this.#unexpected(text, i);
        this.#stack.pop();
        if (top.topArray) this.#expect = 'done';
        else this.#completeValue();
        return i + 1;
      }
      case 0x2c: {
        // ,
        const top = this.#stack[this.#stack.length - 1];
        if (expect !== 'commaOrEnd' || top === undefined) return this.#unexpected(text, i);
        if (top.array) top.index++;
        this.#expect = top.array ? 'value' : 'key';
        return i + 1;
      }
      case 0x3a: // :
        if (expect !== 'colon') return this.#unexpected(text, i);
        this.#expect = 'value';
        return i + 1;
      case 0xfeff:
        return i + 1;
      default: {
        const isLiteral = code === 0x74 || code === 0x66 || code === 0x6e; // t f n
        if (!expectsValue || !(isLiteral || code === 0x2d || (code >= 0x30 && code <= 0x39))) {
          return this.#unexpected(text, i);
        }
        this.#startValue();
        this.#startToken(isLiteral ? 'literal' : 'number', false);
        return this.#scanScalar(text, i, base);
      }
    }
  }

  /** Scans a number or literal from `i` to its end (or the end of the chunk). */
  #scanScalar(text: string, i: number, base: number): number {
    const literal = this.#token === 'literal';
    let j = i;
    while (j < text.length) {
      const code = text.charCodeAt(j);
      const continues = literal
        ? code >= 0x61 && code <= 0x7a
        : (code >= 0x30 && code <= 0x39) ||
          code === 0x2e ||
          code === 0x2b ||
          code === 0x2d ||
          code === 0x65 ||
          code === 0x45;
      if (!continues) break;
      j++;
    }
    this.#append(text.slice(i, j));
    this.#position = base + j;
    if (this.#bufferLength > MAX_NUMBER_LENGTH) {
      this.#fail('a number or literal is too long');
      return j;
    }
    if (j < text.length) this.#finishScalar();
    return j;
  }

  /** Scans string content from `i`; returns where to continue. */
  #scanString(text: string, i: number, base: number): number {
    while (i < text.length) {
      if (this.#escape !== 'none') {
        i = this.#scanEscape(text, i);
        if (this.#failed || this.#skipLine) return i;
        continue;
      }
      const j = this.#nextSpecial(text, i);
      if (j > i) this.#append(text.slice(i, j));
      if (j >= text.length) return j;
      const code = text.charCodeAt(j);
      if (code === QUOTE) {
        this.#finishString();
        return j + 1;
      }
      if (code === BACKSLASH) {
        this.#escape = 'backslash';
        i = j + 1;
        continue;
      }
      // A raw line break: ends a JSON Lines record; tolerated inside a document string.
      this.#position = base + j;
      if (this.#lines) {
        this.#fail('the line ends inside a string');
        this.#skipLine = false;
        this.#newLine(base + j + 1);
        return j + 1;
      }
      this.#append('\n');
      this.#newLine(base + j + 1);
      i = j + 1;
    }
    return i;
  }

  /**
   * Where the string content from `i` stops: the next quote, backslash or line feed (or the end of
   * the chunk). Found with `indexOf` and remembered per chunk, so a long string is not walked
   * character by character and a chunk is searched for each of the three at most once per hit.
   */
  #nextSpecial(text: string, i: number): number {
    if (this.#nextQuote !== -1 && this.#nextQuote < i) this.#nextQuote = text.indexOf('"', i);
    if (this.#nextBackslash !== -1 && this.#nextBackslash < i) this.#nextBackslash = text.indexOf('\\', i);
    if (this.#nextLf !== -1 && this.#nextLf < i) this.#nextLf = text.indexOf('\n', i);
    let at = text.length;
    if (this.#nextQuote !== -1 && this.#nextQuote < at) at = this.#nextQuote;
    if (this.#nextBackslash !== -1 && this.#nextBackslash < at) at = this.#nextBackslash;
    if (this.#nextLf !== -1 && this.#nextLf < at) at = this.#nextLf;
    return at;
  }

  #scanEscape(text: string, i: number): number {
    const c = text[i] ?? '';
    if (this.#escape === 'backslash') {
      if (c === 'u') {
        this.#escape = 'unicode';
        this.#unicode = '';
        return i + 1;
      }
      const decoded = JSON_SIMPLE_ESCAPES[c];
      if (decoded === undefined) {
        this.#fail(`invalid escape \\${c === '\n' ? 'n' : c}`);
        return c === '\n' ? i : i + 1;
      }
      this.#append(decoded);
      this.#escape = 'none';
      return i + 1;
    }
    if (!HEX.test(c)) {
      this.#fail('invalid \\u escape');
      return c === '\n' ? i : i + 1;
    }
    this.#unicode += c;
    if (this.#unicode.length === 4) {
      this.#append(String.fromCharCode(parseInt(this.#unicode, 16)));
      this.#escape = 'none';
    }
    return i + 1;
  }

  #finishScalar(): void {
    const text = this.#buffer;
    const token = this.#token;
    this.#token = 'none';
    if (token === 'number') {
      if (!NUMBER.test(text)) return this.#fail(`invalid number ${text.slice(0, 40)}`);
      this.#emitLeaf(text, 'number');
    } else if (text === 'true' || text === 'false') {
      this.#emitLeaf(text, 'boolean');
    } else if (text === 'null') {
      this.#emitLeaf(text, 'null');
    } else {
      return this.#fail(`unexpected word ${text.slice(0, 40)}`);
    }
    this.#completeValue();
  }

  #finishString(): void {
    this.#token = 'none';
    if (this.#isKey) {
      const top = this.#stack[this.#stack.length - 1];
      if (top !== undefined) top.key = this.#buffer;
      this.#expect = 'colon';
      return;
    }
    this.#emitLeaf(this.#buffer, 'string');
    this.#completeValue();
  }

  #emitLeaf(value: string, kind: JsonLeafKind): void {
    this.#events.leaf({
      row: this.#row,
      path: this.#valuePath,
      key: this.#valueKey,
      value,
      kind,
      fullLength: this.#bufferLength > value.length ? this.#bufferLength : undefined,
    });
  }

  #startToken(token: Token, isKey: boolean): void {
    this.#token = token;
    this.#isKey = isKey;
    this.#buffer = '';
    this.#bufferLength = 0;
    this.#escape = 'none';
  }

  #append(text: string): void {
    const room = (this.#isKey ? MAX_KEY_LENGTH : this.#maxValueLength) - this.#buffer.length;
    if (room > 0) this.#buffer += text.length > room ? text.slice(0, room) : text;
    this.#bufferLength += text.length;
  }

  /** Records where a value starts: its path, and the record it opens when it is a record root. */
  #startValue(): void {
    const parent = this.#stack[this.#stack.length - 1];
    if (parent === undefined || parent.topArray) {
      this.#row = this.#lines ? this.#line : ++this.#records;
      this.#valuePath = '$';
      this.#valueKey = undefined;
    } else if (parent.array) {
      this.#valuePath = `${parent.path}[${parent.index}]`;
      this.#valueKey = undefined;
    } else {
      this.#valuePath = parent.path + this.#segment(parent.key);
      this.#valueKey = parent.path === '$' ? parent.key : undefined;
    }
  }

  /** `keySegment`, cached: the same keys recur in every record. */
  #segment(key: string): string {
    let segment = this.#segments.get(key);
    if (segment === undefined) {
      if (this.#segments.size >= SEGMENT_CACHE_SIZE) this.#segments.clear();
      segment = keySegment(key);
      this.#segments.set(key, segment);
    }
    return segment;
  }

  #openContainer(array: boolean): void {
    if (this.#stack.length >= this.#maxDepth) return this.#fail(`nesting deeper than ${this.#maxDepth}`);
    if (array && !this.#lines && this.#stack.length === 0) {
      this.#stack.push({ array: true, path: '', topArray: true, key: '', index: 0 });
      this.#expect = 'valueOrEnd';
      return;
    }
    this.#startValue();
    this.#stack.push({ array, path: this.#valuePath, topArray: false, key: '', index: 0 });
    this.#expect = array ? 'valueOrEnd' : 'keyOrEnd';
  }

  /** After a value: a record root ends its record; then a comma, a close or the end is expected. */
  #completeValue(): void {
    const parent = this.#stack[this.#stack.length - 1];
    if (parent === undefined || parent.topArray) this.#events.recordEnd(this.#row);
    this.#expect = parent === undefined ? 'done' : 'commaOrEnd';
  }

  #unexpected(text: string, i: number): number {
    const code = text.charCodeAt(i);
    const shown = code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : (text[i] ?? '');
    this.#fail(this.#expect === 'done' ? `unexpected ${shown} after the value` : `unexpected ${shown}`);
    return i + 1;
  }

  #fail(message: string): void {
    this.#events.error(message, {
      line: this.#line,
      column: this.#position - this.#lineStart + 1,
      row: this.#lines ? this.#line : this.#records,
    });
    this.#stack.length = 0;
    this.#token = 'none';
    this.#escape = 'none';
    this.#expect = 'value';
    if (this.#lines) this.#skipLine = true;
    else this.#failed = true;
  }

  #newLine(lineStart: number): void {
    this.#line++;
    this.#lineStart = lineStart;
  }
}

/** The JSONPath segment of an object key: `.name`, or `['odd key']` when it is not an identifier. */
export function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `['${key.replace(/[\\']/g, (c) => `\\${c}`)}']`;
}
