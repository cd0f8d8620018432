import { BulwarkError } from '../../core/errors.js';

/**
 * Datamarking (Hines et al. 2024, section 3.2): the marker is interleaved at every word break of the
 * untrusted text, so every stretch of it carries the sign of its origin.
 *
 * Reversible encoding of the breaks, chosen so the model still sees the text's layout:
 * - a single space U+0020 is replaced by the marker (the paper's form: `wordˆword`);
 * - every other run of separators (line breaks, tabs, repeated or non-breaking spaces, zero-width space,
 *   word joiner) is kept and preceded by the marker, so tables, code and paragraphs survive;
 * - in scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) the marker
 *   pair is inserted every `interval` characters and stands for nothing: otherwise a Chinese injection
 *   would carry no mark at all.
 * Decoding reads the marker back: pair → nothing, marker + separator run → the run, lone marker → one
 * space. This is exact because the marker never occurs in the content (see {@link chooseMarker}).
 */

/** The paper's marker, U+02C6 MODIFIER LETTER CIRCUMFLEX ACCENT: one visible, rarely used character. */
export const DEFAULT_MARKER = '\u02c6';
/** Marker pairs are inserted after this many characters of unspaced script by default. */
export const DEFAULT_UNSPACED_INTERVAL = 4;

const SEPARATOR_CLASS = '\\s\\u180e\\u200b\\u2060';
const UNSPACED_CLASS =
  '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmer}\\p{scx=Myanmar}';
/** One character of unspaced script with its combining marks, never split apart. */
const UNSPACED_CLUSTER = `(?:(?![${SEPARATOR_CLASS}\\p{M}])[${UNSPACED_CLASS}])\\p{M}*`;

const SEPARATOR_RUNS = new RegExp(`[${SEPARATOR_CLASS}]+`, 'gu');
const SEPARATOR_RUN_AT = new RegExp(`[${SEPARATOR_CLASS}]+`, 'uy');
const HAS_SEPARATOR = new RegExp(`[${SEPARATOR_CLASS}]`, 'u');
const UNSPACED_RUNS = new RegExp(`(?:${UNSPACED_CLUSTER}){2,}`, 'gu');
const UNSPACED_CLUSTERS = new RegExp(UNSPACED_CLUSTER, 'gu');
const HAS_UNSPACED = new RegExp(`[${UNSPACED_CLASS}]`, 'u');
const VALID_MARKER = new RegExp(`^[^${SEPARATOR_CLASS}${UNSPACED_CLASS}\\p{M}\\p{Cc}\\p{Cs}\\p{Cn}]$`, 'u');

const PRIVATE_USE_FIRST = 0xe000;
const PRIVATE_USE_LAST = 0xf8ff;

/**
 * Picks the marker for one call: `preferred` when no item contains it, else the first private-use
 * character (from U+E000) that no item contains, so content can neither forge nor pre-empt the mark.
 */
export function chooseMarker(items: readonly string[], preferred: string = DEFAULT_MARKER): string {
  if (!isValidMarker(preferred)) {
    throw new BulwarkError(
      'CONFIG_INVALID',
      'a datamarking marker must be one visible character: not whitespace, a combining mark, a control or a letter of an unspaced script',
    );
  }
  if (!items.some((item) => item.includes(preferred))) return preferred;
  const used = new Uint8Array(PRIVATE_USE_LAST - PRIVATE_USE_FIRST + 1);
  for (const item of items) {
    for (let at = 0; at < item.length; at += 1) {
      const code = item.charCodeAt(at);
      if (code >= PRIVATE_USE_FIRST && code <= PRIVATE_USE_LAST) used[code - PRIVATE_USE_FIRST] = 1;
    }
  }
  const free = used.indexOf(0);
  if (free === -1) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      'the content uses every private-use character: no marker is left',
    );
  }
  return String.fromCharCode(PRIVATE_USE_FIRST + free);
}

/** Tells whether a string can serve as a marker: one character that no separator or script rule uses. */
export function isValidMarker(marker: string): boolean {
  return typeof marker === 'string' && VALID_MARKER.test(marker);
}

/** Tells whether datamarking this text inserts marker pairs (it contains an unspaced script). */
export function hasUnspacedScript(text: string): boolean {
  return HAS_UNSPACED.test(text);
}

/** Datamarks one item with a marker that it does not contain; `interval` 0 turns pair insertion off. */
export function datamarkItem(
  item: string,
  marker: string,
  interval: number = DEFAULT_UNSPACED_INTERVAL,
): string {
  const marked = item.replace(SEPARATOR_RUNS, (run) => (run === ' ' ? marker : marker + run));
  if (interval === 0 || !HAS_UNSPACED.test(marked)) return marked;
  const pair = marker + marker;
  return marked.replace(UNSPACED_RUNS, (run) => {
    const clusters = run.match(UNSPACED_CLUSTERS) ?? [run];
    let out = '';
    clusters.forEach((cluster, index) => {
      if (index > 0 && index % interval === 0) out += pair;
      out += cluster;
    });
    return out;
  });
}

/** Restores the exact original of a {@link datamarkItem} output, refusing text it could not have made. */
export function undatamarkItem(text: string, marker: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, from)) {
    parts.push(plainSegment(text, from, at, marker));
    let next = at + marker.length;
    if (text.startsWith(marker, next)) {
      next += marker.length;
      if (text.startsWith(marker, next)) throw notDatamarked(marker, 'three markers in a row');
    } else {
      SEPARATOR_RUN_AT.lastIndex = next;
      const run = SEPARATOR_RUN_AT.exec(text)?.[0];
      if (run === undefined) parts.push(' ');
      else if (run === ' ') throw notDatamarked(marker, 'a single space after a marker');
      else {
        parts.push(run);
        next += run.length;
      }
    }
    from = next;
  }
  parts.push(plainSegment(text, from, text.length, marker));
  return parts.join('');
}

function plainSegment(text: string, from: number, to: number, marker: string): string {
  const segment = text.slice(from, to);
  if (HAS_SEPARATOR.test(segment)) throw notDatamarked(marker, 'whitespace without a marker');
  return segment;
}

function notDatamarked(marker: string, why: string): BulwarkError {
  return new BulwarkError('INPUT_INVALID', `text is not datamarked with ${describeMarker(marker)}: ${why}`);
}

/** Names a marker for messages and instructions: the character and its code point. */
export function describeMarker(marker: string): string {
  const codePoint = marker.codePointAt(0) ?? 0;
  return `"${marker}" (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')})`;
}
