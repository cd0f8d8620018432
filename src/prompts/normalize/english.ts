// A cheap "how English does this read" score, to tell ROT13 and reversed text from ordinary words
// without a dictionary. Each ASCII word gets a log-likelihood gain (nats) of the transformed reading
// over the reading as written: letter frequencies for ROT13 (a substitution keeps order but not the
// distribution), direction-sensitive bigrams and first/last letters for reversal (which keeps the
// distribution but not the order), and function words for both. A maximal-sum run of words
// (Kadane, with a per-word cost) then finds the passage that reads better transformed.
//
// Letter and the 50 commonest bigram frequencies: Norvig, "English Letter Frequency Counts: Mayzner
// Revisited" (2012), in percent; other bigrams get a floor. Word-initial and word-final letters:
// approximate shares in English text. Only their order of magnitude matters: the decision compares
// a reading with its transform over several words, and the thresholds were set on the train splits
// of the prompt data (BIPIA contexts, deepset, self-instruct seed tasks), never on a test split.

const LETTERS =
  'e12.49 t9.28 a8.04 o7.64 i7.57 n7.23 s6.51 r6.28 h5.05 l4.07 d3.82 c3.34 u2.73 m2.51 f2.40 ' +
  'p2.14 g1.87 w1.68 y1.66 b1.48 v1.05 k0.54 x0.23 j0.16 q0.12 z0.09';
const BIGRAMS =
  'th3.56 he3.07 in2.43 er2.05 an1.99 re1.85 on1.76 at1.49 en1.45 nd1.35 ti1.34 es1.34 or1.28 ' +
  'te1.20 of1.17 ed1.17 is1.13 it1.12 al1.09 ar1.07 st1.05 to1.04 nt1.04 ng0.95 se0.93 ha0.93 ' +
  'as0.87 ou0.87 io0.83 le0.83 ve0.83 co0.79 me0.79 de0.76 hi0.76 ri0.73 ro0.73 ic0.70 ne0.69 ' +
  'ea0.69 ra0.69 ce0.65 li0.62 ch0.60 ll0.58 be0.58 ma0.57 si0.55 om0.55 ur0.54';
const FIRST =
  't16 a11.7 o7.6 i7 s6.7 w5.5 c5.2 b4.4 p4.3 h4.2 f4 m3.8 d3.2 r2.8 e2.8 l2.4 n2.3 g1.6 u1.2 ' +
  'v0.8 y0.8 j0.6 k0.6 q0.2 x0.05 z0.05';
const LAST =
  'e19 s14 d10 t9 n8 y7 r6 o4 l4 f4 h3 a2 g2 k1 m1 w1 p1 c1 i0.5 u0.5 x0.2 b0.2 v0.05 j0.05 q0.05 z0.05';
const BIGRAM_FLOOR = 0.3;

/** Function words: frequent in any English passage, rare as a ROT13 or reversed form. */
const FUNCTION_WORDS = (
  'the be to of and a in that have i it for not on with he as you do at this but his by from ' +
  'they we say her she or an will my one all would there their what so up out if about who get ' +
  'which go me when make can like no just him know take people into your some could them see ' +
  'other than then now only come its over think also back after use two how our work first well ' +
  'way even new want any these give most us is are was were been has had does did should ' +
  'must may might am please write tell here where why each every more very such those ' +
  'before again same both own off down while being too'
).split(' ');

function logTable(spec: string, size: number, floor: number): Float64Array {
  const table = new Float64Array(size).fill(Math.log(floor / 100));
  for (const entry of spec.split(' ')) {
    const letters = entry.replace(/[\d.]+$/, '');
    const index = [...letters].reduce((i, ch) => i * 26 + ch.charCodeAt(0) - 97, 0);
    table[index] = Math.log(Number(entry.slice(letters.length)) / 100);
  }
  return table;
}

const LOG_LETTER = logTable(LETTERS, 26, 0.05);
const LOG_BIGRAM = logTable(BIGRAMS, 26 * 26, BIGRAM_FLOOR);
const LOG_FIRST = logTable(FIRST, 26, 0.05);
const LOG_LAST = logTable(LAST, 26, 0.05);
// Per letter, what reading it as ROT13 gains; per bigram, what reading it backwards gains.
const ROT13_GAIN = LOG_LETTER.map((p, letter) => (LOG_LETTER[(letter + 13) % 26] ?? 0) - p);
const REVERSED_GAIN = LOG_BIGRAM.map((p, i) => (LOG_BIGRAM[(i % 26) * 26 + Math.floor(i / 26)] ?? 0) - p);
// Per (first, last) letter pair, what reading a word backwards gains at its edges.
const EDGE_GAIN = new Float64Array(26 * 26).map((_, i) => {
  const first = Math.floor(i / 26);
  const last = i % 26;
  return (LOG_FIRST[last] ?? 0) - (LOG_FIRST[first] ?? 0) + (LOG_LAST[first] ?? 0) - (LOG_LAST[last] ?? 0);
});

/** ROT13 of ASCII letters; everything else unchanged. */
export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (ch) => {
    const code = ch.charCodeAt(0);
    const base = code < 97 ? 65 : 97;
    return String.fromCharCode(((code - base + 13) % 26) + base);
  });
}

/** `text` reversed by code points ("snoitcurtsni" → "instructions"). */
export function reverseText(text: string): string {
  return Array.from(text).reverse().join('');
}

/** Each word of `text` reversed in place, the word order kept. */
export function reverseWords(text: string): string {
  return text.replace(/[A-Za-z]+/g, (word) => reverseText(word));
}

const FUNCTION_SET = new Set(FUNCTION_WORDS);

/** Tells whether a lower-case word is a frequent English function word ("the", "all", "and"). */
export function isFunctionWord(word: string): boolean {
  return FUNCTION_SET.has(word);
}

// Words of up to six letters as exact small-integer keys (27^6 < 2^30), so the scan looks words up
// without slicing strings: bit 1 a function word, 2 the ROT13 of one, 4 the reversal of one.
const MAX_KEYED = 6;
const IS_FUNCTION = 1;
const IS_ROT13 = 2;
const IS_REVERSED = 4;
const keyOf = (word: string): number => [...word].reduce((key, ch) => key * 27 + ch.charCodeAt(0) - 96, 0);
const WORD_FLAGS = new Map<number, number>();
for (const [words, flag] of [
  [FUNCTION_WORDS, IS_FUNCTION],
  [FUNCTION_WORDS.map(rot13), IS_ROT13],
  [FUNCTION_WORDS.map(reverseText), IS_REVERSED],
] as const) {
  for (const word of words) WORD_FLAGS.set(keyOf(word), (WORD_FLAGS.get(keyOf(word)) ?? 0) | flag);
}

const FUNCTION_WORD_GAIN = 3;
const CAPITAL_GAIN = 2;
const MAX_WIDEN = 200;
const isUpper = (code: number): boolean => code >= 65 && code <= 90;
// ASCII characters that continue a passage (spaces and sentence punctuation) and that stay inside
// a sentence when a run is widened; anything else (digits, table rules, brackets) ends a passage.
const IS_PASSAGE_GAP = new Uint8Array(128).map((_, c) =>
  /[\s,.;:'"!?-]/.test(String.fromCharCode(c)) ? 1 : 0,
);
const IS_SENTENCE_INNER = new Uint8Array(128).map((_, c) =>
  /[A-Za-z ,'"-]/.test(String.fromCharCode(c)) ? 1 : 0,
);

/** A passage that reads as English once transformed: its span in the text and its total gain. */
export interface TransformedRun {
  readonly start: number;
  readonly end: number;
  readonly gain: number;
}

/** The runs of `text` that read better as ROT13 and as reversed text. */
export interface EnglishRuns {
  readonly rot13: TransformedRun[];
  readonly reversed: TransformedRun[];
}

// Cost per word in a run and the gain a run needs: several words that clearly read better
// transformed, with two different transformed function words ("gur", "naq"; "eht", "dna") unless
// the gain is large. Lists of foreign names and romanized Japanese, whose words also read oddly as
// English ("ni" is "in" reversed), rarely get there.
const WORD_COST = 1;
const MIN_GAIN = 12;
const STRONG_GAIN = 32;
const MIN_WORDS = 3;
const MIN_HITS = 2;
const MIN_LETTERS = 12;

class RunFinder {
  readonly runs: TransformedRun[] = [];
  private sum = 0;
  private best = 0;
  private start = 0;
  private bestEnd = 0;
  private words = 0;
  private bestWords = 0;
  private letters = 0;
  private bestLetters = 0;
  // Distinct transformed function words seen in the run, and at its best end.
  private hitKeys: number[] = [];
  private bestHits = 0;

  add(gain: number, start: number, end: number, letters: number, hitKey: number): void {
    if (this.sum <= 0) {
      this.flush();
      this.start = start;
    }
    this.sum += gain - WORD_COST;
    this.words++;
    this.letters += letters;
    if (hitKey !== 0 && !this.hitKeys.includes(hitKey)) this.hitKeys.push(hitKey);
    if (this.sum > this.best) {
      this.best = this.sum;
      this.bestEnd = end;
      this.bestWords = this.words;
      this.bestLetters = this.letters;
      this.bestHits = this.hitKeys.length;
    }
  }

  /** Ends the current passage, keeping it when it reads clearly better transformed. */
  flush(): void {
    if (this.words === 0) return;
    if (
      this.best >= (this.bestHits >= MIN_HITS ? MIN_GAIN : STRONG_GAIN) &&
      this.bestWords >= MIN_WORDS &&
      this.bestLetters >= MIN_LETTERS
    ) {
      this.runs.push({ start: this.start, end: this.bestEnd, gain: this.best });
    }
    this.sum = 0;
    this.best = 0;
    this.words = 0;
    this.letters = 0;
    if (this.hitKeys.length > 0) this.hitKeys = [];
  }
}

/**
 * Scores every ASCII word of `text` (up to `limit` characters) as written, as ROT13 and reversed,
 * and returns the passages where a transformed reading wins. One pass, O(length).
 */
export function findTransformedRuns(text: string, limit = text.length): EnglishRuns {
  const rot = new RunFinder();
  const rev = new RunFinder();
  const n = Math.min(limit, text.length);
  let i = 0;
  while (i < n) {
    const raw = text.charCodeAt(i);
    const code = raw | 0x20;
    if (raw > 0x7a || code < 0x61 || code > 0x7a) {
      if (raw >= 0x80 || IS_PASSAGE_GAP[raw] !== 1) {
        rot.flush();
        rev.flush();
      }
      i++;
      continue;
    }
    const start = i;
    let rotGain = 0;
    let revGain = 0;
    let previous = -1;
    let first = -1;
    let key = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      const lower = c | 0x20;
      if (c > 0x7a || lower < 0x61 || lower > 0x7a) break;
      const letter = lower - 0x61;
      if (i - start < MAX_KEYED) key = key * 27 + letter + 1;
      rotGain += ROT13_GAIN[letter] ?? 0;
      if (previous >= 0) revGain += REVERSED_GAIN[previous * 26 + letter] ?? 0;
      else first = letter;
      previous = letter;
    }
    const length = i - start;
    if (length > 1) {
      revGain += EDGE_GAIN[first * 26 + previous] ?? 0;
      // Reversal moves a capital to the end of its word: "Paris" reads forwards, "siraP" backwards.
      const isFirstUpper = isUpper(text.charCodeAt(start));
      if (isFirstUpper !== isUpper(text.charCodeAt(i - 1)))
        revGain += isFirstUpper ? -CAPITAL_GAIN : CAPITAL_GAIN;
    }
    const flags = length <= MAX_KEYED ? (WORD_FLAGS.get(key) ?? 0) : 0;
    if ((flags & IS_FUNCTION) !== 0) {
      rotGain -= FUNCTION_WORD_GAIN;
      revGain -= FUNCTION_WORD_GAIN;
    }
    if ((flags & IS_ROT13) !== 0) rotGain += FUNCTION_WORD_GAIN;
    if ((flags & IS_REVERSED) !== 0) revGain += FUNCTION_WORD_GAIN;
    // A word that is a function word both ways ("no"/"on", "or"/"be") is no evidence either way.
    const isPlain = (flags & IS_FUNCTION) !== 0;
    rot.add(rotGain, start, i, length, flags & IS_ROT13 && !isPlain ? key : 0);
    rev.add(revGain, start, i, length, flags & IS_REVERSED && !isPlain ? key : 0);
  }
  rot.flush();
  rev.flush();
  return {
    rot13: rot.runs.map((run) => toSentence(text, run)),
    reversed: rev.runs.map((run) => toSentence(text, run)),
  };
}

// Word scores are noisy at the edges of a passage ("metsys" reads fine as written), so a run found
// is widened to its sentence: up to sentence punctuation, a line break or a passage break.
function toSentence(text: string, run: TransformedRun): TransformedRun {
  let start = run.start;
  let end = run.end;
  const floor = Math.max(0, start - MAX_WIDEN);
  const ceiling = Math.min(text.length, end + MAX_WIDEN);
  const isInner = (at: number): boolean => IS_SENTENCE_INNER[text.charCodeAt(at)] === 1;
  while (start > floor && isInner(start - 1)) start--;
  while (end < ceiling && isInner(end)) end++;
  while (start < run.start && !/[A-Za-z]/.test(text[start] ?? '')) start++;
  while (end > run.end && !/[A-Za-z]/.test(text[end - 1] ?? '')) end--;
  return { start, end, gain: run.gain };
}
