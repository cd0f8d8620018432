/**
 * Code-point sets as sorted, disjoint, inclusive ranges: the character classes of the Go-regex
 * translator, with the case folding of Go's `(?i)` done exactly for ASCII.
 */

/** An inclusive range of code points. */
export type CodeRange = readonly [number, number];

/** A normalized set: sorted, disjoint, non-adjacent ranges. */
export type CharSet = readonly CodeRange[];

/** The highest code point. */
export const MAX_CODE_POINT = 0x10ffff;

const LONG_S = 0x17f;
const KELVIN = 0x212a;

/** Sorts and merges ranges into a normalized set. */
export function normalizeSet(ranges: readonly CodeRange[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The union of sets. */
export function unionSets(...sets: readonly CharSet[]): CharSet {
  return normalizeSet(sets.flat());
}

/** Every code point not in `set`. */
export function complementSet(set: CharSet): CharSet {
  const out: CodeRange[] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** Tells whether `cp` is in `set`. */
export function setHas(set: CharSet, cp: number): boolean {
  return set.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/** Tells whether two normalized sets are equal. */
export function setsEqual(a: CharSet, b: CharSet): boolean {
  return a.length === b.length && a.every((r, i) => r[0] === b[i]?.[0] && r[1] === b[i]?.[1]);
}

/** Tells whether `inner` is contained in `outer`. */
export function isSubset(inner: CharSet, outer: CharSet): boolean {
  return inner.every(([lo, hi]) => outer.some(([a, b]) => lo >= a && hi <= b));
}

/** The part of `set` not in `remove`. */
export function subtractSets(set: CharSet, remove: CharSet): CharSet {
  return complementSet(unionSets(complementSet(set), remove));
}

/** Sets of Go's Perl classes (`\d`, `\s`, `\w`) and POSIX classes, as Go defines them (ASCII). */
export const NAMED_SETS: Readonly<Record<string, CharSet>> = {
  digit: [[0x30, 0x39]],
  space: normalizeSet([
    [0x09, 0x0d],
    [0x20, 0x20],
  ]),
  perlSpace: normalizeSet([
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ]),
  word: normalizeSet([
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ]),
  alnum: normalizeSet([
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ]),
  alpha: normalizeSet([
    [0x41, 0x5a],
    [0x61, 0x7a],
  ]),
  ascii: [[0x00, 0x7f]],
  blank: normalizeSet([
    [0x09, 0x09],
    [0x20, 0x20],
  ]),
  cntrl: normalizeSet([
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ]),
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: normalizeSet([
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ]),
  upper: [[0x41, 0x5a]],
  xdigit: normalizeSet([
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ]),
};

const NON_ASCII: CharSet = [[0x80, MAX_CODE_POINT]];
const FOLD_SPECIALS: CharSet = normalizeSet([
  [LONG_S, LONG_S],
  [KELVIN, KELVIN],
]);
const CASED = /\p{Changes_When_Casemapped}/u;
const ENUMERATION_LIMIT = 0x10000;

/** Raised when a set cannot be case-folded exactly (non-ASCII cased characters in a partial range). */
export class FoldUnsupportedError extends Error {}

/**
 * The closure of `set` under Go's simple case folding (`unicode.SimpleFold`): ASCII letters pair with
 * their other case, and `k`/`s` also with KELVIN SIGN and LONG S. Non-ASCII cased characters are only
 * accepted when the set holds all of them (complements such as `[^\n]`), where folding changes nothing.
 */
export function foldSet(set: CharSet): CharSet {
  assertNonAsciiFoldClosed(set);
  const extra: CodeRange[] = [];
  for (let lower = 0x61; lower <= 0x7a; lower++) {
    const upper = lower - 0x20;
    const special = lower === 0x6b ? KELVIN : lower === 0x73 ? LONG_S : -1;
    const present = setHas(set, lower) || setHas(set, upper) || (special !== -1 && setHas(set, special));
    if (!present) continue;
    extra.push([lower, lower], [upper, upper]);
    if (special !== -1) extra.push([special, special]);
  }
  return unionSets(set, extra);
}

/** Tells whether `set` already equals its case-fold closure. */
export function isFoldClosed(set: CharSet): boolean {
  return setsEqual(foldSet(set), set);
}

function assertNonAsciiFoldClosed(set: CharSet): void {
  const present = subtractSets(intersect(set, NON_ASCII), FOLD_SPECIALS);
  const absent = subtractSets(subtractSets(NON_ASCII, set), FOLD_SPECIALS);
  const smaller = size(present) <= size(absent) ? present : absent;
  if (smaller.length === 0) return;
  if (size(smaller) > ENUMERATION_LIMIT) {
    throw new FoldUnsupportedError('case folding of a large partial non-ASCII range');
  }
  for (const [lo, hi] of smaller) {
    for (let cp = lo; cp <= hi; cp++) {
      if (CASED.test(String.fromCodePoint(cp))) {
        throw new FoldUnsupportedError(`case folding of non-ASCII U+${cp.toString(16).toUpperCase()}`);
      }
    }
  }
}

function intersect(a: CharSet, b: CharSet): CharSet {
  return complementSet(unionSets(complementSet(a), complementSet(b)));
}

function size(set: CharSet): number {
  return set.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}
