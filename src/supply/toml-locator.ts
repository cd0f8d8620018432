/** A key or string value of a TOML document with its offsets (`end` exclusive, quotes included). */
export interface TomlToken {
  readonly kind: 'key' | 'string';
  /** The decoded key or string. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /**
   * For a key, the path of the table that holds it; for a string, the path of the key it is the
   * value of (array indexes are not part of paths).
   */
  readonly path: readonly string[];
  /** Which `[[array]]` table element the token belongs to, for the nearest array table above it. */
  readonly element?: { readonly table: string; readonly index: number };
}

/** What to look for with {@link TomlLocator.take}. */
export interface TomlQuery {
  readonly kind: 'key' | 'string';
  readonly path: readonly string[];
  readonly value?: string;
  /** Restricts the search to one element of an array of tables (`package`, 3). */
  readonly element?: { readonly table: string; readonly index: number };
}

interface Frame {
  readonly kind: 'array' | 'inline';
  readonly path: string[];
  readonly savedKey: string[];
}

/** Tells whether a character may appear in a bare key (`A-Za-z0-9_-`). */
function isBareKey(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x2d
  );
}

/**
 * Finds where keys and strings of a TOML document are, which `smol-toml` does not report: a small
 * lexer that follows tables, arrays of tables, dotted keys, inline tables and arrays, and records
 * every key and string value. Run it on documents the parser accepted; it never throws and always
 * moves forward, whatever the input.
 */
export class TomlLocator {
  readonly tokens: TomlToken[] = [];
  /** Tokens by kind and path, in document order. */
  readonly #byPath = new Map<string, TomlToken[]>();
  /** Tokens by array-table element (`package` 3), in document order. */
  readonly #byElement = new Map<string, TomlToken[]>();
  readonly #taken = new Set<TomlToken>();

  constructor(text: string) {
    lex(text, this.tokens);
    for (const token of this.tokens) {
      append(this.#byPath, pathKey(token.kind, token.path), token);
      if (token.element !== undefined) append(this.#byElement, elementKey(token.element), token);
    }
  }

  /** The first matching token not taken before, so duplicate values map to successive places. */
  take(query: TomlQuery): TomlToken | undefined {
    const key = pathKey(query.kind, query.path);
    const candidates =
      query.element === undefined ? this.#byPath.get(key) : this.#byElement.get(elementKey(query.element));
    const token = candidates?.find(
      (candidate) =>
        !this.#taken.has(candidate) &&
        (query.value === undefined || candidate.value === query.value) &&
        (query.element === undefined || pathKey(candidate.kind, candidate.path) === key),
    );
    if (token !== undefined) this.#taken.add(token);
    return token;
  }
}

function append(index: Map<string, TomlToken[]>, key: string, token: TomlToken): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [token]);
  else list.push(token);
}

function pathKey(kind: TomlToken['kind'], path: readonly string[]): string {
  return `${kind}\u0001${path.join('\u0000')}`;
}

function elementKey(element: NonNullable<TomlToken['element']>): string {
  return `${element.table}\u0002${element.index}`;
}

function lex(text: string, tokens: TomlToken[]): void {
  const arrayTables = new Map<string, number>();
  let table: string[] = [];
  let element: TomlToken['element'];
  const stack: Frame[] = [];
  let key: string[] = [];
  let expectKey = true;
  let valuePath: string[] = [];
  let at = 0;
  const base = (): string[] => (stack.length === 0 ? table : (stack[stack.length - 1]?.path ?? table));
  const push = (token: Omit<TomlToken, 'element'>): void => {
    tokens.push(element === undefined ? token : { ...token, element });
  };

  while (at < text.length) {
    const ch = text[at] ?? '';
    if (ch === ' ' || ch === '\t') {
      at++;
    } else if (ch === '\n' || ch === '\r') {
      if (stack.length === 0) {
        expectKey = true;
        key = [];
      }
      at++;
    } else if (ch === '#') {
      while (at < text.length && text[at] !== '\n' && text[at] !== '\r') at++;
    } else if (stack.length === 0 && expectKey && ch === '[' && key.length === 0) {
      const header = readHeader(text, at);
      table = header.path;
      at = header.end;
      const name = table.join('.');
      if (header.isArray) arrayTables.set(name, (arrayTables.get(name) ?? 0) + 1);
      element = undefined;
      for (let length = table.length; length > 0; length--) {
        const prefix = table.slice(0, length).join('.');
        const count = arrayTables.get(prefix);
        if (count !== undefined) {
          element = { table: prefix, index: count - 1 };
          break;
        }
      }
    } else if (expectKey) {
      if (ch === '"' || ch === "'") {
        const string = readString(text, at);
        push({ kind: 'key', value: string.value, start: at, end: string.end, path: [...base(), ...key] });
        key.push(string.value);
        at = string.end;
      } else if (isBareKey(ch)) {
        let end = at;
        while (end < text.length && isBareKey(text[end] ?? '')) end++;
        const value = text.slice(at, end);
        push({ kind: 'key', value, start: at, end, path: [...base(), ...key] });
        key.push(value);
        at = end;
      } else if (ch === '=') {
        valuePath = [...base(), ...key];
        expectKey = false;
        at++;
      } else if (ch === '}' && stack[stack.length - 1]?.kind === 'inline') {
        at = closeFrame(stack.pop(), at);
      } else {
        at++;
      }
    } else if (ch === '"' || ch === "'") {
      const string = readString(text, at);
      push({ kind: 'string', value: string.value, start: at, end: string.end, path: valuePath });
      at = string.end;
    } else if (ch === '[') {
      stack.push({ kind: 'array', path: valuePath, savedKey: key });
      at++;
    } else if (ch === '{') {
      stack.push({ kind: 'inline', path: valuePath, savedKey: key });
      key = [];
      expectKey = true;
      at++;
    } else if (ch === ']' || ch === '}') {
      at = closeFrame(stack.pop(), at);
    } else if (ch === ',') {
      if (stack[stack.length - 1]?.kind === 'inline') {
        key = [];
        expectKey = true;
      } else valuePath = base();
      at++;
    } else {
      at++;
    }
  }

  function closeFrame(frame: Frame | undefined, position: number): number {
    if (frame !== undefined) {
      key = frame.savedKey;
      valuePath = frame.path;
    }
    expectKey = false;
    return position + 1;
  }
}

function readHeader(text: string, start: number): { path: string[]; isArray: boolean; end: number } {
  const isArray = text[start + 1] === '[';
  let at = start + (isArray ? 2 : 1);
  const path: string[] = [];
  while (at < text.length && text[at] !== ']' && text[at] !== '\n' && text[at] !== '\r') {
    const ch = text[at] ?? '';
    if (ch === '"' || ch === "'") {
      const string = readString(text, at);
      path.push(string.value);
      at = string.end;
    } else if (isBareKey(ch)) {
      let end = at;
      while (end < text.length && isBareKey(text[end] ?? '')) end++;
      path.push(text.slice(at, end));
      at = end;
    } else at++;
  }
  while (at < text.length && text[at] === ']') at++;
  return { path, isArray, end: at };
}

/** Reads a basic, literal or multi-line string starting at a quote; returns its value and end. */
function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start] ?? '"';
  const quoteCode = quote.charCodeAt(0);
  const delimiter = quote.repeat(3);
  const triple = text.startsWith(delimiter, start);
  const literal = quote === "'";
  let at = start + (triple ? 3 : 1);
  if (triple && text[at] === '\n') at++;
  else if (triple && text[at] === '\r' && text[at + 1] === '\n') at += 2;
  let value = '';
  let chunk = at;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === quoteCode && (!triple || text.startsWith(delimiter, at))) {
      value += text.slice(chunk, at);
      let end = at + (triple ? 3 : 1);
      // Up to two quotes may directly precede the closing delimiter of a multi-line string.
      while (triple && text.charCodeAt(end) === quoteCode && end - at < 5) {
        value += quote;
        end++;
      }
      return { value, end };
    }
    if (!triple && (code === 0x0a || code === 0x0d)) return { value: value + text.slice(chunk, at), end: at };
    if (code === 0x5c && !literal) {
      value += text.slice(chunk, at);
      const escaped = readEscape(text, at, triple);
      value += escaped.value;
      at = escaped.end;
      chunk = at;
      continue;
    }
    at++;
  }
  return { value: value + text.slice(chunk, at), end: at };
}

const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\u001b',
  '"': '"',
  '\\': '\\',
};

function readEscape(text: string, at: number, multiline: boolean): { value: string; end: number } {
  const next = text[at + 1] ?? '';
  const simple = ESCAPES[next];
  if (simple !== undefined) return { value: simple, end: at + 2 };
  const width = next === 'u' ? 4 : next === 'U' ? 8 : next === 'x' ? 2 : 0;
  if (width > 0) {
    const code = Number.parseInt(text.slice(at + 2, at + 2 + width), 16);
    const valid = Number.isInteger(code) && code >= 0 && code <= 0x10ffff;
    return { value: valid ? String.fromCodePoint(code) : '', end: at + 2 + width };
  }
  if (multiline && /[ \t\r\n]/.test(next)) {
    let end = at + 1;
    while (end < text.length && /[ \t\r\n]/.test(text[end] ?? '')) end++;
    return { value: '', end };
  }
  return { value: next, end: at + 2 };
}
