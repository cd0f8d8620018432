// Spaced letters ("i g n o r e  p r e v i o u s", "i.g.n.o.r.e"): single letters joined by a short
// separator defeat word patterns. A chain of at least six isolated letters, each gap one to three
// separator characters, is read back: the most frequent gap joins letters, any other gap (a double
// space, " / ") separates words. Runs on the text before whitespace is collapsed, where the double
// space between words still exists. One scan with a table per character class.

const MIN_LETTERS = 6;
const MAX_GAP = 3;
const CASED = 1;
const WORD = 2;
const GAP = 4;
const OTHER = 8;

// Commas and plus signs are left out: "a, b, c, d, e and f" and "a + b + c" are lists and sums.
const GAP_CHARS = ' \t.-_*|~/:;\u00b7\u2022';
const classes = new Uint8Array(0x10000);

function classOf(code: number): number {
  let cls = classes[code] ?? 0;
  if (cls !== 0) return cls;
  const ch = String.fromCharCode(code);
  if (code >= 0xd800 && code <= 0xdfff) cls = WORD;
  else if (GAP_CHARS.includes(ch)) cls = GAP;
  else if (/[\p{Lu}\p{Ll}]/u.test(ch)) cls = CASED;
  else if (/[\p{L}\p{N}\p{M}]/u.test(ch)) cls = WORD;
  else cls = OTHER;
  classes[code] = cls;
  return cls;
}

// A cheap test before scanning ASCII text: three isolated letters in a row. (Non-ASCII text is
// scanned outright: there a regex with wide classes costs more than the scan.)
const NON_ASCII = /[\u0080-\uffff]/;
const ASCII_HINT =
  /(?:^|[^A-Za-z0-9])[A-Za-z][ \t.\-_*|~/:;]{1,3}[A-Za-z][ \t.\-_*|~/:;]{1,3}[A-Za-z](?![A-Za-z0-9])/;

const isWordChar = (cls: number): boolean => cls === CASED || cls === WORD;

/** A chain of spaced letters: its span in the scanned text and the words it spells. */
export interface SpacedPassage {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function readChain(chain: string): string {
  const letters: string[] = [];
  const gaps: string[] = [];
  let gap = '';
  for (const ch of chain) {
    if (classOf(ch.charCodeAt(0)) === CASED) {
      if (letters.length > 0) gaps.push(gap);
      letters.push(ch);
      gap = '';
    } else gap += ch;
  }
  const counts = new Map<string, number>();
  let joiner = '';
  for (const g of gaps) {
    const n = (counts.get(g) ?? 0) + 1;
    counts.set(g, n);
    if (n > (counts.get(joiner) ?? 0)) joiner = g;
  }
  let text = letters[0] ?? '';
  for (const [i, g] of gaps.entries()) text += (g === joiner ? '' : ' ') + (letters[i + 1] ?? '');
  return text;
}

/** Finds chains of spaced letters in `text` and spells them out. One pass, O(length). */
export function findSpacedPassages(text: string): SpacedPassage[] {
  const passages: SpacedPassage[] = [];
  if (!ASCII_HINT.test(text) && !NON_ASCII.test(text)) return passages;
  const n = text.length;
  let chainStart = 0;
  let chainEnd = 0;
  let letters = 0;
  let gap = 0;
  let isGapClean = false;
  const finish = (): void => {
    if (letters >= MIN_LETTERS) {
      passages.push({ start: chainStart, end: chainEnd, text: readChain(text.slice(chainStart, chainEnd)) });
    }
    letters = 0;
  };
  let previous = OTHER;
  let current = n > 0 ? classOf(text.charCodeAt(0)) : OTHER;
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? classOf(text.charCodeAt(i + 1)) : OTHER;
    if (current === CASED && !isWordChar(previous) && !isWordChar(next)) {
      if (letters === 0 || !isGapClean || gap < 1 || gap > MAX_GAP) {
        finish();
        chainStart = i;
      }
      letters++;
      chainEnd = i + 1;
      gap = 0;
      isGapClean = true;
    } else if (current === GAP) gap++;
    else isGapClean = false;
    previous = current;
    current = next;
  }
  finish();
  return passages;
}
