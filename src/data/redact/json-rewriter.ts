import { BulwarkError } from '../../core/errors.js';
import { keySegment } from '../readers/json-scanner.js';
import type { TextMatch } from '../types.js';
import { decodeJsonString, jsonStringEnd, type DecodedJsonString } from './json-strings.js';
import { applyEdits, type RawEdit, type Redactor } from './redactor.js';
import type { TextCodec } from './lossless-text.js';

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'commaOrEnd' | 'done';

interface Frame {
  readonly array: boolean;
  readonly path: string;
  /** The elements of a top-level array are records; the array itself is not part of any path. */
  readonly topArray: boolean;
  key: string;
  index: number;
}

/** A JSON syntax fault: where, and what. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const NUMBER_CHARS = /[-+.eE0-9]*/y;
const LETTERS = /[a-z]*/y;
/** Longest string or number held while waiting for its end (default 64 Mi code units). */
export const MAX_JSON_TOKEN_LENGTH = 64 * 1024 * 1024;

/**
 * An incremental JSON / JSON Lines rewriter: it walks the text token by token, keeping each value's
 * JSON path (`$.user.email`, `$.items[2]`, as the data reader names them), hands every string and
 * number value to the redactor with its path as context, and gives back the text with only the
 * sensitive spans changed. Memory is the nesting stack plus one token. Replacements inside strings are
 * JSON-escaped; a sensitive number becomes a string, since a token is not a number.
 */
export class JsonRewriter {
  readonly #redactor: Redactor;
  readonly #codec: TextCodec;
  readonly #lines: boolean;
  readonly #stack: Frame[] = [];
  #expect: Expect = 'value';
  #text = '';
  #pos = 0;
  #out: string[] = [];
  #flushed = 0;
  #line: number;
  #lineStart = 0;
  #valuePath = '$';

  constructor(
    redactor: Redactor,
    codec: TextCodec,
    options: { readonly lines: boolean; readonly line?: number },
  ) {
    this.#redactor = redactor;
    this.#codec = codec;
    this.#lines = options.lines;
    this.#line = options.line ?? 1;
  }

  /** Reads more text; returns the rewritten text that is complete so far. */
  feed(text: string): string {
    this.#text += text;
    this.#run(false);
    return this.#take();
  }

  /** Ends the input; returns the rest. A value left open is a `JsonSyntaxError`. */
  end(): string {
    this.#run(true);
    if (this.#pos < this.#text.length || this.#stack.length > 0) {
      this.#fail(this.#lines ? 'the line ends inside a record' : 'the file ends inside a value');
    }
    return this.#take();
  }

  #take(): string {
    this.#out.push(this.#text.slice(this.#flushed, this.#pos));
    const out = this.#out.join('');
    this.#out = [];
    this.#lineStart -= this.#pos;
    this.#text = this.#text.slice(this.#pos);
    this.#pos = 0;
    this.#flushed = 0;
    if (this.#text.length > MAX_JSON_TOKEN_LENGTH) {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `a JSON value at line ${this.#line} is longer than ${MAX_JSON_TOKEN_LENGTH} characters`,
      );
    }
    return out;
  }

  #run(final: boolean): void {
    const text = this.#text;
    while (this.#pos < text.length) {
      const code = text.charCodeAt(this.#pos);
      if (code === 0x20 || code === 0x09 || code === 0x0d || code === 0xfeff) {
        this.#pos++;
        continue;
      }
      if (code === 0x0a) {
        this.#pos++;
        this.#newLine(this.#pos);
        continue;
      }
      if (!this.#token(text, code, final)) return;
    }
  }

  /** Handles the token at `#pos`; false when it may continue past the text read so far. */
  #token(text: string, code: number, final: boolean): boolean {
    const expect = this.#expect;
    const expectsValue = expect === 'value' || expect === 'valueOrEnd' || (expect === 'done' && !this.#lines);
    const at = this.#pos;
    switch (code) {
      case 0x22: {
        const end = jsonStringEnd(text, at + 1);
        if (end === -1) {
          if (final) this.#fail('the input ends inside a string');
          return false;
        }
        const raw = text.slice(at + 1, end);
        this.#redactor.checkRaw(raw, () => `line ${this.#line}`);
        if (expect === 'key' || expect === 'keyOrEnd') {
          const top = this.#stack[this.#stack.length - 1] as Frame;
          top.key = this.#decode(raw).value;
          this.#expect = 'colon';
        } else if (expectsValue) {
          this.#startValue();
          this.#rewriteString(raw, at + 1, end);
          this.#completeValue();
        } else {
          this.#fail('unexpected "');
        }
        this.#countLines(raw, at + 1);
        this.#pos = end + 1;
        return true;
      }
      case 0x7b:
      case 0x5b:
        if (!expectsValue) this.#fail(`unexpected ${text[at]}`);
        this.#openContainer(code === 0x5b);
        this.#pos++;
        return true;
      case 0x7d:
      case 0x5d: {
        const top = this.#stack[this.#stack.length - 1];
        const closes =
          top !== undefined &&
          top.array === (code === 0x5d) &&
          (expect === 'commaOrEnd' || expect === (top.array ? 'valueOrEnd' : 'keyOrEnd'));
        if (!closes) this.#fail(`unexpected ${text[at]}`);
        this.#stack.pop();
        if (top?.topArray === true) this.#expect = 'done';
        else this.#completeValue();
        this.#pos++;
        return true;
      }
      case 0x2c: {
        const top = this.#stack[this.#stack.length - 1];
        if (expect !== 'commaOrEnd' || top === undefined) this.#fail('unexpected ,');
        if (top?.array === true) top.index++;
        this.#expect = top?.array === true ? 'value' : 'key';
        this.#pos++;
        return true;
      }
      case 0x3a:
        if (expect !== 'colon') this.#fail('unexpected :');
        this.#expect = 'value';
        this.#pos++;
        return true;
      default:
        return this.#scalar(text, code, final, expectsValue);
    }
  }

  /** A number or a literal (true, false, null). */
  #scalar(text: string, code: number, final: boolean, expectsValue: boolean): boolean {
    const at = this.#pos;
    const isLiteral = code >= 0x61 && code <= 0x7a;
    if (!expectsValue || !(isLiteral || code === 0x2d || (code >= 0x30 && code <= 0x39))) {
      const shown = code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : (text[at] ?? '');
      this.#fail(this.#expect === 'done' ? `unexpected ${shown} after the value` : `unexpected ${shown}`);
    }
    const pattern = isLiteral ? LETTERS : NUMBER_CHARS;
    pattern.lastIndex = at;
    pattern.test(text);
    const end = pattern.lastIndex;
    if (end >= text.length && !final) return false;
    const raw = text.slice(at, end);
    this.#startValue();
    if (isLiteral) {
      if (raw !== 'true' && raw !== 'false' && raw !== 'null') this.#fail('unexpected word');
    } else {
      if (!NUMBER.test(raw)) this.#fail('invalid number');
      this.#rewriteNumber(raw, at, end);
    }
    this.#completeValue();
    this.#pos = end;
    return true;
  }

  /** A string value: sensitive spans replaced, JSON-escaped, in place. */
  #rewriteString(raw: string, start: number, end: number): void {
    const { value, rawOf } = this.#decode(raw);
    if (value === '') return;
    const matches = this.#redactor.find(value, { field: this.#valuePath });
    this.#redactor.countUnit(matches.length > 0);
    if (matches.length === 0) return;
    const edits: RawEdit[] = matches.map((match) => {
      const from = rawOf(match.start);
      const to = rawOf(match.end);
      const replacement = this.#redactor.replace({
        match,
        value: value.slice(match.start, match.end),
        rawBytes: () => this.#codec.encode(raw.slice(from, to)),
        form: 'span',
        context: { field: this.#valuePath },
      });
      return { start: from, end: to, text: JSON.stringify(replacement).slice(1, -1) };
    });
    this.#emit(start, end, applyEdits(raw, edits));
  }

  /**
   * A number value: when sensitive it becomes a JSON string. Under encrypt the whole number is sealed
   * as one token that remembers it was a number, so `unredact` restores it without quotes.
   */
  #rewriteNumber(raw: string, start: number, end: number): void {
    const matches = this.#redactor.find(raw, { field: this.#valuePath });
    this.#redactor.countUnit(matches.length > 0);
    const first = matches[0];
    if (first === undefined) return;
    if (this.#redactor.operatorFor(first.entity) === 'encrypt') {
      const whole: TextMatch = { ...first, start: 0, end: raw.length };
      const token = this.#redactor.replace({
        match: whole,
        value: raw,
        rawBytes: () => this.#codec.encode(raw),
        form: 'json-number',
      });
      this.#emit(start, end, JSON.stringify(token));
      return;
    }
    const edits = matches.map((match) => ({
      start: match.start,
      end: match.end,
      text: this.#redactor.replace({
        match,
        value: raw.slice(match.start, match.end),
        rawBytes: () => this.#codec.encode(raw.slice(match.start, match.end)),
        form: 'span' as const,
        context: { field: this.#valuePath },
      }),
    }));
    this.#emit(start, end, JSON.stringify(applyEdits(raw, edits)));
  }

  #emit(start: number, end: number, replacement: string): void {
    this.#out.push(this.#text.slice(this.#flushed, start), replacement);
    this.#flushed = end;
  }

  /** A string's value and the raw offset of each of its code units (escapes undone). */
  #decode(raw: string): DecodedJsonString {
    const decoded = decodeJsonString(raw);
    if ('error' in decoded) this.#fail(decoded.error);
    return decoded;
  }

  #startValue(): void {
    const parent = this.#stack[this.#stack.length - 1];
    if (parent === undefined || parent.topArray) this.#valuePath = '$';
    else if (parent.array) this.#valuePath = `${parent.path}[${parent.index}]`;
    else this.#valuePath = parent.path + keySegment(parent.key);
  }

  #openContainer(array: boolean): void {
    if (this.#stack.length >= 256) this.#fail('nesting deeper than 256');
    if (array && !this.#lines && this.#stack.length === 0) {
      this.#stack.push({ array: true, path: '', topArray: true, key: '', index: 0 });
      this.#expect = 'valueOrEnd';
      return;
    }
    this.#startValue();
    this.#stack.push({ array, path: this.#valuePath, topArray: false, key: '', index: 0 });
    this.#expect = array ? 'valueOrEnd' : 'keyOrEnd';
  }

  #completeValue(): void {
    this.#expect = this.#stack.length === 0 ? 'done' : 'commaOrEnd';
  }

  #countLines(raw: string, offset: number): void {
    for (let i = raw.indexOf('\n'); i !== -1; i = raw.indexOf('\n', i + 1)) this.#newLine(offset + i + 1);
  }

  #newLine(start: number): void {
    this.#line++;
    this.#lineStart = start;
  }

  #fail(message: string): never {
    throw new JsonSyntaxError(message, this.#line, this.#pos - this.#lineStart + 1);
  }
}
