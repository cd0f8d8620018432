/** One capitalized word of a run. */
export interface RunToken {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A run of capitalized words on one line (`Dr. Kyle Kuefer`, `United Kingdom`, `ΛΕΥΚΩΣΙΑ`). */
export interface CapitalRun {
  readonly start: number;
  readonly end: number;
  readonly tokens: readonly RunToken[];
  /** Up to three words before the run, lower-cased, nearest last (`['my', 'name', 'is']`). */
  readonly before: readonly string[];
  /** Nothing but spaces between the line start and the run. */
  readonly isLineStart: boolean;
}

/**
 * A capitalized word: letters, marks, apostrophes and hyphens; a trailing dot only on short words
 * (`Dr.`, `St.`, `J.`) so a run stops at a sentence end (`Kuefer. Who`).
 */
const TOKEN = String.raw`\p{Lu}(?:[\p{L}\p{M}'’\-]{0,3}\.|[\p{L}\p{M}'’\-]*)`;
/** Words that may sit inside a place or name run without a capital (`Isle of Man`, `Bosnia & Herzegovina`). */
const CONNECTOR = String.raw`(?:of|and|the|da|de|del|du|y|&)`;
const RUN = new RegExp(String.raw`${TOKEN}(?:[ \t]+(?:${CONNECTOR}[ \t]+)?${TOKEN})*`, 'gu');
const WORD = /\S+/gu;

/** Capitalized words that open sentences (`In`, `I'm`, `Maybe`) rather than names. */
const LEADING_WORDS: ReadonlySet<string> = new Set(
  (
    "i i'm i've i'll i'd it's that's here's there's what's let's in at on to from by with for of and but or " +
    'so if when while after before since maybe please why how who where what is are was were did does do ' +
    'can could will would should have has had the a an my your our his her their this that these those ' +
    'we you he she they it not no yes ok okay sure sorry thanks thank hello hi hey dear'
  ).split(' '),
);

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Up to three words before `start`, across line breaks (`Best regards,\nJohn`). */
function previousWords(text: string, start: number): string[] {
  const words: string[] = [];
  let at = start;
  while (words.length < 3) {
    while (at > 0 && isSpace(text[at - 1])) at--;
    if (at === 0) break;
    const end = at;
    while (at > 0 && !isSpace(text[at - 1])) at--;
    words.unshift(text.slice(at, end).toLowerCase());
  }
  return words;
}

function isAtLineStart(text: string, start: number): boolean {
  let at = start;
  while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
  return at === 0 || text[at - 1] === '\n';
}

/** Finds every capitalized run in `text`, with the words before it; one pass, linear in the text. */
export function capitalRuns(text: string): CapitalRun[] {
  const runs: CapitalRun[] = [];
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m !== null; m = RUN.exec(text)) {
    // A capital inside a word (`iPhone`, `camelCase`) does not start a run.
    if (m.index > 0 && /[\p{L}\p{M}\d]/u.test(text[m.index - 1] ?? '')) continue;
    const tokens: RunToken[] = [];
    WORD.lastIndex = 0;
    for (let w = WORD.exec(m[0]); w !== null; w = WORD.exec(m[0])) {
      tokens.push({ start: m.index + w.index, end: m.index + w.index + w[0].length, text: w[0] });
    }
    const before = previousWords(text, m.index);
    let isLineStart = isAtLineStart(text, m.index);
    // `In Estonia`, `I'm Naomi Ryan`: a capitalized function word opening a sentence is context, not part of the run.
    while (tokens.length > 1 && LEADING_WORDS.has(tokens[0]?.text.toLowerCase() ?? '')) {
      before.push(tokens.shift()?.text.toLowerCase() ?? '');
      if (before.length > 3) before.shift();
      isLineStart = false;
    }
    const start = tokens[0]?.start ?? m.index;
    runs.push({ start, end: m.index + m[0].length, tokens, before, isLineStart });
  }
  return runs;
}

/**
 * Compiles phrases (lower-case words separated by one space) into a lookup of the phrase the words
 * before a run end with; indexed by last word, so a run costs one map lookup.
 */
export function phraseMatcher<T>(
  entries: readonly (readonly [string, T])[],
): (before: readonly string[]) => T | undefined {
  const byLastWord = new Map<string, { words: readonly string[]; value: T }[]>();
  for (const [phrase, value] of entries) {
    const words = phrase.split(' ');
    const last = words[words.length - 1] ?? '';
    byLastWord.set(last, [...(byLastWord.get(last) ?? []), { words, value }]);
  }
  return (before) => {
    const candidates = byLastWord.get(before[before.length - 1] ?? '');
    if (candidates === undefined) return undefined;
    const hit = candidates.find(
      ({ words }) =>
        words.length <= before.length &&
        words.every((w, i) => before[before.length - words.length + i] === w),
    );
    return hit?.value;
  };
}
