import { asciiLookalikes } from '../../core/confusables.js';
import type { NormalizationSignal } from '../types.js';
import { EditLog, replaceLogged } from './edit-log.js';
import { isSpace } from './whitespace.js';

// NFKC and confusable folding. NFKC folds compatibility forms (fullwidth, mathematical alphanumerics,
// ligatures); the UTS #39 table then folds look-alikes, but only where folding cannot damage real
// text:
//  (a) in a word that also holds ASCII letters ("іgnore" with a Cyrillic і, "systеm"): no language
//      writes a word half in Latin and half in Cyrillic or Greek, and
//  (b) in a word made only of look-alike letters ("рау" in Cyrillic) when at least three quarters
//      of the text's letters are Latin: a lone homoglyph word inside English prose.
// A Russian or Greek sentence meets neither (its words hold no ASCII letters and its text is not
// Latin), so it stays exactly as written; Chinese and Arabic have no ASCII look-alikes to fold.

const NON_ASCII = /[\u0080-\uffff]/;
// A run of non-ASCII text with the ASCII character before it, which a combining mark may attach to.
const NON_ASCII_RUN = /[^\u0080-\uffff]?[\u0080-\uffff]+/g;
const LATIN_SHARE = 0.75;
// Letters of living Latin orthographies whose prototype is ASCII (Turkish ı, Danish æ, French œ).
const KEEP = new Set(['ı', 'æ', 'Æ', 'œ', 'Œ']);
const MAX_EXAMPLES = 3;
const ASTRAL_CACHE_LIMIT = 4096;

const SCRIPT_NAMES = ['Latin', 'Greek', 'Cyrillic', 'Armenian', 'Cherokee'] as const;
const SCRIPT_TESTS = SCRIPT_NAMES.map((name) => new RegExp(`\\p{Script=${name}}`, 'u'));
const LATIN = 1;
const LETTER = /\p{L}/u;
// A word is a run between whitespace and ASCII punctuation.
const BREAKS = new Uint8Array(128).map((_, code) =>
  /[\s!-/:-@[-`{-~]/.test(String.fromCharCode(code)) ? 1 : 0,
);
function isWordBreak(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code < 0x80 ? BREAKS[code] === 1 : isSpace(code);
}

// Per character, packed: bit 0 known, bit 1 letter, bits 2–6 script, bits 8+ look-alike index + 1.
const KNOWN = 1;
const IS_LETTER = 2;
const bmpInfo = new Int32Array(0x10000);
const astralInfo = new Map<number, number>();
const replacements: string[] = [];
const replacementIndex = new Map<string, number>();

function computeInfo(ch: string): number {
  let info = KNOWN;
  if (LETTER.test(ch)) info |= IS_LETTER;
  const script = SCRIPT_TESTS.findIndex((test) => test.test(ch));
  if (script >= 0) info |= 1 << (script + 2);
  const ascii = KEEP.has(ch) ? undefined : asciiLookalikes().get(ch);
  if (ascii !== undefined) {
    let index = replacementIndex.get(ascii);
    if (index === undefined) {
      index = replacements.push(ascii) - 1;
      replacementIndex.set(ascii, index);
    }
    info |= (index + 1) << 8;
  }
  return info;
}

function charInfo(code: number): number {
  if (code < 0x10000) {
    let info = bmpInfo[code] ?? 0;
    if (info === 0) bmpInfo[code] = info = computeInfo(String.fromCharCode(code));
    return info;
  }
  let info = astralInfo.get(code);
  if (info === undefined) {
    if (astralInfo.size >= ASTRAL_CACHE_LIMIT) astralInfo.clear();
    info = computeInfo(String.fromCodePoint(code));
    astralInfo.set(code, info);
  }
  return info;
}

const scriptsOf = (info: number): number => (info >> 2) & 0x1f;
// Index -1 would be a slow dictionary lookup on the array, hence the test.
const lookalikeOf = (info: number): string | undefined =>
  info >> 8 === 0 ? undefined : replacements[(info >> 8) - 1];
const isAsciiLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;

/** NFKC and folded text, the logs of both passes, and what folding noticed. */
export interface FoldResult {
  readonly text: string;
  readonly logs: readonly [EditLog, EditLog];
  readonly signals: NormalizationSignal[];
}

interface WordScan {
  scripts: number;
  letters: number;
  latinLetters: number;
  lookalikeLetters: number;
  lookalikes: number;
  hasAsciiLetter: boolean;
  hasNonAscii: boolean;
}

function scanWord(text: string, start: number, end: number): WordScan {
  const scan: WordScan = {
    scripts: 0,
    letters: 0,
    latinLetters: 0,
    lookalikeLetters: 0,
    lookalikes: 0,
    hasAsciiLetter: false,
    hasNonAscii: false,
  };
  for (let i = start; i < end; i++) {
    const code = text.codePointAt(i) ?? 0;
    if (code < 0x80) {
      if (isAsciiLetter(code)) {
        scan.hasAsciiLetter = true;
        scan.scripts |= LATIN;
        scan.letters++;
        scan.latinLetters++;
      }
      continue;
    }
    if (code > 0xffff) i++;
    scan.hasNonAscii = true;
    const info = charInfo(code);
    const scripts = scriptsOf(info);
    scan.scripts |= scripts;
    const isLetter = (info & IS_LETTER) !== 0;
    if (isLetter) {
      scan.letters++;
      if (scripts === LATIN) scan.latinLetters++;
    }
    if (lookalikeOf(info) === undefined) continue;
    scan.lookalikes++;
    if (isLetter) scan.lookalikeLetters++;
  }
  return scan;
}

function foldWord(word: string): { text: string; folded: number } {
  let text = '';
  let folded = 0;
  for (const ch of word) {
    const code = ch.codePointAt(0) ?? 0;
    const ascii = code < 0x80 ? undefined : lookalikeOf(charInfo(code));
    if (ascii !== undefined) folded++;
    text += ascii ?? ch;
  }
  // A folded base may now compose with a following mark.
  return { text: text.normalize('NFKC'), folded };
}

/** Applies NFKC to `text`, then folds confusable characters by the word policy above. */
export function foldText(text: string): FoldResult {
  const nfkcLog = new EditLog();
  const foldLog = new EditLog();
  if (!NON_ASCII.test(text)) return { text, logs: [nfkcLog, foldLog], signals: [] };
  // Runs cut before an ASCII character (never part of a composition) so each maps to its span.
  const nfkc =
    text.normalize('NFKC') === text
      ? text
      : replaceLogged(text, NON_ASCII_RUN, (run) => run.normalize('NFKC'), nfkcLog);
  let letters = 0;
  let latinLetters = 0;
  const mixed = new Map<string, number>();
  // Words to fold: those with ASCII letters at once, whole look-alike words if the text is Latin.
  const folds: { start: number; end: number; isWholeWord: boolean }[] = [];
  const n = nfkc.length;
  for (let i = 0; i < n;) {
    if (isWordBreak(nfkc, i)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && !isWordBreak(nfkc, i)) i++;
    const scan = scanWord(nfkc, start, i);
    letters += scan.letters;
    latinLetters += scan.latinLetters;
    if (!scan.hasNonAscii) continue;
    if ((scan.scripts & (scan.scripts - 1)) !== 0) {
      const name = SCRIPT_NAMES.filter((_, k) => (scan.scripts & (1 << k)) !== 0).join('+');
      mixed.set(name, (mixed.get(name) ?? 0) + 1);
    }
    if (scan.lookalikes === 0) continue;
    if (scan.hasAsciiLetter) folds.push({ start, end: i, isWholeWord: false });
    else if (scan.letters >= 2 && scan.lookalikeLetters === scan.letters) {
      folds.push({ start, end: i, isWholeWord: true });
    }
  }
  const isLatinText = letters > 0 && latinLetters / letters >= LATIN_SHARE;
  let folded = 0;
  const examples: string[] = [];
  let out = '';
  let copied = 0;
  for (const { start, end, isWholeWord } of folds) {
    if (isWholeWord && !isLatinText) continue;
    const result = foldWord(nfkc.slice(start, end));
    folded += result.folded;
    if (examples.length < MAX_EXAMPLES) examples.push(result.text.slice(0, 40));
    out += nfkc.slice(copied, start) + result.text;
    foldLog.record(start, end, result.text.length);
    copied = end;
  }
  const signals: NormalizationSignal[] = [];
  if (folded > 0) signals.push({ kind: 'confusables', count: folded, detail: examples.join(', ') });
  const mixedWords = [...mixed.values()].reduce((sum, n) => sum + n, 0);
  if (mixedWords > 0) {
    signals.push({ kind: 'mixed-script', count: mixedWords, detail: [...mixed.keys()].join(', ') });
  }
  return { text: copied === 0 ? nfkc : out + nfkc.slice(copied), logs: [nfkcLog, foldLog], signals };
}
