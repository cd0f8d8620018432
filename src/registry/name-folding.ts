import { CONFUSABLES } from '../core/confusables.js';
import { BulwarkError } from '../core/errors.js';

// Name folding for the look-alike detector: Unicode's confusables (UTS #39 skeletons), default
// ignorable code points, separators and scripts. Kept apart from the matching in lookalike.ts.

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
export const SEPARATORS = /[-_.\s]+/g;
const NON_ASCII = /[\u0080-\uffff]/;
export const NUMBERS = /\d+(?:[-._\s]+\d+)*/g;
const SCRIPTS = ['Latin', 'Greek', 'Cyrillic', 'Armenian', 'Cherokee'] as const;
const SCRIPT_TESTS = SCRIPTS.map((script) => new RegExp(`\\p{Script=${script}}`, 'u'));

function skeletonWith(text: string, table: ReadonlyMap<string, string>): string {
  let out = '';
  for (const ch of text.normalize('NFD').replace(IGNORABLE, '')) out += table.get(ch) ?? ch;
  return out.normalize('NFD');
}

/**
 * The UTS #39 skeleton (section 4): NFD, default-ignorable code points removed, each character
 * replaced by its confusables.txt prototype, NFD again. Two strings are confusable when their
 * skeletons are equal; a skeleton is a comparison key, never something to display.
 */
export function skeleton(text: string): string {
  return skeletonWith(text, CONFUSABLES);
}

export interface Folding {
  readonly table: ReadonlyMap<string, string>;
  /** The folding of each ASCII character. */
  readonly ascii: readonly string[];
  /** Upper-case ASCII letters that fold unlike their lower case (`I` is `l`, not `i`). */
  readonly caseSensitive: RegExp;
  /** Other ASCII characters that do not fold to their lower case. */
  readonly special: RegExp;
  /** Replaces one ASCII character by its folding. */
  readonly replace: (ch: string) => string;
}

// NFKC folds compatibility forms (fullwidth, ligatures) that confusables.txt leaves to identifier
// profiles; lower-casing between two skeleton passes makes `LLAMA`, `LIama` and `llama` meet.
function foldSlow(text: string, table: ReadonlyMap<string, string>): string {
  return skeletonWith(skeletonWith(text.normalize('NFKC'), table).toLowerCase(), table);
}

const charClass = (codes: number[]): RegExp =>
  new RegExp(
    `[${codes.map((code) => `\\x${code.toString(16).padStart(2, '0')}`).join('') || '^\\s\\S'}]`,
    'g',
  );

/**
 * Prepares a folding and its ASCII fast path: a name is then its lower case with a few characters
 * replaced. That equals the full folding when, as checked here for every ASCII character, each
 * prototype is stable under NFD and lower case, holds no combining mark and no separator, and
 * separators fold to themselves.
 */
function folding(table: ReadonlyMap<string, string>): Folding {
  const ascii = Array.from({ length: 128 }, (_, code) => foldSlow(String.fromCharCode(code), table));
  const lowerOf = (code: number): number => String.fromCharCode(code).toLowerCase().charCodeAt(0);
  for (const [code, to] of ascii.entries()) {
    const isSeparator = /^[-_.\s]$/.test(String.fromCharCode(code));
    const stable = to === to.normalize('NFD') && to === to.toLowerCase() && !/\p{M}/u.test(to);
    if (!stable || (isSeparator ? to !== String.fromCharCode(code) : /[-_.\s]/.test(to))) {
      throw new BulwarkError('INTERNAL', `the confusables fast path does not hold for code ${code}`);
    }
  }
  const codes = [...ascii.keys()];
  const caseSensitive = codes.filter((code) => ascii[code] !== ascii[lowerOf(code)]);
  const special = charClass(
    codes.filter((code) => code === lowerOf(code) && ascii[code] !== String.fromCharCode(code)),
  );
  // Case-sensitive characters are replaced before the special ones, which must not see them again.
  if (caseSensitive.some((code) => (ascii[code] ?? '').search(special) >= 0)) {
    throw new BulwarkError('INTERNAL', 'the confusables fast path would fold a character twice');
  }
  const replace = (ch: string): string => ascii[ch.charCodeAt(0)] ?? ch;
  return { table, ascii, replace, caseSensitive: charClass(caseSensitive), special };
}

// Folds `text`, replacing separator runs by `separator`; `lower` is text.toLowerCase() when known.
export function fold(text: string, folding: Folding, separator: string, lower = text.toLowerCase()): string {
  if (NON_ASCII.test(text)) return foldSlow(text, folding.table).replace(SEPARATORS, separator);
  const base =
    text.search(folding.caseSensitive) >= 0
      ? text.replace(folding.caseSensitive, folding.replace).toLowerCase()
      : lower;
  return base.replace(SEPARATORS, separator).replace(folding.special, folding.replace);
}

export const KEY_FOLDING = folding(CONFUSABLES);
// For edit distance a character whose prototype is `rn` (`m` and its look-alikes) stays one letter:
// `gemam` is then one swap from `gemma` and `tarnsformers` one from `transformers`. `rn` for `m`
// itself is caught by the skeleton key.
export const DISTANCE_FOLDING = folding(new Map([...CONFUSABLES].map(([k, v]) => [k, v === 'rn' ? 'm' : v])));

/** The scripts among Latin, Greek, Cyrillic, Armenian and Cherokee that a name uses. */
export function scriptsIn(name: string): string[] {
  return SCRIPTS.filter((_, i) => SCRIPT_TESTS[i]?.test(name));
}

/** Tells whether a name mixes look-alike scripts (Latin with Cyrillic or Greek, …) inside itself. */
export function hasMixedScripts(name: string): boolean {
  return scriptsIn(name).length > 1;
}
