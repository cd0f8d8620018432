const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Distinct field names remembered by {@link fieldWords}; a table has a few, JSON paths a few thousand. */
const FIELD_WORDS_CACHE_LIMIT = 4096;
const fieldWordsCache = new Map<string, string>();

/**
 * A column name or JSON path as lower-case words, so it can hold context words as text does:
 * `phone_number` → `phone number`, `$.patient.firstName` → `patient first name`, `$.rows[3]["E-Mail"]`
 * → `rows e mail`. Remembered per name: every cell of a column asks for the same one.
 */
export function fieldWords(field: string): string {
  let words = fieldWordsCache.get(field);
  if (words === undefined) {
    if (fieldWordsCache.size >= FIELD_WORDS_CACHE_LIMIT) fieldWordsCache.clear();
    words = wordsOf(field);
    fieldWordsCache.set(field, words);
  }
  return words;
}

function wordsOf(field: string): string {
  return field
    .replace(/^\$/, '')
    .split(/[.[\]"']+/)
    .filter((segment) => segment !== '' && !/^\d+$/.test(segment))
    .join(' ')
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toLowerCase();
}

function isBoundary(text: string, at: number): boolean {
  const c = text[at];
  return c === undefined || !WORD_CHAR.test(c);
}

/**
 * The first of `words` (lower-case) found in `haystack` (lower-case) as a whole word or phrase:
 * `ssn` matches in `my ssn:` but not in `classnames`.
 */
export function findWord(haystack: string, words: readonly string[]): string | undefined {
  for (const word of words) {
    let at = haystack.indexOf(word);
    while (at !== -1) {
      const isStartOk = !WORD_CHAR.test(word[0] ?? '') || isBoundary(haystack, at - 1);
      const isEndOk = !WORD_CHAR.test(word[word.length - 1] ?? '') || isBoundary(haystack, at + word.length);
      if (isStartOk && isEndOk) return word;
      at = haystack.indexOf(word, at + 1);
    }
  }
  return undefined;
}

/** The text within `window` characters each side of `[start, end)`, lower-cased, the match left out. */
export function windowAround(text: string, start: number, end: number, window: number): string {
  const before = text.slice(Math.max(0, start - window), start);
  const after = text.slice(end, end + window);
  return `${before} ${after}`.toLowerCase();
}
