/** A token of Python source as far as the dependency checks need it. */
export interface PyToken {
  readonly kind: 'name' | 'string' | 'number' | 'op' | 'newline';
  /** The raw text (for strings, with prefix and quotes). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** For strings: the content between the quotes, escapes of quotes and backslashes resolved. */
  readonly value?: string;
  /** For strings: an f-string or t-string, whose content is not a literal. */
  readonly formatted?: boolean;
}

const OPERATORS = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '->',
  ':=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  '<<',
  '>>',
];
const STRING_PREFIX = /^(?:[rRuUbBfFtT]|[rR][bBfFtT]|[bBfFtT][rR])?(?='|")/;
const NAME_START = /[\p{L}\p{Nl}_]/u;
const NAME_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]/u;

/**
 * Splits Python source into names, strings, numbers, operators and logical-line ends, dropping
 * comments and backslash continuations. Lenient by design (notebook magics, broken code and
 * unterminated strings still tokenize) and linear: every step moves forward.
 */
export function tokenizePython(text: string): PyToken[] {
  const tokens: PyToken[] = [];
  let depth = 0;
  let at = 0;
  while (at < text.length) {
    const ch = text[at] ?? '';
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      at++;
    } else if (ch === '#') {
      while (at < text.length && text[at] !== '\n' && text[at] !== '\r') at++;
    } else if (ch === '\\' && (text[at + 1] === '\n' || text[at + 1] === '\r')) {
      at += text[at + 1] === '\r' && text[at + 2] === '\n' ? 3 : 2;
    } else if (ch === '\n' || ch === '\r') {
      if (depth === 0) tokens.push({ kind: 'newline', text: '\n', start: at, end: at + 1 });
      at++;
    } else if (STRING_PREFIX.test(text.slice(at, at + 3))) {
      const token = readString(text, at);
      tokens.push(token);
      at = token.end;
    } else if (NAME_START.test(ch)) {
      let end = at + 1;
      while (end < text.length && NAME_PART.test(text[end] ?? '')) end++;
      tokens.push({ kind: 'name', text: text.slice(at, end), start: at, end });
      at = end;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[at + 1] ?? ''))) {
      let end = at + 1;
      while (end < text.length && /[0-9A-Za-z_.]/.test(text[end] ?? '')) end++;
      tokens.push({ kind: 'number', text: text.slice(at, end), start: at, end });
      at = end;
    } else {
      const op = OPERATORS.find((candidate) => text.startsWith(candidate, at)) ?? ch;
      if (op === '(' || op === '[' || op === '{') depth++;
      else if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
      tokens.push({ kind: 'op', text: op, start: at, end: at + op.length });
      at += op.length;
    }
  }
  return tokens;
}

function readString(text: string, start: number): PyToken {
  const prefix = STRING_PREFIX.exec(text.slice(start, start + 3))?.[0] ?? '';
  const quoteAt = start + prefix.length;
  const quote = text[quoteAt] ?? '"';
  const triple = text.startsWith(quote.repeat(3), quoteAt);
  const delimiter = triple ? quote.repeat(3) : quote;
  const raw = /[rR]/.test(prefix);
  let at = quoteAt + delimiter.length;
  let value = '';
  while (at < text.length) {
    const ch = text[at] ?? '';
    if (text.startsWith(delimiter, at)) {
      at += delimiter.length;
      break;
    }
    if (!triple && (ch === '\n' || ch === '\r')) break;
    if (ch === '\\' && at + 1 < text.length) {
      const next = text[at + 1] ?? '';
      value += raw ? ch + next : next === '\n' ? '' : next === quote || next === '\\' ? next : ch + next;
      at += 2;
      continue;
    }
    value += ch;
    at++;
  }
  return {
    kind: 'string',
    text: text.slice(start, at),
    start,
    end: at,
    value,
    formatted: /[fFtT]/.test(prefix),
  };
}
