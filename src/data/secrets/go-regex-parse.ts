/**
 * A parser for the Go `regexp` (RE2) syntax that gitleaks rules are written in. It resolves flags
 * (`(?i)`, `(?s)`, `(?m)`, scoped `(?i:…)` and `(?-i:…)`) while parsing, so every character atom
 * carries the exact code-point set Go would match; the emitter in go-regex.ts then writes JavaScript.
 */
import {
  type CharSet,
  type CodeRange,
  complementSet,
  foldSet,
  MAX_CODE_POINT,
  NAMED_SETS,
  normalizeSet,
  unionSets,
} from './char-set.js';

/** A regex AST node; character atoms hold Go's exact set (`set`) and a readable unfolded form. */
export type GoNode =
  | {
      readonly kind: 'set';
      /** What Go matches, case folding applied. */
      readonly set: CharSet;
      /** Unfolded items and negation, for emitting under the JavaScript `i` flag. */
      readonly display: { readonly negated: boolean; readonly set: CharSet };
      readonly folded: boolean;
    }
  | { readonly kind: 'assert'; readonly what: AssertKind }
  | { readonly kind: 'group'; readonly capture: boolean; readonly name?: string; readonly body: GoNode }
  | { readonly kind: 'alt'; readonly branches: readonly GoNode[] }
  | { readonly kind: 'concat'; readonly items: readonly GoNode[] }
  | {
      readonly kind: 'repeat';
      readonly min: number;
      readonly max: number;
      readonly lazy: boolean;
      readonly body: GoNode;
    };

/** Zero-width assertions of Go's syntax. */
export type AssertKind = 'start' | 'end' | 'line-start' | 'line-end' | 'word' | 'not-word';

/** A Go construct this translator does not map; the message names it. */
export class GoSyntaxError extends Error {}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

const PERL: Readonly<Record<string, [string, boolean]>> = {
  d: ['digit', false],
  D: ['digit', true],
  s: ['perlSpace', false],
  S: ['perlSpace', true],
  w: ['word', false],
  W: ['word', true],
};
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const NEWLINE: CharSet = [[10, 10]];
const ALL: CharSet = [[0, MAX_CODE_POINT]];

/** Parses a Go regular expression into an AST, or throws GoSyntaxError naming what is unsupported. */
export function parseGoRegex(source: string): GoNode {
  const parser = new Parser(source);
  const node = parser.parseAlternation();
  if (!parser.atEnd()) throw new GoSyntaxError(`unbalanced ")" at ${parser.pos}`);
  return node;
}

class Parser {
  readonly chars: readonly string[];
  pos = 0;
  flags: Flags = { i: false, m: false, s: false };

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  atEnd(): boolean {
    return this.pos >= this.chars.length;
  }

  peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  next(): string {
    const c = this.chars[this.pos++];
    if (c === undefined) throw new GoSyntaxError('unexpected end of pattern');
    return c;
  }

  parseAlternation(): GoNode {
    const branches = [this.parseConcat()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.parseConcat());
    }
    return branches.length === 1 && branches[0] ? branches[0] : { kind: 'alt', branches };
  }

  parseConcat(): GoNode {
    const items: GoNode[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      const atom = this.parseAtom();
      if (atom) items.push(this.parseQuantifiers(atom));
    }
    return items.length === 1 && items[0] ? items[0] : { kind: 'concat', items };
  }

  parseQuantifiers(atom: GoNode): GoNode {
    const bounds = this.readRepeat();
    if (!bounds) return atom;
    if (atom.kind === 'assert') throw new GoSyntaxError('repetition of an assertion');
    const lazy = this.peek() === '?';
    if (lazy) this.pos++;
    if (this.readRepeat(true)) throw new GoSyntaxError('nested repetition operator');
    return { kind: 'repeat', min: bounds[0], max: bounds[1], lazy, body: atom };
  }

  readRepeat(peekOnly = false): [number, number] | undefined {
    const c = this.peek();
    const simple: Record<string, [number, number]> = { '*': [0, Infinity], '+': [1, Infinity], '?': [0, 1] };
    if (c !== undefined && simple[c]) {
      if (!peekOnly) this.pos++;
      return simple[c];
    }
    if (c !== '{') return undefined;
    const rest = this.chars.slice(this.pos, this.pos + 24).join('');
    const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(rest);
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (max < min || min > 1000 || (max !== Infinity && max > 1000)) {
      throw new GoSyntaxError(`invalid repeat count ${m[0]}`);
    }
    if (!peekOnly) this.pos += Array.from(m[0]).length;
    return [min, max];
  }

  parseAtom(): GoNode | undefined {
    const c = this.next();
    switch (c) {
      case '(':
        return this.parseGroup();
      case '[':
        return this.parseClass();
      case '.':
        return this.atom(this.flags.s ? ALL : complementSet(NEWLINE), false);
      case '^':
        return { kind: 'assert', what: this.flags.m ? 'line-start' : 'start' };
      case '$':
        return { kind: 'assert', what: this.flags.m ? 'line-end' : 'end' };
      case '\\':
        return this.parseEscape();
      case '*':
      case '+':
      case '?':
        throw new GoSyntaxError(`missing argument to repetition operator "${c}"`);
      default:
        return this.literal(c);
    }
  }

  parseGroup(): GoNode | undefined {
    const saved = { ...this.flags };
    let capture = true;
    let name: string | undefined;
    if (this.peek() === '?') {
      this.pos++;
      const rest = this.chars.slice(this.pos, this.pos + 40).join('');
      const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        name = named[1];
        this.pos += named[0].length;
      } else if (this.peek() === ':') {
        this.pos++;
        capture = false;
      } else {
        const flagText = /^([imsU]*)(-([imsU]*))?([:)])/.exec(rest);
        if (!flagText) throw new GoSyntaxError(`unsupported group "(?${rest.slice(0, 3)}"`);
        this.pos += flagText[0].length;
        this.applyFlags(flagText[1] ?? '', true);
        this.applyFlags(flagText[3] ?? '', false);
        if (flagText[4] === ')') return undefined;
        capture = false;
      }
    }
    const body = this.parseAlternation();
    if (this.next() !== ')') throw new GoSyntaxError('missing ")"');
    this.flags = saved;
    return name === undefined ? { kind: 'group', capture, body } : { kind: 'group', capture, name, body };
  }

  applyFlags(letters: string, on: boolean): void {
    for (const f of letters) {
      if (f === 'U') throw new GoSyntaxError('ungreedy flag (?U)');
      this.flags[f as keyof Flags] = on;
    }
  }

  parseEscape(): GoNode {
    const c = this.next();
    const perl = PERL[c];
    if (perl) return this.perlAtom(perl);
    switch (c) {
      case 'b':
        return { kind: 'assert', what: 'word' };
      case 'B':
        return { kind: 'assert', what: 'not-word' };
      case 'A':
        return { kind: 'assert', what: 'start' };
      case 'z':
        return { kind: 'assert', what: 'end' };
      case 'Q':
        return this.parseQuoted();
      default:
        return this.literal(String.fromCodePoint(this.escapedCodePoint(c)));
    }
  }

  parseQuoted(): GoNode {
    const items: GoNode[] = [];
    while (!this.atEnd() && !(this.peek() === '\\' && this.peek(1) === 'E'))
      items.push(this.literal(this.next()));
    if (!this.atEnd()) this.pos += 2;
    return { kind: 'concat', items };
  }

  /** The code point of a character escape (after the backslash); Perl classes are handled by callers. */
  escapedCodePoint(c: string): number {
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return simple;
    if (c === 'x') {
      const rest = this.chars.slice(this.pos, this.pos + 10).join('');
      const m = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(rest);
      if (!m) throw new GoSyntaxError('invalid \\x escape');
      this.pos += m[0].length;
      const cp = parseInt(m[1] ?? m[2] ?? '', 16);
      if (cp > MAX_CODE_POINT) throw new GoSyntaxError('\\x escape out of range');
      return cp;
    }
    if (c === 'p' || c === 'P') throw new GoSyntaxError('Unicode class \\p');
    if (/^[0-9]$/.test(c)) throw new GoSyntaxError(`octal or backreference escape \\${c}`);
    const cp = c.codePointAt(0) ?? 0;
    if (cp < 0x80 && !/[A-Za-z0-9_]/.test(c)) return cp;
    throw new GoSyntaxError(`unsupported escape \\${c}`);
  }

  parseClass(): GoNode {
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const goItems: CharSet[] = [];
    const displayItems: CharSet[] = [];
    let first = true;
    while (this.peek() !== ']' || first) {
      if (this.atEnd()) throw new GoSyntaxError('missing "]"');
      first = false;
      const posix = this.readPosix();
      if (posix) {
        goItems.push(this.flags.i ? foldSet(posix) : posix);
        displayItems.push(this.flags.i ? foldSet(posix) : posix);
        continue;
      }
      if (this.peek() === '\\' && PERL[this.peek(1) ?? '']) {
        this.pos++;
        const set = this.perlSet(PERL[this.next()] ?? ['digit', false]);
        goItems.push(set);
        displayItems.push(set);
        continue;
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        hi = this.classChar();
        if (hi < lo) throw new GoSyntaxError('invalid class range');
      }
      const range: CharSet = [[lo, hi]];
      goItems.push(this.flags.i ? foldSet(range) : range);
      displayItems.push(range);
    }
    this.pos++;
    const union = unionSets(...goItems);
    const set = negated ? complementSet(union) : union;
    return { kind: 'set', set, display: { negated, set: unionSets(...displayItems) }, folded: this.flags.i };
  }

  readPosix(): CharSet | undefined {
    if (this.peek() !== '[' || this.peek(1) !== ':') return undefined;
    const rest = this.chars.slice(this.pos, this.pos + 16).join('');
    const m = /^\[:(\^?)([a-z]+):\]/.exec(rest);
    if (!m) return undefined;
    const named = NAMED_SETS[m[2] ?? ''];
    if (!named || m[2] === 'perlSpace') throw new GoSyntaxError(`unknown POSIX class [:${m[2]}:]`);
    this.pos += m[0].length;
    return m[1] ? complementSet(named) : named;
  }

  classChar(): number {
    const c = this.next();
    if (c !== '\\') return c.codePointAt(0) ?? 0;
    return this.escapedCodePoint(this.next());
  }

  perlSet([name, negated]: [string, boolean]): CharSet {
    const base = NAMED_SETS[name] ?? [];
    const folded = this.flags.i ? foldSet(base) : base;
    return negated ? complementSet(folded) : folded;
  }

  perlAtom(perl: [string, boolean]): GoNode {
    const set = this.perlSet(perl);
    return { kind: 'set', set, display: { negated: false, set }, folded: this.flags.i };
  }

  literal(c: string): GoNode {
    const cp = c.codePointAt(0) ?? 0;
    return this.atom([[cp, cp]], this.flags.i);
  }

  atom(raw: readonly CodeRange[], fold: boolean): GoNode {
    const display = normalizeSet(raw);
    const set = fold ? foldSet(display) : display;
    return { kind: 'set', set, display: { negated: false, set: display }, folded: fold };
  }
}
