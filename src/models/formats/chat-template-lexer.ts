/** Kinds of tokens inside a Jinja block. */
export type TemplateTokenKind = 'name' | 'string' | 'number' | 'operator';

/** One token of a Jinja expression or statement. */
export interface TemplateToken {
  readonly kind: TemplateTokenKind;
  /** Identifier, decoded string value, number text or operator. */
  readonly value: string;
  /** Character index of the token in the template. */
  readonly index: number;
  /** A string literal written with escapes that spell characters (`\x5f`, `\u005f`, `\137`, `\N{…}`). */
  readonly isEscaped?: boolean;
  /** A string computed by folding or substitution rather than written as one literal. */
  readonly isDerived?: boolean;
}

/** A piece of a template: literal text, an expression block `{{ }}` or a statement block `{% %}`. */
export type TemplateSegment =
  | { readonly kind: 'text'; readonly text: string; readonly index: number }
  | {
      readonly kind: 'expression' | 'statement';
      readonly tokens: readonly TemplateToken[];
      readonly index: number;
      /** True when the block had more tokens than are kept; the rest starts at `restIndex`. */
      readonly isTruncated: boolean;
      readonly restIndex: number;
      readonly end: number;
    };

/** Tokens kept per block; a longer block is cut and its remainder searched as raw text. */
export const MAX_BLOCK_TOKENS = 50_000;

const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)/y;
const TWO_CHAR_OPERATORS = new Set(['//', '**', '==', '!=', '<=', '>=']);
const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);
const END_RAW = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;

/**
 * Splits a Jinja template into text and blocks the way Jinja's lexer does: comments `{# #}` are
 * dropped, `{% raw %}` bodies stay text, and a block ends at `}}` / `%}` only outside strings and
 * brackets. Blocks are tokenized with string escapes decoded as Python's unicode-escape does. Never
 * throws; an unterminated block runs to the end of the template.
 */
export function lexTemplate(template: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let i = 0;
  while (i < template.length) {
    const open = nextBlockStart(template, i);
    if (open > i) segments.push({ kind: 'text', text: template.slice(i, open), index: i });
    if (open >= template.length) break;
    const marker = template[open + 1];
    if (marker === '#') {
      const close = template.indexOf('#}', open + 2);
      i = close < 0 ? template.length : close + 2;
      continue;
    }
    const block = lexBlock(template, open + 2, marker === '{' ? '}' : '%');
    const kind = marker === '{' ? 'expression' : 'statement';
    segments.push({ kind, index: open, ...block });
    i = block.end;
    if (kind === 'statement' && block.tokens.length === 1 && block.tokens[0]?.value === 'raw') {
      END_RAW.lastIndex = i;
      const endRaw = END_RAW.exec(template);
      const rawEnd = endRaw === null ? template.length : endRaw.index;
      if (rawEnd > i) segments.push({ kind: 'text', text: template.slice(i, rawEnd), index: i });
      i = endRaw === null ? template.length : endRaw.index + endRaw[0].length;
    }
  }
  return segments;
}

function nextBlockStart(template: string, from: number): number {
  let at = template.indexOf('{', from);
  while (at >= 0) {
    const next = template[at + 1];
    if (next === '{' || next === '%' || next === '#') return at;
    at = template.indexOf('{', at + 1);
  }
  return template.length;
}

function lexBlock(
  t: string,
  start: number,
  closer: '}' | '%',
): { tokens: TemplateToken[]; isTruncated: boolean; restIndex: number; end: number } {
  const tokens: TemplateToken[] = [];
  let depth = 0;
  let i = start;
  if (t[i] === '-' || t[i] === '+') i++;
  let restIndex = t.length;
  while (i < t.length) {
    const c = t[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (depth === 0) {
      if (c === closer && t[i + 1] === '}')
        return { tokens, isTruncated: restIndex < t.length, restIndex, end: i + 2 };
      if ((c === '-' || c === '+') && t[i + 1] === closer && t[i + 2] === '}')
        return { tokens, isTruncated: restIndex < t.length, restIndex, end: i + 3 };
    }
    const { token, end } = lexToken(t, i);
    if (token.kind === 'operator' && OPENERS.has(token.value)) depth++;
    else if (token.kind === 'operator' && CLOSERS.has(token.value)) depth = Math.max(0, depth - 1);
    if (tokens.length < MAX_BLOCK_TOKENS) tokens.push(token);
    else if (restIndex === t.length) restIndex = i;
    i = end;
  }
  return { tokens, isTruncated: restIndex < t.length, restIndex, end: t.length };
}

function lexToken(t: string, i: number): { token: TemplateToken; end: number } {
  const c = t[i] ?? '';
  const make = (kind: TemplateTokenKind, value: string, end: number, isEscaped = false) => ({
    token: isEscaped ? { kind, value, index: i, isEscaped } : { kind, value, index: i },
    end,
  });
  if (c === "'" || c === '"') {
    const end = stringEnd(t, i);
    const decoded = decodePythonEscapes(t.slice(i + 1, end - 1));
    return make('string', decoded.value, end, decoded.isEscaped);
  }
  NAME.lastIndex = i;
  const name = NAME.exec(t);
  if (name !== null) return make('name', name[0], i + name[0].length);
  NUMBER.lastIndex = i;
  const number = NUMBER.exec(t);
  if (number !== null) return make('number', number[0], i + number[0].length);
  const two = t.slice(i, i + 2);
  if (TWO_CHAR_OPERATORS.has(two)) return make('operator', two, i + 2);
  const code = t.codePointAt(i) ?? 0;
  const width = code > 0xffff ? 2 : 1;
  return make('operator', t.slice(i, i + width), i + width);
}

/** Index after the string literal opening at `start` (its closing quote, or the template's end). */
function stringEnd(t: string, start: number): number {
  const quote = t[start];
  for (let i = start + 1; i < t.length; i++) {
    const c = t[i];
    if (c === '\\') i++;
    else if (c === quote) return i + 1;
  }
  return t.length + 1;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/**
 * Decodes Python `unicode-escape` sequences as Jinja does for string literals. `\N{…}` names are
 * resolved for the characters that spell identifiers; other names decode to U+FFFD.
 */
export function decodePythonEscapes(raw: string): { value: string; isEscaped: boolean } {
  if (!raw.includes('\\')) return { value: raw, isEscaped: false };
  let out = '';
  let isEscaped = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const e = raw[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = raw.slice(i + 2, i + 2 + hexLength);
    if (hexLength > 0 && hex.length === hexLength && /^[0-9a-fA-F]+$/.test(hex)) {
      out += fromCodePoint(Number.parseInt(hex, 16));
      isEscaped = true;
      i += 1 + hexLength;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(raw.slice(i + 1, i + 4));
    if (octal !== null) {
      out += String.fromCharCode(Number.parseInt(octal[0], 8));
      isEscaped = true;
      i += octal[0].length;
      continue;
    }
    const named = e === 'N' ? /^\{([^}]{1,64})\}/.exec(raw.slice(i + 2)) : null;
    if (named !== null) {
      out += characterNamed(named[1] ?? '');
      isEscaped = true;
      i += 1 + named[0].length;
      continue;
    }
    out += c;
  }
  return { value: out, isEscaped };
}

function fromCodePoint(code: number): string {
  return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
}

/** The characters of Python identifiers, by Unicode name; enough to decode `\N{LOW LINE}` tricks. */
function characterNamed(name: string): string {
  const upper = name.trim().toUpperCase().replace(/\s+/g, ' ');
  if (upper === 'LOW LINE') return '_';
  if (upper === 'FULL STOP') return '.';
  if (upper === 'SPACE') return ' ';
  const letter = /^LATIN (SMALL|CAPITAL) LETTER ([A-Z])$/.exec(upper);
  if (letter !== null) return letter[1] === 'SMALL' ? (letter[2] ?? '').toLowerCase() : (letter[2] ?? '');
  const digit = /^DIGIT (ZERO|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE)$/.exec(upper);
  if (digit !== null)
    return String(
      ['ZERO', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE'].indexOf(
        digit[1] ?? '',
      ),
    );
  return '\ufffd';
}
