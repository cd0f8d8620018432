/**
 * Go `regexp` (RE2 syntax) → JavaScript `u`-mode regular expressions, exactly or not at all.
 *
 * The differences handled: a leading `(?i)` becomes the `i` flag; flags in the middle of a pattern and
 * scoped `(?i:…)` / `(?-i:…)` groups are case-folded by hand (Go's simple folding: ASCII pairs plus
 * KELVIN SIGN for k and LONG S for s); `.` is `[^\n]` (JS `.` also stops at `\r`, U+2028, U+2029);
 * `\s` is Go's `[\t\n\f\r ]`; `\z` / `\A` are `$` / `^`; `(?m)` anchors become lookarounds;
 * `(?P<name>` becomes `(?<name>`; POSIX classes such as `[[:alnum:]]` are expanded; escaped punctuation
 * is re-escaped for `u` mode. The `i` flag is only used when it is exact: never together with `\b`
 * (under `iu`, JavaScript counts U+017F and U+212A as word characters; Go's `\b` is ASCII).
 */
import {
  type CharSet,
  complementSet,
  foldSet,
  isFoldClosed,
  isSubset,
  NAMED_SETS,
  setsEqual,
  subtractSets,
  FoldUnsupportedError,
} from './char-set.js';
import { type GoNode, GoSyntaxError, parseGoRegex } from './go-regex-parse.js';

/** The outcome of translating one Go pattern. */
export type GoRegexTranslation =
  | {
      readonly ok: true;
      /** JavaScript source, valid with the `u` flag. */
      readonly regex: string;
      /** `i` when the whole pattern is case-insensitive, else empty. */
      readonly flags: '' | 'i';
      /** Number of capture groups (numbering is Go's). */
      readonly captureCount: number;
      /** Capture groups that take part, non-empty, in every match. */
      readonly mandatoryCaptures: readonly number[];
    }
  | { readonly ok: false; readonly reason: string };

const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const CLASS_SPECIAL = new Set('\\]^-[');
const CONTROL_ESCAPES: Readonly<Record<number, string>> = {
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** Translates a Go regular expression; `ok: false` carries the reason it cannot be done exactly. */
export function translateGoRegex(source: string): GoRegexTranslation {
  let ast: GoNode;
  try {
    ast = parseGoRegex(source);
  } catch (error) {
    if (error instanceof GoSyntaxError || error instanceof FoldUnsupportedError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
  const useIFlag = canUseIFlag(ast);
  const regex = emit(ast, useIFlag);
  try {
    new RegExp(regex, useIFlag ? 'iu' : 'u');
  } catch (error) {
    return { ok: false, reason: `JavaScript rejects the translation: ${(error as Error).message}` };
  }
  return {
    ok: true,
    regex,
    flags: useIFlag ? 'i' : '',
    captureCount: countCaptures(ast),
    mandatoryCaptures: mandatoryCaptures(ast),
  };
}

function walk(node: GoNode, visit: (n: GoNode) => void): void {
  visit(node);
  switch (node.kind) {
    case 'group':
    case 'repeat':
      walk(node.body, visit);
      break;
    case 'alt':
      node.branches.forEach((b) => walk(b, visit));
      break;
    case 'concat':
      node.items.forEach((b) => walk(b, visit));
      break;
    case 'set':
    case 'assert':
      break;
  }
}

function countCaptures(ast: GoNode): number {
  let n = 0;
  walk(ast, (node) => {
    if (node.kind === 'group' && node.capture) n++;
  });
  return n;
}

function mandatoryCaptures(ast: GoNode): number[] {
  const out: number[] = [];
  let index = 0;
  const visit = (node: GoNode, mandatory: boolean): void => {
    switch (node.kind) {
      case 'group':
        if (node.capture) {
          index++;
          if (mandatory && minLength(node.body) > 0) out.push(index);
        }
        visit(node.body, mandatory);
        break;
      case 'repeat':
        visit(node.body, mandatory && node.min > 0);
        break;
      case 'alt':
        node.branches.forEach((b) => visit(b, false));
        break;
      case 'concat':
        node.items.forEach((b) => visit(b, mandatory));
        break;
      case 'set':
      case 'assert':
        break;
    }
  };
  visit(ast, true);
  return out;
}

function minLength(node: GoNode): number {
  switch (node.kind) {
    case 'set':
      return 1;
    case 'assert':
      return 0;
    case 'group':
      return minLength(node.body);
    case 'repeat':
      return node.min * minLength(node.body);
    case 'alt':
      return Math.min(...node.branches.map(minLength));
    case 'concat':
      return node.items.reduce((n, b) => n + minLength(b), 0);
  }
}

/** The `i` flag is exact when every atom's Go set equals what JS `iu` would make of its emitted form. */
function canUseIFlag(ast: GoNode): boolean {
  let anyFolded = false;
  let exact = true;
  walk(ast, (node) => {
    if (node.kind === 'assert' && (node.what === 'word' || node.what === 'not-word')) exact = false;
    if (node.kind !== 'set') return;
    if (!node.folded) {
      if (!safeFoldClosed(node.set)) exact = false;
      return;
    }
    anyFolded = true;
    const closure = safeFold(node.display.set);
    const jsSet = closure && (node.display.negated ? complementSet(closure) : closure);
    if (!jsSet || !setsEqual(jsSet, node.set)) exact = false;
  });
  return anyFolded && exact;
}

function safeFold(set: CharSet): CharSet | undefined {
  try {
    return foldSet(set);
  } catch {
    return undefined;
  }
}

function safeFoldClosed(set: CharSet): boolean {
  try {
    return isFoldClosed(set);
  } catch {
    return false;
  }
}

function emit(node: GoNode, iFlag: boolean): string {
  switch (node.kind) {
    case 'set':
      if (iFlag && node.folded) return emitClass(node.display.set, node.display.negated, iFlag);
      return emitSet(node.set, iFlag);
    case 'assert':
      return emitAssert(node.what);
    case 'group': {
      const body = emit(node.body, iFlag);
      if (!node.capture) return `(?:${body})`;
      return node.name === undefined ? `(${body})` : `(?<${node.name}>${body})`;
    }
    case 'alt':
      return node.branches.map((b) => emit(b, iFlag)).join('|');
    case 'concat':
      return node.items.map((b) => emit(b, iFlag)).join('');
    case 'repeat': {
      const body = emit(node.body, iFlag);
      const atomic = node.body.kind === 'set' || node.body.kind === 'group';
      return `${atomic ? body : `(?:${body})`}${quantifier(node.min, node.max)}${node.lazy ? '?' : ''}`;
    }
  }
}

function emitAssert(what: 'start' | 'end' | 'line-start' | 'line-end' | 'word' | 'not-word'): string {
  switch (what) {
    case 'start':
      return '^';
    case 'end':
      return '$';
    case 'line-start':
      return '(?<![^\\n])';
    case 'line-end':
      return '(?![^\\n])';
    case 'word':
      return '\\b';
    case 'not-word':
      return '\\B';
  }
}

function quantifier(min: number, max: number): string {
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (min === 0 && max === 1) return '?';
  if (min === max) return `{${min}}`;
  return max === Infinity ? `{${min},}` : `{${min},${max}}`;
}

function emitSet(set: CharSet, iFlag: boolean): string {
  const only = set.length === 1 && set[0] && set[0][0] === set[0][1] ? set[0][0] : undefined;
  if (only !== undefined) return escapeChar(only, false);
  const complement = complementSet(set);
  const negate = complement.length < set.length;
  return emitClass(negate ? complement : set, negate, iFlag);
}

function emitClass(set: CharSet, negated: boolean, iFlag: boolean): string {
  if (!negated && set.length === 1 && set[0] && set[0][0] === set[0][1]) return escapeChar(set[0][0], false);
  const word = iFlag ? foldSet(NAMED_SETS.word ?? []) : (NAMED_SETS.word ?? []);
  const digit = NAMED_SETS.digit ?? [];
  let rest = set;
  let body = '';
  if (isSubset(word, rest)) {
    body += '\\w';
    rest = subtractSets(rest, word);
  } else if (isSubset(digit, rest)) {
    body += '\\d';
    rest = subtractSets(rest, digit);
  }
  for (const [lo, hi] of rest) body += emitRange(lo, hi);
  if (!negated && body === '\\w') return '\\w';
  if (!negated && body === '\\d') return '\\d';
  return `[${negated ? '^' : ''}${body}]`;
}

/** Ranges read as `a-z` within one run of digits or letters; short punctuation runs are listed. */
function emitRange(lo: number, hi: number): string {
  const run = (cp: number) =>
    cp >= 0x30 && cp <= 0x39 ? 1 : cp >= 0x41 && cp <= 0x5a ? 2 : cp >= 0x61 && cp <= 0x7a ? 3 : 0;
  const listed = hi - lo < 6 && !(run(lo) !== 0 && run(lo) === run(hi) && hi - lo > 1);
  if (!listed) return `${escapeChar(lo, true)}-${escapeChar(hi, true)}`;
  let out = '';
  for (let cp = lo; cp <= hi; cp++) out += escapeChar(cp, true);
  return out;
}

function escapeChar(cp: number, inClass: boolean): string {
  const control = CONTROL_ESCAPES[cp];
  if (control) return control;
  if (cp < 0x20 || cp >= 0x7f) return `\\u{${cp.toString(16)}}`;
  const c = String.fromCharCode(cp);
  if (inClass ? CLASS_SPECIAL.has(c) : SYNTAX.has(c)) return `\\${c}`;
  return c;
}
