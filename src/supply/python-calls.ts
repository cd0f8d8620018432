import type { PyToken } from './python-tokens.js';

/** One argument of a call: token indexes `[start, end)`, and the keyword when there is one. */
export interface CallArgument {
  readonly keyword?: string;
  readonly star?: '*' | '**';
  /** Token indexes of the value (after `name=` or `**`). */
  readonly start: number;
  readonly end: number;
}

/** A call expression `callee(...)` found in the token stream. */
export interface PyCall {
  /** The last name before the parenthesis (`from_pretrained` in `AutoModel.from_pretrained(`). */
  readonly callee: string;
  readonly open: number;
  close: number;
  readonly args: CallArgument[];
}

/** An open bracket while walking tokens; calls carry their argument list. */
export interface BracketFrame {
  readonly bracket: '(' | '[' | '{';
  readonly call?: PyCall;
  argStart: number;
}

const NOT_CALLEES = new Set([
  'if',
  'elif',
  'while',
  'for',
  'in',
  'not',
  'and',
  'or',
  'return',
  'yield',
  'assert',
  'del',
  'with',
  'as',
  'import',
  'from',
  'lambda',
  'await',
  'is',
  'else',
  'except',
  'raise',
  'case',
  'match',
]);

/** What {@link walkCalls} reports for each token: the token index and the open brackets around it. */
export type TokenVisitor = (index: number, frames: readonly BracketFrame[]) => void;

/**
 * Walks the tokens once, tracking brackets: every `name(` opens a call whose arguments are split at
 * top-level commas. `visit` sees each token with the brackets open around it (innermost last);
 * the returned calls are complete. Unbalanced brackets (broken code) are tolerated.
 */
export function walkCalls(tokens: readonly PyToken[], visit: TokenVisitor): PyCall[] {
  const calls: PyCall[] = [];
  const frames: BracketFrame[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined) continue;
    visit(i, frames);
    if (token.kind !== 'op') continue;
    const text = token.text;
    if (text === '(' || text === '[' || text === '{') {
      const previous = tokens[i - 1];
      const isCall = text === '(' && previous?.kind === 'name' && !NOT_CALLEES.has(previous.text);
      const call: PyCall | undefined = isCall
        ? { callee: previous.text, open: i, close: -1, args: [] }
        : undefined;
      if (call !== undefined) calls.push(call);
      frames.push({ bracket: text, argStart: i + 1, ...(call === undefined ? {} : { call }) });
    } else if (text === ',' && frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame?.call !== undefined) frame.call.args.push(argumentOf(tokens, frame.argStart, i));
      if (frame !== undefined) frame.argStart = i + 1;
    } else if (text === ')' || text === ']' || text === '}') {
      const frame = frames.pop();
      if (frame?.call !== undefined) {
        if (frame.argStart < i) frame.call.args.push(argumentOf(tokens, frame.argStart, i));
        frame.call.close = i;
      }
    }
  }
  for (const frame of frames) {
    if (frame.call !== undefined && frame.argStart < tokens.length) {
      frame.call.args.push(argumentOf(tokens, frame.argStart, tokens.length));
    }
  }
  return calls;
}

function argumentOf(tokens: readonly PyToken[], start: number, end: number): CallArgument {
  const first = tokens[start];
  const second = tokens[start + 1];
  if (first?.kind === 'name' && second?.kind === 'op' && second.text === '=') {
    return { keyword: first.text, start: start + 2, end };
  }
  if (first?.kind === 'op' && (first.text === '**' || first.text === '*')) {
    return { star: first.text, start: start + 1, end };
  }
  return { start, end };
}

/** The string literal an argument consists of (implicit concatenation allowed), or undefined. */
export function literalOf(tokens: readonly PyToken[], arg: CallArgument | undefined): PyToken[] | undefined {
  if (arg === undefined || arg.end <= arg.start) return undefined;
  const parts = tokens.slice(arg.start, arg.end);
  if (parts.some((t) => t.kind === 'newline')) return undefined;
  return parts.length > 0 && parts.every((t) => t.kind === 'string' && t.formatted !== true)
    ? parts
    : undefined;
}

/** The argument given by one of `keywords`, or else the positional argument at `position`. */
export function argumentFor(
  call: PyCall,
  keywords: readonly string[],
  position: number,
): CallArgument | undefined {
  const byKeyword = call.args.find((arg) => arg.keyword !== undefined && keywords.includes(arg.keyword));
  if (byKeyword !== undefined) return byKeyword;
  const positional = call.args.filter((arg) => arg.keyword === undefined && arg.star === undefined);
  return positional[position];
}
