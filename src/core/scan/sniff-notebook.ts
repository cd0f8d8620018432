/**
 * Jupyter notebooks among JSON documents. Jupyter writes the keys of a notebook sorted, so `cells`
 * opens the file and `nbformat` closes it, often megabytes later; Colab writes `nbformat` first and
 * `cells` last. The head and the tail of the file together show both ends of the top-level object.
 */

/** Top-level keys that make a JSON object a notebook, beside `nbformat` (nbformat 3 has `worksheets`). */
const COMPANION_KEYS = ['cells', 'worksheets', 'nbformat_minor'];

/**
 * Tells whether a JSON object is a Jupyter notebook from its head (the start of the document) and,
 * when the head is not the whole file, its tail (the end): the top-level object has an `nbformat`
 * key and a `cells`, `worksheets` or `nbformat_minor` key. Keys nested deeper (a notebook quoted
 * inside another document) do not count.
 */
export function isNotebookJson(head: string, tail?: string): boolean {
  const keys = leadingTopLevelKeys(head);
  if (tail !== undefined) for (const key of trailingTopLevelKeys(tail)) keys.add(key);
  return keys.has('nbformat') && COMPANION_KEYS.some((key) => keys.has(key));
}

/** The keys of the top-level object that the start of a JSON text shows, read forwards. */
function leadingTopLevelKeys(text: string): Set<string> {
  const keys = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i + 1;
      for (i = start; i < text.length && text.charCodeAt(i) !== QUOTE; i++) {
        if (text.charCodeAt(i) === BACKSLASH) i++;
      }
      if (i >= text.length) break;
      if (depth === 1 && nextNonSpace(text, i + 1) === COLON) keys.add(text.slice(start, i));
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return keys;
}

/**
 * The keys of the top-level object that the end of a JSON text shows, read backwards from its closing
 * brace. Reading backwards stays in step with the document even though the tail starts anywhere: a
 * quote closes a string unless an odd number of backslashes precede it, and the tail's start, where
 * a string or the nesting may be cut, is where reading stops.
 */
function trailingTopLevelKeys(text: string): Set<string> {
  const keys = new Set<string>();
  let i = text.length - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  if (text.charCodeAt(i) !== CLOSE_BRACE) return keys;
  let depth = 1;
  for (i--; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = i;
      for (i--; i >= 0; i--) if (text.charCodeAt(i) === QUOTE && !isEscaped(text, i)) break;
      if (i < 0) break;
      if (depth === 1 && nextNonSpace(text, end + 1) === COLON) keys.add(text.slice(i + 1, end));
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth++;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth--;
      if (depth === 0) break;
    }
  }
  return keys;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The first character code at or after `from` that is not JSON whitespace, or -1. */
function nextNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i < text.length ? text.charCodeAt(i) : -1;
}

/** Tells whether the quote at `at` is escaped: an odd number of backslashes right before it. */
function isEscaped(text: string, at: number): boolean {
  let count = 0;
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === BACKSLASH; i--) count++;
  return count % 2 === 1;
}
