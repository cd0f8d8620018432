import type { TemplateToken } from './chat-template-lexer.js';
import { applyFilter, applyMethod, percentFormat, pySlice, type Constant } from './chat-template-strings.js';

/** Longest string that folding builds; names hidden by obfuscation are far shorter. */
export const MAX_FOLDED_LENGTH = 4096;
/** Largest repetition count folded (`'_' * 2`); larger ones are left alone (and reported elsewhere). */
const MAX_REPEAT = 4096;
const MAX_PASSES = 12;
const MAX_LIST_ITEMS = 4096;

/** Operators that bind tighter than `~` / `+`, so an operand next to them must not be folded first. */
const TIGHTER = new Set(['.', '|', '*', '/', '//', '%', '**']);
/** Tokens after an operand that apply to it before any binary operator does. */
const POSTFIX = new Set(['|', '.', '[', '(', '*', '/', '//', '%', '**']);

interface Reduction {
  readonly emit: readonly TemplateToken[];
  /** Index of the first input token not consumed. */
  readonly next: number;
}

/**
 * Folds constant string expressions of a Jinja token list into single string tokens: concatenation
 * (`~`, `+`, adjacent literals), repetition, `%` and `.format()` formatting, the filters and methods
 * that rebuild strings (`reverse`, `join`, `format`, `replace`, `lower`, `[::-1]`…) and constant lists
 * joined or reversed. This is how `'__cla' ~ 'ss__'` or `['__ssalc__'|reverse]|join` become the name
 * they hide. Folded tokens are marked `isDerived`; the result is bounded in length and passes.
 */
export function foldTokens(tokens: readonly TemplateToken[]): TemplateToken[] {
  let current = [...tokens];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { output, isChanged } = foldPass(current);
    current = output;
    if (!isChanged) break;
  }
  return current;
}

function foldPass(input: readonly TemplateToken[]): { output: TemplateToken[]; isChanged: boolean } {
  const output: TemplateToken[] = [];
  let isChanged = false;
  let i = 0;
  while (i < input.length) {
    const reduction = reduceAt(input, i, output[output.length - 1]);
    if (reduction === undefined) {
      output.push(input[i] as TemplateToken);
      i++;
    } else {
      output.push(...reduction.emit);
      i = reduction.next;
      isChanged = true;
    }
  }
  return { output, isChanged };
}

function reduceAt(
  t: readonly TemplateToken[],
  i: number,
  previous: TemplateToken | undefined,
): Reduction | undefined {
  const token = t[i];
  if (token === undefined) return undefined;
  if ((isOp(token, '[') || isOp(token, '(')) && !isCallee(previous)) return reduceList(t, i);
  if (token.kind === 'number' && isOp(t[i + 1], '*') && t[i + 2]?.kind === 'string' && !isTighter(previous))
    return repeat(t[i + 2] as TemplateToken, Number(token.value), i + 3, token.index);
  if (token.kind !== 'string') return undefined;
  // Adjacent literals are one primary in Jinja ('a' 'b' is 'ab'), tighter than any operator.
  const adjacent = t[i + 1];
  if (adjacent?.kind === 'string')
    return { emit: [derived(token.value + adjacent.value, token.index)], next: i + 2 };
  return reducePostfix(t, i) ?? (isTighter(previous) ? undefined : reduceBinary(t, i));
}

function reduceList(t: readonly TemplateToken[], i: number): Reduction | undefined {
  const grouped = t[i + 1];
  if (isOp(t[i], '(') && grouped?.kind === 'string' && isOp(t[i + 2], ')'))
    return { emit: [grouped], next: i + 3 };
  const list = parseConstList(t, i);
  if (list === undefined) return undefined;
  const index = t[i]?.index ?? 0;
  const [only] = list.items;
  if (isOp(t[i], '(') && !list.hasComma && list.items.length === 1 && only !== undefined)
    return { emit: [constantToken(only, index)], next: list.end };
  if (!isOp(t[list.end], '|') || t[list.end + 1]?.kind !== 'name') return undefined;
  const filter = t[list.end + 1]?.value ?? '';
  const after = list.end + 2;
  switch (filter) {
    case 'join': {
      const args = isOp(t[after], '(') ? parseArgs(t, after) : { values: [], end: after };
      if (args === undefined) return undefined;
      const separator = args.values[0] ?? '';
      return { emit: [derived(list.items.map(String).join(String(separator)), index)], next: args.end };
    }
    case 'reverse':
      return { emit: listTokens([...list.items].reverse(), index), next: after };
    case 'list':
      return { emit: listTokens(list.items, index), next: after };
    case 'first':
    case 'last': {
      const item = filter === 'first' ? list.items[0] : list.items[list.items.length - 1];
      return item === undefined ? undefined : { emit: [constantToken(item, index)], next: after };
    }
    default:
      return undefined;
  }
}

function reducePostfix(t: readonly TemplateToken[], i: number): Reduction | undefined {
  const token = t[i] as TemplateToken;
  const value = token.value;
  const name = t[i + 2]?.kind === 'name' ? t[i + 2]?.value : undefined;
  if (isOp(t[i + 1], '|') && name !== undefined) {
    if (name === 'list')
      return { emit: listTokens([...value].slice(0, MAX_LIST_ITEMS), token.index), next: i + 3 };
    const args = isOp(t[i + 3], '(') ? parseArgs(t, i + 3) : { values: [], end: i + 3 };
    if (args === undefined) return undefined;
    const result = applyFilter(name, value, args.values);
    return result === undefined ? undefined : { emit: [transformed(token, result)], next: args.end };
  }
  if (isOp(t[i + 1], '.') && name !== undefined && isOp(t[i + 3], '(')) {
    if (name === 'join') {
      const list = isOp(t[i + 4], '[') || isOp(t[i + 4], '(') ? parseConstList(t, i + 4) : undefined;
      if (list === undefined || !isOp(t[list.end], ')')) return undefined;
      return { emit: [derived(list.items.map(String).join(value), token.index)], next: list.end + 1 };
    }
    const args = parseArgs(t, i + 3);
    if (args === undefined) return undefined;
    const result = applyMethod(name, value, args.values, args.keywords);
    return result === undefined ? undefined : { emit: [transformed(token, result)], next: args.end };
  }
  if (isOp(t[i + 1], '[')) return reduceSlice(t, i);
  return undefined;
}

function reduceBinary(t: readonly TemplateToken[], i: number): Reduction | undefined {
  const left = t[i] as TemplateToken;
  const operator = t[i + 1];
  const right = t[i + 2];
  if (
    (isOp(operator, '~') || isOp(operator, '+')) &&
    right?.kind === 'string' &&
    !POSTFIX.has(t[i + 3]?.value ?? '')
  )
    return { emit: [derived(left.value + right.value, left.index)], next: i + 3 };
  if (isOp(operator, '*') && right?.kind === 'number' && !POSTFIX.has(t[i + 3]?.value ?? ''))
    return repeat(left, Number(right.value), i + 3, left.index);
  if (isOp(operator, '%')) {
    if (right?.kind === 'string' && !POSTFIX.has(t[i + 3]?.value ?? '')) {
      const result = percentFormat(left.value, [right.value]);
      return result === undefined ? undefined : { emit: [derived(result, left.index)], next: i + 3 };
    }
    if (isOp(right, '(')) {
      const list = parseConstList(t, i + 2);
      if (list === undefined || POSTFIX.has(t[list.end]?.value ?? '')) return undefined;
      const result = percentFormat(left.value, list.items);
      return result === undefined ? undefined : { emit: [derived(result, left.index)], next: list.end };
    }
  }
  return undefined;
}

function reduceSlice(t: readonly TemplateToken[], i: number): Reduction | undefined {
  const token = t[i] as TemplateToken;
  const parts: (number | undefined)[] = [undefined];
  let j = i + 2;
  for (; j < t.length && j < i + 12 && !isOp(t[j], ']'); j++) {
    const part = t[j];
    if (isOp(part, ':')) parts.push(undefined);
    else if (isOp(part, '-') && t[j + 1]?.kind === 'number') {
      parts[parts.length - 1] = -Number(t[j + 1]?.value.replaceAll('_', ''));
      j++;
    } else if (part?.kind === 'number') parts[parts.length - 1] = Number(part.value.replaceAll('_', ''));
    else return undefined;
  }
  if (!isOp(t[j], ']') || parts.length > 3) return undefined;
  const chars = [...token.value];
  const [start, stop, step] = parts;
  if (parts.length === 1) {
    if (start === undefined || !Number.isInteger(start)) return undefined;
    const char = chars[start < 0 ? chars.length + start : start];
    return char === undefined ? undefined : { emit: [derived(char, token.index)], next: j + 1 };
  }
  const sliced = pySlice(chars, start, stop, step ?? 1);
  return sliced === undefined ? undefined : { emit: [derived(sliced, token.index)], next: j + 1 };
}

function repeat(token: TemplateToken, count: number, next: number, index: number): Reduction | undefined {
  if (!Number.isInteger(count) || count < 0 || count > MAX_REPEAT) return undefined;
  return { emit: [derived(token.value.repeat(count), index)], next };
}

/** Parses `( const, …, name=const )` starting at the `(` at `i`; undefined if any argument is not constant. */
function parseArgs(
  t: readonly TemplateToken[],
  i: number,
): { values: Constant[]; keywords: Map<string, Constant>; end: number } | undefined {
  const values: Constant[] = [];
  const keywords = new Map<string, Constant>();
  let j = i + 1;
  while (j < t.length && !isOp(t[j], ')')) {
    let keyword: string | undefined;
    if (t[j]?.kind === 'name' && isOp(t[j + 1], '=')) {
      keyword = t[j]?.value;
      j += 2;
    }
    const constant = readConstant(t, j);
    if (constant === undefined) return undefined;
    if (keyword === undefined) values.push(constant.value);
    else keywords.set(keyword, constant.value);
    j = constant.end;
    if (isOp(t[j], ',')) j++;
    else if (!isOp(t[j], ')')) return undefined;
  }
  return isOp(t[j], ')') ? { values, keywords, end: j + 1 } : undefined;
}

/** Parses a list `[…]` or tuple `(…)` of constants starting at `i`. */
function parseConstList(
  t: readonly TemplateToken[],
  i: number,
): { items: Constant[]; hasComma: boolean; end: number } | undefined {
  const close = isOp(t[i], '[') ? ']' : ')';
  const items: Constant[] = [];
  let hasComma = false;
  let j = i + 1;
  while (j < t.length && !isOp(t[j], close)) {
    const constant = readConstant(t, j);
    if (constant === undefined || items.length >= MAX_LIST_ITEMS) return undefined;
    items.push(constant.value);
    j = constant.end;
    if (isOp(t[j], ',')) {
      hasComma = true;
      j++;
    } else if (!isOp(t[j], close)) return undefined;
  }
  return isOp(t[j], close) ? { items, hasComma, end: j + 1 } : undefined;
}

function readConstant(t: readonly TemplateToken[], j: number): { value: Constant; end: number } | undefined {
  const token = t[j];
  if (token?.kind === 'string') return { value: token.value, end: j + 1 };
  if (token?.kind === 'number') return { value: Number(token.value.replaceAll('_', '')), end: j + 1 };
  if (isOp(token, '-') && t[j + 1]?.kind === 'number')
    return { value: -Number(t[j + 1]?.value.replaceAll('_', '')), end: j + 2 };
  return undefined;
}

function listTokens(items: readonly Constant[], index: number): TemplateToken[] {
  const tokens: TemplateToken[] = [{ kind: 'operator', value: '[', index }];
  items.forEach((item, k) => {
    if (k > 0) tokens.push({ kind: 'operator', value: ',', index });
    tokens.push(constantToken(item, index));
  });
  tokens.push({ kind: 'operator', value: ']', index });
  return tokens;
}

function constantToken(value: Constant, index: number): TemplateToken {
  return typeof value === 'string' ? derived(value, index) : { kind: 'number', value: String(value), index };
}

/** The result of an operation on one string: the same token when nothing changed, else a derived one. */
function transformed(source: TemplateToken, value: string): TemplateToken {
  return value === source.value ? source : derived(value, source.index);
}

function derived(value: string, index: number): TemplateToken {
  return { kind: 'string', value: value.slice(0, MAX_FOLDED_LENGTH), index, isDerived: true };
}

function isOp(token: TemplateToken | undefined, value: string): boolean {
  return token?.kind === 'operator' && token.value === value;
}

/** A token after which `(` opens a call and `[` a subscript rather than a group or a list. */
export function isCallee(token: TemplateToken | undefined): boolean {
  if (token === undefined) return false;
  if (token.kind === 'name' || token.kind === 'string') return true;
  return token.kind === 'operator' && (token.value === ')' || token.value === ']');
}

function isTighter(token: TemplateToken | undefined): boolean {
  return token?.kind === 'operator' && TIGHTER.has(token.value);
}
