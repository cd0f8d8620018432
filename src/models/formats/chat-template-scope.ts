import { foldTokens, MAX_FOLDED_LENGTH } from './chat-template-fold.js';
import type { TemplateSegment, TemplateToken } from './chat-template-lexer.js';

/** Tokens a block may grow to through substitution; past this, names are left as written. */
const MAX_SUBSTITUTED_TOKENS = 20_000;
/** Longest constant list remembered for a variable. */
const MAX_CONSTANT_TOKENS = 512;

type Block = Extract<TemplateSegment, { kind: 'expression' | 'statement' }>;

/**
 * Names a template binds anywhere (`set`, `for`, macro and call parameters, `with`, imports): a name
 * the template defines itself is not the module or global of the same name.
 */
export function bindingsOf(segments: readonly TemplateSegment[]): Set<string> {
  const names = new Set<string>();
  for (const segment of segments) {
    if (segment.kind !== 'statement') continue;
    const t = segment.tokens;
    const keyword = t[0]?.kind === 'name' ? t[0].value : '';
    t.forEach((token, i) => {
      if (token.kind !== 'name' || i === 0 || isOp(t[i - 1], '.')) return;
      const next = t[i + 1];
      const previous = t[i - 1];
      const isBound =
        (keyword === 'set' && (i === 1 || isOp(previous, ',')) && !isOp(next, '.')) ||
        (keyword === 'for' && indexOfName(t, 'in') > i) ||
        ((keyword === 'macro' || keyword === 'call') &&
          (i === 1 || isOp(previous, '(') || isOp(previous, ','))) ||
        (keyword === 'with' && isOp(next, '=')) ||
        ((keyword === 'import' || keyword === 'from') &&
          (previous?.value === 'as' || previous?.value === 'import'));
      if (isBound) names.add(token.value);
    });
  }
  return names;
}

/**
 * Constant values of template variables, tracked in template order: `{% set x = '…' %}`, block sets
 * with plain text, and `namespace(a='…')` attributes. Blocks are analysed with those constants
 * substituted and then folded, so a name assembled across several statements is still seen.
 */
export class ConstantScope {
  readonly #values = new Map<string, readonly TemplateToken[]>();

  /** Returns the block's tokens with known constants substituted and folded; records what a `set` assigns. */
  analyse(block: Block, segments: readonly TemplateSegment[], at: number): TemplateToken[] {
    const tokens = block.tokens;
    const keyword = block.kind === 'statement' && tokens[0]?.kind === 'name' ? tokens[0].value : undefined;
    if (keyword === 'set') return this.#analyseSet(tokens, segments, at);
    if (keyword === 'for' || keyword === 'macro') {
      const end = keyword === 'for' ? indexOfName(tokens, 'in') : tokens.length;
      for (const token of tokens.slice(1, end)) if (token.kind === 'name') this.#values.delete(token.value);
    }
    return foldTokens(this.#substitute(tokens));
  }

  #analyseSet(
    tokens: readonly TemplateToken[],
    segments: readonly TemplateSegment[],
    at: number,
  ): TemplateToken[] {
    const equals = tokens.findIndex((token) => isOp(token, '='));
    const target = tokens[1]?.kind === 'name' ? tokens[1].value : undefined;
    if (equals < 0) {
      const text = capturedText(segments, at);
      if (target !== undefined) {
        if (text !== undefined && tokens.length === 2)
          this.#values.set(target, [{ kind: 'string', value: text, index: tokens[1]?.index ?? 0 }]);
        else this.#values.delete(target);
      }
      return foldTokens([...tokens]);
    }
    const targets = tokens.slice(1, equals);
    const value = foldTokens(this.#substitute(tokens.slice(equals + 1)));
    const key = keyOf(targets);
    for (const token of targets) if (token.kind === 'name') this.#values.delete(token.value);
    if (key !== undefined) {
      if (isConstant(value)) this.#values.set(key, value);
      else this.#values.delete(key);
      if (value[0]?.value === 'namespace' && isOp(value[1], '(')) this.#recordNamespace(key, value);
    }
    return [...tokens.slice(0, equals + 1), ...value];
  }

  #recordNamespace(key: string, value: readonly TemplateToken[]): void {
    for (let i = 2; i + 2 < value.length; i++) {
      const name = value[i];
      const constant = value[i + 2];
      if (
        name?.kind === 'name' &&
        isOp(value[i + 1], '=') &&
        (constant?.kind === 'string' || constant?.kind === 'number')
      )
        this.#values.set(`${key}.${name.value}`, [constant]);
    }
  }

  #substitute(tokens: readonly TemplateToken[]): TemplateToken[] {
    const out: TemplateToken[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as TemplateToken;
      if (!this.#isSubstitutable(tokens, i) || out.length > MAX_SUBSTITUTED_TOKENS) {
        out.push(token);
        continue;
      }
      const attribute = tokens[i + 2];
      const member =
        isOp(tokens[i + 1], '.') && attribute?.kind === 'name'
          ? this.#values.get(`${token.value}.${attribute.value}`)
          : undefined;
      if (member !== undefined) {
        out.push(...relocate(member, token.index));
        i += 2;
        continue;
      }
      const value = this.#values.get(token.value);
      out.push(...(value === undefined ? [token] : relocate(value, token.index)));
    }
    return out;
  }

  #isSubstitutable(tokens: readonly TemplateToken[], i: number): boolean {
    const token = tokens[i];
    const previous = tokens[i - 1];
    if (token?.kind !== 'name' || isOp(previous, '.') || isOp(previous, '|') || isOp(tokens[i + 1], '='))
      return false;
    const isTest = previous?.value === 'is' || (previous?.value === 'not' && tokens[i - 2]?.value === 'is');
    return !(previous?.kind === 'name' && isTest);
  }
}

/** The text between a block `{% set x %}` and its `{% endset %}`, when nothing but text is in between. */
function capturedText(segments: readonly TemplateSegment[], at: number): string | undefined {
  let text = '';
  for (let s = at + 1; s < segments.length; s++) {
    const segment = segments[s] as TemplateSegment;
    if (segment.kind === 'text') text += segment.text;
    else if (segment.kind === 'statement' && segment.tokens[0]?.value === 'endset')
      return text.slice(0, MAX_FOLDED_LENGTH);
    else return undefined;
    if (text.length > MAX_FOLDED_LENGTH) return undefined;
  }
  return undefined;
}

/** `x` or `ns.x` for a single assignment target; undefined for tuple targets. */
function keyOf(targets: readonly TemplateToken[]): string | undefined {
  const [first, dot, second] = targets;
  if (first?.kind !== 'name') return undefined;
  if (targets.length === 1) return first.value;
  if (targets.length === 3 && isOp(dot, '.') && second?.kind === 'name')
    return `${first.value}.${second.value}`;
  return undefined;
}

/** A single constant or a list of constants, small enough to remember. */
function isConstant(tokens: readonly TemplateToken[]): boolean {
  if (tokens.length === 1) return tokens[0]?.kind === 'string' || tokens[0]?.kind === 'number';
  if (tokens.length > MAX_CONSTANT_TOKENS || !isOp(tokens[0], '[') || !isOp(tokens[tokens.length - 1], ']'))
    return false;
  return tokens
    .slice(1, -1)
    .every((token) => token.kind === 'string' || token.kind === 'number' || isOp(token, ','));
}

function relocate(tokens: readonly TemplateToken[], index: number): TemplateToken[] {
  return tokens.map((token) => ({ ...token, index }));
}

function indexOfName(tokens: readonly TemplateToken[], name: string): number {
  const found = tokens.findIndex((token) => token.kind === 'name' && token.value === name);
  return found < 0 ? tokens.length : found;
}

function isOp(token: TemplateToken | undefined, value: string): boolean {
  return token?.kind === 'operator' && token.value === value;
}
